import json
import re
import shutil
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from taxotag.artifacts import load_model, read_manifest
from taxotag.cache import CorpusCache
from taxotag.cli import main
from taxotag.retrain_diff import combined_metrics, compute_diff, format_diff
from taxotag.taxonomy import load_taxonomy
from taxotag.workflow import retrain, train
from tests.conftest import ROOT

ACTIVE_LEARNING = """
  - id: active_learning
    name: Active learning
    description: The method selects which examples get labelled.
    rules:
      - phrase: [active learning, acquisition function, query strategy, uncertainty sampling]
"""


@pytest.fixture
def workspace(tmp_path, small_corpus):
    """A taxonomy copy, a model trained on it, and a private cache."""
    taxonomy_path = tmp_path / "taxonomy.yaml"
    shutil.copy(ROOT / "taxonomy.yaml", taxonomy_path)
    model_dir, cache = tmp_path / "model", tmp_path / "cache"
    train(load_taxonomy(taxonomy_path), small_corpus, model_dir, cache_dir=cache, progress=False)
    return taxonomy_path, model_dir, cache


def test_one_tag_edit_reruns_one_rule_and_refits_only_changed_tags(workspace, small_corpus):
    taxonomy_path, model_dir, cache = workspace
    before = read_manifest(model_dir)
    text = taxonomy_path.read_text().replace("      - id: oversight\n",
                                             "      - id: w2s_extra\n        phrase: [easy-to-hard]\n"
                                             "      - id: oversight\n", 1)
    taxonomy_path.write_text(text)
    result = train(load_taxonomy(taxonomy_path), small_corpus, model_dir, incremental=True,
                   cache_dir=cache, progress=False)
    assert result.corpus.rules_run == 1
    assert set(result.refitted) <= {"weak_to_strong", "weakly_supervised"}
    row = next(r for r in result.diff if r["tag"] == "weak_to_strong")
    assert row["gained"] > 0 and row["lost"] == 0
    after = read_manifest(model_dir)
    assert after.tag_fingerprints["weak_to_strong"] != before.tag_fingerprints["weak_to_strong"]
    assert load_model(model_dir, load_taxonomy(taxonomy_path)).tag_ids == before.tags


def test_votes_cached_by_other_rule_matching_code_are_not_reused(workspace, small_corpus, monkeypatch):
    taxonomy_path, model_dir, cache = workspace
    taxonomy = load_taxonomy(taxonomy_path)
    again = train(taxonomy, small_corpus, model_dir, incremental=True, cache_dir=cache, progress=False)
    assert again.corpus.rules_run == 0
    monkeypatch.setattr("taxotag.cache.matcher_version", lambda: "an upgraded rules.py")
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
    monkeypatch.setattr("taxotag.cache.features_version", lambda: "an upgraded words.py")
    assert features.load_features(again.model.vocabulary_sha()) is None
    upgraded = train(taxonomy, small_corpus, model_dir, incremental=True, cache_dir=cache, progress=False)
    assert upgraded.refitted == taxonomy.tag_ids
    assert read_manifest(model_dir).features_version == "an upgraded words.py"


