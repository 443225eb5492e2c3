"""The papers-listing text format (a title line, then an abstract paragraph), and `import`'s
merging of several listings."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import WebOfScienceTabError
from .decoding import TextSource
from .records import ReadReport

MIN_ABSTRACT_CHARS = 200
"""In the listing format, a paragraph at least this long is an abstract; shorter ones are titles."""


def text_kind(text: TextSource) -> str:
    """`wos` for a `.txt` that is Web of Science's plain-text export (its first line is `FN ...`),
    else `listing`. Its tab-delimited export (a header `PT<tab>AU<tab>...`) is an InputFileError
    that says how to read it."""
    lines = text.lines(set())
    try:
        first = next((line for _, line in lines if line.strip()), "")
    finally:
        lines.close()
    if first.startswith("FN "):
        return "wos"
    if first.startswith("PT\t"):
        raise WebOfScienceTabError(f"{text.path}, line 1: this is a Web of Science tab-delimited export; export "
                                   "the records as a plain text file instead, which taxotag reads as it is")
    return "listing"


def listing_records(text: TextSource, id_prefix: str) -> Iterator[tuple[int, dict]]:
    """The papers of a listing, numbered on from the papers of the run's earlier listing files."""
    for line, title, abstract in parse_listing(text.lines(), text.path, text.report):
        yield line, {"id": numbered_id(text.report, id_prefix), "title": title, "abstract": abstract}


def numbered_id(report: ReadReport, id_prefix: str) -> str:
    """The next id for a paper without one: `p000`, `p001`, ... on across the files of a run."""
    report.numbered += 1
    return f"{id_prefix}{report.numbered - 1:03d}"


def parse_listing(lines, path="<listing>", report: ReadReport | None = None):
    """(line, title, abstract) for each paper of a listing: a title line, then an abstract paragraph.

    Paragraphs are separated by blank lines. A paragraph of at least MIN_ABSTRACT_CHARS characters
    is an abstract and takes the short paragraph right before it as its title; other short
    paragraphs (page headers, dates) are ignored. An abstract with no title before it is reported.
    """
    report = report if report is not None else ReadReport()
    title: tuple[int, str] | None = None
    for line, paragraph in _paragraphs(lines):
        if len(paragraph) >= MIN_ABSTRACT_CHARS:
            if title is None:
                report.skip(path, line, "an abstract with no title line before it")
            else:
                yield title[0], title[1], paragraph
            title = None
        else:
            title = (line, paragraph)


def _paragraphs(lines) -> Iterator[tuple[int, str]]:
    start, buffer = 0, []
    for number, text in lines:
        text = text.strip()
        if text:
            if not buffer:
                start = number
            buffer.append(text)
        elif buffer:
            yield start, re.sub(r"\s+", " ", " ".join(buffer))
            buffer = []
    if buffer:
        yield start, re.sub(r"\s+", " ", " ".join(buffer))
