"""Read abstracts from JSONL, JSON, CSV, TSV, Parquet, BibTeX, RIS, Web of Science plain text (each
optionally .gz) and the papers-listing text format.

Readers stream: they yield pandas DataFrames of at most `chunk_size` records with the columns
`id`, `title`, `abstract` first and any other columns after; a file without one of those names may
write it in another case ("Title", "ABSTRACT") if only one of its columns does. A file that cannot be
read at all raises InputFileError; a single bad record is skipped and reported as a RowProblem with its line.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import InputFileError, MissingColumnsError, StdinFormatError, WebOfScienceTabError
from .formats import input_format_of, input_kind
from .options import REQUIRED_COLUMNS, STDIN
from .feeds import feed_records
from .json_document import json_records
from .references import RIS, WEB_OF_SCIENCE, bibtex_records, tagged_records

MAX_FIELD_CHARS = 64 << 20
"""The longest single CSV field accepted (a 5 MB abstract is fine)."""
MIN_ABSTRACT_CHARS = 200
"""In the listing format, a paragraph at least this long is an abstract; shorter ones are titles."""


@dataclass(frozen=True)
class RowProblem:
    """A record that was skipped, with where it was; `undecodable` when its line is not in the
    file's encoding."""

    path: str
    line: int
    message: str
    undecodable: bool = False

    def __str__(self) -> str:
        return f"{self.path}, line {self.line}: {self.message}"


@dataclass
class ReadReport:
    """What the readers of one run skipped, across all its input files; filled in while they run.

    It also keeps the ids read so far, so that an id is kept once in the whole run, and how many
    papers without an id of their own (those of listing files, RIS records with no ID or DOI) it
    has numbered, so that they are numbered on from one file to the next instead of each file
    starting again at `p000`.
    """

    problems: list[RowProblem] = field(default_factory=list)
    records: int = 0
    title_only: int = 0  # records read whose abstract is missing or empty (tagged on the title alone)
    duplicates: int = 0  # records skipped because an earlier one (of any file) has their id
    notes: list[str] = field(default_factory=list)  # how a file was read that the user should know
    position: object = None  # a function: the bytes of the file being read so far (for a progress bar)
    file_of_id: dict[str, str] = field(default_factory=dict)
    numbered: int = 0

    def skip(self, path, line: int, message: str, undecodable: bool = False) -> None:
        self.problems.append(RowProblem(str(path), line, message, undecodable))

    @property
    def undecodable(self) -> bool:
        """Whether some line was skipped because it is not in its file's encoding."""
        return any(problem.undecodable for problem in self.problems)


STDIN_UNNAMED = "-: the format of standard input is not known"


