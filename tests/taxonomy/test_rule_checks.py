"""Tests of taxotag.taxonomy.rule_checks."""

from taxotag.taxonomy.loading import parse_taxonomy
from tests.conftest import MINIMAL_TAXONOMY, problems_of


def test_pattern_with_capitals_in_lower_can_never_match():
    text = MINIMAL_TAXONOMY.replace("{phrase: active learning}", "{pattern: [{LOWER: Active}]}")
    assert any("has capitals and can never match" in p for p in problems_of(text))


def test_regex_matching_empty_string_is_refused():
    text = MINIMAL_TAXONOMY.replace("{phrase: active learning}", "{regex: 'a*'}")
    assert any("matches the empty string" in p for p in problems_of(text))


def test_typography_is_read_plain_in_phrases_and_cues_and_refused_in_a_regex():
    text = MINIMAL_TAXONOMY.replace("{phrase: active learning}",
                                    "{phrase: 'active\u2010learning', unless: ['\ufb01xed pool']}")
    text += "context:\n  trailing_cues: ['base\u00adlines']\n"
    taxonomy = parse_taxonomy(text, "t.yaml")
    rule = taxonomy.tags[0].rules[0]
    assert (rule.phrases, rule.unless, taxonomy.context.trailing_cues) == (["active-learning"], ["fixed pool"],
                                                                           ["baselines"])
    text = MINIMAL_TAXONOMY.replace("{phrase: active learning}", "{regex: 'active\u2013learning'}")
    assert problems_of(text) == ["line 6: tag 'active_learning', rule 1 (regex 'active\u2013learning'): regex has "
                                 "U+2013 ('\u2013'), which rules read in plain typography ('-'); write that instead"]


def test_rules_that_could_never_count_are_refused_at_the_line_of_the_key():
    text = """
tags:
  - id: a
    name: A
    description: first
    rules:
      - phrase: x
        weight: 0
      - phrase: y
        excludes: [a]
      - phrase: z
        unless: [pseudo-labels, ' - ']
      - phrase: []
"""
    assert problems_of(text) == [
        "line 8: tag 'a', rule 1: tags.0.rules.0.weight: Input should be greater than 0",
        "line 10: tag 'a', rule 2 (phrase 'y'): excludes names the rule's own tag",
        "line 12: tag 'a', rule 3 (phrase 'z'): unless phrase ' - ' has no words",
        "line 13: tag 'a', rule 4 (phrase []): the phrase list is empty, so the rule can never match",
    ]


def test_a_concept_that_can_never_match_is_named_with_its_tag_rule_and_line():
    text = MINIMAL_TAXONOMY.replace(
        "rules: [{phrase: active learning}]",
        "rules:\n      - {id: broken, concept: [[image], [], ['-', 'al*gn', 'a*']]}\n      - {id: single, concept: [[image]]}")
    problems = problems_of(text)
    assert all("tag 'active_learning'" in problem for problem in problems)
    assert any("rule 1 'broken'" in p and "group 2 is empty, so the concept can never match" in p for p in problems)
    assert any("group 3: term '-' has no words, so it can never match" in p for p in problems)
    assert any("group 3: term 'al*gn' has a `*` before its end" in p for p in problems)
    assert any("group 3: term 'a*' needs 3 or more letters before its `*`" in p for p in problems)
    assert any("rule 2 'single'" in p and "a concept needs two or more groups" in p for p in problems)
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "broken" in row)
    assert any(p.startswith(f"line {line}:") for p in problems)
