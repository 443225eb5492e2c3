"""Tests of taxotag.jobs.reports."""

import shutil

import pandas as pd

from taxotag.jobs.reports import report, run_default
from taxotag.model.artifacts import read_manifest
from tests.conftest import MINIMAL_TAXONOMY, ROOT


def test_the_main_job_trains_evaluates_tags_the_seed_papers_and_writes_both_reports(tmp_path, small_corpus):
    model, out = tmp_path / "model", tmp_path / "out"
    run = run_default(ROOT / "taxonomy.yaml", small_corpus, model, [ROOT / "data" / "seed_gold.csv"],
                      ROOT / "data" / "seed_papers.jsonl", out, progress=False)
    assert read_manifest(model).corpus.documents == len(run.training.corpus.documents)
    assert [evaluation.path for evaluation in run.training.evaluations] == [str(ROOT / "data" / "seed_gold.csv")]
    tagged = pd.read_csv(run.tagged_path)
    assert len(tagged) == run.tagged.documents > 0 and "tags" in tagged.columns
    assert run.report == out / "report.md" and run.html == out / "report.html"
    assert "## " in run.report.read_text() and run.html.read_text().startswith("<!DOCTYPE html>")
    assert run.seconds > 0


def test_report_of_a_taxonomy_of_ones_own_leaves_out_the_default_gold_and_says_so(tmp_path, small_corpus,
                                                                                 monkeypatch):
    (tmp_path / "data").mkdir()
    for name in ("seed_gold.csv", "arxiv_dev_gold.csv"):
        shutil.copy(ROOT / "data" / name, tmp_path / "data" / name)
    (tmp_path / "own.yaml").write_text(MINIMAL_TAXONOMY.replace("active_learning", "curriculum_learning"))
    monkeypatch.chdir(tmp_path)
    run_default("own.yaml", small_corpus, "model", [], ROOT / "data" / "seed_papers.jsonl", "out", progress=False)
    written = report("own.yaml", "model", corpus=small_corpus, out_dir="out", cache_dir="cache")
    assert written.path.resolve() == (tmp_path / "out" / "report.html").resolve() and written.path.is_file()
    assert len(written.gold_notes) == 2 and all("; not evaluated" in note for note in written.gold_notes)
