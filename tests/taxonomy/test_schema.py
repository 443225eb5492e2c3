"""Tests of taxotag.taxonomy.schema."""

from taxotag.taxonomy.loading import parse_taxonomy
from tests.conftest import MINIMAL_TAXONOMY, problems_of


def test_default_taxonomy_has_the_six_core_tags(taxonomy):
    assert taxonomy.tag_ids[:6] == ["self_supervised", "semi_supervised", "weakly_supervised",
                                    "weak_to_strong", "distillation", "clip_style"]


def test_rule_needs_exactly_one_kind():
    text = MINIMAL_TAXONOMY.replace("{phrase: active learning}", "{phrase: a, regex: b}")
    (problem,) = problems_of(text)
    assert "tag 'active_learning', rule 1" in problem
    assert "exactly one of phrase, regex, pattern or concept (found: phrase, regex)" in problem


def test_fingerprint_changes_only_for_the_edited_tag(taxonomy):
    from pathlib import Path

    text = Path(taxonomy.path).read_text()
    edited = parse_taxonomy(text.replace("weak supervisors]", "weak supervisors, weak mentor]"), "edited.yaml")
    before, after = taxonomy.tag_fingerprints(), edited.tag_fingerprints()
    assert [tag for tag in before if before[tag] != after[tag]] == ["weak_to_strong"]
    assert taxonomy.fingerprint() != edited.fingerprint()


def test_policy_edit_does_not_make_the_model_stale(taxonomy):
    from pathlib import Path

    text = Path(taxonomy.path).read_text().replace("model_adds: with_strong_mention", "model_adds: never")
    edited = parse_taxonomy(text, "edited.yaml")
    assert edited.policy.model_adds == "never"
    assert taxonomy.fingerprint() != edited.fingerprint()
    assert taxonomy.training_fingerprint() == edited.training_fingerprint()


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


def test_within_needs_a_concept():
    text = MINIMAL_TAXONOMY.replace("{phrase: active learning}", "{phrase: active learning, within: 3}")
    (problem,) = problems_of(text)
    assert "`within` (how many words a concept's terms may span) needs a `concept`" in problem
