import pytest

from taxotag.errors import TaxonomyError
from taxotag.taxonomy import parse_taxonomy
from tests.conftest import MINIMAL_TAXONOMY


def problems_of(text):
    with pytest.raises(TaxonomyError) as info:
        parse_taxonomy(text, "t.yaml")
    return info.value.problems


def test_minimal_tag_with_one_phrase_is_valid(minimal_taxonomy):
    assert minimal_taxonomy.tag_ids == ["active_learning"]
    assert minimal_taxonomy.tags[0].rules[0].phrases == ["active learning"]
    assert minimal_taxonomy.rule_id(0, 0) == "active_learning.1"


def test_default_taxonomy_has_the_six_core_tags(taxonomy):
    assert taxonomy.tag_ids[:6] == ["self_supervised", "semi_supervised", "weakly_supervised",
                                    "weak_to_strong", "distillation", "clip_style"]


def test_unknown_key_names_tag_rule_and_line():
    text = MINIMAL_TAXONOMY.replace("rules: [{phrase: active learning}]",
                                    "rules:\n      - phrase: active learning\n        wieght: 2")
    assert problems_of(text) == ["line 8: tag 'active_learning', rule 1: tags.0.rules.0.wieght: unknown key 'wieght'"]


def test_rule_needs_exactly_one_kind():
    text = MINIMAL_TAXONOMY.replace("{phrase: active learning}", "{phrase: a, regex: b}")
    (problem,) = problems_of(text)
    assert "tag 'active_learning', rule 1" in problem
    assert "exactly one of phrase, regex, pattern or concept (found: phrase, regex)" in problem


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


def test_yaml_syntax_error_reports_line_and_column():
    with pytest.raises(TaxonomyError, match=r"line 3, column \d+: YAML syntax error"):
        parse_taxonomy("tags:\n  - id: a\n    name: a: b\n", "t.yaml")


def test_key_given_twice_is_an_error_not_a_silent_override():
    text = MINIMAL_TAXONOMY + "    name: Another name\n"
    assert problems_of(text) == ["line 7: duplicate key 'name' (first on line 4)"]


def test_alias_bomb_is_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("tags: *a8")
    with pytest.raises(TaxonomyError, match="alias bomb"):
        parse_taxonomy("\n".join(lines), "bomb.yaml")


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


def test_relation_to_unknown_tag_is_named():
    text = MINIMAL_TAXONOMY + "    excludes: [nobody]\n"
    assert problems_of(text) == ["line 7: tag 'active_learning': excludes names unknown tag 'nobody'"]


def test_fingerprint_changes_only_for_the_edited_tag(taxonomy):
    from pathlib import Path

    text = Path(taxonomy.path).read_text()
    edited = parse_taxonomy(text.replace("weak supervisors]", "weak supervisors, weak mentor]"), "edited.yaml")
    before, after = taxonomy.tag_fingerprints(), edited.tag_fingerprints()
    assert [tag for tag in before if before[tag] != after[tag]] == ["weak_to_strong"]
    assert taxonomy.fingerprint() != edited.fingerprint()


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


def test_policy_edit_does_not_make_the_model_stale(taxonomy):
    from pathlib import Path

    text = Path(taxonomy.path).read_text().replace("model_adds: with_strong_mention", "model_adds: never")
    edited = parse_taxonomy(text, "edited.yaml")
    assert edited.policy.model_adds == "never"
    assert taxonomy.fingerprint() != edited.fingerprint()
    assert taxonomy.training_fingerprint() == edited.training_fingerprint()


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


def test_context_cues_without_a_word_are_refused():
    text = """
context:
  trailing_cues: [baselines, '-']
tags:
  - id: a
    name: A
    description: first
    rules: [{phrase: x}]
"""
    assert problems_of(text) == ["line 3: context.trailing_cues: every cue needs a word, found '-'"]


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


def test_within_needs_a_concept():
    text = MINIMAL_TAXONOMY.replace("{phrase: active learning}", "{phrase: active learning, within: 3}")
    (problem,) = problems_of(text)
    assert "`within` (how many words a concept's terms may span) needs a `concept`" in problem