def read_documents(path: str | Path, chunk_size: int = 5000, report: ReadReport | None = None,
                   id_prefix: str = "p", columns: dict[str, str] | None = None,
                   encoding: str | None = None, input_format: str | None = None) -> Iterator[pd.DataFrame]:
    """Stream the records of one input file (or of standard input, STDIN) as DataFrames; skipped
    rows go into `report`.

    `columns` names the file's own columns for id, title and abstract ({"abstract": "summary"});
    a file column that already has one of those names is then left out. `encoding` is the text
    files' encoding (default: UTF-8, or UTF-16/32 when the file starts with their byte order mark).
    `input_format` (a name of formats.INPUT_FORMATS) is the format, instead of the one the file's name says.
    """
    stdin = str(path) == STDIN
    path = Path("<stdin>") if stdin else require_file(path)
    report = report if report is not None else ReadReport()
    source = {name: (columns or {}).get(name, name) for name in REQUIRED_COLUMNS}
    inverted_index = source["abstract"] == "abstract"  # (OpenAlex's key is the abstract unless one is named)
    if input_format is not None:
        kind = input_kind(input_format)
    elif stdin:
        raise StdinFormatError(STDIN_UNNAMED)
    else:
        kind = input_format_of(path)
    if kind == "parquet":
        if stdin:
            raise InputFileError(f"{path}: Parquet cannot be read from standard input; name the file instead")
        records = _parquet_records(path, source)
    else:
        text = TextSource(path, report, encoding, _standard_input() if stdin else None)
        if kind == "listing" and not stdin:  # (standard input cannot be read twice)
            kind = _text_kind(text)
        if kind == "listing":
            records = _listing_records(text, id_prefix)
        elif kind == "jsonl":
            records = _jsonl_records(text)
        elif kind == "json":
            records = _json_document_records(text, source, inverted_index)
        elif kind == "feed":
            records = feed_records(text.blocks(), path)
        elif kind in ("bibtex", "ris", "wos"):
            bad_lines: set[int] = set()
            lines = text.lines(bad_lines)
            records = (bibtex_records(lines, bad_lines, path, report) if kind == "bibtex" else
                       tagged_records(lines, bad_lines, path, report, lambda: _numbered_id(report, id_prefix),
                                      RIS if kind == "ris" else WEB_OF_SCIENCE))
        else:
            records = _csv_records(text, source, delimiter="\t" if kind == "tsv" else ",")
    if kind not in SELF_NAMED_KINDS:
        records = _renamed(records, source, inverted_index=inverted_index and kind in JSON_KINDS,
                           notes=kind in JSON_KINDS)
    chunk: list[dict] = []
    name = str(path)  # (one string for all the file's ids in report.file_of_id)
    first_keys, kept, duplicates_before = None, 0, report.duplicates
    for line, record in records:
        if first_keys is None and isinstance(record, dict):
            first_keys = list(record)
            other_name = suggested_columns(["abstract"], first_keys) if "abstract" not in record else {}
            if kind in JSON_KINDS and other_name:
                raise MissingColumnsError(f"{path}, line {line}: the first record has no abstract, but a key that "
                                          f"exports use for one (its keys: {_shown(first_keys)})", other_name)
        document = _clean_record(record, name, line, report)
        if document is None:
            continue
        kept += 1
        chunk.append(document)
        if len(chunk) >= chunk_size:
            report.records += len(chunk)
            yield _frame(chunk)
            chunk = []
    if chunk:
        report.records += len(chunk)
        yield _frame(chunk)
    if not kept and report.duplicates == duplicates_before:  # (a file of papers read before is no mistake)
        _no_records(path, kind, source, first_keys, [p for p in report.problems if p.path == name])


def _no_records(path, kind: str, source: dict[str, str], first_keys, problems: list[RowProblem]) -> None:
    """Raise the error of a file from which no record could be read: one whose first record lacks a
    required key, one whose every record was skipped, or one with no record at all."""
    lacking = [column for column in REQUIRED_COLUMNS if column not in (first_keys or REQUIRED_COLUMNS)]
    if kind in JSON_KINDS and lacking:
        raise MissingColumnsError(f"{path}: no record could be read: the first one has no "
                                  f"{', '.join(source[c] for c in lacking)} (its keys: {_shown(first_keys)})",
                                  suggested_columns(lacking, first_keys))
    if problems:
        raise InputFileError(f"{path}: no record could be read: all {len(problems)} were skipped, the first at "
                             f"line {problems[0].line}: {problems[0].message}",
                             undecodable=any(problem.undecodable for problem in problems))
    raise InputFileError(f"{path}: no records in it (read as {kind})")


JSON_KINDS = ("jsonl", "json")
"""The formats whose records each name their own keys."""
SELF_NAMED_KINDS = ("listing", "bibtex", "ris", "wos", "feed")
"""The formats whose readers name id, title and abstract themselves (--columns does not apply)."""


def _shown(names: list, limit: int = 12) -> str:
    shown = ", ".join(map(str, names[:limit]))
    return shown + (f", ... ({len(names)} keys)" if len(names) > limit else "")


def require_file(path: str | Path) -> Path:
    """`path` as a Path, or an InputFileError saying why it cannot be read as a file."""
    path = Path(path)
    if path.is_dir():
        raise InputFileError(f"{path}: is a folder, not a file")
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    return path


def read_all(paths, report: ReadReport | None = None, id_prefix: str = "p",
             columns: dict[str, str] | None = None, encoding: str | None = None) -> pd.DataFrame:
    """Every record of one or more files in one DataFrame (for small inputs such as gold sets)."""
    report = report if report is not None else ReadReport()
    frames = [frame for path in ([paths] if isinstance(paths, (str, Path)) else paths)
              for frame in read_documents(path, report=report, id_prefix=id_prefix, columns=columns,
                                          encoding=encoding)]
    if not frames:
        return _empty_frame()
    return pd.concat(frames, ignore_index=True)


