"""Read abstracts from any input format (pipeline.formats) as a stream of DataFrames.

Readers stream: they yield pandas DataFrames of at most `chunk_size` records with the columns
`id`, `title`, `abstract` first and any other columns after; a file without one of those names may
write it in another case ("Title", "ABSTRACT") if only one of its columns does. A file that cannot be
read at all raises InputFileError; a single bad record is skipped and reported as a RowProblem with its line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from ..errors import InputFileError, MissingColumnsError, StdinFormatError
from ..formats import input_format_of, input_kind
from ..options import REQUIRED_COLUMNS, STDIN
from .columns import JSON_KINDS, SELF_NAMED_KINDS, column_in, renamed_records, shown_keys, suggested_columns
from .decoding import TextSource, standard_input
from .feeds import feed_records
from .json_lines import json_document_records, jsonl_records
from .listings import listing_records, numbered_id, text_kind
from .records import ReadReport, RowProblem, clean_record, clean_text
from .references import RIS, WEB_OF_SCIENCE, bibtex_records, tagged_records
from .tables import csv_records, parquet_records

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
        records = parquet_records(path, source)
    else:
        text = TextSource(path, report, encoding, standard_input() if stdin else None)
        if kind == "listing" and not stdin:  # (standard input cannot be read twice)
            kind = text_kind(text)
        if kind == "listing":
            records = listing_records(text, id_prefix)
        elif kind == "jsonl":
            records = jsonl_records(text)
        elif kind == "json":
            records = json_document_records(text, source, inverted_index)
        elif kind == "feed":
            records = feed_records(text.blocks(), path)
        elif kind in ("bibtex", "ris", "wos"):
            bad_lines: set[int] = set()
            lines = text.lines(bad_lines)
            records = (bibtex_records(lines, bad_lines, path, report) if kind == "bibtex" else
                       tagged_records(lines, bad_lines, path, report, lambda: numbered_id(report, id_prefix),
                                      RIS if kind == "ris" else WEB_OF_SCIENCE))
        else:
            records = csv_records(text, source, delimiter="\t" if kind == "tsv" else ",")
    if kind not in SELF_NAMED_KINDS:
        records = renamed_records(records, source, inverted_index=inverted_index and kind in JSON_KINDS,
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
                                          f"exports use for one (its keys: {shown_keys(first_keys)})", other_name)
        document = clean_record(record, name, line, report)
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
        no_records(path, kind, source, first_keys, [p for p in report.problems if p.path == name])


def no_records(path, kind: str, source: dict[str, str], first_keys, problems: list[RowProblem]) -> None:
    """Raise the error of a file from which no record could be read: one whose first record lacks a
    required key, one whose every record was skipped, or one with no record at all."""
    lacking = [column for column in REQUIRED_COLUMNS if column not in (first_keys or REQUIRED_COLUMNS)]
    if kind in JSON_KINDS and lacking:
        raise MissingColumnsError(f"{path}: no record could be read: the first one has no "
                                  f"{', '.join(source[c] for c in lacking)} (its keys: {shown_keys(first_keys)})",
                                  suggested_columns(lacking, first_keys))
    if problems:
        raise InputFileError(f"{path}: no record could be read: all {len(problems)} were skipped, the first at "
                             f"line {problems[0].line}: {problems[0].message}",
                             undecodable=any(problem.undecodable for problem in problems))
    raise InputFileError(f"{path}: no records in it (read as {kind})")


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
    found = {ours: column_in(list(frame.columns), ours) for ours in REQUIRED_COLUMNS}
    if found["title"] is None:
        raise MissingColumnsError(f"the DataFrame has no title column (its columns: {shown_keys(list(frame.columns))})")
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


def _frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(records, dtype=object)  # (object: a column of numbers with gaps stays numbers, not floats)
    others = [column for column in frame.columns if column not in REQUIRED_COLUMNS]
    return frame[list(REQUIRED_COLUMNS) + others]
