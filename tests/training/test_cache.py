"""Tests of taxotag.training.cache."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from taxotag.jobs.training import train
from taxotag.model.artifacts import read_manifest
from taxotag.taxonomy.loading import load_taxonomy
from taxotag.training.cache import FEATURE_CODE, MATCHING_CODE, PACKAGE, CorpusCache, source_files
from tests.conftest import ROOT
from tests.test_layout import LAZY_IMPORTS


def test_votes_cached_by_other_rule_matching_code_are_not_reused(workspace, small_corpus, monkeypatch):
    taxonomy_path, model_dir, cache = workspace
    taxonomy = load_taxonomy(taxonomy_path)
    again = train(taxonomy, small_corpus, model_dir, incremental=True, cache_dir=cache, progress=False)
    assert again.corpus.rules_run == 0
    monkeypatch.setattr("taxotag.training.cache.matcher_version", lambda: "an upgraded rules.py")
    upgraded = train(taxonomy, small_corpus, model_dir, incremental=True, cache_dir=cache, progress=False)
    assert upgraded.corpus.rules_run == sum(len(tag.rules) for tag in taxonomy.tags)
    assert (upgraded.corpus.votes.matrix == again.corpus.votes.matrix).all()


def test_model_and_features_of_other_feature_code_are_not_reused(workspace, small_corpus, monkeypatch):
    taxonomy_path, model_dir, cache = workspace
    taxonomy = load_taxonomy(taxonomy_path)
    again = train(taxonomy, small_corpus, model_dir, incremental=True, cache_dir=cache, progress=False)
    assert again.refitted == []
    features = CorpusCache(cache, again.corpus.sha256)
    assert features.load_features(again.model.vocabulary_sha()) is not None
    monkeypatch.setattr("taxotag.training.cache.features_version", lambda: "an upgraded words.py")
    assert features.load_features(again.model.vocabulary_sha()) is None
    upgraded = train(taxonomy, small_corpus, model_dir, incremental=True, cache_dir=cache, progress=False)
    assert upgraded.refitted == taxonomy.tag_ids
    assert read_manifest(model_dir).features_version == "an upgraded words.py"


IMPORTED_FILES = """
import json, sys
import {modules}
print(json.dumps(sorted(module.__file__ for name, module in sys.modules.items() if name.startswith("taxotag"))))
"""


@pytest.mark.parametrize("code", [MATCHING_CODE, FEATURE_CODE])
def test_the_code_digests_cover_every_module_that_matching_and_features_load(code):
    """The votes cache and the kept model are keyed by a digest of source_files(...): a module that
    matching or feature code loads but the digest leaves out (code moved to a new module, imported
    in a way the digest does not follow) would let retrain reuse votes or features of older code."""
    digested = set(source_files(code))
    lazy = [target for name, target in LAZY_IMPORTS  # (modules that load a library late are code too)
            if PACKAGE.joinpath(*name.split(".")).with_suffix(".py") in digested]
    modules = ", ".join(f"taxotag.{module}" for module in [*code, *lazy])
    done = subprocess.run([sys.executable, "-c", IMPORTED_FILES.format(modules=modules)], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    loaded = {Path(name) for name in json.loads(done.stdout)}
    loaded = {path.with_name(path.name.split(".")[0] + ".c") if path.suffix == ".so" else path for path in loaded}
    assert digested <= loaded  # (the digest follows real imports, not a list kept by hand)
    outside = loaded - digested
    assert outside and all(path.name == "__init__.py" for path in outside), sorted(outside)
    for path in outside - {PACKAGE / "__init__.py"}:  # (the package's own names load lazily: test_package)
        body = ast.parse(path.read_text("utf-8")).body
        assert len(body) == 1 and isinstance(body[0].value, ast.Constant), f"{path} holds code"


def test_code_moved_to_a_new_module_stays_in_the_digest(tmp_path):
    package = tmp_path / "pkg"
    (package / "rules").mkdir(parents=True)
    (package / "rules" / "matching.py").write_text("from .helpers import squeeze\nfrom .. import shared\n")
    (package / "rules" / "helpers.py").write_text("from ..text import normalise as squeeze\n")
    (package / "text.py").write_text("def normalise(text): return text\n")
    (package / "shared.py").write_text("")
    (package / "unused.py").write_text("")
    found = source_files(["rules.matching"], package)
    assert [path.relative_to(package).as_posix() for path in found] == [
        "rules/helpers.py", "rules/matching.py", "shared.py", "text.py"]
