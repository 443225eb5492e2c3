"""Tests of taxotag.rules.tokens."""

import pytest

from taxotag.rules.votes import ABSTAIN, FIRED, PASSING
from tests.conftest import vote


@pytest.mark.parametrize("text, span", [
    ("We compare self- and semi-supervised learning on birds.", "self- and semi-supervised learning"),
    ("We compare Self-, semi- and weakly-supervised learning.", "Self-, semi- and weakly-supervised learning"),
    ("We compare self- or human-supervised learnings.", "self- or human-supervised learnings"),
])
def test_a_suspended_compound_is_read_whole(small_rules, text, span):
    """"self- and semi-supervised learning" is "self-supervised learning and semi-supervised learning"."""
    votes, mentions = vote(small_rules, text)
    assert votes["ssl_phrase"] == FIRED
    assert [m.text for m in mentions if m.rule == 0] == [span]
    assert vote(small_rules, f"Unlike {span}, we use labels.")[0]["ssl_phrase"] == PASSING


def test_only_a_list_makes_a_compound_suspended(small_rules):
    assert vote(small_rules, "We use self- and cross-attention learning.")[0]["ssl_phrase"] == ABSTAIN
    assert vote(small_rules, "We use self- supervised learning.")[0]["ssl_phrase"] == FIRED  # (a broken line's hyphen)
    votes = small_rules.apply(["Models trained by self-"], ["and semi-supervised learning."])
    assert votes.matrix[0, votes.rule_ids.index("ssl_phrase")] == ABSTAIN  # (not across the title's end)
