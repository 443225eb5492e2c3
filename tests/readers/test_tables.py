"""Tests of taxotag.readers.tables."""

import pytest

from taxotag.errors import InputFileError, MissingColumnsError
from taxotag.readers.documents import read_all
from taxotag.readers.records import ReadReport


def test_csv_with_quoted_newlines_keeps_line_numbers(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('id,title,abstract\n1,"T","line one\nline two"\n2,T2\n3,T3,A3\n')
    report = ReadReport()
    frame = read_all(path, report=report)
    assert frame["id"].tolist() == ["1", "3"]
    assert frame.loc[0, "abstract"] == "line one\nline two"
    assert [str(p) for p in report.problems] == [f"{path}, line 4: 2 fields, the header has 3"]


@pytest.mark.parametrize("content, message", [
    ("id,text\n1,hello\n", r"line 1: missing required column\(s\) title, abstract; found id, text"),
    ("id;title;abstract\na;T;An abstract.\n", r"line 1: the header is one column \('id;title;abstract'\); "
                                              r"taxotag reads comma-separated .csv and tab-separated .tsv"),
])
def test_csv_missing_columns_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "in.csv"
    path.write_text(content)
    with pytest.raises(InputFileError, match=message):
        read_all(path)


def test_csv_unbalanced_quote_is_a_clear_error(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('id,title,abstract\n1,"T,"never closed\n2,T,A\n')
    with pytest.raises(InputFileError, match="malformed CSV .* unbalanced quote"):
        read_all(path)


def test_parquet_is_read(tmp_path):
    import pandas as pd

    path = tmp_path / "in.parquet"
    pd.DataFrame({"id": ["a"], "title": ["T"], "abstract": ["A"]}).to_parquet(path)
    assert read_all(path)["id"].tolist() == ["a"]


def test_a_csv_without_an_id_column_is_numbered_by_row_with_a_note(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Title,Abstract\nFirst,One.\n\nSecond,\nThird,Three.\n")
    report = ReadReport()
    frame = read_all(path, report=report)
    assert frame[["id", "title", "abstract"]].values.tolist() == [["1", "First", "One."], ["2", "Second", ""],
                                                                  ["3", "Third", "Three."]]
    assert report.notes == [f"{path} has no id column: each record's id is its row number (1 for the first)"]
    assert report.title_only == 1
    with pytest.raises(MissingColumnsError, match="missing required column"):
        read_all(path, columns={"id": "paperId"})  # (a named id column must be there)
