"""Records of CSV, TSV and Parquet files: a header names the columns, a row is a record."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputFileError
from .columns import ROW_NUMBER_ID, check_columns, column_in, suggested_columns
from .decoding import TextSource

MAX_FIELD_CHARS = 64 << 20
"""The longest single CSV field accepted (a 5 MB abstract is fine)."""


def csv_records(text: TextSource, source: dict[str, str], delimiter: str = ",") -> Iterator[tuple[int, dict]]:
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
        numbered = (source["id"] == "id" and column_in(header, "id") is None  # (no id column, none named, and
                    and not suggested_columns(["id"], header))                 # none that exports use for it)
        if numbered:
            source = {**source, "id": ROW_NUMBER_ID}
            report.notes.append(f"{path} has no id column: each record's id is its row number (1 for the first)")
        check_columns(f"{path}, line 1", {ours: theirs for ours, theirs in source.items() if theirs != ROW_NUMBER_ID},
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


def parquet_records(path: Path, source: dict[str, str]) -> Iterator[tuple[int, dict]]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
        raise InputFileError(f"{path}: not a readable Parquet file ({exc})") from None
    check_columns(str(path), source, parquet.schema_arrow.names)
    number = 0
    for batch in parquet.iter_batches(batch_size=5000):
        for record in batch.to_pylist():
            number += 1
            yield number, record
