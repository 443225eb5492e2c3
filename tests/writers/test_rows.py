"""Tests of taxotag.writers.rows."""

import csv
import io
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from taxotag.errors import TaxotagError
from taxotag.writers.cells import restore_cell
from taxotag.writers.outputs import ResumableOutput
from taxotag.writers.rows import csv_rows, csv_text, jsonl_rows, output_format
from tests.conftest import TAGGED


def test_csv_round_trip():
    frame = pd.DataFrame({"id": ["1", "2"], "title": ['=HYPERLINK("x")', 'Commas, "quotes"\nand lines']})
    rows = list(csv.reader(io.StringIO(csv_text(frame))))
    assert rows[1] == ["1", "'=HYPERLINK(\"x\")"]
    assert [restore_cell(cell) for cell in rows[1]] == ["1", '=HYPERLINK("x")']
    assert rows[2][1] == 'Commas, "quotes"\nand lines'


@pytest.mark.parametrize("name", ["out.json", "out.gz", "out.tsv", "out.parquet.gz"])
def test_an_output_not_named_csv_jsonl_or_parquet_is_refused(tmp_path, name):
    with pytest.raises(TaxotagError, match=r"name the output \.csv, \.jsonl or \.parquet \(\.csv\.gz or \.jsonl\.gz"):
        ResumableOutput(tmp_path / name, "run-1")
    assert list(tmp_path.iterdir()) == []


def test_the_output_format_is_the_names_and_the_option_is_for_standard_output():
    assert output_format("out.CSV") == "csv" and output_format("a/out.jsonl.gz") == "jsonl"
    assert output_format("-") == "csv" and output_format("-", "jsonl") == "jsonl"
    assert output_format("out.parquet") == "parquet"
    with pytest.raises(TaxotagError, match="Parquet cannot be written to standard output"):
        output_format("-", "parquet")
    assert output_format("out.jsonl", "jsonl") == "jsonl"
    with pytest.raises(TaxotagError, match=r"out\.csv: the output format asked for is jsonl but the name says csv; name it \.jsonl"):
        output_format("out.csv", "jsonl")


def test_jsonl_rows_keep_the_inputs_values_and_list_the_tags():
    records = [json.loads(line) for line in jsonl_rows(TAGGED).splitlines()]
    assert records[0] == {"id": "a", "title": "=T", "tags": ["self_supervised", "distillation"], "score_x": 0.75,
                          "evidence": "...", "year": 2025, "categories": ["cs.CV", "cs.LG"]}
    assert records[1] == {"id": "b", "title": "U", "tags": [], "score_x": 0.1, "evidence": ""}  # (no gaps)
    odd = TAGGED.assign(year=pd.Series([float("inf"), 1], dtype=object), categories=[[float("-inf"), 2], []])
    lines = jsonl_rows(odd).splitlines()
    assert [json.loads(line, parse_constant=pytest.fail)["year"] for line in lines] == [None, 1]  # (strict JSON)
    assert json.loads(lines[0])["categories"] == [None, 2]


def test_csv_rows_write_lists_as_json_and_numbers_beside_gaps_as_they_are():
    rows = list(csv.reader(io.StringIO(csv_rows(TAGGED, list(TAGGED.columns)))))
    assert rows[0] == ["a", "'=T", "self_supervised;distillation", "0.75", "...", "2025", '["cs.CV", "cs.LG"]']
    assert rows[1] == ["b", "U", "", "0.1", "", "", ""]


def pandas_csv_rows(frame: pd.DataFrame, columns: list[str]) -> str:
    """What csv_rows wrote with pandas' to_csv (until 2026-12-07), the reference for its cells."""
    from taxotag.writers.cells import neutralise_frame, structured_as_json

    rows = neutralise_frame(structured_as_json(frame.reindex(columns=columns, fill_value="")))
    return rows.to_csv(header=False, index=False, lineterminator="\r\n")


TEXTS = st.text(alphabet='ab,"\r\n =+-@\t\'[]é', max_size=8)
OBJECTS = st.one_of(TEXTS, st.none(), st.just(float("nan")), st.integers(-10**20, 10**20), st.booleans(),
                    st.floats(allow_nan=True), st.lists(TEXTS, max_size=2), st.dictionaries(TEXTS, st.integers(),
                                                                                             max_size=2))


@settings(max_examples=200, deadline=None)
@given(rows=st.integers(0, 6).flatmap(lambda n: st.tuples(
    st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=n, max_size=n),
    st.lists(st.integers(-10**18, 10**18), min_size=n, max_size=n),
    st.lists(st.booleans(), min_size=n, max_size=n),
    st.lists(OBJECTS, min_size=n, max_size=n),
    st.lists(st.one_of(TEXTS, st.none()), min_size=n, max_size=n))))
@example(rows=([0.0], [0], [False], [[""]], [None]))  # (a column of lists: numpy would make it two-dimensional)
def test_csv_rows_writes_the_cells_pandas_to_csv_wrote(rows):
    """Every column type a `tag` output can hold gives the bytes of pandas' to_csv: floats
    (NaN, infinities, tiny and huge ones), integers, booleans, mixed objects (lists and objects as
    JSON, risky text neutralised, gaps empty) and text with gaps; a missing column is empty."""
    floats, integers, booleans, objects, texts = rows
    frame = pd.DataFrame({"score": pd.Series(floats, dtype="float64"), "year": pd.Series(integers, dtype="int64"),
                          "flag": pd.Series(booleans, dtype=bool), "categories": pd.Series(objects, dtype=object),
                          "title": pd.Series(texts, dtype="str")})
    columns = ["title", "absent", "score", "year", "flag", "categories"]
    assert csv_rows(frame, columns) == pandas_csv_rows(frame, columns)
    assert csv_rows(frame, ["score"]) == pandas_csv_rows(frame, ["score"])


def test_csv_rows_of_other_column_types_are_pandas():
    """Dates, categories and nullable integers are written as pandas writes them."""
    frame = pd.DataFrame({"id": ["a", "=b", None], "when": pd.to_datetime(["2025-01-02 00:00", None, "2026-03-04 05:06"]),
                          "kind": pd.Categorical(["x", "-y", None]), "count": pd.array([1, None, 3], dtype="Int64")})
    assert csv_rows(frame, list(frame.columns)) == pandas_csv_rows(frame, list(frame.columns))
    assert "'=b" in csv_rows(frame, ["id", "count"])



@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 10_000).map(lambda k: round(k / 10_000, 4)), st.just(float("nan")),
                          st.sampled_from([-0.0, 1.0, 0.5, 1.0001, -0.0001, 0.00005, float("inf")]),
                          st.floats(0, 1)), max_size=8))
def test_score_cells_are_numpys_text_of_each_float(numbers):
    """Scores (rounded to 4 places) are looked up, not formatted; the text is numpy's all the same."""
    from taxotag.writers.rows import float_cells

    for dtype in (np.float64, np.float32):
        array = np.array(numbers, dtype=dtype)
        expected = ["" if np.isnan(number) else text for number, text in zip(array, array.astype(str).tolist())]
        assert float_cells(array) == expected
