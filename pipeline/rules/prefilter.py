"""Cheap scans that say where rules could match, so that most of a document is never tokenized
and most regexes never run: key regexes of phrases and patterns, and RE2 sets.

match_spans, first_span and set_matches call the RE2 objects inside google-re2's Python wrapper
(its `_regexp`, `_set` and `_Anchor`), as the wrapper's own loop does; where a version lacks them
they use the wrapper's methods, and a test compares both."""

from __future__ import annotations

import re

import numpy as np
import re2

from ..taxonomy.language import REGEX_MAX_MEM, SEPARATOR, TOKEN


def compiled_set(keys: list[tuple[str, bool]]):
    """An RE2 Set of the regexes (pattern, case_sensitive), for one scan that says which match;
    None when RE2 cannot build it (within REGEX_MAX_MEM), and each regex then scans on its own."""
    options = re2.Options()
    options.log_errors = False
    options.max_mem = REGEX_MAX_MEM
    regex_set = re2.Set.SearchSet(options)
    try:
        for pattern, case_sensitive in keys:
            regex_set.Add(pattern if case_sensitive else f"(?i:{pattern})")
        regex_set.Compile()
    except re2.error:
        return None
    return regex_set


def re2_subject(text: str):
    """What to give an RE2 regex: ASCII text as bytes (the same offsets, and RE2 does not have to
    convert it to UTF-8 and back on every call), other text as it is."""
    return text.encode("ascii") if text.isascii() else text


_UNANCHORED = getattr(re2, "_Anchor", None) and re2._Anchor.UNANCHORED


def _own_regex(regex, subject):
    """RE2's own regex inside the wrapper's, to search `subject` with; None where the wrapper's
    methods must (a str subject, whose offsets it converts, or a wrapper without it)."""
    return getattr(regex, "_regexp", None) if isinstance(subject, bytes) and _UNANCHORED is not None else None


def match_spans(regex, subject, pos: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each match of an RE2 regex in `subject` from `pos`, as
    [m.span() for m in regex.finditer(subject, pos)] gives them. In bytes (re2_subject) RE2's own
    Match runs in the same loop as the wrapper's finditer, without making a match object: about
    1 us a match instead of 4 (2026-12-07)."""
    compiled = _own_regex(regex, subject)
    if compiled is None:
        return [match.span() for match in regex.finditer(subject, pos)]
    match, end, spans = compiled.Match, len(subject), []
    pos = max(0, min(pos, end))
    while True:
        span = match(_UNANCHORED, subject, pos, end)[0]
        if span[0] < 0:  # (no match: RE2 gives (-1, -1))
            return spans
        spans.append(span)
        if pos == end:
            return spans
        pos = pos + 1 if pos == span[1] else span[1]  # (past an empty match, as finditer steps)


def set_matches(regex_set, subjects: list) -> list[list[int]]:
    """For each subject (re2_subject), the indices of the RE2 Set's regexes that match in it:
    bytes straight to RE2's own Set (the wrapper's Match only checks their type)."""
    compiled = getattr(regex_set, "_set", None)
    if compiled is None:
        return [regex_set.Match(subject) or [] for subject in subjects]
    return [compiled.Match(subject) if type(subject) is bytes else regex_set.Match(subject) or []
            for subject in subjects]


def first_span(regex, subject, pos: int = 0) -> tuple[int, int] | None:
    """The span of regex.search(subject, pos), or None; see match_spans."""
    compiled = _own_regex(regex, subject)
    if compiled is None:
        found = regex.search(subject, pos)
        return found.span() if found else None
    span = compiled.Match(_UNANCHORED, subject, max(0, min(pos, len(subject))), len(subject))[0]
    return None if span[0] < 0 else span


def key_spans(regex, subject) -> list[tuple[int, int]]:
    """The span of the match at every place a match of an RE2 regex starts in `subject`, even
    inside another match: after each one the search goes on from one past its start."""
    spans, span = [], first_span(regex, subject)
    while span is not None:
        spans.append(span)
        span = first_span(regex, subject, span[0] + 1)
    return spans


def spans_by_text(spans: list[tuple[int, int]], lengths: list[int]) -> list[list[tuple[int, int]] | None]:
    """key_spans of texts joined by newlines, as each text's own search finds them: offsets from
    the text's start, and None for a text in which some match runs past its end (into the next
    text), whose own search must be made. Keys start with (?:^|[^a-z0-9]): where a text's own
    search matches at its start, the joined one matches at the newline before it, and may match
    again at the text's first character; those are one match at 0, the longer one."""
    starts = np.cumsum([0] + [length + 1 for length in lengths[:-1]]).tolist()
    by_text: list = [[] for _ in lengths]
    if spans:
        owners = np.searchsorted(starts, np.array(spans)[:, 0] + 1, side="right") - 1
        for owner, (start, end) in zip(owners.tolist(), spans):
            found, offset = by_text[owner], starts[owner]
            if found is None:
                continue
            if end - offset > lengths[owner]:
                by_text[owner] = None
            elif start <= offset and found and found[-1][0] == 0:
                found[-1] = (0, max(found[-1][1], end - offset))
            else:
                found.append((max(start - offset, 0), end - offset))
    return by_text


def phrase_key(phrase: str) -> str:
    """A regex that every variant of a phrase matches (in lowercase text): its tokens, in order,
    with or without hyphens and spaces between them, the first one at a word start, the last one
    without a final y (so that "strategies" is found for "strategy")."""
    words = [word for word in TOKEN.findall(phrase.lower()) if word != "-"]
    if words and len(words[-1]) > 1 and words[-1].endswith("y"):
        words[-1] = words[-1][:-1]
    return "(?:^|[^a-z0-9])" + (SEPARATOR + "*").join(map(re.escape, words))


def pattern_keys(pattern: list[dict]) -> set[str] | None:
    """Regexes of which a matching lowercase text must contain one, or None when there are none."""
    for token_spec in pattern:
        if token_spec.get("OP", "1") not in ("1", "+"):
            continue
        for attr in ("LOWER", "ORTH", "TEXT"):
            value = token_spec.get(attr, token_spec.get(attr.lower()))
            if isinstance(value, str) and value:
                return {"(?:^|[^a-z0-9])" + re.escape(value.lower())}
            if isinstance(value, dict) and isinstance(value.get("IN"), list) and value["IN"]:
                if all(isinstance(item, str) and item for item in value["IN"]):
                    return {"(?:^|[^a-z0-9])" + re.escape(item.lower()) for item in value["IN"]}
    return None


def scan_hits(texts: list[str], scans) -> list[np.ndarray]:
    """For each of `scans`, for each of `texts` (ASCII), whether a match of the scan touches the
    text: each scan is a function from a text to the spans of its matches (match_spans of an RE2
    regex over bytes, or Python re's over a str), run once over the texts joined by newlines, not
    once a text. A match across two texts counts for both, and a text holding a match is always
    touched by one, so that no text with a match is missed (scans must not anchor at a text's
    start or end)."""
    joined = "\n".join(texts)
    starts = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]])
    hits = []
    for scan in scans:
        hit = np.zeros(len(texts), dtype=bool)
        spans = scan(joined)
        if spans:
            begin, end = np.array(spans).T
            first = np.searchsorted(starts, begin, side="right") - 1
            last = np.searchsorted(starts, np.maximum(end - 1, begin), side="right") - 1
            for a, b in zip(first.tolist(), last.tolist()):
                hit[a:b + 1] = True
        hits.append(hit)
    return hits
