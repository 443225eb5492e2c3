import csv
import gzip
import io
import json
import os
import tempfile

import pandas as pd
import pytest

from taxotag.errors import TaxotagError
from taxotag.export import (ResumableOutput, atomic_path, csv_rows, csv_text, jsonl_rows, neutralise_cell,
                             output_format, output_rows, refuse_overwriting, restore_cell, write_csv)


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised_and_restorable(value):
    assert neutralise_cell(value) == "'" + value
    assert restore_cell(neutralise_cell(value)) == value


def test_plain_text_and_numbers_pass_unchanged():
    assert neutralise_cell("Self-supervised") == "Self-supervised"
    assert neutralise_cell(-0.5) == -0.5
    assert restore_cell("'quoted title'") == "'quoted title'"


def test_csv_round_trip():
    frame = pd.DataFrame({"id": ["1", "2"], "title": ['=HYPERLINK("x")', 'Commas, "quotes"\nand lines']})
    rows = list(csv.reader(io.StringIO(csv_text(frame))))
    assert rows[1] == ["1", "'=HYPERLINK(\"x\")"]
    assert [restore_cell(cell) for cell in rows[1]] == ["1", '=HYPERLINK("x")']
    assert rows[2][1] == 'Commas, "quotes"\nand lines'


def test_interrupted_write_leaves_the_old_file(tmp_path):
    target = tmp_path / "out.csv"
    write_csv(target, pd.DataFrame({"id": ["old"]}))
    with pytest.raises(KeyboardInterrupt):
        with atomic_path(target) as handle:
            handle.write("id\nnew, half written")
            raise KeyboardInterrupt
    assert target.read_text() == "id\nold\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_resume_removes_a_progress_write_cut_short_by_sigkill(tmp_path):
    target = tmp_path / "out.csv"
    first = ResumableOutput(target, "run-1")
    first.start(["id"])
    first.write_rows(csv_rows(pd.DataFrame({"id": ["a"]}), ["id"]))
    first.close()  # the run dies here; a SIGKILL during the next progress write would leave:
    handle, _ = tempfile.mkstemp(prefix=f".{first.progress.name}.", suffix=".partial", dir=tmp_path)
    os.close(handle)
    resumed = ResumableOutput(target, "run-1", resume=True)
    assert resumed.chunks_done == 1
    resumed.write_rows(csv_rows(pd.DataFrame({"id": ["b"]}), ["id"]))
    resumed.finish(["id"])
    assert target.read_bytes() == b"id\r\na\r\nb\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_second_run_writing_the_same_output_is_refused_until_the_first_ends(tmp_path):
    """Two runs would mix their rows in one partial file, and the first to end would take it away."""
    target = tmp_path / "out.csv"
    first = ResumableOutput(target, "run-1")
    first.start(["id"])
    first.write_rows(csv_rows(pd.DataFrame({"id": ["a"]}), ["id"]))
    for fingerprint, resume in (("run-2", False), ("run-1", True)):
        with pytest.raises(TaxotagError, match="out.csv: another taxotag run is writing it"):
            ResumableOutput(target, fingerprint, resume=resume)
    first.finish(["id"])
    assert target.read_bytes() == b"id\r\na\r\n"
    second = ResumableOutput(target, "run-2")
    second.discard()
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_an_output_may_not_replace_an_input_or_another_output(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("{}\n")
    os.link(source, tmp_path / "linked.jsonl")
    os.symlink(source, tmp_path / "symlinked.jsonl")
    refuse_overwriting([source], [tmp_path / "out.csv", tmp_path / "errors.csv"])  # no clash: no error
    for output in (source, tmp_path / "linked.jsonl", tmp_path / "symlinked.jsonl", tmp_path / "sub" / ".." / "in.jsonl"):
        with pytest.raises(TaxotagError, match="is the same file as"):
            refuse_overwriting([source], [output])
    with pytest.raises(TaxotagError, match=r"errors\.csv: is the same file as .*errors\.csv"):
        refuse_overwriting([source], [tmp_path / "errors.csv", tmp_path / "errors.csv"])


def test_a_gzip_output_is_one_member_a_chunk_and_resumes_after_a_torn_write(tmp_path):
    target = tmp_path / "out.csv.gz"
    first = ResumableOutput(target, "run-1")
    first.start(["id"])
    first.write_rows(csv_rows(pd.DataFrame({"id": ["a"]}), ["id"]))
    first.close()  # the run dies while writing the next chunk:
    with open(first.partial, "ab") as partial:
        partial.write(gzip.compress(b"b\r\n")[:7])
    resumed = ResumableOutput(target, "run-1", resume=True)
    resumed.write_rows(csv_rows(pd.DataFrame({"id": ["b"]}), ["id"]))
    resumed.finish(["id"])
    assert gzip.decompress(target.read_bytes()) == b"id\r\na\r\nb\r\n"
    assert pd.read_csv(target)["id"].tolist() == ["a", "b"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv.gz"]


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


TAGGED = pd.DataFrame({"id": ["a", "b"], "title": ["=T", "U"], "tags": ["self_supervised;distillation", ""],
                       "score_x": [0.75, 0.1], "evidence": ["...", ""],
                       "year": pd.Series([2025, None], dtype=object),
                       "categories": pd.Series([["cs.CV", "cs.LG"], float("nan")], dtype=object)})


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


def test_a_jsonl_output_has_no_header_and_resumes_like_a_csv(tmp_path):
    target = tmp_path / "out.jsonl.gz"
    first = ResumableOutput(target, "run-1")
    first.start(list(TAGGED.columns))
    first.write_rows(output_rows(first.row_format, TAGGED.iloc[:1], first.columns))
    first.close()
    resumed = ResumableOutput(target, "run-1", resume=True)
    assert resumed.chunks_done == 1 and resumed.columns == list(TAGGED.columns)
    resumed.write_rows(output_rows(resumed.row_format, TAGGED.iloc[1:], resumed.columns))
    resumed.finish(list(TAGGED.columns))
    assert gzip.decompress(target.read_bytes()).decode() == jsonl_rows(TAGGED)
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl.gz"]


def test_a_parquet_output_is_spooled_resumed_and_converted_when_complete(tmp_path, monkeypatch):
    """Numbers beside gaps stay numbers, int and double chunks give double, a column holding a
    number and text (or an object with a key a record) becomes text; the spool stays for --resume."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from taxotag import parquet_output

    monkeypatch.setattr(parquet_output, "ROWS_PER_GROUP", 2)
    monkeypatch.setattr(parquet_output, "MAX_FIELDS", 3)
    fixed = {"id": list("abcde"), "title": list("TUVWX"), "tags": ["distillation", "", "", "", ""],
             "score_distillation": [0.9, 0.1, 0.2, 0.3, 0.4], "evidence": ["d: x", "", "", "", ""]}
    passed = {"year": [2025, None, 2024, 2023.5, None], "mixed": [1, "two", None, None, None],
              "words": [{"we": [0]}, {"propose": [1]}, {"a": [2]}, {"method": [3]}, None],
              "meta": [{"venue": "CVPR"}, None, None, {"oral": True}, None]}
    frame = pd.DataFrame({**fixed, **{k: pd.Series(v, dtype=object) for k, v in passed.items()}})
    target = tmp_path / "out.parquet"
    first = ResumableOutput(target, "run-1")
    first.start(list(frame.columns))
    first.write_rows(output_rows(first.row_format, frame.iloc[:3], first.columns))
    first.close()  # killed: a Parquet file cannot be appended to, so the spool must stay
    assert first.row_format == "jsonl" and not target.exists()
    resumed = ResumableOutput(target, "run-1", resume=True)
    assert resumed.chunks_done == 1
    resumed.write_rows(output_rows(resumed.row_format, frame.iloc[3:], resumed.columns))
    resumed.finish(list(frame.columns))
    table = pq.read_table(target)
    assert [p.name for p in tmp_path.iterdir()] == ["out.parquet"]
    assert pq.ParquetFile(target).metadata.num_row_groups == 3
    assert table.schema.field("tags").type == pa.list_(pa.string())
    assert table.schema.field("year").type == pa.float64() and table.schema.field("mixed").type == pa.string()
    assert table.schema.field("meta").type == pa.struct([("venue", pa.string()), ("oral", pa.bool_())])
    rows = table.to_pylist()
    assert rows[0]["tags"] == ["distillation"] and rows[1]["tags"] == [] and rows[0]["score_distillation"] == 0.9
    assert [r["year"] for r in rows] == [2025, None, 2024, 2023.5, None]
    assert [r["mixed"] for r in rows] == ["1", "two", None, None, None]
    assert [r["words"] for r in rows] == ['{"we": [0]}', '{"propose": [1]}', '{"a": [2]}', '{"method": [3]}', None]
    assert rows[3]["meta"] == {"venue": None, "oral": True}


def test_an_empty_parquet_output_has_the_output_columns():
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    spool = tempfile.NamedTemporaryFile(suffix=".gz", delete=False)
    spool.write(gzip.compress(b""))
    spool.close()
    try:
        from taxotag.parquet_output import spool_to_parquet

        spool_to_parquet(spool.name, buffer, ["id", "title", "tags", "score_x", "evidence"])
    finally:
        os.unlink(spool.name)
    table = pq.read_table(io.BytesIO(buffer.getvalue()))
    assert table.num_rows == 0 and table.column_names == ["id", "title", "tags", "score_x", "evidence"]


def test_a_parquet_conversion_that_meets_a_value_its_types_cannot_hold_writes_the_columns_as_text(tmp_path,
                                                                                                  monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from taxotag import parquet_output

    wrong = {"year": pa.int64(), "note": pa.int64()}  # ("note" holds text)
    monkeypatch.setattr(parquet_output, "_passed_types", lambda spool, fixed, known: (dict(wrong), set()))
    spool = tmp_path / "rows.jsonl.gz"
    spool.write_bytes(gzip.compress(jsonl_rows(TAGGED.assign(note=["a", "b"])).encode()))
    out = io.BytesIO()
    parquet_output.spool_to_parquet(spool, out, [*TAGGED.columns[:5], "year", "note"])
    table = pq.read_table(io.BytesIO(out.getvalue()))
    assert table.column("note").to_pylist() == ["a", "b"] and table.column("year").to_pylist() == ["2025", None]
    assert table.column("tags").to_pylist() == [["self_supervised", "distillation"], []]
