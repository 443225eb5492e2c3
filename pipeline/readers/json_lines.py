"""Records of JSON Lines files and of JSON documents (pipeline.readers.json_document finds the
records of a document), each parsed and its errors reported with their line."""

from __future__ import annotations

import json
from collections.abc import Iterator

from .columns import INVERTED_INDEX, OPENREVIEW_CONTENT, column_in
from .decoding import UNDECODABLE_MARK, TextSource
from .json_document import json_records
from .records import ReadReport


def jsonl_records(text: TextSource) -> Iterator[tuple[int, object]]:
    for number, line in text.lines():
        if line.strip():
            yield from _parsed(line, number, text.path, text.report)


def json_document_records(text: TextSource, source: dict[str, str],
                           inverted_index: bool) -> Iterator[tuple[int, object]]:
    """The records of a JSON document (see pipeline.json_document); a record holding bytes that
    are not in the file's encoding is skipped. With `inverted_index`, an object with OpenAlex's
    abstract key counts as a record too."""
    names = [source["title"], source["abstract"]] + ([INVERTED_INDEX] if inverted_index else [])

    def is_record(keys) -> bool:
        if "id" in keys and OPENREVIEW_CONTENT in keys:  # an OpenReview note
            return True
        return any(column_in(keys, name) is not None for name in names)

    for number, raw in json_records(text.blocks(), text.path, is_record):
        if UNDECODABLE_MARK in raw:
            text.report.skip(text.path, number, f"not {text.label} (in the record that starts here)",
                             undecodable=True)
        else:
            yield from _parsed(raw, number, text.path, text.report)


def _parsed(raw: str, number: int, path, report: ReadReport) -> Iterator[tuple[int, object]]:
    """(number, value) of the JSON text `raw`, which starts at line `number`; nothing, and a
    reported problem, when it is not valid JSON."""
    try:
        yield number, json.loads(raw)
    except json.JSONDecodeError as exc:
        line = number + exc.lineno - 1
        column = f"column {exc.colno}" if exc.lineno == 1 else f"line {line}, column {exc.colno}"
        report.skip(path, number, f"invalid JSON: {exc.msg.removesuffix(' at')} ({column})")
    except RecursionError:
        report.skip(path, number, "invalid JSON (nested too deeply)")
