"""Tests of taxotag.jobs.imports."""

from taxotag.jobs.imports import import_listings
from tests.conftest import ABSTRACT, ABSTRACT2, LISTING


def test_import_merges_duplicates_across_files(tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(LISTING.format(abstract=ABSTRACT, abstract2=ABSTRACT2))
    second.write_text(f"another paper\n\n{ABSTRACT2}\n\nNew One\n\n{ABSTRACT}\n")
    frame, report = import_listings([first, second])
    assert frame["title"].tolist() == ["A Title About Semi-Supervised Learning", "Another Paper", "New One"]
    assert frame.loc[1, "sources"] == "a.txt:11;b.txt:1"
    assert not report.problems
