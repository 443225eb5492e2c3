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


LIST_BREAKS = ".;:()[]"
"""Characters that no SUSPENDED_LIST match (nor the character before or after it) can hold."""


def suspended_lists(text: str) -> list[re.Match]:
    """SUSPENDED_LIST.finditer(text), searched only between the LIST_BREAKS around each
    SUSPENDED_CUE: Python's re tries the list's start at every word of a text, 70 us an abstract
    with a cue (2026-12-07). A match cannot cross a break, and a search bounded by two of them
    sees the same characters on either side, so it finds what the whole text's search finds there."""
    found, cue = [], SUSPENDED_CUE.search(text)
    while cue is not None:  # (the next cue is searched for after the stretch: its break comes before it)
        start = max(text.rfind(mark, 0, cue.start()) for mark in LIST_BREAKS) + 1
        ends = [text.find(mark, cue.end()) for mark in LIST_BREAKS]
        end = min([end for end in ends if end >= 0], default=len(text))
        found.extend(SUSPENDED_LIST.finditer(text, start, end))
        cue = SUSPENDED_CUE.search(text, end)
    return found


SUSPENDED_READ_TOKENS = 8
"""How many tokens from the shared head on a suspended compound is read with (enough for any phrase)."""


def suspended_compounds(text: str) -> list[Tokens]:
    """Each suspended compound of `text` read whole, as tokens with their offsets in `text`:
    "self- and semi-supervised learning" gives "self - supervised learning" (the head and the next
    few tokens), so that phrase and pattern rules find "self-supervised" there; a match spans from
    "self" to the end of what it matched ("self- and semi-supervised")."""
    windows = []
    for found in suspended_lists(text):
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
