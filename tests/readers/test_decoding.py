"""Tests of taxotag.readers.decoding."""

import gzip

import pytest

from taxotag.errors import InputFileError
from taxotag.readers.documents import read_all, read_documents
from taxotag.readers.records import ReadReport


def test_gzipped_jsonl_streams_in_chunks(tmp_path):
    path = tmp_path / "in.jsonl.gz"
    with gzip.open(path, "wt") as handle:
        for i in range(25):
            handle.write(f'{{"id": "{i}", "title": "t{i}", "abstract": "a", "year": 2025}}\n')
    chunks = list(read_documents(path, chunk_size=10))
    assert [len(c) for c in chunks] == [10, 10, 5]
    assert list(chunks[0].columns) == ["id", "title", "abstract", "year"]


SPREADSHEET = [{"id": "a", "title": "Self\u2013supervised \u201cCLIP\u201d adapters", "abstract": "Caf\u00e9 \u2013 we propose it."},
               {"id": "b", "title": "Plain", "abstract": "Nothing here."}]


def test_another_encoding_is_read_when_named(tmp_path):
    import pandas as pd

    path = tmp_path / "excel.csv"
    pd.DataFrame(SPREADSHEET).to_csv(path, index=False, encoding="cp1252")
    report = ReadReport()
    assert read_all(path, report=report)["id"].tolist() == ["b"]
    assert [(p.line, p.message) for p in report.problems] == [(2, "not UTF-8")]
    frame = read_all(path, encoding="cp1252")
    assert frame[["id", "title", "abstract"]].to_dict("records") == SPREADSHEET
    jsonl = tmp_path / "latin.jsonl"
    jsonl.write_bytes('{"id": "x", "title": "Caf\u00e9", "abstract": "\u00e9t\u00e9"}\n'.encode("latin-1"))
    with pytest.raises(InputFileError, match=r"all 1 were skipped, the first at line 1: not ascii \(byte 25\)") as raised:
        read_all(jsonl, report=ReadReport(), encoding="ascii")
    assert raised.value.undecodable  # (so the CLI adds its --encoding hint)
    assert read_all(jsonl, encoding="latin-1")["title"].tolist() == ["Caf\u00e9"]


@pytest.mark.parametrize("encoding, sep, name", [("utf-16", "\t", "unicode.tsv"), ("utf-16", ",", "in.csv"),
                                                 ("utf-32", ",", "in.csv"), ("utf-16-be", ",", "in.csv")])
def test_utf16_and_utf32_files_are_read_by_their_byte_order_mark_or_when_named(tmp_path, encoding, sep, name):
    import pandas as pd

    path = tmp_path / name
    pd.DataFrame(SPREADSHEET).to_csv(path, index=False, sep=sep, encoding=encoding, lineterminator="\r\n")
    marked = not encoding.endswith("-be")  # pandas writes a byte order mark for utf-16 and utf-32 only
    frame = read_all(path, encoding=None if marked else encoding)
    assert frame[["id", "title", "abstract"]].to_dict("records") == SPREADSHEET
    assert frame.columns.tolist() == ["id", "title", "abstract"]


def test_a_broken_line_of_a_utf16_file_is_skipped_with_its_number(tmp_path):
    path = tmp_path / "broken.jsonl"
    lines = ['{"id": "a", "title": "T", "abstract": "A"}\n', '{"id": "b", "title": "\ud800", "abstract": "A"}\n',
             '{"id": "c", "title": "T", "abstract": "A"}\n']
    path.write_bytes(b"\xff\xfe" + "".join(lines).encode("utf-16-le", "surrogatepass"))
    report = ReadReport()
    assert read_all(path, report=report)["id"].tolist() == ["a", "c"]
    assert [(p.line, p.message) for p in report.problems] == [(2, "not utf-16")]


def test_text_blocks_decode_characters_split_between_blocks(tmp_path):
    from taxotag.readers.decoding import TextSource

    path = tmp_path / "papers.json"
    path.write_bytes(b"\xef\xbb\xbf" + "[\"é ✓ 日本\"]".encode())
    blocks = TextSource(path, ReadReport()).blocks(size=1)
    assert "".join(blocks) == "[\"é ✓ 日本\"]"  # (the byte order mark dropped)


def test_a_bibtex_entry_or_ris_record_not_in_the_files_encoding_is_skipped_and_flagged(tmp_path):
    path = tmp_path / "latin.bib"
    path.write_bytes("@article{a, title={Caf\u00e9}}\n@article{b, title={Fine}}\n".encode("latin-1"))
    report = ReadReport()
    assert read_all(path, report=report)["id"].tolist() == ["b"]
    assert [(p.line, p.message, p.undecodable) for p in report.problems] == [
        (1, "not in the file's encoding (in the entry that starts here)", True)]
    assert read_all(path, encoding="latin-1")["title"].tolist() == ["Café", "Fine"]
    path = tmp_path / "latin.ris"
    path.write_bytes("TY  - JOUR\nID  - a\nTI  - Caf\u00e9\nER  -\nTY  - JOUR\nID  - b\nTI  - Fine\nER  -\n"
                     .encode("latin-1"))
    report = ReadReport()
    assert read_all(path, report=report)["id"].tolist() == ["b"]
    assert [(p.line, p.message, p.undecodable) for p in report.problems] == [
        (1, "not in the file's encoding (in the record that starts here)", True)]


def test_a_feed_in_another_encoding_needs_encoding(tmp_path):
    path = tmp_path / "feed.atom.gz"
    text = '<feed xmlns="http://www.w3.org/2005/Atom">\n<entry><id>1</id><title>Café</title><summary>S.</summary></entry></feed>'
    path.write_bytes(gzip.compress(text.encode("latin-1")))
    with pytest.raises(InputFileError, match=r"line 2: bytes that are not in the file's encoding") as caught:
        read_all(path)
    assert caught.value.undecodable
    assert read_all(path, encoding="latin-1")["title"].tolist() == ["Café"]
