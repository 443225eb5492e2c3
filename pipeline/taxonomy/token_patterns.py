"""Token pattern rules, the rules that spaCy's Matcher runs: its English vocabulary and the
matcher itself. The only module that imports spaCy, and loaded only when a taxonomy has such a
rule (importing spaCy takes half a second of every start-up)."""

from __future__ import annotations

import functools

from spacy.lang.en import English
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab, create_vocab


@functools.lru_cache(maxsize=1)
def english_vocab() -> Vocab:
    """The vocabulary of spaCy's blank English pipeline (its lexical attributes; no model
    download), made as `spacy.blank("en")` makes it but without building the tokenizer, which
    rules never use (pipeline.rules.tokens tokenizes) and which takes a tenth of a second."""
    return create_vocab("en", English.Defaults)


def pattern_matcher() -> Matcher:
    """A Matcher that checks each pattern added to it against spaCy's schema."""
    return Matcher(english_vocab(), validate=True)


class TokenPatterns:
    """Token pattern rules compiled into one Matcher, run on runs of tokens (pipeline.rules.tokens.Tokens)."""

    def __init__(self):
        self._matcher = pattern_matcher()

    def __len__(self) -> int:
        return len(self._matcher)

    def add(self, rule: int, pattern: list[dict]) -> None:
        self._matcher.add(str(rule), [pattern])

    def find(self, words: list[str], spaces: list[bool]):
        """(rule, first token, end token) for every match in the tokens."""
        vocab = self._matcher.vocab
        for match_id, start, end in self._matcher(Doc(vocab, words=words, spaces=spaces)):
            yield int(vocab.strings[match_id]), start, end
