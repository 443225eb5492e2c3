"""Typography as rules and model read it: text from PDFs and publishers' pages writes
"self‐supervised" with a Unicode hyphen (U+2010), "teacher–student" with an en dash, hides soft
hyphens (U+00AD) inside words and has ligatures ("ﬁne-tuning"); arXiv abstracts, written in
LaTeX, write the en dash as two hyphens ("vision--language"). Each such character stands for
plain ones. Text copied from a PDF is also wrapped into lines, with words broken across lines by
a hyphen ("distil-" at a line's end, "lation" on the next): such text is read one line per
paragraph, a broken word joined again where abstracts write it joined.

The mapping is one character to a fixed string (and `--` between letters to `-`), so a phrase
that occurs in a text still occurs in it after both are mapped, unless it starts or ends inside
such a `--`: the taxonomy's literal strings (phrases, `unless`, cues, token values) are mapped
when the taxonomy is loaded, and documents before rules run. (Unwrapping lines is no such
mapping, but it changes only text with line breaks, which those strings do not have.)
"""

from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path

LATEX_EN_DASH = re.compile(r"(?<=[A-Za-z])--(?=[A-Za-z])")
"""`--` between two letters (`---`, an em dash, and ` -- ` between words are left alone)."""

PLAIN = {
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\ufe63\uff0d"), "-"),  # hyphens, en dash
    0x00AD: None,  # soft hyphen
    **dict.fromkeys(map(ord, "\u00a0\u2007\u2009\u202f"), " "),  # no-break and thin spaces
    0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st", 0xFB06: "st",
}
"""Characters read as plain ones (an em dash is left alone: it separates clauses, not words)."""


LINE_BREAK_HYPHEN = re.compile(r"([A-Za-z]+)-[ \t]*(?:\r\n|\r|\n)[ \t]*([A-Za-z]+)")
"""Letters, a hyphen at a line's end, letters at the next line's start: a word broken across
lines ("distil-" / "lation") or a compound broken at its own hyphen ("teacher-" / "student")."""

KNOWN_WORDS = Path(__file__).with_name("known_words.txt.gz")
"""Words of 4 letters or more, and pairs of a hyphenated compound's neighbouring parts
("teacher-student", "the-art"), that at least 3 of the 69,679 arXiv abstracts of 2025-2026 use,
each with how many do (scripts/make_words.py): they tell a broken word from a compound broken at
its hyphen."""

SUSPENDED = frozenset({"and", "or", "nor"})
"""Words after which a hyphen at a line's end is a suspended one ("self-" + line break +
"and semi-supervised")."""


@functools.cache
def known_words() -> dict[str, int]:
    """Each known word and pair: the number of corpus abstracts that use it."""
    with gzip.open(KNOWN_WORDS, "rt", encoding="ascii") as lines:
        return {word: int(count) for word, count in (line.split("\t") for line in lines)}


LINE_BREAK = re.compile(r"(?<![\r\n])[ \t]*(?:\r\n|\r|\n)[ \t]*(?![\r\n])")
"""A line break that does not end a paragraph (a blank line), with the spaces around it."""


def unwrap_lines(text: str) -> str:
    """`text` as one line per paragraph, as a PDF's or an e-mail's line-wrapped text is read. The
    parts around a hyphen at a line's end are joined when abstracts write them joined more often
    than hyphenated ("distil-" + line break + "lation" -> "distillation"); otherwise the hyphen
    stays ("teacher-" + line break + "student" -> "teacher-student"; a suspended one: "self- and").
    Every other line break within a paragraph is a space, so that a regex such as "distilled
    student" finds the two words on two lines."""
    known = known_words()

    def join(match: re.Match) -> str:
        left, right = match[1], match[2]
        if right.lower() in SUSPENDED:
            return f"{left}- {right}"
        if known.get((left + right).lower(), 0) > known.get(f"{left}-{right}".lower(), 0):
            return left + right
        return f"{left}-{right}"

    return LINE_BREAK.sub(" ", LINE_BREAK_HYPHEN.sub(join, text))


def plain_text(text: str) -> str:
    """`text` with every character of PLAIN replaced, LaTeX en dashes read as hyphens and its lines
    unwrapped (unwrap_lines)."""
    if "--" in text:
        text = LATEX_EN_DASH.sub("-", text)
    text = text if text.isascii() else text.translate(PLAIN)
    if "\n" in text or "\r" in text:
        text = unwrap_lines(text)
    return text


def typographic_characters(text: str) -> list[str]:
    """The characters of `text` that plain_text replaces, each once, in order."""
    return list(dict.fromkeys(character for character in text if ord(character) in PLAIN))
