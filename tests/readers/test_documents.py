"""Tests of taxotag.readers.documents."""

import json

import pytest

from taxotag.errors import InputFileError
from taxotag.formats import input_format_of
from taxotag.readers.documents import find_record, read_all
from taxotag.readers.records import ReadReport


def test_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(InputFileError, match="unknown input format"):
        input_format_of("papers.docx")
    with pytest.raises(InputFileError, match="no such file"):
        read_all(tmp_path / "nope.jsonl")


def test_find_record_finds_one_record_in_any_chunk(tmp_path):
    path = tmp_path / "papers.jsonl"
    lines = [json.dumps({"id": f"p{i}", "title": f"T{i}", "abstract": "A"}) for i in range(2500)]
    path.write_text("\n".join(lines[:1500] + ["not json"] + lines[1500:]) + "\n")
    found = find_record(path, "p10")
    assert found[["id", "title"]].values.tolist() == [["p10", "T10"]]
    assert find_record(path, "p2400")["title"].tolist() == ["T2400"]
    assert find_record(path, "missing").empty


def test_an_empty_page_of_results_is_an_error(tmp_path):
    """Reading nothing from a file that is there is a mistake to report, not an empty output."""
    path = tmp_path / "page.json"
    path.write_text('{"total": 0, "offset": 0, "data": []}')
    with pytest.raises(InputFileError, match=r"page.json: no records in it \(read as json\)"):
        read_all(path, report=ReadReport())
    path.write_text('{"meta": {"count": 0, "groups": []}, "results": [], "group_by": []}')
    with pytest.raises(InputFileError, match="no records in it"):
        read_all(path, columns={"abstract": "summary"}, report=ReadReport())