def find_record(paths, record_id: str, columns: dict[str, str] | None = None,
                encoding: str | None = None, input_format: str | None = None) -> pd.DataFrame:
    """The record with this id in one or more files read as one run (as `tag` reads them), as a
    one-row frame (empty if there is none); reads only up to it."""
    report = ReadReport()
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        for frame in read_documents(path, chunk_size=1000, report=report, columns=columns, encoding=encoding,
                                    input_format=input_format):
            match = frame[frame["id"] == record_id]
            if not match.empty:
                return match.reset_index(drop=True)
    return _empty_frame()


def documents_from_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A DataFrame of a caller's documents in the shape the tagger reads: its id, title and
    abstract columns found as a file's are (the same name, or the only one that differs just in
    case: `Title`), cleaned as a file's fields are (None or NaN is empty), an abstract that is
    missing read as empty (the title alone is tagged), and an id that is missing made of the row
    numbers from 1. Other columns pass through."""
    found = {ours: _column_in(list(frame.columns), ours) for ours in REQUIRED_COLUMNS}
    if found["title"] is None:
        raise MissingColumnsError(f"the DataFrame has no title column (its columns: {_shown(list(frame.columns))})")
    documents = pd.DataFrame({
        "id": ([clean_text(value) for value in frame[found["id"]]] if found["id"] is not None
               else [str(number) for number in range(1, len(frame) + 1)]),
        "title": [clean_text(value) for value in frame[found["title"]]],
        "abstract": ([clean_text(value) for value in frame[found["abstract"]]] if found["abstract"] is not None
                     else [""] * len(frame)),
    }, dtype=object)
    for column in frame.columns:
        if column not in found.values() and column not in REQUIRED_COLUMNS:
            documents[column] = frame[column].to_numpy()
    return documents


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in REQUIRED_COLUMNS})


def _renamed(records, source: dict[str, str], inverted_index: bool = False,
             notes: bool = False) -> Iterator[tuple[int, dict]]:
    """Records with the file's columns named in `source` ({ours: theirs}) renamed to ours.

    A column is found by `_column_in`; one of our names that the file uses for another column
    (an `abstract` column when `summary` is named the abstract) is left out. With `inverted_index`,
    a record without an abstract takes OpenAlex's `abstract_inverted_index` for it; with `notes`,
    an OpenReview note's `content` fields are read as the record's own (openreview_fields).
    """
    for line, record in records:
        if isinstance(record, dict):
            if notes:
                record = openreview_fields(record)
            found = {ours: _column_in(record, theirs) for ours, theirs in source.items()}
            if inverted_index and found["abstract"] is None and INVERTED_INDEX in record:
                found["abstract"] = INVERTED_INDEX
            if any(ours != theirs for ours, theirs in found.items()):
                ours_of = {theirs: ours for ours, theirs in found.items() if theirs is not None}
                record = {ours_of.get(key, key): value for key, value in record.items()
                          if key in ours_of or key not in source}
        yield line, record


def _column_in(names, wanted: str) -> str | None:
    """The name among `names` that is `wanted`: the same, or else the only one that differs just in case."""
    if wanted in names:
        return wanted
    matches = [name for name in names if isinstance(name, str) and name.casefold() == wanted.casefold()]
    return matches[0] if len(matches) == 1 else None


def _frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(records, dtype=object)  # (object: a column of numbers with gaps stays numbers, not floats)
    others = [column for column in frame.columns if column not in REQUIRED_COLUMNS]
    return frame[list(REQUIRED_COLUMNS) + others]


def _clean_record(record, path: str, line: int, report: ReadReport) -> dict | None:
    if not isinstance(record, dict):
        report.skip(path, line, "not a JSON object")
        return None
    if "abstract" not in record and "id" in record and "title" in record:
        record = {**record, "abstract": None}  # (as a null abstract is: the title alone is tagged)
    missing = [column for column in REQUIRED_COLUMNS if column not in record]
    if missing:
        report.skip(path, line, f"missing {', '.join(missing)}")
        return None
    if isinstance(record["abstract"], dict):
        text = inverted_index_text(record["abstract"])
        if text is not None:
            record = {**record, "abstract": text}
    structured = [column for column in REQUIRED_COLUMNS if isinstance(record[column], (dict, list))]
    if structured:
        report.skip(path, line, f"{', '.join(structured)} is a JSON {_json_kind(record[structured[0]])}, not text")
        return None
    document = {key: clean_text(value) if key in REQUIRED_COLUMNS else passed_value(value)
                for key, value in record.items()}
    if not document["id"]:
        report.skip(path, line, "empty id")
        return None
    if not document["title"] and not document["abstract"]:
        report.skip(path, line, f"id {document['id']!r} has neither title nor abstract")
        return None
    first_file = report.file_of_id.get(document["id"])
    if first_file is not None:
        where = "" if first_file == path else f", in {first_file},"
        report.skip(path, line, f"duplicate id {document['id']!r} (the first one{where} is kept)")
        report.duplicates += 1
        return None
    report.file_of_id[document["id"]] = path
    if not document["abstract"]:
        report.title_only += 1
    return document


OPENREVIEW_CONTENT = "content"


def openreview_fields(record: dict) -> dict:
    """An OpenReview note ({"id": ..., "content": {"title": {"value": ...}, "abstract": ...}}, as
    its API and openreview-py give them; API v1 without the {"value": ...}) with its content
    fields beside its id, venue and keywords included; other records as they are. A field the
    note itself has (its id) is not replaced."""
    content = record.get(OPENREVIEW_CONTENT)
    if not isinstance(content, dict) or "title" in record or "abstract" in record:
        return record
    if "title" not in content and "abstract" not in content:
        return record
    lifted = {key: value for key, value in record.items() if key != OPENREVIEW_CONTENT}
    for key, value in content.items():
        if key not in lifted:
            lifted[key] = value["value"] if isinstance(value, dict) and "value" in value else value
    return lifted


INVERTED_INDEX = "abstract_inverted_index"
"""OpenAlex's abstract: each word with the positions where it stands."""


