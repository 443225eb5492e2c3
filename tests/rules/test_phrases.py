"""Tests of taxotag.rules.phrases: the phrase table finds what spaCy's PhraseMatcher finds."""

import pytest
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from taxotag.rules.phrases import PhraseIndex
from taxotag.rules.tokens import tokenize
from taxotag.taxonomy.language import phrase_variants
from taxotag.taxonomy.token_patterns import english_vocab

PHRASES = {0: (["self-supervised", "self-supervised learning"], False), 1: (["aa aa"], False),
           2: (["supervised"], False), 3: (["CLIP"], True)}


def spacy_matches(text: str) -> set[tuple[int, int, int]]:
    vocab = english_vocab()
    lower, exact = PhraseMatcher(vocab, attr="LOWER"), PhraseMatcher(vocab, attr="ORTH")
    for rule, (phrases, case_sensitive) in PHRASES.items():
        docs = [Doc(vocab, words=[w if case_sensitive else w.lower() for w in variant])
                for phrase in phrases for variant in phrase_variants(phrase)]
        (exact if case_sensitive else lower).add(str(rule), docs)
    tokens = tokenize(text)
    doc = Doc(vocab, words=tokens.words, spaces=tokens.spaces)
    return {(int(vocab.strings[key]), start, end) for matcher in (lower, exact) for key, start, end in matcher(doc)}


@pytest.mark.parametrize("text", [
    "Self-Supervised LEARNING of aa aa AA, self supervised learnings and selfsupervised ones.",
    "CLIP, clip and Clip; semi-supervised and supervised.",
    "",
])
def test_the_table_finds_every_match_spacy_finds_overlapping_ones_included(text):
    index = PhraseIndex()
    for rule, (phrases, case_sensitive) in PHRASES.items():
        index.add(rule, [variant for phrase in phrases for variant in phrase_variants(phrase)], case_sensitive)
    found = set(index.find(tokenize(text).words))
    assert found == spacy_matches(text)
    if text.startswith("Self"):
        assert {(1, 5, 7), (1, 6, 8), (0, 0, 3), (0, 0, 4)} <= found  # overlapping matches, each found


def test_a_case_sensitive_phrase_matches_its_own_case_only():
    index = PhraseIndex()
    index.add(3, [["CLIP"]], case_sensitive=True)
    assert list(index.find(["clip", "CLIP", "Clip"])) == [(3, 1, 2)]
    assert len(index) == 1
