"""Tests of taxotag.readers.listings."""

import pytest

from taxotag.errors import InputFileError
from taxotag.jobs.imports import import_listings
from taxotag.readers.documents import find_record, read_all, read_documents
from taxotag.readers.records import ReadReport
from tests.conftest import ABSTRACT, ABSTRACT2, FEEDS, LISTING, ROOT


def test_listing_parser_pairs_titles_with_abstract_paragraphs(tmp_path):
    path = tmp_path / "listing.txt"
    path.write_text(LISTING.format(abstract=ABSTRACT, abstract2=ABSTRACT2))
    frame = read_all(path, id_prefix="x")
    assert frame["id"].tolist() == ["x000", "x001"]
    assert frame["title"].tolist() == ["A Title About Semi-Supervised Learning", "Another Paper"]
    assert frame["abstract"].tolist() == [ABSTRACT.strip(), ABSTRACT2.strip()]


def test_ids_are_kept_once_across_the_files_of_a_run_and_listings_are_numbered_on(tmp_path):
    first, second, records = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.jsonl"
    first.write_text(LISTING.format(abstract=ABSTRACT, abstract2=ABSTRACT2))
    second.write_text(f"New One\n\n{ABSTRACT}\n")
    records.write_text('{"id": "p001", "title": "T", "abstract": "A"}\n{"id": "q", "title": "T", "abstract": "A"}\n')
    report = ReadReport()
    frame = read_all([first, second, records], report=report)
    assert frame["id"].tolist() == ["p000", "p001", "p002", "q"]  # (b.txt does not start again at p000)
    assert [str(problem) for problem in report.problems] == [
        f"{records}, line 1: duplicate id 'p001' (the first one, in {first}, is kept)"]
    assert find_record([first, second], "p002")["title"].tolist() == ["New One"]
    assert find_record(second, "p000")["title"].tolist() == ["New One"]  # (read alone, it starts at p000)


def test_embedded_seed_listings_import_to_the_165_gold_papers():
    import pandas as pd

    frame, _ = import_listings(sorted((ROOT / "data" / "seeds").glob("*.txt")))
    gold = pd.read_csv(ROOT / "data" / "seed_gold.csv")
    assert len(frame) == 165
    assert frame["id"].tolist() == gold["id"].tolist()
    assert frame["title"].tolist() == gold["title"].tolist()


def test_a_web_of_science_tab_delimited_export_says_how_to_read_it(tmp_path):
    import pandas as pd

    path = tmp_path / "savedrecs.txt"
    path.write_text("PT\tAU\tTI\tAB\tUT\nJ\tXie, Q\tA title\tAn abstract.\tWOS:1\n", encoding="utf-8-sig")
    with pytest.raises(InputFileError, match=r"savedrecs.txt, line 1: this is a Web of Science tab-delimited export; "
                                             r"export the records as a plain text file instead"):
        read_all(path)
    frame = pd.concat(read_documents(path, columns={"id": "UT", "title": "TI", "abstract": "AB"}, input_format="tsv"))
    assert frame[["id", "title", "abstract"]].values.tolist() == [["WOS:1", "A title", "An abstract."]]


def test_an_arxiv_rss_listing_is_read_with_its_abstract_preamble_taken_off():
    (item,) = read_all(FEEDS / "arxiv_cs.CV.rss").to_dict("records")
    assert item["id"] == "oai:arXiv.org:2512.00001v1" and item["announce_type"] == "new"
    assert item["abstract"] == "We propose a weakly supervised segmentation method trained with image-level labels."
    assert item["categories"] == ["cs.CV", "cs.LG"] and item["link"] == "https://arxiv.org/abs/2512.00001"
