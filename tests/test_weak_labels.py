import numpy as np
import pandas as pd
import pytest

from taxotag.rules import RuleSet
from taxotag.taxonomy import parse_taxonomy
from taxotag.weak_labels import rule_summary, weak_labels, wilson_interval

TAXONOMY = """
tags:
  - id: learning
    name: Learning
    description: parent
    rules: [{phrase: learning paradigm}]
  - id: ssl
    name: SSL
    description: self-supervised
    parent: learning
    rules:
      - {phrase: self-supervised}
      - {phrase: DINO, implies: [distill]}
  - id: semi
    name: Semi
    description: semi-supervised
    rules:
      - {phrase: self-training, excludes: [ssl]}
  - id: distill
    name: Distillation
    description: distillation
    rules: [{phrase: distillation}]
"""


@pytest.fixture(scope="module")
def taxonomy():
    return parse_taxonomy(TAXONOMY, "t.yaml")


def labels_for(taxonomy, abstracts):
    votes = RuleSet(taxonomy).apply(["T"] * len(abstracts), abstracts)
    return votes, pd.DataFrame(weak_labels(taxonomy, votes), columns=taxonomy.tag_ids)


def test_parent_implies_and_excludes(taxonomy):
    _, labels = labels_for(taxonomy, [
        "We study self-supervised features.",
        "We study DINO features.",
        "We study self-supervised features with self-training.",
    ])
    assert labels.to_dict("records") == [
        {"learning": 1, "ssl": 1, "semi": 0, "distill": 0},
        {"learning": 1, "ssl": 1, "semi": 0, "distill": 1},
        {"learning": 0, "ssl": 0, "semi": 1, "distill": 0},
    ]


def test_wilson_interval_matches_known_values():
    low, high = wilson_interval(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.490, 0.943)
    assert all(np.isnan(wilson_interval(0, 0)))


def test_rule_summary_with_gold(taxonomy):
    votes, _ = labels_for(taxonomy, [
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
