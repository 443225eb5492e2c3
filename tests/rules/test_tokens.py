"""Tests of taxotag.rules.tokens."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taxotag.rules.tokens import SUSPENDED_LIST, suspended_lists
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


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["self", "semi", "Über", "2d", "-", ", ", "-, ", "- ", " and ", " or ", " AND ", "&",
                                 "/", " ", "\n", "\t", ".", "(", ")", ";", "_", "x-", "y- and z-w"]), max_size=30))
def test_suspended_lists_finds_what_the_whole_text_search_finds(parts):
    text = "".join(parts)
    assert [m.span() for m in suspended_lists(text)] == [m.span() for m in SUSPENDED_LIST.finditer(text)]
