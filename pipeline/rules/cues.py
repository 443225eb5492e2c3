"""Where a rule's mention stands: sentence bounds (the title is the first sentence), claim
sentences ("we propose ..."), and the contrast cues and free suffixes that make a mention passing."""

from __future__ import annotations

import bisect
import re

import re2

from ..display import normalise
from ..taxonomy.language import compile_regex, plural
from ..taxonomy.schema import Context
from .prefilter import first_span

NOT_SENTENCE_ENDS = {"e.g.", "i.e.", "cf.", "vs.", "al.", "etc.", "fig.", "eq.", "approx."}


WORD = re.compile(r"\w+(?:-\w+)*")
"""A word for the contrast-cue window: a hyphenated compound ("state-of-the-art") counts as one."""


def _words_back(text: str, position: int, count: int) -> int:
    """The offset where the `count` words before `position` begin."""
    if count <= 0:
        return position
    window = text[max(0, position - 40 * count):position]
    starts = [match.start() for match in WORD.finditer(window)]
    if len(starts) < count:
        return max(0, position - len(window)) if len(window) < position else 0
    return position - len(window) + starts[-count]


TITLE_NAME = re.compile(r"\s*([^\s:,]*\w[^\s:,]*?[A-Z0-9][^\s:,]*)\s*:")
"""A title that starts with a one-word name: "MERA: ...", "G-SimCLR : ...", "Unposed-to-3D: ..."."""


METHOD_NOUNS = frozenset(("approach", "method", "framework", "model", "network", "architecture", "algorithm",
                          "module", "mechanism", "strategy", "scheme", "system", "pipeline", "loss", "technique",
                          "paradigm", "retriever", "learner", "transformer", "net"))
"""The nouns after which a parenthesised name is a method's: "a subgraph retriever (SR)", "an
adversarial network (DTLC-GAN)"; not "large language models (LLMs)" or "computed tomography (CT)"."""


PARENTHESISED_NAME = re.compile(r"\((?=[^)]*[A-Z][^)]*[A-Z0-9])([A-Z][\w-]{1,24})\)")


LAST_WORD = re.compile(r"(\w+)\s*$")


NOUN_REACH = 30  # characters before the parenthesis in which its noun is looked for


def title_name(title: str) -> str | None:
    """The name a title gives the paper's own method ("MERA" in "MERA: ..."; at least 3 characters,
    with a capital or digit after its first character), or None."""
    found = TITLE_NAME.match(title)
    return found.group(1) if found and len(found.group(1)) >= 3 else None


class MethodName:
    """Finds the paper's method name as a whole word (not in "MERA-v2" or "XMERA"): a sentence that
    names it says what the paper does, as one with "we propose" does. str.find and a look at the
    characters on either side, as the regex (?<![\\w-])NAME(?![\\w-]) would; a regex compiled for
    each document's name cost 0.17 ms, a tenth of the rules' time on the corpus."""

    def __init__(self, name: str):
        self.name = name

    def find(self, text: str, start: int = 0, end: int | None = None) -> int:
        """Where the name first stands as a whole word in text[start:end], or -1. The character
        before `start` counts, the one at `end` does not (as with a regex's pos and endpos)."""
        end = len(text) if end is None else min(end, len(text))
        position = text.find(self.name, start, end)
        while position >= 0:
            after = position + len(self.name)
            before_ok = position == 0 or not _in_word(text[position - 1])
            if before_ok and (after == end or not _in_word(text[after])):
                return position
            position = text.find(self.name, position + 1, end)
        return -1


def _in_word(character: str) -> bool:
    """A character that would make a name part of a longer word: a regex's \\w, or a hyphen."""
    return character.isalnum() or character in "_-"


def _clause_start(text: str, sentence_start: int, position: int) -> int:
    """Where the clause holding `position` starts: after the last colon or semicolon before it in
    its sentence ("Beyond Lexical Content: A Study of X" does not put X after "beyond")."""
    colon, semicolon = text.rfind(":", sentence_start, position), text.rfind(";", sentence_start, position)
    return max(colon, semicolon, sentence_start - 1) + 1


SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z0-9(\[])")


ABBREVIATION_ENDS = tuple(NOT_SENTENCE_ENDS)


ASCII_SENTENCE_END = re.compile(
    SENTENCE_END.pattern + "".join(f"(?<!(?i:{re.escape(abbreviation)}))" for abbreviation in sorted(NOT_SENTENCE_ENDS)))
"""SENTENCE_END without the periods that end an abbreviation, for ASCII text (in which matching
the abbreviations in any case is what lowercasing does): one scan, no test after each match."""


