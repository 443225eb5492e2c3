"""The `tag` output as Parquet, made from the JSON Lines that the run spooled chunk by chunk.

Parquet holds one schema, written once at the end of the file, so a run cannot append to it and
resume; it writes JSON Lines (resumable like any output) and converts them when complete. Two
passes over the spool: the first finds each column's type, the second writes row groups.
"""

from __future__ import annotations

import gzip
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .cells import TAG_LISTS, json_if_structured

ROWS_PER_GROUP = 20_000
MAX_FIELDS = 100
"""An object column with more keys than this over all its records (a word index, a map from
names to values) is written as JSON text, not as a struct with a field a key."""


def spool_to_parquet(spool: Path, handle, columns: list[str]) -> None:
    """Write the records of the gzipped JSON Lines file `spool` to the binary `handle` as Parquet.

    `columns` are the output's (tagging.output_columns, of the first chunk; a later one may add
    others, as a JSON Lines record has its own keys). Up to `evidence` they are the output's own:
    `tags` and `model_tags` lists of strings, the scores after `tags` doubles, the others strings. Another column
    takes the type of its values (numbers, text, lists, structs), widened where chunks differ
    (int64 and double: double); a column whose values have no one type (a number here, text
    there) is written as text, a list or object as its JSON.
    """
    own = columns[:columns.index("evidence") + 1]
    scores = [column for column in own if column.startswith("score_")]
    fixed = {column: pa.list_(pa.string()) if column in TAG_LISTS else pa.float64() if column in scores
             else pa.string() for column in own}
    types, as_text = _passed_types(spool, fixed, [column for column in columns if column not in fixed])
    try:
        _write(spool, handle, fixed, types, as_text)
    except (pa.ArrowException, OverflowError):  # (a value the types found do not hold: every column as text)
        handle.seek(0)
        handle.truncate()
        _write(spool, handle, fixed, types, set(types))


def _write(spool: Path, handle, fixed: dict, types: dict, as_text: set[str]) -> None:
    schema = pa.schema([*fixed.items(), *((column, pa.string() if column in as_text else kind)
                                          for column, kind in types.items())])
    with pq.ParquetWriter(handle, schema, compression="zstd") as writer:
        for batch in _batches(spool):
            for record in batch:
                for column in as_text.intersection(record):
                    record[column] = _as_text(record[column])
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))


def _passed_types(spool: Path, fixed: dict, known: list[str]) -> tuple[dict[str, pa.DataType], set[str]]:
    """The type of every passed-through column (the `known` ones, which the first chunk had,
    then the others in the order first seen), and the columns that must be text."""
    types: dict[str, pa.DataType] = dict.fromkeys(known, pa.null())
    as_text: set[str] = set()
    for batch in _batches(spool):
        columns = dict.fromkeys(key for record in batch for key in record if key not in fixed)
        for column in columns:
            if column in as_text:
                continue
            try:
                kind = pa.array([record.get(column) for record in batch]).type
                if not pa.types.is_null(types.get(column, pa.null())):
                    kind = pa.unify_schemas([pa.schema([(column, types[column])]), pa.schema([(column, kind)])],
                                            promote_options="permissive").field(column).type
            except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
                kind = None
            if kind is None or _fields(kind) > MAX_FIELDS:
                as_text.add(column)
                kind = pa.string()
            types[column] = kind
    for column, kind in types.items():
        if pa.types.is_null(kind):  # (no value in any record)
            types[column] = pa.string()
        elif _holds_empty_struct(kind):
            as_text.add(column)
    return types, as_text


def _fields(kind: pa.DataType) -> int:
    """How many struct fields a type holds, nested ones included."""
    return sum(1 + _fields(kind.field(i).type) for i in range(kind.num_fields))


def _holds_empty_struct(kind: pa.DataType) -> bool:
    """Whether a type is or holds a struct without fields (from `{}`), which Parquet cannot store."""
    if pa.types.is_struct(kind) and kind.num_fields == 0:
        return True
    return any(_holds_empty_struct(kind.field(i).type) for i in range(kind.num_fields))


def _as_text(value):
    value = json_if_structured(value)
    return value if value is None or isinstance(value, str) else str(value)


def _batches(spool: Path) -> Iterator[list[dict]]:
    with gzip.open(spool, "rt", encoding="utf-8") as lines:
        while batch := [json.loads(line) for line in itertools.islice(lines, ROWS_PER_GROUP)]:
            yield batch
