"""Concept rules: groups of terms that must share a sentence, matched by one RE2 regex a group."""

from __future__ import annotations

import re

from ..taxonomy.language import SEPARATOR, TOKEN, plural


def concept_group_regex(terms: list[str]) -> str:
    """One RE2 regex (used case-insensitively) for a concept group's terms: whole words, hyphens and
    spaces between words alike (or none: "selfsupervised"), the last word also in plural form; a
    term ending in `*` matches any word that starts with it."""
    parts = []
    for term in terms:
        term = term.strip()
        prefix = term.endswith("*")
        words = [token for token in TOKEN.findall(term.rstrip("*").lower()) if token != "-"]
        if not words:
            continue
        body = (SEPARATOR + "*").join(re.escape(word) for word in words[:-1])
        last = words[-1]
        if prefix:
            last_part = re.escape(last) + r"\w*"
        elif last[-1].isalpha() and plural(last) != last:
            last_part = "(?:" + re.escape(plural(last)) + "|" + re.escape(last) + ")"
        else:
            last_part = re.escape(last)
        parts.append((body + SEPARATOR + "*" if body else "") + last_part)
    return r"\b(?:" + "|".join(sorted(set(parts), key=len, reverse=True)) + r")\b"


WORD_RUN = re.compile(r"[^\W_]+")
"""A word for a concept's `within`: a run of letters and digits (a hyphen splits)."""


def word_count(text: str, start: int, end: int) -> int:
    """How many words (WORD_RUN) text[start:end] holds."""
    return len(WORD_RUN.findall(text, start, end))


def smallest_window(hits: list[tuple[int, int, int]], groups: int) -> tuple[int, int] | None:
    """The shortest (start, end) holding a hit of each of `groups` groups; hits are (start, end, group)."""
    hits = sorted(hits)
    best = None
    for first in range(len(hits)):
        seen, end = set(), 0
        for start, stop, group in hits[first:]:
            seen.add(group)
            end = max(end, stop)
            if len(seen) == groups:
                if best is None or end - hits[first][0] < best[1] - best[0]:
                    best = (hits[first][0], end)
                break
    return best
