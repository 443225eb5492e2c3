"""Text input decoded line by line or in blocks: UTF-8 by default, UTF-16/32 by their byte order
mark, any encoding Python knows when named; gzip by the name (or the magic bytes of standard input);
undecodable lines found and reported, not guessed at."""

from __future__ import annotations

import codecs
import gzip
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputFileError
from .records import ReadReport

GZIP_MAGIC = b"\x1f\x8b"


def standard_input():
    """Standard input as a binary stream, decompressed when it is gzip data."""
    raw = sys.stdin.buffer
    if raw.peek(2)[:2] == GZIP_MAGIC:
        return io.BufferedReader(gzip.GzipFile(fileobj=raw, mode="rb"))
    return raw


def _open_binary(path: Path):
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
"""Files that start with one of these are read in its encoding (UTF-32 first: its LE mark starts
with UTF-16's). A spreadsheet's "Unicode text" export is UTF-16 with a mark."""


@dataclass
class TextSource:
    """A text input file decoded line by line; bad lines go into `report`. Without an `encoding`,
    it is UTF-8, or UTF-16/32 when the file starts with their byte order mark."""

    path: Path
    report: ReadReport
    encoding: str | None = None
    stream: object = None  # a binary stream to read instead of the file at `path` (standard input)

    def __post_init__(self):
        if self.encoding is None:
            with self._opened() as handle:
                start = handle.peek(4)[:4] if self.stream is not None else handle.read(4)
                self.encoding = _marked_encoding(start) or "utf-8"

    @property
    def label(self) -> str:
        """The encoding as messages name it."""
        return "UTF-8" if codecs.lookup(self.encoding).name == "utf-8" else self.encoding

    def lines(self, bad_lines: set | None = None) -> Iterator[tuple[int, str]]:
        """(line number, text) of each line. A line that cannot be decoded is reported and skipped,
        or, with `bad_lines`, added to it and decoded with replacement characters."""
        with self._opened() as handle:
            for number, text, problem in self._decoded(handle):
                if problem is not None:
                    if bad_lines is None:
                        self.report.skip(self.path, number, problem, undecodable=True)
                        continue
                    bad_lines.add(number)
                yield number, text.replace("\x00", "")

    def blocks(self, size: int = 1 << 20) -> Iterator[str]:
        """The decoded text in blocks of about `size` bytes; bytes that are not in the encoding
        become UNDECODABLE_MARK."""
        encoding = "utf-8-sig" if self.label == "UTF-8" else self.encoding  # (a UTF-8 byte order mark is dropped)
        decoder = codecs.getincrementaldecoder(encoding)(errors=UNDECODABLE)
        with self._opened() as handle:
            while block := handle.read(size):
                yield decoder.decode(block).replace("\x00", "")
            yield decoder.decode(b"", final=True)

    @contextmanager
    def _opened(self):
        try:
            if self.stream is not None:
                yield self.stream
                return
            with _open_binary(self.path) as handle:
                raw = getattr(handle, "fileobj", handle)  # (a gzip file's position in its compressed bytes)
                self.report.position = raw.tell
                yield handle
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise InputFileError(f"{self.path}: cannot read ({exc})") from None

    def _decoded(self, handle) -> Iterator[tuple[int, str, str | None]]:
        """(line number, text, problem or None) of each line of the open binary file, decoded by
        io.TextIOWrapper (in blocks, in C: twice as fast as a decode for each line), a line that
        holds bytes not in the encoding marked by UNDECODABLE_MARK where they were."""
        encoding = self.encoding  # (set by __post_init__)
        wide = codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))  # (a newline byte ends no line)
        first = "utf-8-sig" if self.label == "UTF-8" else encoding  # a UTF-8 byte order mark is dropped
        lines = io.TextIOWrapper(handle, encoding=first, errors=UNDECODABLE, newline="\n")
        try:
            for number, text in enumerate(lines, start=1):
                if wide and number == 1:
                    text = text.removeprefix("\ufeff")
                if UNDECODABLE_MARK not in text:
                    yield number, text, None
                elif wide:
                    yield number, text.replace(UNDECODABLE_MARK, "\ufffd"), f"not {self.label}"
                else:
                    at = len(text[:text.index(UNDECODABLE_MARK)].encode(encoding))
                    yield number, text.replace(UNDECODABLE_MARK, "\ufffd"), f"not {self.label} (byte {at})"
        finally:
            lines.detach()  # (the binary file stays open for its owner: standard input, a gzip file)


UNDECODABLE, UNDECODABLE_MARK = "taxotag-undecodable", "\udcff"
"""A decoding error handler that puts UNDECODABLE_MARK (a lone surrogate, which no valid text
decodes to) where the bytes were, so that the line holding them can be found."""
codecs.register_error(UNDECODABLE, lambda error: (UNDECODABLE_MARK, error.end))


def _marked_encoding(start: bytes) -> str | None:
    return next((encoding for mark, encoding in BYTE_ORDER_MARKS if start.startswith(mark)), None)
