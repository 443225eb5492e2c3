"""Typography as rules and model read it: text from PDFs and publishers' pages writes
"self‐supervised" with a Unicode hyphen (U+2010), "teacher–student" with an en dash, hides soft
hyphens (U+00AD) inside words and has ligatures ("ﬁne-tuning"); arXiv abstracts, written in
LaTeX, write the en dash as two hyphens ("vision--language"). Each such character stands for
plain ones.

The mapping is one character to a fixed string (and `--` between letters to `-`), so a phrase
that occurs in a text still occurs in it after both are mapped, unless it starts or ends inside
such a `--`: the taxonomy's literal strings (phrases, `unless`, cues, token values) are mapped
when the taxonomy is loaded, and documents before rules run.
"""

from __future__ import annotations

import re

LATEX_EN_DASH = re.compile(r"(?<=[A-Za-z])--(?=[A-Za-z])")
"""`--` between two letters (`---`, an em dash, and ` -- ` between words are left alone)."""

PLAIN = {
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\ufe63\uff0d"), "-"),  # hyphens, en dash
    0x00AD: None,  # soft hyphen
    **dict.fromkeys(map(ord, "\u00a0\u2007\u2009\u202f"), " "),  # no-break and thin spaces
    0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st", 0xFB06: "st",
}
"""Characters read as plain ones (an em dash is left alone: it separates clauses, not words)."""


def plain_text(text: str) -> str:
    """`text` with every character of PLAIN replaced and LaTeX en dashes read as hyphens."""
    if "--" in text:
        text = LATEX_EN_DASH.sub("-", text)
    return text if text.isascii() else text.translate(PLAIN)


def typographic_characters(text: str) -> list[str]:
    """The characters of `text` that plain_text replaces, each once, in order."""
    return list(dict.fromkeys(character for character in text if ord(character) in PLAIN))
