"""Tests of taxotag.readers.feeds."""

import pytest

from taxotag.errors import InputFileError
from taxotag.readers.documents import read_all
from taxotag.readers.records import ReadReport
from tests.conftest import FEEDS


def test_an_arxiv_api_atom_feed_is_read_entry_by_entry():
    """export.arxiv.org/api/query answers in Atom: id, title and summary, authors, categories."""
    frame = read_all(FEEDS / "arxiv_api_query.xml")
    assert frame["id"].tolist() == ["http://arxiv.org/abs/2511.01234v2", "http://arxiv.org/abs/2511.05678v1"]
    first = frame.iloc[0]
    assert first["title"] == "Masked Autoencoders Are Scalable Point Cloud Learners"  # (the feed wraps titles)
    assert first["abstract"] == "We propose a self-supervised masked autoencoder for point clouds. We pretrain " \
                                "without labels & fine-tune."
    assert first["authors"] == ["Ada Lovelace", "Alan Turing"] and first["categories"] == ["cs.CV", "cs.LG"]
    assert (first["primary_category"], first["doi"]) == ("cs.CV", "10.1000/xyz")
    assert first["link"] == "http://arxiv.org/abs/2511.01234v2"  # the alternate link, not the pdf or doi one


def test_a_feed_item_without_an_abstract_is_read_by_its_title(tmp_path):
    path = tmp_path / "listing.rss"
    path.write_text('<rss version="2.0"><channel>\n<item><guid>a1</guid><title>A</title><description>Ok.'
                    "</description></item>\n<item><guid>a2</guid>\n<title>B</title></item>\n</channel></rss>\n")
    report = ReadReport()
    assert read_all(path, report=report)["id"].tolist() == ["a1", "a2"]
    assert not report.problems and report.title_only == 1


@pytest.mark.parametrize("text, error", [
    ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id>', "line 1: not well-formed XML (no element found)"),
    ("", "line 1: not well-formed XML (no element found)"),
])
def test_a_cut_off_feed_is_one_error_naming_its_line(tmp_path, text, error):
    path = tmp_path / "feed.xml"
    path.write_text(text)
    with pytest.raises(InputFileError) as caught:
        read_all(path)
    assert str(caught.value) == f"{path}, {error}"


def test_an_rss_1_journal_table_of_contents_is_read():
    """Many journals publish their tables of contents as RSS 1.0 (RDF) with Dublin Core fields."""
    (item,) = read_all(FEEDS / "journal_toc_rss1.xml").to_dict("records")
    assert item["id"] == "https://doi.org/10.1000/a1"  # rdf:about, before dc:identifier
    assert item["title"] == "Knowledge Distillation for Tiny Detectors"
    assert item["abstract"] == "We distill a large detector into a tiny student with a feature loss."
    assert item["authors"] == ["Ada Lovelace", "Alan Turing"] and item["published"] == "2026-11-30"


def test_markup_inside_a_feed_summary_keeps_its_text(tmp_path):
    path = tmp_path / "feed.atom"
    path.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><title>T</title>'
                    '<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">A <b>bold</b> word.</div>'
                    "</summary><author><name>X</name></author></entry></feed>")
    (record,) = read_all(path).to_dict("records")
    assert (record["abstract"], record["authors"]) == ("A bold word.", ["X"])


def test_an_xml_file_that_is_no_feed_is_an_error_and_so_is_an_empty_feed(tmp_path):
    other = tmp_path / "pubmed.xml"
    other.write_text("<PubmedArticleSet><PubmedArticle><PMID>1</PMID></PubmedArticle></PubmedArticleSet>")
    with pytest.raises(InputFileError, match=r"pubmed.xml: not an Atom or RSS feed \(its root element is "
                                             r"<PubmedArticleSet>, and it has no <entry> or <item>\)"):
        read_all(other)
    empty = tmp_path / "no_results.xml"  # the arXiv API's answer to a query that matches nothing
    empty.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title>ArXiv Query</title></feed>')
    with pytest.raises(InputFileError, match=r"no_results.xml: no records in it \(read as feed\)"):
        read_all(empty)
