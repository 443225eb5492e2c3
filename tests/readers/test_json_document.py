"""Tests of taxotag.readers.json_document."""

import gzip
import json

import pytest

from taxotag.readers.documents import read_all
from taxotag.readers.records import ReadReport

RECORDS = [{"id": "a", "title": 'A "quoted" [bracketed] {braced} title', "abstract": "Line one.\nLine two \\ é ✓",
            "authors": [{"name": "X", "title": "Dr"}], "year": 2025},
           {"id": "b", "title": "Second", "abstract": "Another abstract.", "authors": [], "year": None}]


@pytest.mark.parametrize("shape", ["array", "pretty array", "api response", "json lines", "gzip"])
def test_json_documents_give_their_records_whatever_their_shape(tmp_path, shape):
    path = tmp_path / ("papers.json.gz" if shape == "gzip" else "papers.json")
    text = {"array": lambda: json.dumps(RECORDS),
            "pretty array": lambda: json.dumps(RECORDS, indent=2, ensure_ascii=False),
            "api response": lambda: json.dumps({"meta": {"groups": [{"name": "x"}], "count": 2},
                                                "related": [{"name": "not a record"}], "data": RECORDS,
                                                "next": None}),
            "json lines": lambda: "\n".join(json.dumps(r) for r in RECORDS),
            "gzip": lambda: json.dumps(RECORDS)}[shape]()
    if shape == "gzip":
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    report = ReadReport()
    frame = read_all(path, report=report)
    assert report.problems == []
    assert frame[["id", "title", "abstract"]].values.tolist() == [[r["id"], r["title"], r["abstract"]] for r in RECORDS]
    assert frame.loc[0, "authors"] == RECORDS[0]["authors"]  # (an array of objects, not the records)


def test_json_records_are_the_same_whatever_the_blocks_the_text_comes_in():
    from taxotag.readers.json_document import json_records

    text = json.dumps({"total": 2, "data": RECORDS}, indent=1) + "\n"
    whole = list(json_records([text], "x.json", lambda keys: "title" in keys))
    assert [json.loads(record) for _, record in whole] == RECORDS
    assert [line for line, _ in whole] == [4, 16]
    for size in (1, 2, 3, 7, 64):
        blocks = [text[i:i + size] for i in range(0, len(text), size)]
        assert list(json_records(blocks, "x.json", lambda keys: "title" in keys)) == whole
