"""Records of JSON Lines files and of JSON documents (pipeline.readers.json_document finds the
records of a document), each parsed and its errors reported with their line."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import orjson

from .columns import INVERTED_INDEX, OPENREVIEW_CONTENT, column_in
from .decoding import UNDECODABLE_MARK, TextSource
from .json_document import json_records
from .records import ReadReport


def jsonl_records(text: TextSource) -> Iterator[tuple[int, object]]:
    path, report = text.path, text.report
    for number, line in text.lines():
        if line and not line.isspace():  # (what line.strip() tests, without a copy of the line)
            value = _parsed(line, number, path, report)
            if value is not INVALID:
                yield number, value


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
            value = _parsed(raw, number, text.path, text.report)
            if value is not INVALID:
                yield number, value


INVALID = object()
"""What _parsed gives for text that is not JSON."""


def _parsed(raw: str, number: int, path, report: ReadReport):
    """The value of the JSON text `raw`, which starts at line `number`; INVALID, and a reported
    problem, when it is not valid JSON.

    orjson parses it (in half json's time); where orjson refuses (NaN, numbers beyond a double,
    invalid JSON) or may differ, json does, so the value and the messages are json's: orjson
    gives a float for an integer beyond 64 bits, so a value that holds a float is parsed again."""
    try:
        value = orjson.loads(raw)
        exact = not holds_float(value)
    except (orjson.JSONDecodeError, RecursionError):  # (RecursionError: nested deeper than Python's limit)
        exact = False
    if not exact:
        value = _parsed_by_json(raw, number, path, report)
    if value is INVALID or not ("\\ud" in raw or "\\uD" in raw):  # (no \\u escape of a surrogate)
        return value
    return without_lone_surrogates(value)


def holds_float(value) -> bool:
    """Whether a parsed JSON value is a float or holds one."""
    if type(value) is dict:
        value = value.values()
    elif type(value) is not list:
        return type(value) is float
    for item in value:
        kind = type(item)
        if kind is float or (kind is dict or kind is list) and holds_float(item):
            return True
    return False


def _parsed_by_json(raw: str, number: int, path, report: ReadReport):
    """json's value of `raw`; INVALID, and a reported problem, when it is not valid JSON."""
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        line = number + exc.lineno - 1
        column = f"column {exc.colno}" if exc.lineno == 1 else f"line {line}, column {exc.colno}"
        report.skip(path, number, f"invalid JSON: {exc.msg.removesuffix(' at')} ({column})")
    except RecursionError:
        report.skip(path, number, "invalid JSON (nested too deeply)")
    else:
        return value
    return INVALID


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(value):
    """A parsed JSON value with each lone surrogate (an escape such as \\ud800 with no pair, which
    stands for no character and cannot be written as UTF-8) replaced by U+FFFD, as undecodable
    bytes are; its pairs are already one character each."""
    if isinstance(value, str):
        return LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {without_lone_surrogates(key): without_lone_surrogates(item) for key, item in value.items()}
    return value