class Sentences:
    """Sentence bounds (character offsets) of a document text, the title being the first sentence."""

    def __init__(self, text: str, title_length: int):
        starts = [0]
        if 0 < title_length < len(text):
            starts.append(title_length)
        if text.isascii():
            starts += [match.end() for match in ASCII_SENTENCE_END.finditer(text, title_length)]
        else:
            for match in SENTENCE_END.finditer(text, title_length):
                before = text[max(0, match.end() - 8):match.end()].lower()
                if not before.endswith(ABBREVIATION_ENDS):
                    starts.append(match.end())
        self._starts = starts
        self._length = len(text)

    def of(self, char: int) -> tuple[int, int]:
        position = bisect.bisect_right(self._starts, char) - 1
        end = self._starts[position + 1] if position + 1 < len(self._starts) else self._length
        return self._starts[position], end


def phrases_regex(phrases: list[str], plurals: bool = False) -> PhraseRegex | None:
    """One regex for a list of literal phrases: whole words, any case, hyphens and spaces alike;
    with `plurals`, each phrase's plural form too (as rule phrases match)."""
    phrases = [phrase.strip().lower() for phrase in phrases if phrase.strip()]
    if plurals:
        phrases += [phrase[:-len(last)] + plural(last) for phrase in phrases
                    for last in [phrase.split()[-1]] if last[-1].isalpha()]
    if not phrases:
        return None
    ordered = sorted(set(phrases), key=len, reverse=True)
    regex = _python_regex(ordered)
    has_twin = [phrase.isascii() and bool(ASCII_WORD.fullmatch(phrase[0]) and ASCII_WORD.fullmatch(phrase[-1]))
                for phrase in ordered]
    if not any(has_twin):
        return PhraseRegex(regex)
    rest = [phrase for phrase, twin in zip(ordered, has_twin) if not twin]
    return PhraseRegex(regex, _ascii_twin([phrase for phrase, twin in zip(ordered, has_twin) if twin]),
                       _literal_first_regex(rest) if rest else None)


def _escaped(phrase: str, separator: str = r"[\s\-]+") -> str:
    """A phrase as a regex of its literal text, each run of spaces and hyphens as `separator`."""
    return re.sub(r"(?:\\[ \-])+", lambda _: separator, re.escape(phrase))


def _python_regex(phrases: list[str]) -> re.Pattern:
    parts = [_escaped(phrase) for phrase in phrases]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def _literal_first_regex(phrases: list[str]) -> re.Pattern:
    """_python_regex(phrases), with the lookbehind of a phrase without spaces or hyphens after it
    ("e\\.g\\.(?<!\\we\\.g\\.)"), so that the regex starts with a literal, which sre looks for
    fast (a lookbehind first, it tries every position)."""
    parts = [f"{_escaped(phrase)}(?<!\\w{_escaped(phrase)})" if re.search(r"[ \-]", phrase) is None else
             "(?<!\\w)" + _escaped(phrase) for phrase in phrases]
    return re.compile("(?:" + "|".join(parts) + r")(?!\w)")


ASCII_WORD = re.compile(r"[a-z0-9_]")


def _ascii_twin(phrases: list[str]):
    """The RE2 regex that finds in ASCII text what _python_regex(phrases) finds, for phrases that
    start and end with a word character: \\b for the lookarounds, and the ASCII characters
    Python's \\s matches for it (None if RE2 refuses the regex)."""
    parts = [_escaped(phrase, r"[\t\n\x0b\x0c\r\x1c-\x1f \-]+") for phrase in phrases]
    try:
        return compile_regex(r"\b(?:" + "|".join(parts) + r")\b", case_sensitive=True)
    except re2.error:
        return None


class Found:
    """A match of a PhraseRegex in ASCII text, as much of re.Match as its callers use."""

    __slots__ = ("_string", "_span")

    def __init__(self, string: str, span: tuple[int, int]):
        self._string, self._span = string, span

    def start(self) -> int:
        return self._span[0]

    def end(self) -> int:
        return self._span[1]

    def span(self) -> tuple[int, int]:
        return self._span

    def group(self) -> str:
        return self._string[self._span[0]:self._span[1]]


