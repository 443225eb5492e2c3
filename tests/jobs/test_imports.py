"""Tests of taxotag.jobs.imports."""

import json

import pandas as pd
import pytest

from taxotag.errors import OutputNameError
from taxotag.jobs.imports import import_listings, import_papers
from tests.conftest import ABSTRACT, ABSTRACT2, LISTING, ROOT


def test_import_merges_duplicates_across_files(tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(LISTING.format(abstract=ABSTRACT, abstract2=ABSTRACT2))
    second.write_text(f"another paper\n\n{ABSTRACT2}\n\nNew One\n\n{ABSTRACT}\n")
    frame, report = import_listings([first, second])
    assert frame["title"].tolist() == ["A Title About Semi-Supervised Learning", "Another Paper", "New One"]
    assert frame.loc[1, "sources"] == "a.txt:11;b.txt:1"
    assert not report.problems


def test_import_writes_listings_or_any_other_files_in_the_format_the_output_name_says(tmp_path):
    listing = tmp_path / "a.txt"
    listing.write_text(LISTING.format(abstract=ABSTRACT, abstract2=ABSTRACT2))
    from_listing = import_papers([listing], tmp_path / "papers.jsonl")
    rows = [json.loads(line) for line in from_listing.path.read_text().splitlines()]
    assert [row["id"] for row in rows] == ["s000", "s001"] and rows[0]["sources"] == "a.txt:7"
    from_gold = import_papers([ROOT / "data" / "seed_gold.csv"], tmp_path / "gold.csv.gz", id_prefix="g")
    assert len(pd.read_csv(from_gold.path)) == len(from_gold.papers) == 165 == from_gold.report.records


def test_import_refuses_an_output_it_cannot_write_before_reading(tmp_path):
    with pytest.raises(OutputNameError):
        import_papers([tmp_path / "missing.txt"], tmp_path / "papers.parquet")
