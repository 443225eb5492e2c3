"""Tests of taxotag.files."""

import os

import pandas as pd
import pytest

from taxotag.errors import TaxotagError
from taxotag.files import atomic_path, refuse_overwriting
from taxotag.writers.rows import write_csv


def test_interrupted_write_leaves_the_old_file(tmp_path):
    target = tmp_path / "out.csv"
    write_csv(target, pd.DataFrame({"id": ["old"]}))
    with pytest.raises(KeyboardInterrupt):
        with atomic_path(target) as handle:
            handle.write("id\nnew, half written")
            raise KeyboardInterrupt
    assert target.read_text() == "id\nold\n"
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
