"""Tests of taxotag.report.markdown."""

from datetime import date

from taxotag.evaluation.metrics import format_table
from taxotag.model.artifacts import read_manifest
from taxotag.report.markdown import markdown_report, note_sentence


def test_the_report_says_what_was_trained_and_has_both_tables_of_each_gold_set(seed_evaluation, taxonomy,
                                                                               trained_model_dir):
    evaluation, _ = seed_evaluation
    manifest = read_manifest(trained_model_dir)
    text = markdown_report(taxonomy, trained_model_dir, [evaluation], {"self_supervised": 12}, 2500)
    lines = text.splitlines()
    assert lines[0] == "# taxotag evaluation report"
    assert f"- date: {date.today().isoformat()}" in lines
    assert f"- model: `{trained_model_dir}` (trained {manifest.created} on 2,500 abstracts)" in lines
    assert "- weak positives in the training corpus: self_supervised 12" in lines
    assert f"## {evaluation.path} (165 abstracts)" in lines
    assert format_table(evaluation.results) in text and format_table(evaluation.model_where_rules_silent) in text
    assert "Gold columns not in the taxonomy, ignored: active_learning, few_zero_shot." in lines
    assert text.endswith("\n")


def test_a_note_becomes_a_sentence():
    assert note_sentence("blank cells, left out: ssl 2") == "Blank cells, left out: ssl 2."