def inverted_index_text(index: dict) -> str | None:
    """The text of an abstract given as an inverted index ({"word": [0, 5], ...}), or None when
    `index` is not one."""
    placed = []
    for word, positions in index.items():
        if not isinstance(positions, list):
            return None
        for position in positions:
            if not isinstance(position, int) or isinstance(position, bool):
                return None
            placed.append((position, word))
    placed.sort()
    return " ".join(word for _, word in placed)


def _json_kind(value) -> str:
    return "object" if isinstance(value, dict) else "array"


def passed_value(value):
    """A column other than id, title and abstract, kept as the file gives it (a number, a list of
    categories, an object) for outputs that can hold it; text is cleaned as by clean_text."""
    if isinstance(value, str) or (isinstance(value, float) and value != value):
        return clean_text(value)
    return value


def clean_text(value) -> str:
    """A field as text: None/NaN as empty, a JSON array or object (a list of authors or
    categories) as JSON, NUL bytes dropped, outer white space trimmed."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (dict, list, tuple)):
        text = json.dumps(value, ensure_ascii=False, default=str)
    else:
        text = value if isinstance(value, str) else str(value)
    return text.replace("\x00", "").strip()


GZIP_MAGIC = b"\x1f\x8b"


def _standard_input():
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
        """(line number, text, problem or None) of each line of the open binary file."""
        encoding = self.encoding  # (set by __post_init__)
        if codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):  # a newline byte ends no line
            lines = io.TextIOWrapper(handle, encoding=encoding, errors=UNDECODABLE, newline="\n")
            for number, text in enumerate(lines, start=1):
                text = text.removeprefix("\ufeff") if number == 1 else text
                if UNDECODABLE_MARK in text:
                    yield number, text.replace(UNDECODABLE_MARK, "\ufffd"), f"not {self.label}"
                else:
                    yield number, text, None
            return
        first = "utf-8-sig" if self.label == "UTF-8" else encoding  # a UTF-8 byte order mark is dropped
        for number, raw in enumerate(handle, start=1):
            try:
                yield number, raw.decode(first if number == 1 else encoding), None
            except UnicodeDecodeError as exc:
                yield number, raw.decode(encoding, "replace"), f"not {self.label} (byte {exc.start})"


UNDECODABLE, UNDECODABLE_MARK = "taxotag-undecodable", "\udcff"
"""A decoding error handler that puts UNDECODABLE_MARK (a lone surrogate, which no valid text
decodes to) where the bytes were, so that the line holding them can be found."""
codecs.register_error(UNDECODABLE, lambda error: (UNDECODABLE_MARK, error.end))


def _marked_encoding(start: bytes) -> str | None:
    return next((encoding for mark, encoding in BYTE_ORDER_MARKS if start.startswith(mark)), None)


def _jsonl_records(text: TextSource) -> Iterator[tuple[int, object]]:
    for number, line in text.lines():
        if line.strip():
            yield from _parsed(line, number, text.path, text.report)


def _json_document_records(text: TextSource, source: dict[str, str],
                           inverted_index: bool) -> Iterator[tuple[int, object]]:
    """The records of a JSON document (see pipeline.json_document); a record holding bytes that
    are not in the file's encoding is skipped. With `inverted_index`, an object with OpenAlex's
    abstract key counts as a record too."""
    names = [source["title"], source["abstract"]] + ([INVERTED_INDEX] if inverted_index else [])

    def is_record(keys) -> bool:
        if "id" in keys and OPENREVIEW_CONTENT in keys:  # an OpenReview note
            return True
        return any(_column_in(keys, name) is not None for name in names)

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


def _csv_records(text: TextSource, source: dict[str, str], delimiter: str = ",") -> Iterator[tuple[int, dict]]:
    csv.field_size_limit(MAX_FIELD_CHARS)
    path, report = text.path, text.report
    bad_lines: set[int] = set()
    lines = text.lines(bad_lines)
    line_numbers = [0]

    def text_lines():
        for number, text in lines:
            line_numbers[0] = number
            yield text

    reader = csv.reader(text_lines(), strict=True, delimiter=delimiter)
    start = 1
    try:
        header = next(reader, None)
        if header is None:
            raise InputFileError(f"{path}: the file is empty")
        header = [name.strip() for name in header]
        if len(header) == 1 and ({";", "\t", ","} - {delimiter}) & set(header[0]):
            raise InputFileError(f"{path}, line 1: the header is one column ({header[0][:80]!r}); "
                                 f"taxotag reads comma-separated .csv and tab-separated .tsv files")
        twice = [name for index, name in enumerate(header) if name and name in header[:index]]  # ('' is no name)
        if twice:
            first = header.index(twice[0])
            raise InputFileError(f"{path}, line 1: the header names column {twice[0]!r} twice (columns "
                                 f"{first + 1} and {header.index(twice[0], first + 1) + 1}), so one would be lost")
        numbered = (source["id"] == "id" and _column_in(header, "id") is None  # (no id column, none named, and
                    and not suggested_columns(["id"], header))                 # none that exports use for it)
        if numbered:
            source = {**source, "id": ROW_NUMBER_ID}
            report.notes.append(f"{path} has no id column: each record's id is its row number (1 for the first)")
        _check_columns(f"{path}, line 1", {ours: theirs for ours, theirs in source.items() if theirs != ROW_NUMBER_ID},
                       header)
        start, row_number = line_numbers[0] + 1, 0
        for row in reader:
            end = line_numbers[0]
            if row:
                row_number += 1
            if any(number in bad_lines for number in range(start, end + 1)):
                report.skip(path, start, f"not {text.label}", undecodable=True)
            elif len(row) != len(header):
                if row:
                    report.skip(path, start, f"{len(row)} fields, the header has {len(header)}")
            else:
                yield start, {**dict(zip(header, row)), **({"id": str(row_number)} if numbered else {})}
            start = end + 1
    except csv.Error as exc:
        raise InputFileError(f"{path}, line {start}: malformed CSV in the record that starts here ({exc}); "
                             "check for an unbalanced quote") from None


ROW_NUMBER_ID = "(row number)"
"""The id `source` of a CSV without an id column: its records are numbered from 1."""


def _check_columns(where: str, source: dict[str, str], names) -> None:
    """A MissingColumnsError (`where: ...`) when a `source` column ({ours: theirs}) is not among the
    file's `names`, suggesting the file's own names for those it knows."""
    missing = _missing_columns(source, names)
    if missing:
        lacking = [ours for ours, theirs in source.items() if ours == theirs and _column_in(names, theirs) is None]
        raise MissingColumnsError(f"{where}: {missing}", suggested_columns(lacking, names))


EXPORT_COLUMNS = {
    "id": ("paperId", "EID", "UT", "DOI", "Key", "PMID", "arxiv_id", "corpusId", "Accession Number"),
    "title": ("Document Title", "Article Title", "TI", "display_name"),
    "abstract": ("summary", "Abstract Note", "AB", "paperAbstract", "abstract_text", "description"),
}
"""Names that exports give the id, title and abstract (Semantic Scholar, Scopus, Web of Science,
Zotero's and IEEE Xplore's CSV, PubMed, arXiv's API), in the order they are suggested."""


def suggested_columns(lacking, names) -> dict[str, str]:
    """{ours: the file's}: for each of the `lacking` columns, the first of the file's `names` that
    exports use for it ({"id": "EID", "abstract": "Abstract Note"}); empty when there is none."""
    picks = {}
    for ours in lacking:
        found = next(filter(None, (_column_in(names, name) for name in EXPORT_COLUMNS[ours])), None)
        if found is not None:
            picks[ours] = found
    return picks


def _missing_columns(source: dict[str, str], names) -> str:
    """What is wrong when a `source` column ({ours: theirs}) is not among the file's `names`, or ''."""
    missing = [ours if ours == theirs else f"{theirs} (for {ours})" for ours, theirs in source.items()
               if _column_in(names, theirs) is None]
    if not missing:
        return ""
    return f"missing required column(s) {', '.join(missing)}; found {', '.join(names)}"


def _parquet_records(path: Path, source: dict[str, str]) -> Iterator[tuple[int, dict]]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
        raise InputFileError(f"{path}: not a readable Parquet file ({exc})") from None
    _check_columns(str(path), source, parquet.schema_arrow.names)
    number = 0
    for batch in parquet.iter_batches(batch_size=5000):
        for record in batch.to_pylist():
            number += 1
            yield number, record


def _text_kind(text: TextSource) -> str:
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


def _listing_records(text: TextSource, id_prefix: str) -> Iterator[tuple[int, dict]]:
    """The papers of a listing, numbered on from the papers of the run's earlier listing files."""
    for line, title, abstract in parse_listing(text.lines(), text.path, text.report):
        yield line, {"id": _numbered_id(text.report, id_prefix), "title": title, "abstract": abstract}


def _numbered_id(report: ReadReport, id_prefix: str) -> str:
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


def title_key(title: str) -> str:
    """A title reduced to lowercase letters and digits, for finding the same paper twice."""
    return re.sub(r"[^a-z0-9]+", "", title.lower())


def import_listings(paths, id_prefix: str = "s") -> tuple[pd.DataFrame, ReadReport]:
    """Papers from listing files, duplicates (same title) merged, ids numbered in reading order."""
    report = ReadReport()
    papers, seen = [], {}
    for path in paths:
        path = require_file(path)
        found = 0
        for line, title, abstract in parse_listing(TextSource(path, report).lines(), path, report):
            found += 1
            key = title_key(title)
            if key in seen:
                seen[key]["sources"] += f";{path.name}:{line}"
                continue
            paper = {"title": title, "abstract": abstract, "sources": f"{path.name}:{line}"}
            seen[key] = paper
            papers.append(paper)
        if not found:
            _no_records(path, "listing", {}, None, [p for p in report.problems if p.path == str(path)])
    width = max(3, len(str(max(len(papers) - 1, 0))))
    frame = pd.DataFrame(papers, columns=["title", "abstract", "sources"])
    frame.insert(0, "id", [f"{id_prefix}{i:0{width}d}" for i in range(len(frame))])
    report.records = len(frame)
    return frame, report


def write_jsonl_text(frame: pd.DataFrame) -> str:
    """The records of a frame as JSON Lines text."""
    buffer = io.StringIO()
    for record in frame.to_dict(orient="records"):
        buffer.write(json.dumps(record, ensure_ascii=False) + "\n")
    return buffer.getvalue()
