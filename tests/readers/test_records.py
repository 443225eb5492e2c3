"""Tests of taxotag.readers.records."""

import pytest

from taxotag.errors import InputFileError
from taxotag.readers.documents import read_all
from taxotag.readers.records import ReadReport
from tests.conftest import write_jsonl


def test_nul_bytes_and_bom_are_cleaned(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "1", "title": "T\\u0000", "abstract": "A"}\n')
    assert read_all(path).loc[0, "title"] == "T"
    write_jsonl(path, [{"id": "1", "title": "", "abstract": ""}])
    with pytest.raises(InputFileError, match=r"no record could be read: all 1 were skipped, the first at line 1: "
                                             r"id '1' has neither title nor abstract"):
        read_all(path, report=ReadReport())


def test_other_columns_pass_through_as_the_file_gives_them(tmp_path):
    """Numbers, lists and objects stay what they are (a JSON Lines output writes them so; a CSV,
    as JSON text), a number beside a record that lacks it too; an id or a title is always text."""
    import pandas as pd

    record = {"id": 1, "title": "T", "abstract": "A", "categories": ["cs.CV", "cs.LG"],
              "meta": {"venue": "CVPR", "oral": True}, "year": 2025, "note": "  kept\x00 "}
    jsonl = write_jsonl(tmp_path / "in.jsonl", [record, {"id": "2", "title": "U", "abstract": "B"}])
    parquet = tmp_path / "in.parquet"
    pd.DataFrame([record]).drop(columns="meta").to_parquet(parquet)
    for path in (jsonl, parquet):
        frame = read_all(path)
        assert frame.loc[0, "id"] == "1"
        assert list(frame.loc[0, "categories"]) == ["cs.CV", "cs.LG"] and frame.loc[0, "year"] == 2025
        assert frame.loc[0, "note"] == "kept"
    frame = read_all(jsonl)
    assert frame.loc[0, "meta"] == {"venue": "CVPR", "oral": True} and pd.isna(frame.loc[1, "year"])
