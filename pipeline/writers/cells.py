"""Output cells that are safe and faithful: none can run as a spreadsheet formula (OWASP
CSV-injection guidance: a risky cell gets a leading single quote), lists and objects as JSON, and
numbers JSON can hold."""

from __future__ import annotations

import json
import math

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

"""The output name that stands for standard output (and, as an input, standard input: no file)."""


def neutralise_cell(value):
    """A string that a spreadsheet would run as a formula gets a leading `'`; others pass as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralised_texts(texts: list[str]) -> list[str]:
    """neutralise_cell of each of a list of strings, in one comprehension (a call a cell costs more)."""
    return ["'" + text if text.startswith(FORMULA_STARTS) else text for text in texts]


def restore_cell(value):
    """Undo neutralise_cell (for reading back an exported CSV)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """neutralise_cell on every cell, a column at a time."""
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if values.dtype.kind in "biufcmM":  # numbers and dates never start a formula
            continue
        try:
            risky = values.str.startswith(FORMULA_STARTS, na=False).astype(bool)
        except AttributeError:  # no strings in this column
            continue
        if risky.any():
            frame[column] = values.astype(object).where(~risky, "'" + values[risky].astype(str))
    return frame


def structured_as_json(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with each list or object cell (a JSON record's categories) as its JSON text."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object:  # (not Series.map, which would make 2025 next to a gap 2025.0)
            frame[column] = pd.Series([json_if_structured(v) for v in frame[column]], index=frame.index,
                                      dtype=object)
    return frame


_JSON = json.JSONEncoder(ensure_ascii=False, default=str)
"""What json.dumps(value, ensure_ascii=False, default=str) uses, made once (dumps makes one a call)."""


def json_if_structured(value):
    """A list or object as its JSON text; any other value as it is."""
    if isinstance(value, (list, dict, tuple)):
        return _JSON.encode(value)
    return value


TAG_LISTS = ("tags", "model_tags")
"""The output columns that hold tag ids joined by ";" in CSV, and a list in JSON Lines and Parquet."""


def is_gap(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def finite_values(value):
    """`value` with every infinite or NaN number inside it as None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: finite_values(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_values(item) for item in value]
    return value
