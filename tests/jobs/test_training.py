"""Tests of taxotag.jobs.training."""

import json

import pandas as pd

from taxotag.cli.parser import main
from taxotag.jobs.training import retrain, train
from taxotag.model.artifacts import load_model, read_manifest
from taxotag.taxonomy.loading import load_taxonomy
from tests.conftest import ROOT

ACTIVE_LEARNING = """
  - id: active_learning
    name: Active learning
    description: The method selects which examples get labelled.
    rules:
      - phrase: [active learning, acquisition function, query strategy, uncertainty sampling]
"""


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
    from taxotag.tagging.tagger import Tagger

    tagger = Tagger(taxonomy, load_model(model_dir, taxonomy))
    out = tagger.tag_frame(pd.DataFrame({"id": ["1"], "title": ["Self-supervised learning of speech"],
                                         "abstract": ["We propose a self-supervised objective."]}))
    assert out.loc[0, "tags"].split(";")[:2] == ["label_efficient", "self_supervised"]


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
