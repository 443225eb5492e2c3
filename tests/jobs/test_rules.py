"""Tests of taxotag.jobs.rules."""

import pytest

from taxotag.errors import TaxotagError
from taxotag.jobs.rules import rule_analysis, show_rule
from taxotag.rules.votes import rule_infos
from tests.conftest import ROOT, TRAINING_SLICE


def test_rule_analysis_has_a_row_per_rule_with_its_figures_on_the_corpus_and_gold(taxonomy, small_corpus, tmp_path):
    table = rule_analysis(taxonomy, small_corpus, [ROOT / "data" / "seed_gold.csv"], cache_dir=tmp_path,
                          progress=False)
    assert table["rule"].tolist() == [info.id for info in rule_infos(taxonomy)]
    assert table["coverage"].between(0, 1).all() and table["coverage"].max() > 0
    assert {"correct", "incorrect", "precision"} <= set(table.columns)
    fired = table[table["correct"].fillna(0) + table["incorrect"].fillna(0) > 0]
    assert not fired.empty and fired["precision"].between(0, 1).all()


def test_show_rule_refuses_an_unknown_rule_before_reading_the_corpus(taxonomy, tmp_path):
    with pytest.raises(TaxotagError, match="no rule 'no_such_rule'; the rules are: "):
        show_rule(taxonomy, tmp_path / "not-there.jsonl", "no_such_rule")


def test_show_rule_gives_a_rules_examples_on_the_corpus(taxonomy, small_corpus, tmp_path):
    rule = rule_infos(taxonomy)[0]
    text = show_rule(taxonomy, small_corpus, rule.id, count=2, cache_dir=tmp_path, progress=False)
    assert text.startswith(f"rule {rule.id} (tag {rule.tag}, ")
    assert f"of {TRAINING_SLICE:,} corpus abstracts" in text.splitlines()[0]
