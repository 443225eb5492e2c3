"""A chunk of `tag` output as CSV or JSON Lines text, and CSV files written whole."""

from __future__ import annotations

import csv
import functools
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import OutputNameError
from ..files import atomic_text
from ..formats import OUTPUT_NAMES, output_format_of
from ..options import STDOUT
from .cells import (TAG_LISTS, finite_values, is_gap, json_if_structured, neutralise_cell, neutralise_frame,
                    neutralised_texts, structured_as_json)


def csv_rows(frame: pd.DataFrame, columns: list[str]) -> str:
    """A frame's rows as CSV text in the given columns (a missing one is empty), every cell
    neutralised and a list or object written as JSON. CRLF line ends (RFC 4180): any field holding
    a CR or an LF is then quoted.

    The cells are those pandas' to_csv writes, given to the csv module a column at a time
    (csv_cells; a third of to_csv's time); a column of another type (dates, categories) sends the
    whole frame through pandas."""
    if columns and not frame.columns.has_duplicates:
        cells = [csv_cells(frame[column]) if column in frame.columns else [""] * len(frame) for column in columns]
        if all(column is not None for column in cells):
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\r\n").writerows(zip(*cells))
            return buffer.getvalue()
    rows = neutralise_frame(structured_as_json(frame.reindex(columns=columns, fill_value="")))
    return rows.to_csv(header=False, index=False, lineterminator="\r\n")


def csv_cells(values: pd.Series) -> list | None:
    """The cells of a column as pandas' to_csv gives them to the csv module, after
    structured_as_json and neutralise_frame: a float as numpy's text of it, a gap as empty, text
    neutralised, a list or object as JSON, other values as they are (the csv module writes
    str()); None for a column of another type."""
    dtype = values.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        return float_cells(values.to_numpy())
    if isinstance(dtype, np.dtype) and dtype.kind in "iub":
        return values.to_numpy().astype(object).tolist()
    if not (dtype == object or isinstance(dtype, pd.StringDtype)):
        return None
    array = values.to_numpy(dtype=object)
    items = array.tolist()
    if all(type(value) is str for value in items):  # (most columns: no gap, nothing structured)
        return neutralised_texts(items)
    gaps = pd.isna(array).tolist()
    structured = dtype == object
    return ["" if gap else neutralise_cell(json_if_structured(value) if structured else value)
            for value, gap in zip(items, gaps)]


SCORE_STEPS = 10_000


@functools.cache
def _score_texts() -> np.ndarray:
    """numpy's text of each k / SCORE_STEPS from 0 to 1: what the scores (rounded to 4 places) are."""
    return (np.arange(SCORE_STEPS + 1) / SCORE_STEPS).astype(str).astype(object)


def float_cells(numbers: np.ndarray) -> list:
    """numpy's text of each float (numbers.astype(str)), a NaN as empty. A float64 column of which
    every value is one of k / SCORE_STEPS in [0, 1] (the scores) is looked up in _score_texts():
    numpy makes the text of a float in about 1 us."""
    gaps = np.isnan(numbers)
    known = np.where(gaps, 0, numbers)
    with np.errstate(over="ignore", invalid="ignore"):  # (a huge number: not a score)
        steps = np.rint(known * SCORE_STEPS)
    if numbers.dtype == np.float64 and (known == steps / SCORE_STEPS).all() and not np.signbit(numbers).any() \
            and (steps <= SCORE_STEPS).all():
        text = _score_texts()[steps.astype(np.intp)]
    else:
        text = numbers.astype(str).astype(object)
    text[gaps] = ""
    return text.tolist()


