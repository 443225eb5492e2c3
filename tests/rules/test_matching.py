"""Tests of taxotag.rules.matching."""

import pytest

from taxotag.rules.matching import RuleSet
from taxotag.rules.votes import ABSTAIN, FIRED, PASSING
from taxotag.taxonomy.loading import parse_taxonomy
from tests.conftest import vote


@pytest.mark.parametrize("text", [
    "We study self-supervised learning for images.",
    "We study self supervised learning for images.",
    "We study Selfsupervised Learning for images.",
    "We study SELF-SUPERVISED LEARNINGS for images.",
])
def test_phrases_match_case_hyphen_spacing_and_plural_variants(small_rules, text):
    assert vote(small_rules, text)[0]["ssl_phrase"] == FIRED


def test_a_phrase_broken_across_lines_fires(small_rules):
    votes, mentions = vote(small_rules, "We show that self-super-\nvised\nlearning helps.")
    assert votes["ssl_phrase"] == FIRED
    assert [m.describe() for m in mentions if m.rule == 0] == ["'self-supervised learning' (body)"]


@pytest.mark.parametrize("text, reason", [
    ("Unlike self-supervised learning, our detector uses full labels.", "after 'unlike'"),
    ("We compare with prior work on self-supervised learning and win.", "after 'prior work'"),
    ("Our approach is self-supervised learning-free and simple.", "'-free' suffix"),
    ("Our detector beats self-supervised learning baselines.", "before 'baselines'"),
    ("Our detector beats self-supervised learning-based strong baselines.", "before 'baselines'"),
    # the cue window counts words, a hyphenated compound as one: 6 words back, not 12 tokens
    ("Compared with state-of-the-art zero-shot and few-shot self-supervised learning, we win.",
     "after 'compared with'"),
])
def test_passing_mentions_do_not_fire(small_rules, text, reason):
    votes, mentions = vote(small_rules, text)
    assert votes["ssl_phrase"] == PASSING
    assert mentions[0].passing == reason


def test_where_title_or_claim_needs_a_claim_sentence(small_rules):
    background = "Many methods rely on a pretext task. Results are good."
    claimed = "Results are good. In this paper we propose a new pretext task."
    assert vote(small_rules, background)[0]["ssl_claim"] == PASSING
    assert vote(small_rules, claimed)[0]["ssl_claim"] == FIRED
    assert vote(small_rules, "Results are good.", title="A pretext task for video")[0]["ssl_claim"] == FIRED


def test_regex_case_sensitivity_and_unless(small_rules):
    assert vote(small_rules, "We adapt CLIP to remote sensing.")[0]["clip_name"] == FIRED
    assert vote(small_rules, "We film a video clip of cats.")[0]["clip_name"] == ABSTAIN
    votes, mentions = vote(small_rules, "We report the CLIP score of generated images.")
    assert votes["clip_name"] == PASSING and mentions[0].passing == "unless 'clip score'"
    votes, mentions = vote(small_rules, "We report CLIP-scores of generated images.")  # plural, hyphenated
    assert votes["clip_name"] == PASSING and mentions[0].passing == "unless 'clip-scores'"


def test_token_pattern_and_min_count(small_rules):
    once = "We use knowledge distillation."
    twice = "We use knowledge distillation. Knowledge transfer helps small models."
    assert vote(small_rules, once)[0]["kd"] == PASSING
    assert vote(small_rules, twice)[0]["kd"] == FIRED


def test_min_count_anywhere_overrides_where(small_rules):
    once = "Results are good. A masked autoencoder helps."
    twice = "A masked autoencoder helps. Another masked autoencoder helps more."
    assert vote(small_rules, once)[0]["ssl_twice"] == PASSING
    assert vote(small_rules, twice)[0]["ssl_twice"] == FIRED


def test_rules_sharing_a_regex_each_vote_by_their_own_settings():
    """Rules with the same regex are matched in one pass; each still gets its own votes."""
    taxonomy = parse_taxonomy("""
tags:
  - id: clip
    name: CLIP
    description: clip
    rules:
      - {id: in_title, regex: '\\bCLIP\\b', case_sensitive: true, where: title}
      - {id: anywhere, regex: '\\bCLIP\\b', case_sensitive: true}
      - {id: any_case, regex: '\\bCLIP\\b'}
""", "t.yaml")
    small_rules = RuleSet(taxonomy)
    votes = small_rules.apply(["A paper", "CLIP for maps"], ["We adapt CLIP and a clip.", "We adapt it."])
    rows = [dict(zip(votes.rule_ids, row)) for row in votes.matrix]
    assert rows[0] == {"in_title": PASSING, "anywhere": FIRED, "any_case": FIRED}
    assert rows[1] == {"in_title": FIRED, "anywhere": FIRED, "any_case": FIRED}
    assert sorted(votes.rule_ids[m.rule] for m in votes.mentions[0]) == ["any_case", "any_case", "anywhere", "in_title"]
