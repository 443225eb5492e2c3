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

LATEX_EN_DASH = re.compile(r"--(?<=[A-Za-z]--)(?=[A-Za-z])")
"""`--` between two letters (`---`, an em dash, and ` -- ` between words are left alone). The
literal comes first, so that the regex engine looks for it with a fast search (a lookbehind first
tried every position: 15 times slower)."""

PLAIN = {
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\ufe63\uff0d"), "-"),  # hyphens, en dash
    0x00AD: None,  # soft hyphen
    **dict.fromkeys(map(ord, "\u00a0\u2007\u2009\u202f"), " "),  # no-break and thin spaces
    0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st", 0xFB06: "st",
}
"""Characters read as plain ones (an em dash is left alone: it separates clauses, not words)."""

PLAIN_CHARACTERS = re.compile("[" + "".join(map(re.escape, map(chr, PLAIN))) + "]")
PLAIN_OF = {chr(code): plain or "" for code, plain in PLAIN.items()}
"""PLAIN as a regex and a dict: str.translate(PLAIN) looks up every character in Python (0.1 ms
for an abstract), the regex scans in C and replaces only what it finds."""


LINE_END = re.compile(r"\r\n|\r|\n")
LEADING_LETTERS = re.compile(r"[A-Za-z]+")
ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

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


def unwrap_lines(text: str) -> str:
    """`text` as one line per paragraph (a blank line ends a paragraph), as a PDF's or an e-mail's
    line-wrapped text is read; see line_joint. Linear in the text's length, whatever it holds."""
    known, paragraphs, lines = known_words(), [], []
    for line in [*LINE_END.split(text), ""]:
        line = line.strip(" \t")
        if not line:
            if lines:
                paragraphs.append("".join(lines))
            lines = []
        elif lines:
            lines[-1], joint = line_joint(lines[-1], line, known)
            lines.append(joint + line)
        else:
            lines.append(line)
    return "\n\n".join(paragraphs)


def line_joint(before: str, after: str, known: dict[str, int]) -> tuple[str, str]:
    """How two lines of a paragraph join: (the first line as it then ends, what stands between).
    The parts around a hyphen that ends the first line are joined when abstracts write them
    joined more often than hyphenated ("distil-" + "lation" -> "distillation"); otherwise the
    hyphen stays ("teacher-" + "student" -> "teacher-student"; a suspended one: "self- and").
    Lines that do not so break a word are joined by a space, so that a regex such as "distilled
    student" finds the two words on two lines."""
    if not before.endswith("-"):
        return before, " "
    start = end = len(before) - 1
    while start > 0 and before[start - 1] in ASCII_LETTERS:
        start -= 1
    right = LEADING_LETTERS.match(after)
    if start == end or right is None or right.group().lower() in SUSPENDED:
        return before, " "  # not a word broken across lines: "GPT-" + "4", "self-" + "and"
    left, right = before[start:end], right.group()
    if known.get((left + right).lower(), 0) > known.get(f"{left}-{right}".lower(), 0):
        return before[:-1], ""
    return before, ""


def plain_text(text: str) -> str:
    """`text` with every character of PLAIN replaced, LaTeX en dashes read as hyphens and its lines
    unwrapped (unwrap_lines)."""
    if "--" in text:
        text = LATEX_EN_DASH.sub("-", text)
    if not text.isascii():
        text = PLAIN_CHARACTERS.sub(lambda found: PLAIN_OF[found.group()], text)
    if "\n" in text or "\r" in text:
        text = unwrap_lines(text)
    return text


def typographic_characters(text: str) -> list[str]:
    """The characters of `text` that plain_text replaces, each once, in order."""
    return list(dict.fromkeys(character for character in text if ord(character) in PLAIN))
