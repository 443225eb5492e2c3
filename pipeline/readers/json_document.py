"""The records of a JSON document, streamed: an array of objects, an object holding such an array
(an API response such as `{"total": 2, "data": [...]}` or `{"meta": {...}, "results": [...]}`),
or one object after another (JSON Lines in a file named `.json`).

Only the bracket structure is scanned, block by block, so a file of any size is read in little
memory; each record's text is handed on whole, to be parsed alone, so that one broken record can
be skipped and reported with its line while the others are read. A broken structure (an array
that is never closed, text after the document) is an InputFileError naming the line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator

from ..errors import InputFileError, MissingColumnsError

STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
STRUCTURE = re.compile(STRING.pattern + r'|[\[\]{}]|"', re.S)
"""A whole string, a bracket, or the start of a string that goes on in text not yet read."""
SCALAR_END = re.compile(r'[\s,:\[\]{}"]')
SPACE = re.compile(r"[ \t\r\n]*")


def json_records(blocks: Iterable[str], path, is_record: Callable[[list], bool]) -> Iterator[tuple[int, str]]:
    """(line, text) of each record of the JSON document whose text comes in `blocks`.

    In a top-level object, the records are the elements of the first member that is an array
    whose first element is an object `is_record` accepts (given its keys); an object in which a
    key comes first that `is_record` accepts is itself a record, and so is each value after it.
    An object with neither has no records if it holds an empty array; one that holds an array of
    other objects is a MissingColumnsError naming their keys, and any other an InputFileError.
    """
    text = _Text(iter(blocks), path)
    first = text.next_char()
    if first == "":
        raise InputFileError(f"{path}: the file is empty")
    if first == "[":
        yield from _elements(text)
    elif first == "{":
        yield from _top_object(text, is_record)
        return
    else:
        raise InputFileError(f"{path}, line {text.line}: not a JSON document (it starts with "
                             f"{text.text[text.pos:text.pos + 20]!r}); a .json file holds an array of records")
    if text.next_char() != "":
        raise InputFileError(f"{path}, line {text.line}: text after the end of the JSON document")


def _elements(text: _Text) -> Iterator[tuple[int, str]]:
    """(line, text) of each element of the array whose `[` is at the current position."""
    opened = text.line
    text.advance(text.pos + 1)
    while True:
        char = text.next_char()
        if char == "]":
            text.advance(text.pos + 1)
            return
        if char == "":
            raise InputFileError(f"{text.path}, line {opened}: the array that starts here is not closed "
                                 "(the file ends inside it)")
        line, end = text.line, text.value_end()
        yield line, text.text[text.pos:end]
        text.advance(end)
        char = text.next_char()
        if char == ",":
            text.advance(text.pos + 1)
        elif char not in ("]", ""):  # (at the end of the file, the next turn says the array is not closed)
            raise InputFileError(f"{text.path}, line {text.line}: expected ',' or ']' after the record that "
                                 f"starts at line {line}")


def _top_object(text: _Text, is_record: Callable[[list], bool]) -> Iterator[tuple[int, str]]:
    """The records of a document that starts with an object: those of the array it holds, or the
    object itself and every value after it."""
    opened, text.keep = text.line, text.pos
    wrapper = record = empty = False
    names: list[str] = []
    unnamed = None  # (member, keys of its first object) of the first array of objects that are not records
    text.advance(text.pos + 1)
    while (char := text.next_char()) != "}":
        key = _member_name(text, char, opened)
        names.append(key)
        record = record or (not wrapper and is_record([key]))
        if text.next_char() == "[" and not (wrapper or record):
            index = -1
            for index, (line, element) in enumerate(_elements(text)):
                if index == 0:
                    keys = _object_keys(element)
                    wrapper = keys is not None and is_record(keys)
                    if wrapper:
                        text.keep = None  # (the other members are not needed)
                    elif keys is not None and unnamed is None:
                        unnamed = (key, keys)
                if wrapper:
                    yield line, element
            empty = empty or index == -1
        else:
            text.advance(text.value_end())
        if text.next_char() == ",":
            text.advance(text.pos + 1)
    text.advance(text.pos + 1)
    if record:
        yield opened, text.text[text.keep:text.pos]
        text.keep = None
        while text.next_char() != "":  # more objects: JSON Lines
            line, end = text.line, text.value_end()
            yield line, text.text[text.pos:end]
            text.advance(end)
        return
    if text.next_char() != "":
        raise InputFileError(f"{text.path}, line {text.line}: text after the end of the JSON document")
    if wrapper or (empty and unnamed is None):  # (an empty array: a page of search results with none)
        return
    if unnamed is not None:
        raise MissingColumnsError(f"{text.path}: the objects in {unnamed[0]!r} have no title or abstract (the "
                                  f"first one's keys: {', '.join(map(str, unnamed[1][:12]))})")
    raise InputFileError(f"{text.path}: no records: the document is an object (keys: {', '.join(names[:12])}) "
                         "with no title or abstract and no array of records")


def _member_name(text: _Text, char: str, opened: int) -> str:
    """The name of the object member at the current position, passing it and its `:`."""
    if char != '"':
        problem = "the file ends inside it" if char == "" else f"expected a member name, found {char!r}"
        raise InputFileError(f"{text.path}, line {text.line}: the object that starts at line {opened} is "
                             f"not valid JSON ({problem})")
    line, end = text.line, text.value_end()
    try:
        key = json.loads(text.text[text.pos:end])
    except json.JSONDecodeError as exc:
        raise InputFileError(f"{text.path}, line {line}: invalid JSON in a member name ({exc.msg})") from None
    text.advance(end)
    if text.next_char() != ":":
        raise InputFileError(f"{text.path}, line {text.line}: expected ':' after {key!r}")
    text.advance(text.pos + 1)
    if text.next_char() == "":
        raise InputFileError(f"{text.path}, line {text.line}: the object that starts at line {opened} is "
                             "not closed (the file ends inside it)")
    return key


def _object_keys(element: str) -> list | None:
    """The keys of the JSON object `element`, or None if it is not one."""
    try:
        value = json.loads(element)
    except (json.JSONDecodeError, RecursionError):
        return None
    return list(value) if isinstance(value, dict) else None


class _Text:
    """Text read in blocks, with the scanner's position and line in it; text before the position
    (or before `keep`, while it is set) is dropped when a block is added."""

    def __init__(self, blocks: Iterator[str], path):
        self.blocks, self.path = blocks, path
        self.text, self.pos, self.line = "", 0, 1
        self.keep: int | None = None

    def more(self) -> bool:
        """Add the next block; False at the end of the file."""
        block = next(self.blocks, None)
        while block == "":
            block = next(self.blocks, None)
        if block is None:
            return False
        cut = self.pos if self.keep is None else self.keep
        self.text = self.text[cut:] + block
        self.pos -= cut
        if self.keep is not None:
            self.keep -= cut
        return True

    def advance(self, end: int) -> None:
        self.line += self.text.count("\n", self.pos, end)
        self.pos = end

    def next_char(self) -> str:
        """The next character that is not white space, without passing it ('' at the end)."""
        while True:
            self.advance(SPACE.match(self.text, self.pos).end())
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return ""

    def value_end(self) -> int:
        """Where the JSON value that starts at the current position ends, reading on as needed."""
        while True:
            end = self._scan()
            if end is not None:
                return end
            if not self.more():
                if self.text[self.pos] not in '[{"':
                    return len(self.text)  # a number or literal at the end of the file
                kind = {"[": "array", "{": "object", '"': "string"}[self.text[self.pos]]
                raise InputFileError(f"{self.path}, line {self.line}: the {kind} that starts here is not "
                                     "closed (the file ends inside it)")

    def _scan(self) -> int | None:
        """The end of the value at the current position, or None if it goes on past the text read."""
        first = self.text[self.pos]
        if first == '"':
            match = STRING.match(self.text, self.pos)
            return match.end() if match else None
        if first not in "[{":
            match = SCALAR_END.search(self.text, self.pos + 1)
            return match.start() if match else None
        depth = 0
        for match in STRUCTURE.finditer(self.text, self.pos):
            token = match.group()
            if token == '"':
                return None
            if token[0] != '"':
                depth += 1 if token in "[{" else -1
                if depth == 0:
                    return match.end()
        return None
