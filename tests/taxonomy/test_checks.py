"""Tests of taxotag.taxonomy.checks."""

from tests.conftest import MINIMAL_TAXONOMY, problems_of


def test_relation_to_unknown_tag_is_named():
    text = MINIMAL_TAXONOMY + "    excludes: [nobody]\n"
    assert problems_of(text) == ["line 7: tag 'active_learning': excludes names unknown tag 'nobody'"]


def test_a_min_score_that_the_rules_can_never_reach_is_refused():
    text = """
tags:
  - id: a
    name: A
    description: first
    min_score: 2
    rules:
      - {phrase: x}
      - {phrase: y, weight: 0.5}
  - id: b
    name: B
    description: second
    min_score: 1.5
    rules:
      - {phrase: z}
  - id: c
    name: C
    description: third
    rules:
      - {phrase: w, implies: [b], weight: 0.5}
      - {phrase: v, weight: 0.25}
"""
    assert problems_of(text) == [  # (b reaches 1.5 with c's implying rule)
        "line 6: tag 'a': min_score 2 is more than its rules' weights add up to (1.5), so the rules can never give it",
        "line 16: tag 'c': min_score 1 (the default) is more than its rules' weights add up to (0.75), so the rules "
        "can never give it"]
