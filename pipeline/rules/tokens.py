"""The parts of a document that phrase and pattern rules read, as tokens with their offsets:
windows around the places a rule could match, and suspended compounds ("self- and
semi-supervised") read whole."""

from __future__ import annotations

import re
from typing import NamedTuple

from ..taxonomy.language import TOKEN


class Tokens(NamedTuple):
    """A run of tokens of a text: each one's text, whether a space follows it, and its start and
    end offset in the text."""

    words: list[str]
    spaces: list[bool]
    starts: list[int]
    ends: list[int]


def tokenize(text: str, start: int = 0, end: int | None = None) -> Tokens:
    """The TOKEN tokens of `text[start:end]`.

    For the words, hyphens and brackets that rules match on this gives the same tokens as spaCy's
    English tokenizer ("self-supervised" -> self, -, supervised) at several times its speed on
    abstracts; it differs on what rules do not match: "e.g." or "3.5" become several tokens.
    """
    starts, ends, words = [], [], []
    for match in TOKEN.finditer(text, start, len(text) if end is None else end):
        starts.append(match.start())
        ends.append(match.end())
        words.append(match.group())
    spaces = [following > end for end, following in zip(ends, starts[1:])] + [False] * bool(words)
    return Tokens(words, spaces, starts, ends)


SUSPENDED_LIST = re.compile(
    r"(?<![\w-])(?:[^\W_]+-[ \t]*,[ \t]*)*[^\W_]+-,?\s+(?i:and/or|and|or|nor|&)\s+[^\W_]+-(?=[^\W_])")
"""A list of compounds whose first parts share the last one's head: "self- and semi-supervised",
"self-, semi- and weakly-supervised" (the match ends where "supervised" starts)."""


SUSPENDED_CUE = re.compile(r"-,?\s+(?i:and/or|and|or|nor|&)\s")
"""What every SUSPENDED_LIST holds (searched first: a literal start makes it fast)."""


SUSPENDED_PART = re.compile(r"([^\W_]+)-")


SUSPENDED_READ_TOKENS = 8
"""How many tokens from the shared head on a suspended compound is read with (enough for any phrase)."""


def suspended_compounds(text: str) -> list[Tokens]:
    """Each suspended compound of `text` read whole, as tokens with their offsets in `text`:
    "self- and semi-supervised learning" gives "self - supervised learning" (the head and the next
    few tokens), so that phrase and pattern rules find "self-supervised" there; a match spans from
    "self" to the end of what it matched ("self- and semi-supervised")."""
    if not SUSPENDED_CUE.search(text):
        return []
    windows = []
    for found in SUSPENDED_LIST.finditer(text):
        if "\n\n" in found.group():  # (not across the title's end)
            continue
        head = [match for match, _ in zip(TOKEN.finditer(text, found.end()), range(SUSPENDED_READ_TOKENS))]
        for part in list(SUSPENDED_PART.finditer(found.group()))[:-1]:  # (the last is the complete compound)
            start = found.start() + part.start()
            words = [part.group(1), "-"] + [match.group() for match in head]
            starts = [start, start + len(part.group(1))] + [match.start() for match in head]
            ends = [start + len(part.group(1)), start + len(part.group())] + [match.end() for match in head]
            spaces = [False, False] + [following > end for end, following in zip(ends[2:], starts[3:])] + [False]
            windows.append(Tokens(words, spaces[:len(words)], starts, ends))
    return windows


PATTERN_CONTEXT = 160
"""With token pattern rules, the characters tokenized on either side of a pre-filter hit: a
pattern can reach this far before or after its key word. (A phrase match lies inside its hit.)"""


def space_before(text: str, position: int) -> int:
    """Where the word that holds `position` (or the next one) starts: after a space or a newline."""
    if position <= 0:
        return 0
    space = text.rfind(" ", 0, position)
    return max(space, text.rfind("\n", space + 1, position)) + 1  # (never scans past the space)


def space_after(text: str, position: int) -> int:
    """Where the word that holds `position` ends: at a space or a newline, or the end of the text."""
    if position >= len(text):
        return len(text)
    space = text.find(" ", position)
    space = len(text) if space < 0 else space
    newline = text.find("\n", position, space)  # (never scans past the space)
    return space if newline < 0 else newline
