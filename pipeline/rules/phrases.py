"""Phrase rules as a table of token sequences: every run of a document's tokens that spells a
variant of a phrase is a match, as spaCy's PhraseMatcher finds them (on LOWER, or ORTH for a
case-sensitive rule), but looked up in a dict, with no spaCy Doc to build."""

from __future__ import annotations


class PhraseIndex:
    """The token sequences of the phrase rules, each with the rules it belongs to."""

    def __init__(self):
        self._lowercase: dict[tuple[str, ...], list[int]] = {}  # rules matched in any case
        self._exact: dict[tuple[str, ...], list[int]] = {}  # case-sensitive rules
        self._first_words: set[str] = set()  # (lowercase) the words a sequence can start with
        self._lengths: list[int] = []

    def __len__(self) -> int:
        return len(self._lowercase) + len(self._exact)

    def add(self, rule: int, variants: list[list[str]], case_sensitive: bool) -> None:
        """A rule's phrase variants (token lists, as pipeline.taxonomy.language.phrase_variants gives them)."""
        table = self._exact if case_sensitive else self._lowercase
        for variant in variants:
            if not variant:
                continue
            key = tuple(variant if case_sensitive else (word.lower() for word in variant))
            rules = table.setdefault(key, [])
            if rule not in rules:
                rules.append(rule)
            self._first_words.add(variant[0].lower())
            if len(variant) not in self._lengths:
                self._lengths.append(len(variant))

    def find(self, words: list[str]):
        """(rule, first token, end token) for every run of `words` that is one of the sequences,
        overlapping runs included."""
        lowered = [word.lower() for word in words]
        first_words, lengths = self._first_words, self._lengths
        for start, word in enumerate(lowered):
            if word not in first_words:
                continue
            for length in lengths:
                end = start + length
                if end > len(words):
                    continue
                for rule in self._lowercase.get(tuple(lowered[start:end]), ()):
                    yield rule, start, end
                if self._exact:
                    for rule in self._exact.get(tuple(words[start:end]), ()):
                        yield rule, start, end
