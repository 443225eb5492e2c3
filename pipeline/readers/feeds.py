"""Records from XML feeds: the arXiv API's Atom (export.arxiv.org/api/query), arXiv's daily RSS
listings (rss.arxiv.org), and other Atom, RSS 2.0 or RSS 1.0 (RDF: many journals' tables of
contents) feeds whose entries have a title and a summary.

The feed is parsed with expat as it streams in. A document type declaration is refused: feeds
have none, and it is what an XML entity bomb needs.
"""

from __future__ import annotations

import itertools
import re
from typing import Iterator
from xml.parsers import expat

from ..errors import InputFileError

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
RSS1 = "http://purl.org/rss/1.0/"
RDF_ABOUT = "http://www.w3.org/1999/02/22-rdf-syntax-ns# about"
ENTRIES = {f"{ATOM} entry", "item", f"{RSS1} item"}
"""An Atom entry, an RSS 2.0 or 1.0 item: one record each."""
FEED_ROOTS = {f"{ATOM} feed", "rss", "http://www.w3.org/1999/02/22-rdf-syntax-ns# RDF"}
"""The root elements of an Atom, RSS 2.0 and RSS 1.0 feed (which may have no entries)."""
FIELDS = {
    f"{ATOM} id": "id", "guid": "id", f"{DUBLIN_CORE} identifier": "id",
    f"{ATOM} title": "title", "title": "title", f"{RSS1} title": "title",
    f"{ATOM} summary": "abstract", "description": "abstract", f"{RSS1} description": "abstract",
    f"{ATOM} name": "authors", f"{DUBLIN_CORE} creator": "authors",
    f"{ATOM} published": "published", "pubDate": "published", f"{DUBLIN_CORE} date": "published",
    f"{ATOM} updated": "updated", "category": "categories", "link": "link", f"{RSS1} link": "link",
    f"{ARXIV} doi": "doi", f"{ARXIV} journal_ref": "journal_ref", f"{ARXIV} comment": "comment",
    f"{ARXIV} announce_type": "announce_type",
}
"""Element -> record key, for elements whose text is the value."""
LISTS = {"authors", "categories"}
ARXIV_RSS_ABSTRACT = re.compile(r"^arXiv:\S+\s+Announce Type:\s*\S+\s*Abstract:\s*", re.IGNORECASE)
"""How arXiv's RSS puts the id and announce type before an abstract."""


def feed_records(blocks, path) -> Iterator[tuple[int, dict]]:
    """(line where the entry starts, record) for each entry or item of a feed read in text blocks."""
    reader = _FeedReader(path)
    line = 1
    for block, final in itertools.chain(((block, False) for block in blocks), [("", True)]):
        try:
            reader.parser.Parse(block, final)
        except expat.ExpatError as exc:
            raise InputFileError(f"{path}, line {exc.lineno}: not well-formed XML "
                                 f"({expat.ErrorString(exc.code)})") from None
        except UnicodeEncodeError:  # a byte that was not in the file's encoding (see TextSource.blocks)
            raise InputFileError(f"{path}, line {line + block.count(chr(10), 0, _first_surrogate(block))}: "
                                 "bytes that are not in the file's encoding", undecodable=True) from None
        line += block.count("\n")
        yield from reader.take()
    if not reader.entries and reader.root not in FEED_ROOTS:
        raise InputFileError(f"{path}: not an Atom or RSS feed (its root element is <{reader.root.rsplit(' ')[-1]}>, "
                             "and it has no <entry> or <item>)")


class _FeedReader:
    """The expat handlers: they collect each entry's fields into a record."""

    def __init__(self, path):
        self.path = path
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartDoctypeDeclHandler = self.refuse_doctype
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.characters
        self.root, self.entries = None, 0
        self.record: dict | None = None  # the entry being read
        self.line = 0  # where it starts
        self.texts: list[list[str]] = []  # a text buffer for each of its open elements
        self.done: list[tuple[int, dict]] = []

    def take(self) -> list[tuple[int, dict]]:
        """The entries read since the last call."""
        done, self.done = self.done, []
        return done

    def refuse_doctype(self, name, *_):
        raise InputFileError(f"{self.path}, line {self.parser.CurrentLineNumber}: a document type declaration "
                             f"(<!DOCTYPE {name}>); feeds have none, and entities could hide in one")

    def start(self, name, attributes):
        if self.root is None:
            self.root = name
        if self.record is None:
            if name in ENTRIES:
                self.entries += 1
                self.record = {"id": attributes[RDF_ABOUT]} if RDF_ABOUT in attributes else {}
                self.line, self.texts = self.parser.CurrentLineNumber, []
            return
        self.texts.append([])
        record = self.record
        if name == f"{ATOM} category" and "term" in attributes:
            record.setdefault("categories", []).append(attributes["term"])
        elif name == f"{ARXIV} primary_category" and "term" in attributes:
            record["primary_category"] = attributes["term"]
        elif name == f"{ATOM} link" and attributes.get("rel", "alternate") == "alternate" and "href" in attributes:
            record.setdefault("link", attributes["href"])

    def end(self, name):
        if self.record is None:
            return
        if name in ENTRIES and not self.texts:
            self.done.append((self.line, _finished(self.record)))
            self.record = None
            return
        pieces = self.texts.pop()
        key = FIELDS.get(name)
        if key is None:  # markup inside a field (<b> in a summary): its text is the field's
            if self.texts:
                self.texts[-1].extend(pieces)
            return
        text = " ".join("".join(pieces).split())
        if text and key in LISTS:
            self.record.setdefault(key, []).append(text)
        elif text:
            self.record.setdefault(key, text)

    def characters(self, data):
        if self.texts:
            self.texts[-1].append(data)


def _finished(record: dict) -> dict:
    """An entry's record: arXiv's RSS preamble taken off its abstract."""
    if "abstract" in record:
        record["abstract"] = ARXIV_RSS_ABSTRACT.sub("", record["abstract"])
    return record


def _first_surrogate(text: str) -> int:
    return next((i for i, character in enumerate(text) if "\ud800" <= character <= "\udfff"), len(text))
