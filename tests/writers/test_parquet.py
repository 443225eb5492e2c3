"""Tests of taxotag.writers.parquet."""

import gzip
import io
import os
import tempfile

import pandas as pd

from taxotag.writers.outputs import ResumableOutput
from taxotag.writers.rows import jsonl_rows, output_rows
from tests.conftest import TAGGED


def test_a_parquet_output_is_spooled_resumed_and_converted_when_complete(tmp_path, monkeypatch):
    """Numbers beside gaps stay numbers, int and double chunks give double, a column holding a
    number and text (or an object with a key a record) becomes text; the spool stays for --resume."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from taxotag.writers import parquet

    monkeypatch.setattr(parquet, "ROWS_PER_GROUP", 2)
    monkeypatch.setattr(parquet, "MAX_FIELDS", 3)
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
        from taxotag.writers.parquet import spool_to_parquet

        spool_to_parquet(spool.name, buffer, ["id", "title", "tags", "score_x", "evidence"])
    finally:
        os.unlink(spool.name)
    table = pq.read_table(io.BytesIO(buffer.getvalue()))
    assert table.num_rows == 0 and table.column_names == ["id", "title", "tags", "score_x", "evidence"]


def test_a_parquet_conversion_that_meets_a_value_its_types_cannot_hold_writes_the_columns_as_text(tmp_path,
                                                                                                  monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from taxotag.writers import parquet

    wrong = {"year": pa.int64(), "note": pa.int64()}  # ("note" holds text)
    monkeypatch.setattr(parquet, "_passed_types", lambda spool, fixed, known: (dict(wrong), set()))
    spool = tmp_path / "rows.jsonl.gz"
    spool.write_bytes(gzip.compress(jsonl_rows(TAGGED.assign(note=["a", "b"])).encode()))
    out = io.BytesIO()
    parquet.spool_to_parquet(spool, out, [*TAGGED.columns[:5], "year", "note"])
    table = pq.read_table(io.BytesIO(out.getvalue()))
    assert table.column("note").to_pylist() == ["a", "b"] and table.column("year").to_pylist() == ["2025", None]
    assert table.column("tags").to_pylist() == [["self_supervised", "distillation"], []]
