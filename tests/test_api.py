"""The Python API under `import taxotag`, and a model folder that is enough to tag from anywhere."""

import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

import taxotag
from taxotag.cli import main
from taxotag.errors import MissingColumnsError
from taxotag.workflow import read_manifest

from conftest import ROOT


@pytest.fixture(scope="module")
def tagger(trained_model_dir):
    return taxotag.Tagger.load(trained_model_dir)


def test_the_package_face_is_its_all():
    assert set(taxotag.__all__) <= set(dir(taxotag))
    for name in taxotag.__all__:
        assert getattr(taxotag, name) is not None
    with pytest.raises(AttributeError):
        taxotag.no_such_name


@pytest.mark.parametrize("statement", ["import taxotag", "from taxotag.cli import build_parser; build_parser()"])
def test_importing_taxotag_and_its_parser_loads_no_library(statement):
    """`taxotag --help` must not pay for pandas, NumPy, spaCy or scikit-learn (commands.py loads them)."""
    code = f"import sys; {statement}; print(sorted(m for m in ('pandas', 'numpy', 'spacy', 'sklearn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_tagger_loads_from_the_model_folder_alone_and_tags_a_dataframe(tagger):
    frame = pd.DataFrame({
        "Title": ["Masked autoencoders for video", "A study of bridges", "Knowledge distillation for detectors"],
        "ABSTRACT": ["We propose self-supervised learning with masked autoencoders on unlabeled video.",
                     None, float("nan")],
        "year": [2021, 2022, 2023],
    })
    out = tagger.tag(frame)
    assert list(out["id"]) == ["1", "2", "3"]  # (no id column: row numbers)
    assert "self_supervised" in out["tags"][0].split(";")
    assert out["tags"][1] == ""
    assert "distillation" in out["tags"][2].split(";")  # (a missing abstract: the title alone)
    assert list(out["year"]) == [2021, 2022, 2023]
    assert {f"score_{tag}" for tag in tagger.taxonomy.tag_ids} <= set(out.columns)


def test_a_dataframe_without_titles_is_an_error_naming_its_columns(tagger):
    with pytest.raises(MissingColumnsError, match=r"no title column \(its columns: name, text\)"):
        tagger.tag(pd.DataFrame({"name": ["x"], "text": ["y"]}))


def test_train_takes_a_dataframe_and_evaluate_returns_the_table(tmp_path, small_corpus):
    records = [json.loads(line) for line in small_corpus.read_text("utf-8").splitlines()]
    frame = pd.DataFrame(records).rename(columns={"title": "Title"})
    training = taxotag.train(frame, taxonomy=ROOT / "taxonomy.yaml", model=tmp_path / "m")
    assert training.weak_positives(taxotag.load_taxonomy(ROOT / "taxonomy.yaml"))["distillation"] > 0
    assert (tmp_path / "m" / "taxonomy.yaml").read_text("utf-8") == (ROOT / "taxonomy.yaml").read_text("utf-8")
    table = taxotag.evaluate(ROOT / "data" / "seed_gold.csv", model=tmp_path / "m")
    macro = table[(table.tag == "macro") & (table.system == "combined")].iloc[0]
    assert 0.5 < macro.f1 <= 1 and macro.support > 100


def test_tag_with_the_model_alone_works_from_any_folder(capsys, tmp_path, monkeypatch, trained_model_dir):
    papers = tmp_path / "papers.csv"
    pd.DataFrame({"id": ["a"], "title": ["Knowledge distillation for detectors"],
                  "abstract": ["We distil a large teacher into a small student."]}).to_csv(papers, index=False)
    monkeypatch.chdir(tmp_path)  # (no taxonomy.yaml here)
    code = main(["tag", str(papers), "-o", "out.csv", "--model", str(trained_model_dir)])
    assert code == 0, capsys.readouterr().err
    assert pd.read_csv(tmp_path / "out.csv")["tags"][0] == "distillation"


def test_a_model_folder_without_its_taxonomy_copy_says_what_to_name(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["tag", "x.jsonl", "-o", "out.csv", "--model", "nowhere"])
    err = capsys.readouterr().err
    assert code == 1 and "taxonomy.yaml: not in the current folder" in err and "nowhere keeps no taxonomy" in err


def test_a_changed_taxonomy_copy_is_refused(tmp_path, trained_model_dir):
    copy = tmp_path / "model"
    shutil.copytree(trained_model_dir, copy)
    with open(copy / "taxonomy.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    with pytest.raises(taxotag.ModelError, match="sha256 does not match"):
        taxotag.Tagger.load(copy)


def test_rules_and_retrain_default_to_the_corpus_the_model_was_trained_on(capsys, tmp_path, monkeypatch,
                                                                         trained_model_dir, small_corpus):
    assert read_manifest(trained_model_dir).corpus.resolved == str(small_corpus.resolve())
    monkeypatch.chdir(tmp_path)
    code = main(["rules", "--model", str(trained_model_dir)])
    out = capsys.readouterr().out
    assert code == 0 and out.splitlines()[0] == f"rules on {small_corpus.resolve()}"
    code = main(["report", "--model", str(trained_model_dir), "--out", "rep"])  # (no gold here: corpus tags)
    assert code == 0 and "Tags on the training corpus" in (tmp_path / "rep" / "report.html").read_text("utf-8")
    model = tmp_path / "copy"
    shutil.copytree(trained_model_dir, model)
    code = main(["retrain", "--model", str(model), "--taxonomy", str(ROOT / "taxonomy.yaml"), "--out", "rep"])
    out = capsys.readouterr().out
    assert code == 0 and read_manifest(model).corpus.sha256 == read_manifest(trained_model_dir).corpus.sha256


def test_python_dash_m_taxotag_is_the_command():
    done = subprocess.run([sys.executable, "-m", "taxotag", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("taxotag ")


def test_a_users_own_pipeline_folder_does_not_shadow_the_package(tmp_path):
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "pipeline" / "__init__.py").write_text("raise ImportError('the user pipeline')\n")
    code = "import taxotag.tagging, taxotag.model; print(taxotag.model.TagModel.__name__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert done.stdout.strip() == "TagModel"
