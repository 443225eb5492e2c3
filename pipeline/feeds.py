"""Records from XML feeds: the arXiv API's Atom (export.arxiv.org/api/query), arXiv's daily RSS
listings (rss.arxiv.org), and other Atom, RSS 2.0 or RSS 1.0 (RDF: many journals' tables of
contents) feeds whose entries have a title and a summary.

The feed is parsed with expat as it streams in. A document type declaration is refused: feeds
have none, and it is what an XML entity bomb needs.
"""

from __future__ import annotations

import re
from typing import Iterator
from xml.parsers import expat

from pipeline.errors import InputFileError

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
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    done: list[tuple[int, dict]] = []
    state = {"record": None, "line": 0, "texts": [], "root": None, "entries": 0}
    # (texts: a text buffer for each open element of the entry being read)

    def refuse_doctype(name, *_):
        raise InputFileError(f"{path}, line {parser.CurrentLineNumber}: a document type declaration "
                             f"(<!DOCTYPE {name}>); feeds have none, and entities could hide in one")

    def start(name, attributes):
        record = state["record"]
        if state["root"] is None:
            state["root"] = name
        if name in ENTRIES and record is None:
            state["entries"] += 1
            state.update(record={"id": attributes[RDF_ABOUT]} if RDF_ABOUT in attributes else {},
                         line=parser.CurrentLineNumber, texts=[])
            return
        if record is None:
            return
        state["texts"].append([])
        if name == f"{ATOM} category" and "term" in attributes:
            record.setdefault("categories", []).append(attributes["term"])
        elif name == f"{ARXIV} primary_category" and "term" in attributes:
            record["primary_category"] = attributes["term"]
        elif name == f"{ATOM} link" and attributes.get("rel", "alternate") == "alternate" and "href" in attributes:
            record.setdefault("link", attributes["href"])

    def end(name):
        record = state["record"]
        if record is None:
            return
        if name in ENTRIES and not state["texts"]:
            done.append((state["line"], _finished(record)))
            state["record"] = None
            return
        pieces = state["texts"].pop()
        key = FIELDS.get(name)
        if key is None:  # markup inside a field (<b> in a summary): its text is the field's
            if state["texts"]:
                state["texts"][-1].extend(pieces)
            return
        text = " ".join("".join(pieces).split())
        if not text:
            return
        if key in LISTS:
            record.setdefault(key, []).append(text)
        else:
            record.setdefault(key, text)

    def characters(data):
        if state["texts"]:
            state["texts"][-1].append(data)

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    line = 1
    for block in blocks:
        try:
            parser.Parse(block, False)
        except expat.ExpatError as exc:
            raise InputFileError(f"{path}, line {exc.lineno}: not well-formed XML "
                                 f"({expat.ErrorString(exc.code)})") from None
        except UnicodeEncodeError:  # a byte that was not in the file's encoding (see TextSource.blocks)
            raise InputFileError(f"{path}, line {line + block.count(chr(10), 0, _first_surrogate(block))}: "
                                 "bytes that are not in the file's encoding", undecodable=True) from None
        line += block.count("\n")
        yield from done
        done.clear()
    try:
        parser.Parse("", True)
    except expat.ExpatError as exc:
        raise InputFileError(f"{path}, line {exc.lineno}: not well-formed XML ({expat.ErrorString(exc.code)})"
                             ) from None
    if not state["entries"] and state["root"] not in FEED_ROOTS:
        root = state["root"].rsplit(" ", 1)[-1]
        raise InputFileError(f"{path}: not an Atom or RSS feed (its root element is <{root}>, and it has no "
                             "<entry> or <item>)")
    yield from done


def _finished(record: dict) -> dict:
    """An entry's record: arXiv's RSS preamble taken off its abstract."""
    if "abstract" in record:
        record["abstract"] = ARXIV_RSS_ABSTRACT.sub("", record["abstract"])
    return record


def _first_surrogate(text: str) -> int:
    return next((i for i, character in enumerate(text) if "\ud800" <= character <= "\udfff"), len(text))
