"""Tests of taxotag.taxonomy.loading."""

from tests.conftest import MINIMAL_TAXONOMY, problems_of


def test_minimal_tag_with_one_phrase_is_valid(minimal_taxonomy):
    assert minimal_taxonomy.tag_ids == ["active_learning"]
    assert minimal_taxonomy.tags[0].rules[0].phrases == ["active learning"]
    assert minimal_taxonomy.rule_id(0, 0) == "active_learning.1"


def test_unknown_key_names_tag_rule_and_line():
    text = MINIMAL_TAXONOMY.replace("rules: [{phrase: active learning}]",
                                    "rules:\n      - phrase: active learning\n        wieght: 2")
    assert problems_of(text) == ["line 8: tag 'active_learning', rule 1: tags.0.rules.0.wieght: unknown key 'wieght'"]


def test_rules_sharing_a_bad_value_through_an_anchor_are_each_named_by_id_and_line():
    text = """
tags:
  - id: a
    name: A
    description: first
    rules:
      - id: central
        regex: &names '(unclosed'
      - id: body
        regex: *names
        weight: 0.5
      - id: weightless
        phrase: x
        wieght: 2
"""
    problems = problems_of(text)
    assert any(p.startswith("line 8: tag 'a', rule 1 'central' (regex '(unclosed'): invalid regex") for p in problems)
    assert any(p.startswith("line 10: tag 'a', rule 2 'body' (regex '(unclosed'): invalid regex") for p in problems)
    assert "line 14: tag 'a', rule 3 'weightless': tags.0.rules.2.wieght: unknown key 'wieght'" in problems


def test_every_problem_is_reported_at_once():
    text = """
tags:
  - id: a
    name: A
    description: first
    rules:
      - regex: '(unclosed'
      - pattern: [{POS: NOUN}]
  - id: a
    name: A again
    description: duplicate
    parent: nowhere
    rules: [{phrase: x, implies: [ghost]}]
"""
    problems = problems_of(text)
    assert any(p.startswith("line 7: tag 'a', rule 1 (regex '(unclosed'): invalid regex: missing )") for p in problems)
    assert any(p.startswith("line 8: tag 'a', rule 2") and "POS needs a trained spaCy pipeline" in p for p in problems)
    assert "line 9: tag 'a': duplicate tag id (first defined at line 3)" in problems
    assert "line 12: tag 'a': parent names unknown tag 'nowhere'" in problems
    assert any("implies names unknown tag 'ghost'" in p for p in problems)


def test_structural_and_rule_problems_are_reported_together():
    text = """tags:
  - id: a
    name: A
    description: x
    rules: []
  - id: b
    name: B
    description: y
    rules:
      - pattern: [{FOO: x}]
      - regex: 'a(?=b)'
"""
    assert problems_of(text) == [
        "line 5: tag 'a': tags.0.rules: must not be empty",
        "line 10: tag 'b', rule 1 (pattern [{\"FOO\": \"x\"}]): invalid token pattern: "
        "- [pattern -> 0 -> FOO] Extra inputs are not permitted",
        "line 11: tag 'b', rule 2 (regex 'a(?=b)'): invalid regex: invalid perl operator: (?=",
    ]