def test_added_tag_is_trained_tagged_and_evaluated(workspace, small_corpus, capsys, tmp_path):
    taxonomy_path, model_dir, cache = workspace
    taxonomy_path.write_text(taxonomy_path.read_text() + ACTIVE_LEARNING)
    gold = ROOT / "data" / "seed_gold.csv"
    result = retrain(taxonomy_path, small_corpus, model_dir, [gold], tmp_path / "out")
    assert "active_learning" in result.refitted
    assert (tmp_path / "out" / "retrain_diff.md").read_text().count("| active_learning | added |") == 1
    model = ["--model", model_dir, "--taxonomy", taxonomy_path]
    assert main(["tag", str(ROOT / "data" / "seed_papers.jsonl"), "-o", str(tmp_path / "t.csv"), *map(str, model)]) == 0
    tagged = pd.read_csv(tmp_path / "t.csv", keep_default_na=False)
    assert "score_active_learning" in tagged.columns
    assert "active_learning" in ";".join(tagged["tags"])
    capsys.readouterr()
    assert main(["evaluate", "--gold", str(gold), "--json", *map(str, model)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["tags"]["active_learning"]["rules"]["precision"] > 0.5
    assert "active_learning" not in result["ignored_columns"]


def test_broken_edit_leaves_the_old_model_untouched(workspace, small_corpus, capsys):
    taxonomy_path, model_dir, cache = workspace
    files = {p.name: p.read_bytes() for p in model_dir.iterdir()}
    taxonomy_path.write_text(taxonomy_path.read_text().replace("  - id: distillation", "  - id: distillation: x"))
    code = main(["retrain", "--taxonomy", str(taxonomy_path), "--model", str(model_dir), "--corpus", str(small_corpus)])
    assert code == 1
    assert "YAML syntax error" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in model_dir.iterdir()} == files


def test_parent_tag_is_implied_in_outputs_and_evaluation(workspace, small_corpus, tmp_path):
    taxonomy_path, model_dir, cache = workspace
    text = taxonomy_path.read_text().replace(
        "  - id: self_supervised\n",
        "  - id: label_efficient\n    name: Label-efficient learning\n    description: parent\n"
        "    rules: [{phrase: label-efficient}]\n  - id: self_supervised\n    parent: label_efficient\n", 1)
    taxonomy_path.write_text(text)
    taxonomy = load_taxonomy(taxonomy_path)
    train(taxonomy, small_corpus, model_dir, cache_dir=cache, progress=False)
    from taxotag.tagging import Tagger

    tagger = Tagger(taxonomy, load_model(model_dir, taxonomy))
    out = tagger.tag_frame(pd.DataFrame({"id": ["1"], "title": ["Self-supervised learning of speech"],
                                         "abstract": ["We propose a self-supervised objective."]}))
    assert out.loc[0, "tags"].split(";")[:2] == ["label_efficient", "self_supervised"]


def test_the_diff_rounds_gold_metrics_once_as_evaluate_does():
    results = pd.DataFrame([{"tag": "t", "system": "combined", "precision": 28 / 33, "recall": 17 / 21, "f1": 0.5}])
    metrics = combined_metrics([SimpleNamespace(path="gold.csv", results=results)])
    text = format_diff(compute_diff(["t"], np.ones((3, 1)), None, metrics, metrics), [], 0, 1.0)
    assert "| 0.848 -> 0.848 | 0.810 -> 0.810 |" in text


def test_a_tag_without_weak_positives_is_reported_and_left_to_its_rules(workspace, small_corpus, tmp_path):
    taxonomy_path, model_dir, cache = workspace
    taxonomy_path.write_text(taxonomy_path.read_text()
                             + ACTIVE_LEARNING.replace("[active learning, acquisition function, query strategy, "
                                                       "uncertainty sampling]", "zqxv frobnication"))
    training = retrain(taxonomy_path, small_corpus, model_dir, [], tmp_path / "out")
    assert training.warnings()[0] == ("Warning: active_learning: only 0 weak positive(s) in the corpus, 5 needed; "
                       "no model for this tag, its rules alone decide")
    taxonomy = load_taxonomy(taxonomy_path)
    model = load_model(model_dir, taxonomy)
    assert model.thresholds[taxonomy.tag_ids.index("active_learning")] == 1.0
    assert "active_learning" in read_manifest(model_dir).notes


def test_retrain_without_a_model_trains_every_tag_and_says_so(tmp_path, small_corpus):
    result = retrain(ROOT / "taxonomy.yaml", small_corpus, tmp_path / "model", [], tmp_path / "out")
    assert result.refitted == load_taxonomy(ROOT / "taxonomy.yaml").tag_ids
    assert {row["status"] for row in result.diff} == {"new model"}
    assert "| self_supervised | new model |" in (tmp_path / "out" / "retrain_diff.md").read_text()


def test_the_diff_shows_documents_that_gained_the_tag_with_the_new_rule_first(workspace, small_corpus, tmp_path):
    taxonomy_path, model_dir, cache = workspace
    taxonomy_path.write_text(taxonomy_path.read_text().replace(
        "      - id: oversight\n", "      - id: w2s_extra\n        phrase: [easy-to-hard]\n      - id: oversight\n", 1))
    result = retrain(taxonomy_path, small_corpus, model_dir, [], tmp_path / "out")
    gained = next(row["gained"] for row in result.diff if row["tag"] == "weak_to_strong")
    text = (tmp_path / "out" / "retrain_diff.md").read_text()
    assert f"### weak_to_strong: {gained} gained, 0 lost" in text
    section = text.split("### weak_to_strong")[1].split("###")[0]
    examples = [line for line in section.splitlines() if line.startswith("- `")]
    assert 0 < len(examples) == min(gained, 5)
    assert all(re.search(r": w2s_extra 'easy[- ]to[- ]hard' \((title|claim|body)\)", line, re.I)
               for line in examples), examples


def test_a_corpus_with_its_own_columns_and_encoding_trains_and_retrains(tmp_path, small_corpus, capsys, monkeypatch):
    """A spreadsheet export as the corpus: paperId and summary columns, cp1252 with en dashes."""
    monkeypatch.chdir(tmp_path)  # (the default cache folder is relative)
    records = pd.DataFrame([json.loads(line) for line in small_corpus.read_text().splitlines()[:800]])
    records.loc[::10, "abstract"] += " Gains \u2013 large ones \u2013 hold."
    export = records.rename(columns={"id": "paperId", "abstract": "summary"})[["paperId", "title", "summary"]]
    export.to_csv("corpus.csv", index=False, encoding="cp1252")
    options = ["--corpus", "corpus.csv", "--model", "model", "--gold", "--taxonomy", str(ROOT / "taxonomy.yaml"),
               "--columns", "id=paperId,abstract=summary"]
    assert main(["train", *options]) == 0
    err = capsys.readouterr().err
    not_ascii = sum(not (title + abstract).isascii() for title, abstract in zip(records["title"], records["abstract"]))
    assert f"skipped {not_ascii} record(s)" in err and "not UTF-8" in err and "--encoding cp1252" in err

    assert main(["train", *options, "--encoding", "cp1252"]) == 0
    out, err = capsys.readouterr()
    assert "trained on 800 abstracts" in out and "skipped" not in err
    corpus = read_manifest(tmp_path / "model").corpus
    assert (corpus.columns, corpus.encoding) == ({"id": "paperId", "abstract": "summary"}, "cp1252")
    assert main(["retrain", *options, "--encoding", "cp1252", "--out", "out"]) == 0
    assert "Re-ran 0 rule(s); refitted 0 tag classifier(s)" in capsys.readouterr().out
    # read in another encoding, the file holds other documents: no cached vote or old classifier is reused
    assert main(["retrain", *options, "--encoding", "latin-1", "--out", "out"]) == 0
    every_rule = sum(len(tag.rules) for tag in load_taxonomy(ROOT / "taxonomy.yaml").tags)
    assert f"Re-ran {every_rule} rule(s); refitted 6 tag classifier(s)" in capsys.readouterr().out
    rules = ["rules", "--corpus", "corpus.csv", "--taxonomy", str(ROOT / "taxonomy.yaml"), "--encoding", "cp1252"]
    assert main([*rules, "--columns", "id=paperId,abstract=summary"]) == 0
    assert "ssl_terms" in capsys.readouterr().out
    assert main(rules) == 1
    assert "try --columns id=paperId,abstract=summary" in capsys.readouterr().err
