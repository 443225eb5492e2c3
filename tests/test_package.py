"""Tests of taxotag.package."""

import subprocess
import sys

import pytest

import taxotag


def test_the_package_face_is_its_all():
    assert set(taxotag.__all__) <= set(dir(taxotag))
    for name in taxotag.__all__:
        assert getattr(taxotag, name) is not None
    with pytest.raises(AttributeError):
        taxotag.no_such_name


@pytest.mark.parametrize("statement", ["import taxotag", "from taxotag.cli.parser import build_parser; build_parser()"])
def test_importing_taxotag_and_its_parser_loads_no_library(statement):
    """`taxotag --help` must not pay for pandas, NumPy, spaCy or scikit-learn (commands.py loads them)."""
    code = f"import sys; {statement}; print(sorted(m for m in ('pandas', 'numpy', 'spacy', 'sklearn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_python_dash_m_taxotag_is_the_command():
    done = subprocess.run([sys.executable, "-m", "taxotag", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("taxotag ")


def test_a_users_own_pipeline_folder_does_not_shadow_the_package(tmp_path):
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "pipeline" / "__init__.py").write_text("raise ImportError('the user pipeline')\n")
    code = "import taxotag.tagging.tagger, taxotag.model.tag_model; print(taxotag.model.tag_model.TagModel.__name__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert done.stdout.strip() == "TagModel"
