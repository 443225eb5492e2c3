"""Tests of taxotag.rules.prefilter."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from taxotag.rules.matching import RuleSet
from taxotag.rules.prefilter import phrase_key
from taxotag.rules.votes import ABSTAIN, FIRED
from taxotag.taxonomy.loading import parse_taxonomy
from tests.conftest import vote


def test_prefilters_never_change_the_votes(taxonomy):
    """Only the parts of documents where a phrase or pattern rule could match are tokenized, and
    only the regexes that an RE2 Set scan finds are run; the votes must be exactly those of
    tokenizing everything and running every regex."""
    import pandas as pd

    from tests.conftest import ROOT

    gold = pd.concat([pd.read_csv(ROOT / "data" / name) for name in ("arxiv_dev_gold.csv", "seed_gold.csv")])
    fast = RuleSet(taxonomy)
    slow = RuleSet(taxonomy)
    slow._tokenize_all = True
    assert fast._regex_set is not None and len(fast._regex_list) > 1
    slow._regex_set = None
    titles, abstracts = gold["title"].tolist(), gold["abstract"].tolist()
    fast_votes, slow_votes = fast.apply(titles, abstracts), slow.apply(titles, abstracts)
    assert (fast_votes.matrix == slow_votes.matrix).all()
    assert fast_votes.mentions == slow_votes.mentions
    tokenized = [fast.token_windows(text, text.lower()) for text in abstracts]
    assert 0 < sum(map(bool, tokenized)) < len(abstracts)
    assert sum(end - start for windows in tokenized for start, end in windows) < sum(map(len, abstracts)) / 2


def test_windows_find_plural_ies_and_overlapping_phrases(small_rules):
    """The pre-filter finds "strategies" for "strategy", and both of two phrases starting at the
    same word ("self-supervised" and "self-supervised learning")."""
    votes, mentions = vote(small_rules, "Two pretext strategies help. We use self-supervised learning here.")
    assert votes["ssl_strategy"] == FIRED and votes["ssl_phrase"] == FIRED and votes["ssl_short"] == FIRED
    assert "'self-supervised learning' (body)" in [m.describe() for m in mentions]


def test_windows_give_the_votes_of_tokenizing_everything_with_token_patterns(small_rules):
    texts = ["Knowledge distillation, and again knowledge transfer, " + "filler words " * 30 +
             "then knowledge distillation once more.", "Self-supervised learning; knowledge  transfer."]
    everything = RuleSet(small_rules.taxonomy)
    everything._tokenize_all = True
    fast, slow = small_rules.apply(["T"] * 2, texts), everything.apply(["T"] * 2, texts)
    assert (fast.matrix == slow.matrix).all() and fast.mentions == slow.mentions
    assert fast.matrix[0, fast.rule_ids.index("kd")] == FIRED


def test_regexes_too_big_for_one_set_still_vote():
    """Two regex rules that each compile, but not together in one RE2 Set within the memory
    limit: each scans on its own, with the same votes."""
    names = [f"model{i}x{i * 7919 % 100003}" for i in range(20000)]
    half = len(names) // 2
    text = (f"tags:\n  - id: a\n    name: A\n    description: a\n    rules:\n"
            f"      - {{id: first, regex: '\\b({'|'.join(names[:half])})\\b'}}\n"
            f"      - {{id: second, regex: '\\b({'|'.join(names[half:])})\\b'}}\n")
    small_rules = RuleSet(parse_taxonomy(text, "big.yaml"))
    assert small_rules._regex_set is None and len(small_rules._regex_list) == 2
    votes = small_rules.apply(["T", "T", "T"], [f"We use {names[3]}.", f"We use {names[-2]}.", "Nothing here."])
    rows = [dict(zip(votes.rule_ids, row)) for row in votes.matrix]
    assert rows == [{"first": FIRED, "second": ABSTAIN}, {"first": ABSTAIN, "second": FIRED},
                    {"first": ABSTAIN, "second": ABSTAIN}]


def test_one_scan_of_joined_texts_marks_every_text_a_match_touches():
    import re

    from taxotag.rules.prefilter import scan_hits

    texts = ["no match here", "a key at the end: key", "key", "", "nothing", "split ke", "y next"]
    scans = [lambda joined: [m.span() for m in re.finditer(r"(?:^|[^a-z])key", joined)],
             lambda joined: [m.span() for m in re.finditer(r"ke\ny", joined)]]
    keys, across = scan_hits(texts, scans)
    hit = keys | across
    assert hit.tolist() == [False, True, True, False, False, True, True]  # (a match at a start takes the newline before)
    assert across.tolist() == [False] * 5 + [True, True]  # (each scan's own findings)
    assert scan_hits(texts, []) == []


PATTERNS = [r"\bkey\w*", r"a*", r"(?:^|[^a-z0-9])ke[\s-]*y", r"\b", r"x|", r"[^.;]{0,5}\bk", r"(k)(e)?"]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ke y-a.x;\n", max_size=40), pattern=st.sampled_from(PATTERNS),
       pos=st.integers(-2, 45), case_sensitive=st.booleans())
def test_match_spans_are_those_of_the_re2_wrapper(text, pattern, pos, case_sensitive):
    """match_spans and first_span give the spans of the wrapper's finditer and search, also for
    patterns that match the empty string (where finditer steps on one character) and any pos."""
    from taxotag.rules.prefilter import first_span, match_spans
    from taxotag.taxonomy.language import compile_regex

    regex = compile_regex(pattern, case_sensitive)
    subject = text.encode("ascii")
    assert match_spans(regex, subject, pos) == [m.span() for m in regex.finditer(subject, pos)]
    found = regex.search(subject, pos)
    assert first_span(regex, subject, pos) == (found.span() if found else None)
    assert match_spans(regex, text, pos) == [m.span() for m in regex.finditer(text, pos)]  # (str: the wrapper's)


KEYS = "|".join(sorted({phrase_key(phrase) for phrase in ("self supervised", "self", "ssl", "(ssl)", "key", "-key")}))


@settings(max_examples=400, deadline=None)
@given(texts=st.lists(st.text(alphabet="self supervised-()k y\n", max_size=30), min_size=1, max_size=5))
@example(texts=["x", "(ssl) y"])  # (two joined matches at the second text's start, one of its own)
@example(texts=["self", "supervised"])  # (a match across texts)
def test_one_scan_of_joined_texts_finds_each_texts_key_hits(texts):
    """The chunk's pre-filter scan, split by text, gives each text the hits its own scan gives
    (or None, when a hit runs into the next text: its own scan is then made)."""
    from taxotag.rules.prefilter import key_spans, spans_by_text
    from taxotag.taxonomy.language import compile_regex

    regex = compile_regex(KEYS, case_sensitive=True, longest_match=True)
    by_text = spans_by_text(key_spans(regex, "\n".join(texts).encode("ascii")), [len(text) for text in texts])
    for text, hits in zip(texts, by_text):
        if hits is not None:
            assert hits == key_spans(regex, text.encode("ascii"))


def test_a_key_hit_across_two_joined_texts_leaves_the_first_to_its_own_scan():
    from taxotag.rules.prefilter import key_spans, spans_by_text
    from taxotag.taxonomy.language import compile_regex

    regex = compile_regex(KEYS, case_sensitive=True, longest_match=True)
    texts = ["we use self", "supervised ssl"]
    assert spans_by_text(key_spans(regex, "\n".join(texts).encode("ascii")), [11, 14]) == [None, [(10, 14)]]
