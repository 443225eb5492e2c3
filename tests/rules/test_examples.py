"""Tests of taxotag.rules.examples."""

import pandas as pd
import pytest

from taxotag.errors import TaxotagError
from taxotag.rules.examples import rule_examples, rule_index

DOCUMENTS = pd.DataFrame({
    "id": ["d0", "d1", "d2", "d3"],
    "title": ["Self-supervised learning for speech", "A pretext strategy", "Nothing here", "A paper"],
    "abstract": ["We study self-supervised learning at scale.", "We use a pretext task for images.",
                 "A survey of optimisers.", "In passing, unlike self-supervised learning, we label."],
})


def test_an_unknown_rule_is_an_error_that_lists_the_rules():
    with pytest.raises(TaxotagError, match="no rule 'nope'; the rules are: a, b"):
        rule_index(["a", "b"], "nope")
    assert rule_index(["a", "b"], "b") == 1


def test_examples_show_where_the_rule_fired_or_only_matched_in_context_and_its_wrong_firings_on_gold(small_rules):
    votes = small_rules.apply(DOCUMENTS["title"].tolist(), DOCUMENTS["abstract"].tolist())
    gold = DOCUMENTS.assign(ssl=[0, 0, 0, 0], clip=0, distill=0)  # (d0 labelled against the rule)
    lines = rule_examples(votes, DOCUMENTS, "ssl_phrase", count=5, gold=(votes, gold)).splitlines()
    assert lines[0] == ("rule ssl_phrase (tag ssl, phrase 'self-supervised learning'): fired in 1 of 4 corpus "
                        "abstracts; matched without firing in 1")
    fired = lines.index("fired (1 of 1):")
    assert lines[fired + 1:fired + 4] == [
        "  d0  Self-supervised learning for speech",
        "    title: ...[Self-supervised learning] for speech We study self-supervised learning at scale....",
        "    claim: ...Self-supervised learning for speech We study [self-supervised learning] at scale...."]
    passing = lines.index("matched, did not fire (1 of 1):")
    assert lines[passing + 1] == "  d3  A paper"
    assert lines[passing + 2].startswith("    body, passing: after 'unlike': ...")
    wrong = lines.index("fired on gold documents not labelled ssl (1 of 1):")
    assert lines[wrong + 1] == "  d0  Self-supervised learning for speech"
    assert not any("d2" in line for line in lines)  # (it matched nothing)


def test_examples_are_spread_over_the_corpus_and_capped(small_rules):
    many = pd.DataFrame({"id": [f"p{i}" for i in range(20)], "title": ["T"] * 20,
                         "abstract": ["We apply self-supervised learning."] * 20})
    votes = small_rules.apply(many["title"].tolist(), many["abstract"].tolist())
    text = rule_examples(votes, many, "ssl_phrase", count=3)
    assert "fired (3 of 20):" in text
    shown = [line.split()[0] for line in text.splitlines() if line.startswith("  p")]
    assert shown == ["p0", "p10", "p19"]
