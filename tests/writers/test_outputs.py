"""Tests of taxotag.writers.outputs."""

import gzip
import os
import tempfile

import pandas as pd
import pytest

from taxotag.errors import TaxotagError
from taxotag.writers.outputs import ResumableOutput
from taxotag.writers.rows import csv_rows, jsonl_rows, output_rows
from tests.conftest import TAGGED


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