class PhraseRegex:
    """A phrases_regex: a Python regex (`regex`, whose `pattern` other regexes embed) and for
    ASCII text a faster search of the same: an RE2 twin (a DFA; sre tries every phrase at every
    position, 45 ns a character for the claim cues) for the phrases that start and end with a word
    character, and a Python regex of the `rest` ("e.g.", _literal_first_regex)."""

    _subject: tuple[str | None, bytes | None] = (None, None)
    """The last text searched, as bytes (None: not ASCII), shared by all: the claim, contrast and
    `unless` regexes search the same lowercased text one after another."""

    def __init__(self, regex: re.Pattern, twin=None, rest: re.Pattern | None = None):
        self.regex, self._twin, self._rest = regex, twin, rest

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def search(self, string: str, pos: int = 0, endpos: int | None = None):
        """What self.regex.search(string, pos, endpos) finds (an re.Match, or a Found), or None."""
        end = len(string) if endpos is None else max(0, min(endpos, len(string)))
        subject = PhraseRegex._subject  # (one tuple read: another thread may replace it)
        if self._twin is not None and subject[0] is not string:
            subject = PhraseRegex._subject = (string, string.encode("ascii") if string.isascii() else None)
        if self._twin is None or subject[1] is None:
            return self.regex.search(string, pos, end)
        if max(pos, 0) > end:
            return None
        data = subject[1]
        span = first_span(self._twin, data if end == len(data) else data[:end], pos)
        other = self._rest.search(string, pos, end) if self._rest is not None else None
        if other is not None and (span is None or other.start() < span[0]):
            return other
        if other is not None and other.start() == span[0]:  # (both start here: the phrases' order decides)
            return self.regex.search(string, span[0], end)
        return None if span is None else Found(string, span)


TRAILING_WORDS = 2  # a trailing cue counts within this many words after the mention


class CueSet:
    """The taxonomy's context cues, compiled once."""

    def __init__(self, context: Context):
        self.window = context.cue_window
        self._contrast = phrases_regex(context.contrast_cues)
        self._claims = phrases_regex(context.claim_cues)
        suffixes = "|".join(re.escape(suffix.lower()) for suffix in context.free_suffixes)
        self._free = re.compile(r"\s*-\s*(" + suffixes + r")(?!\w)") if suffixes else None
        trailing = phrases_regex(context.trailing_cues)
        # up to TRAILING_WORDS words, then the cue: "self-supervised baselines", "distillation-based baselines"
        self._trailing = (re.compile(r"(?:[\s\-]+\w+){0,%d}?[\s\-]+(%s)" % (TRAILING_WORDS, trailing.pattern))
                          if trailing is not None else None)

    def passing_reason(self, lowered: str, start: int, end: int, sentence) -> str | None:
        """Why a mention at characters [start, end) is passing, or None when it looks central."""
        if self._free is not None:
            suffix = self._free.match(lowered, end, sentence[1])
            if suffix:
                return f"'-{suffix.group(1)}' suffix"
        if self._trailing is not None:
            trailing = self._trailing.match(lowered, end, sentence[1])
            if trailing:
                return f"before '{normalise(trailing.group(1))}'"
        if self._contrast is not None:
            cue = self._contrast.search(lowered, sentence[0], start)
            if cue:  # is there one within the cue window and clause (counted only when needed: slower)?
                window_start = max(_words_back(lowered, start, self.window),
                                   _clause_start(lowered, sentence[0], start))
                cue = self._contrast.search(lowered, window_start, start)
            if cue:
                return f"after '{normalise(cue.group())}'"
        return None

    def first_claim_start(self, text: str, lowered: str, sentences: Sentences, title_length: int,
                          name=None) -> int | None:
        """Where the abstract's first claim sentence starts (None when it has none): the sentences
        before it are the background, what the field or earlier work does."""
        claim = self._claims.search(lowered, title_length) if self._claims is not None else None
        found = [position for position in (claim.start() if claim else -1,
                                           name.find(text, title_length) if name is not None else -1)
                 if position >= 0]
        return sentences.of(min(found))[0] if found else None

    def defined_name(self, text: str, lowered: str, sentences: Sentences, title_length: int) -> str | None:
        """The name the abstract gives the paper's method where it first says what the paper
        does: the first parenthesised name after a method noun (METHOD_NOUNS) in a sentence with a
        claim cue ("we propose a subgraph retriever (SR)"), or None."""
        if self._claims is None:
            return None
        for found in PARENTHESISED_NAME.finditer(text, title_length):  # (a literal "(" first: fast)
            noun = LAST_WORD.search(lowered, max(title_length, found.start() - NOUN_REACH), found.start())
            if noun is not None and noun.group(1) in METHOD_NOUNS \
                    and self._claims.search(lowered, *sentences.of(found.start())) is not None:
                return found.group(1)
        return None

    def is_claim(self, text: str, lowered: str, sentence, name=None) -> bool:
        """Whether a sentence says what the paper does: it has a claim cue, or it names the
        paper's method (`name`, a MethodName)."""
        if self._claims is not None and self._claims.search(lowered, *sentence) is not None:
            return True
        return name is not None and name.find(text, *sentence) >= 0
