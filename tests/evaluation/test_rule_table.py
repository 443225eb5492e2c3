"""Tests of taxotag.evaluation.rule_table."""

import pandas as pd

from taxotag.evaluation.rule_table import rule_summary
from tests.conftest import labels_for


def test_rule_summary_with_gold(labels_taxonomy):
    votes, _ = labels_for(labels_taxonomy, [
        "We study self-supervised features.",
        "We study self-supervised and distillation.",
        "Unlike self-supervised methods we use labels.",
        "Nothing here.",
    ])
    gold = pd.DataFrame({"ssl": [1, 0, 0, 0], "distill": [0, 1, 0, 0]})
    table = rule_summary(votes, gold).set_index("rule")
    assert table.loc["ssl.1", "coverage"] == 0.5
    assert table.loc["ssl.1", "passing"] == 0.25
    assert table.loc["ssl.1", "conflicts"] == 0.25
    assert (table.loc["ssl.1", "correct"], table.loc["ssl.1", "incorrect"]) == (1, 1)
    assert table.loc["ssl.1", "precision"] == 0.5
    assert table.loc["distill.1", "precision"] == 1.0