def jsonl_rows(frame: pd.DataFrame) -> str:
    """A `tag` output frame's rows as JSON Lines: `tags` and `model_tags` as lists of tag ids, scores as numbers,
    and the passed-through columns as the input gave them (a column a record lacked, left out)."""
    lines = []
    lists = [column for column in TAG_LISTS if column in frame.columns]
    for record in frame.to_dict(orient="records"):
        record = {key: value for key, value in record.items() if not is_gap(value)}
        for column in lists:
            record[column] = record[column].split(";") if record.get(column) else []
        try:
            line = json.dumps(record, ensure_ascii=False, default=str, allow_nan=False)
        except ValueError:  # an infinity or NaN, which JSON cannot hold: null instead
            line = json.dumps(finite_values(record), ensure_ascii=False, default=str)
        lines.append(line + "\n")
    return "".join(lines)


def output_format(target: str | Path, asked: str | None = None) -> str:
    """The format of a `tag` output: the one `asked` for standard output (default CSV), else the
    one its name says (.csv or .jsonl, optionally .gz, or .parquet); a TaxotagError for another
    name, or for a name that says another format than `asked`."""
    if str(target) == STDOUT:
        if asked == "parquet":
            raise OutputNameError("-: Parquet cannot be written to standard output (its file ends with the "
                                  "schema); name a .parquet file")
        return asked or "csv"
    named = output_format_of(target)
    if named is None:
        raise OutputNameError(f"{target}: name the output {OUTPUT_NAMES}; its name says its format")
    if asked is not None and asked != named:
        raise OutputNameError(f"{target}: the output format asked for is {asked} but the name says {named}; "
                              f"name it .{asked}")
    return named


def output_rows(row_format: str, frame: pd.DataFrame, columns: list[str]) -> str:
    """A `tag` output chunk as text: CSV rows in `columns` (the first chunk's: a CSV has one
    header), or JSON Lines, in which every record has its own keys."""
    return csv_rows(frame, columns) if row_format == "csv" else jsonl_rows(frame)


class RowWriter:
    """Append rows to a CSV or JSON Lines text handle as they come; the columns are the first
    chunk's (a CSV's header row; JSON Lines has none)."""

    def __init__(self, handle, columns: list[str] | None = None, row_format: str = "csv"):
        self._handle = handle
        self.columns = columns
        self.row_format = row_format

    def start(self, columns: list[str]) -> None:
        """Write the header row (of a CSV)."""
        self.columns = list(columns)
        if self.row_format == "csv":
            header = io.StringIO()
            csv.writer(header, lineterminator="\r\n").writerow([neutralise_cell(str(c)) for c in self.columns])
            self._handle.write(header.getvalue())

    def write(self, frame: pd.DataFrame) -> None:
        if self.columns is None:
            self.start(list(frame.columns))
        self._handle.write(output_rows(self.row_format, frame, self.columns))

    def write_rows(self, text: str) -> None:
        """Append rows already made by output_rows(self.row_format, frame, self.columns)."""
        self._handle.write(text)


def write_csv(target: str | Path, frame: pd.DataFrame) -> Path:
    """`frame` as CSV in `target` (`.csv`, or `.csv.gz` for gzip), replaced only once complete."""
    is_gzip_csv(target)  # (refuses any other name)
    with atomic_text(target, newline="") as handle:
        RowWriter(handle).write(frame)
    return Path(target)


def csv_text(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    RowWriter(buffer).write(frame)
    return buffer.getvalue()


def is_gzip_csv(target: str | Path) -> bool:
    """Whether an output CSV name asks for gzip (`.csv.gz`); a TaxotagError for a name that is
    neither `.csv` nor `.csv.gz`, as the output is CSV whatever its name says."""
    name = Path(target).name.lower()
    if not name.endswith((".csv", ".csv.gz")):
        raise OutputNameError(f"{target}: the output is CSV; name it .csv (or .csv.gz to compress it)")
    return name.endswith(".gz")


def write_jsonl_text(frame: pd.DataFrame) -> str:
    """The records of a frame as JSON Lines text."""
    buffer = io.StringIO()
    for record in frame.to_dict(orient="records"):
        buffer.write(json.dumps(record, ensure_ascii=False) + "\n")
    return buffer.getvalue()
