"""Tests of taxotag.readers.json_lines."""

import json

import pytest

from taxotag.errors import MissingColumnsError
from taxotag.readers.documents import read_all
from taxotag.readers.records import ReadReport


def test_jsonl_bad_lines_are_skipped_with_line_numbers(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "1", "title": "T", "abstract": "A"}\n{broken\n'
                    '{"id": "2", "title": "T2"}\n{"id": "1", "title": "again", "abstract": "x"}\n')
    report = ReadReport()
    frame = read_all(path, report=report)
    assert frame["id"].tolist() == ["1", "2"]  # (a record without an abstract is read as a null one is)
    assert frame["abstract"].tolist() == ["A", ""] and report.title_only == 1
    assert [str(p) for p in report.problems] == [
        f"{path}, line 2: invalid JSON: Expecting property name enclosed in double quotes (column 2)",
        f"{path}, line 4: duplicate id '1' (the first one is kept)",
    ]


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_a_json_file_whose_records_all_lack_an_id_is_an_error_naming_their_keys(tmp_path, suffix):
    path = tmp_path / f"papers{suffix}"
    records = [{"paperId": f"p{i}", "title": "T", "abstract": "A."} for i in range(3)]
    path.write_text(json.dumps(records) if suffix == ".json" else "\n".join(map(json.dumps, records)))
    with pytest.raises(MissingColumnsError, match=r"no record could be read: the first one has no id "
                                                  r"\(its keys: paperId, title, abstract\)"):
        read_all(path)
    assert read_all(path, columns={"id": "paperId"})["id"].tolist() == ["p0", "p1", "p2"]
    records[1]["id"] = "kept"  # one usable record: the others are skipped and reported as before
    path.write_text(json.dumps(records) if suffix == ".json" else "\n".join(map(json.dumps, records)))
    report = ReadReport()
    assert read_all(path, report=report)["id"].tolist() == ["kept"]
    assert [p.message for p in report.problems] == ["missing id", "missing id"]


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_a_lone_surrogate_escape_reads_as_a_replacement_character(tmp_path, suffix):
    """JSON may escape half of a UTF-16 pair alone ("\\ud800"), which is no character and cannot
    be written as UTF-8: it is read as U+FFFD; a pair ("\\ud83d\\ude00") is its character."""
    path = tmp_path / f"in{suffix}"
    line = '{"id": "a", "title": "T \\ud800", "abstract": "x \\udc80 \\ud83d\\ude00", "tags": ["\\uDBFF"]}'
    path.write_text(line if suffix == ".json" else line + "\n")
    frame = read_all(path, report=ReadReport())
    assert frame["title"].tolist() == ["T \ufffd"] and frame["abstract"].tolist() == ["x \ufffd \U0001f600"]
    assert frame["tags"].tolist() == [["\ufffd"]]
    frame.to_csv(tmp_path / "out.csv")  # (writable as UTF-8)


RECORD = '{"id": "a", "title": "T", "abstract": "A", '


@pytest.mark.parametrize("raw", [RECORD + '"n": 123456789012345678901234567890}',
                                 RECORD + '"n": [1, {"m": -18446744073709551617}]}',
                                 RECORD + '"x": NaN, "y": 1e400, "z": 0.1}',
                                 RECORD + '"n": 18446744073709551615, "s": "\\u00e9"}'])
def test_json_values_are_those_of_the_json_module(tmp_path, raw):
    """orjson parses the lines, but what it gives differently (an integer beyond 64 bits as a
    float) or refuses (NaN, 1e400) is json's: the same values as json.loads."""
    from taxotag.readers.decoding import TextSource
    from taxotag.readers.json_lines import jsonl_records

    path = tmp_path / "in.jsonl"
    path.write_text(raw + "\n")
    [(number, value)] = list(jsonl_records(TextSource(path, ReadReport())))
    assert number == 1 and repr(value) == repr(json.loads(raw))


def test_a_record_nested_deeper_than_python_goes_is_reported_not_a_traceback(tmp_path):
    path = tmp_path / "in.jsonl"
    deep = "[" * 1020 + "]" * 1020
    path.write_text(RECORD + f'"x": {deep}}}\n' + '{"id": "b", "title": "T", "abstract": "B"}\n')
    report = ReadReport()
    frame = read_all(path, report=report)
    assert frame["id"].tolist() == ["b"]
    assert [str(p) for p in report.problems] == [f"{path}, line 1: invalid JSON (nested too deeply)"]
