import gzip
import json

import pytest

from taxotag.formats import input_format_of
from taxotag.hints import columns_option
from taxotag.corpus import ReadReport, find_record, import_listings, read_all, read_documents
from taxotag.errors import InputFileError, MissingColumnsError
from tests.conftest import ROOT, write_jsonl

LISTING = """new

Get trending papers in your email inbox!

Mar 12

A Title About Semi-Supervised Learning

{abstract}

Another Paper

{abstract2}
"""
ABSTRACT = "We propose a method. " * 15
ABSTRACT2 = "This paper studies something else entirely, at length. " * 5


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


def test_import_merges_duplicates_across_files(tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(LISTING.format(abstract=ABSTRACT, abstract2=ABSTRACT2))
    second.write_text(f"another paper\n\n{ABSTRACT2}\n\nNew One\n\n{ABSTRACT}\n")
    frame, report = import_listings([first, second])
    assert frame["title"].tolist() == ["A Title About Semi-Supervised Learning", "Another Paper", "New One"]
    assert frame.loc[1, "sources"] == "a.txt:11;b.txt:1"
    assert not report.problems


def test_embedded_seed_listings_import_to_the_165_gold_papers():
    import pandas as pd

    frame, _ = import_listings(sorted((ROOT / "data" / "seeds").glob("*.txt")))
    gold = pd.read_csv(ROOT / "data" / "seed_gold.csv")
    assert len(frame) == 165
    assert frame["id"].tolist() == gold["id"].tolist()
    assert frame["title"].tolist() == gold["title"].tolist()


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


def test_gzipped_jsonl_streams_in_chunks(tmp_path):
    path = tmp_path / "in.jsonl.gz"
    with gzip.open(path, "wt") as handle:
        for i in range(25):
            handle.write(f'{{"id": "{i}", "title": "t{i}", "abstract": "a", "year": 2025}}\n')
    chunks = list(read_documents(path, chunk_size=10))
    assert [len(c) for c in chunks] == [10, 10, 5]
    assert list(chunks[0].columns) == ["id", "title", "abstract", "year"]


def test_csv_with_quoted_newlines_keeps_line_numbers(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('id,title,abstract\n1,"T","line one\nline two"\n2,T2\n3,T3,A3\n')
    report = ReadReport()
    frame = read_all(path, report=report)
    assert frame["id"].tolist() == ["1", "3"]
    assert frame.loc[0, "abstract"] == "line one\nline two"
    assert [str(p) for p in report.problems] == [f"{path}, line 4: 2 fields, the header has 3"]


@pytest.mark.parametrize("content, message", [
    ("id,text\n1,hello\n", r"line 1: missing required column\(s\) title, abstract; found id, text"),
    ("id;title;abstract\na;T;An abstract.\n", r"line 1: the header is one column \('id;title;abstract'\); "
                                              r"taxotag reads comma-separated .csv and tab-separated .tsv"),
])
def test_csv_missing_columns_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "in.csv"
    path.write_text(content)
    with pytest.raises(InputFileError, match=message):
        read_all(path)


def test_csv_unbalanced_quote_is_a_clear_error(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('id,title,abstract\n1,"T,"never closed\n2,T,A\n')
    with pytest.raises(InputFileError, match="malformed CSV .* unbalanced quote"):
        read_all(path)


def test_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(InputFileError, match="unknown input format"):
        input_format_of("papers.docx")
    with pytest.raises(InputFileError, match="no such file"):
        read_all(tmp_path / "nope.jsonl")


def test_parquet_is_read(tmp_path):
    import pandas as pd

    path = tmp_path / "in.parquet"
    pd.DataFrame({"id": ["a"], "title": ["T"], "abstract": ["A"]}).to_parquet(path)
    assert read_all(path)["id"].tolist() == ["a"]


def test_nul_bytes_and_bom_are_cleaned(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "1", "title": "T\\u0000", "abstract": "A"}\n')
    assert read_all(path).loc[0, "title"] == "T"
    write_jsonl(path, [{"id": "1", "title": "", "abstract": ""}])
    with pytest.raises(InputFileError, match=r"no record could be read: all 1 were skipped, the first at line 1: "
                                             r"id '1' has neither title nor abstract"):
        read_all(path, report=ReadReport())


def test_find_record_finds_one_record_in_any_chunk(tmp_path):
    path = tmp_path / "papers.jsonl"
    lines = [json.dumps({"id": f"p{i}", "title": f"T{i}", "abstract": "A"}) for i in range(2500)]
    path.write_text("\n".join(lines[:1500] + ["not json"] + lines[1500:]) + "\n")
    found = find_record(path, "p10")
    assert found[["id", "title"]].values.tolist() == [["p10", "T10"]]
    assert find_record(path, "p2400")["title"].tolist() == ["T2400"]
    assert find_record(path, "missing").empty


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_columns_name_the_files_own_id_title_and_abstract_columns(tmp_path, suffix):
    import pandas as pd

    frame = pd.DataFrame({"id": [7, 8], "paperId": ["a", "b"], "title": ["T1", "T2"],
                          "summary": ["Abstract one.", "Abstract two."], "year": [2024, 2025]})
    path = tmp_path / f"papers{suffix}"
    {".csv": lambda: frame.to_csv(path, index=False), ".parquet": lambda: frame.to_parquet(path),
     ".jsonl": lambda: frame.to_json(path, orient="records", lines=True)}[suffix]()
    documents = pd.concat(read_documents(path, columns={"id": "paperId", "abstract": "summary"}))
    assert list(documents.columns) == ["id", "title", "abstract", "year"]  # the file's own `id` is left out
    assert documents[["id", "abstract"]].values.tolist() == [["a", "Abstract one."], ["b", "Abstract two."]]
    if suffix != ".jsonl":
        with pytest.raises(InputFileError, match=r"missing required column\(s\) pid \(for id\), abstract; found id, "):
            next(read_documents(path, columns={"id": "pid"}))
        with pytest.raises(MissingColumnsError, match=r"missing required column\(s\) abstract; found id, paperId"):
            next(read_documents(path))


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".parquet"])
def test_id_title_and_abstract_are_found_whatever_their_case(tmp_path, suffix):
    import pandas as pd

    frame = pd.DataFrame({"ID": ["a", "b"], "Title": ["T1", "T2"], "ABSTRACT": ["One.", "Two."],
                          "Year": [2024, 2025]})
    path = tmp_path / f"export{suffix}"
    {".csv": lambda: frame.to_csv(path, index=False), ".tsv": lambda: frame.to_csv(path, index=False, sep="\t"),
     ".parquet": lambda: frame.to_parquet(path),
     ".jsonl": lambda: frame.to_json(path, orient="records", lines=True)}[suffix]()
    documents = read_all(path)
    assert list(documents.columns) == ["id", "title", "abstract", "Year"]
    assert documents[["id", "title", "abstract"]].values.tolist() == [["a", "T1", "One."], ["b", "T2", "Two."]]


def test_the_exact_name_wins_over_another_case_and_two_other_cases_are_not_guessed(tmp_path):
    path = tmp_path / "both.csv"
    path.write_text("id,title,Title,abstract\na,right,wrong,A.\n")
    assert read_all(path)[["title", "Title"]].values.tolist() == [["right", "wrong"]]
    path.write_text("id,Title,TITLE,abstract\na,one,two,A.\n")
    with pytest.raises(MissingColumnsError, match=r"missing required column\(s\) title; found id, Title, TITLE"):
        read_all(path)


def test_other_columns_pass_through_as_the_file_gives_them(tmp_path):
    """Numbers, lists and objects stay what they are (a JSON Lines output writes them so; a CSV,
    as JSON text), a number beside a record that lacks it too; an id or a title is always text."""
    import pandas as pd

    record = {"id": 1, "title": "T", "abstract": "A", "categories": ["cs.CV", "cs.LG"],
              "meta": {"venue": "CVPR", "oral": True}, "year": 2025, "note": "  kept\x00 "}
    jsonl = write_jsonl(tmp_path / "in.jsonl", [record, {"id": "2", "title": "U", "abstract": "B"}])
    parquet = tmp_path / "in.parquet"
    pd.DataFrame([record]).drop(columns="meta").to_parquet(parquet)
    for path in (jsonl, parquet):
        frame = read_all(path)
        assert frame.loc[0, "id"] == "1"
        assert list(frame.loc[0, "categories"]) == ["cs.CV", "cs.LG"] and frame.loc[0, "year"] == 2025
        assert frame.loc[0, "note"] == "kept"
    frame = read_all(jsonl)
    assert frame.loc[0, "meta"] == {"venue": "CVPR", "oral": True} and pd.isna(frame.loc[1, "year"])


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


RECORDS = [{"id": "a", "title": 'A "quoted" [bracketed] {braced} title', "abstract": "Line one.\nLine two \\ é ✓",
            "authors": [{"name": "X", "title": "Dr"}], "year": 2025},
           {"id": "b", "title": "Second", "abstract": "Another abstract.", "authors": [], "year": None}]


def test_text_blocks_decode_characters_split_between_blocks(tmp_path):
    from taxotag.corpus import TextSource

    path = tmp_path / "papers.json"
    path.write_bytes(b"\xef\xbb\xbf" + "[\"é ✓ 日本\"]".encode())
    blocks = TextSource(path, ReadReport()).blocks(size=1)
    assert "".join(blocks) == "[\"é ✓ 日本\"]"  # (the byte order mark dropped)


def test_an_empty_page_of_results_is_an_error(tmp_path):
    """Reading nothing from a file that is there is a mistake to report, not an empty output."""
    path = tmp_path / "page.json"
    path.write_text('{"total": 0, "offset": 0, "data": []}')
    with pytest.raises(InputFileError, match=r"page.json: no records in it \(read as json\)"):
        read_all(path, report=ReadReport())
    path.write_text('{"meta": {"count": 0, "groups": []}, "results": [], "group_by": []}')
    with pytest.raises(InputFileError, match="no records in it"):
        read_all(path, columns={"abstract": "summary"}, report=ReadReport())


@pytest.mark.parametrize("shape", ["array", "pretty array", "api response", "json lines", "gzip"])
def test_json_documents_give_their_records_whatever_their_shape(tmp_path, shape):
    path = tmp_path / ("papers.json.gz" if shape == "gzip" else "papers.json")
    text = {"array": lambda: json.dumps(RECORDS),
            "pretty array": lambda: json.dumps(RECORDS, indent=2, ensure_ascii=False),
            "api response": lambda: json.dumps({"meta": {"groups": [{"name": "x"}], "count": 2},
                                                "related": [{"name": "not a record"}], "data": RECORDS,
                                                "next": None}),
            "json lines": lambda: "\n".join(json.dumps(r) for r in RECORDS),
            "gzip": lambda: json.dumps(RECORDS)}[shape]()
    if shape == "gzip":
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    report = ReadReport()
    frame = read_all(path, report=report)
    assert report.problems == []
    assert frame[["id", "title", "abstract"]].values.tolist() == [[r["id"], r["title"], r["abstract"]] for r in RECORDS]
    assert frame.loc[0, "authors"] == RECORDS[0]["authors"]  # (an array of objects, not the records)


def test_json_records_are_the_same_whatever_the_blocks_the_text_comes_in():
    from taxotag.json_document import json_records

    text = json.dumps({"total": 2, "data": RECORDS}, indent=1) + "\n"
    whole = list(json_records([text], "x.json", lambda keys: "title" in keys))
    assert [json.loads(record) for _, record in whole] == RECORDS
    assert [line for line, _ in whole] == [4, 16]
    for size in (1, 2, 3, 7, 64):
        blocks = [text[i:i + size] for i in range(0, len(text), size)]
        assert list(json_records(blocks, "x.json", lambda keys: "title" in keys)) == whole


def test_an_openalex_abstract_is_rebuilt_from_its_inverted_index(tmp_path):
    path = tmp_path / "works.jsonl"
    write_jsonl(path, [
        {"id": "https://openalex.org/W1", "title": "Masked autoencoders",
         "abstract_inverted_index": {"We": [0], "propose": [1], "masked": [2, 5], "autoencoders.": [3], "Each": [4]}},
        {"id": "https://openalex.org/W2", "title": "No abstract", "abstract_inverted_index": None},
        {"id": "https://openalex.org/W3", "title": "Broken", "abstract_inverted_index": {"word": ["zero"]}},
    ])
    report = ReadReport()
    frame = read_all(path, report=report)
    assert frame["abstract"].tolist() == ["We propose masked autoencoders. Each masked", ""]
    assert [str(p) for p in report.problems] == [f"{path}, line 3: abstract is a JSON object, not text"]
    named = read_all(path, columns={"abstract": "abstract_inverted_index"}, report=ReadReport())
    assert named["abstract"].tolist() == frame["abstract"].tolist()


OPENREVIEW_V2 = [  # as the API (/notes) and openreview-py give them
    {"id": "aB3xYz", "forum": "aB3xYz", "number": 4217, "invitations": ["ICLR.cc/2025/Conference/-/Submission"],
     "content": {"title": {"value": "Masked Autoencoders for Point Clouds"},
                 "abstract": {"value": "We propose a self-supervised masked autoencoder."},
                 "keywords": {"value": ["self-supervised learning", "point clouds"]},
                 "venue": {"value": "ICLR 2025 Poster"}, "id": {"value": "not the note's id"}}},
    {"id": "Qw9Er7", "forum": "Qw9Er7", "content": {"title": {"value": "Withdrawn, no abstract"}}},
    {"id": "Zx5Cv1", "forum": "Zx5Cv1", "content": {"title": {"value": "Distilling Teachers"},
                                                    "abstract": {"value": "We distill a teacher."}}},
]


@pytest.mark.parametrize("layout", ["api_v2_document", "api_v1_document", "jsonl"])
def test_openreview_notes_are_read_with_their_content_fields(tmp_path, layout):
    """Conference papers (ICLR, NeurIPS, TMLR) come from OpenReview, whose notes hold title and
    abstract in `content` (API v2: each as {"value": ...}); the note's id stays its id."""
    notes = OPENREVIEW_V2
    if layout == "api_v1_document":
        notes = [{**note, "content": {key: value["value"] for key, value in note["content"].items()}}
                 for note in notes]
    path = tmp_path / ("notes.jsonl" if layout == "jsonl" else "notes.json")
    if layout == "jsonl":
        write_jsonl(path, notes)
    else:
        path.write_text(json.dumps({"notes": notes, "count": len(notes)}, indent=1))
    report = ReadReport()
    frame = read_all(path, report=report)
    assert frame["id"].tolist() == ["aB3xYz", "Qw9Er7", "Zx5Cv1"]
    assert frame["title"].tolist() == ["Masked Autoencoders for Point Clouds", "Withdrawn, no abstract",
                                       "Distilling Teachers"]
    assert frame["abstract"].tolist() == ["We propose a self-supervised masked autoencoder.", "",
                                          "We distill a teacher."]
    assert frame.loc[0, "venue"] == "ICLR 2025 Poster" and frame.loc[0, "number"] == 4217
    assert frame.loc[0, "keywords"] == ["self-supervised learning", "point clouds"]
    assert "content" not in frame.columns
    assert not report.problems and report.title_only == 1  # (like any record without an abstract: its title)


def test_a_record_with_its_own_title_keeps_its_content_column(tmp_path):
    """Only a record without a title or abstract of its own is read as an OpenReview note."""
    path = tmp_path / "papers.jsonl"
    write_jsonl(path, [{"id": "1", "title": "Own title", "abstract": "Own abstract.",
                        "content": {"title": {"value": "Another"}}}])
    frame = read_all(path)
    assert frame.loc[0, "title"] == "Own title" and frame.loc[0, "content"] == {"title": {"value": "Another"}}


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


BIBTEX = r"""% Exported from a reference manager
@string{cvpr = "Proc. CVPR"}
@inproceedings{he2022mae,
  Title = {Masked Autoencoders Are Scalable Vision Learners},
  author = {He, Kaiming and Chen, Xinlei},
  booktitle = cvpr,
  year = 2022,
  abstract = {Masked autoencoders are scalable self-supervised learners. Caf{\'e} \emph{works} 50\% --- yes.}
}

@article{broken,
  title = {An unbalanced {brace,
  year = 2020
}

@article{radford2021clip, title="{CLIP}: Learning Transferable Visual Models", abstract = "We learn."}
@article{radford2021clip, title="The same key again"}
@misc{nothing, year = 2020}
@book{titleonly, title = {Knowledge Distillation: A Survey}}
@misc{twice, title = {One}, title = {Two}}
"""


@pytest.mark.parametrize("entries_per_piece", [500, 2, 1])
def test_bibtex_entries_are_records_with_latex_decoded_and_broken_blocks_reported(tmp_path, monkeypatch,
                                                                                 entries_per_piece):
    """The same records and problems, at the same lines, whatever the pieces the file is parsed in
    (a macro defined in one is used in the next, a key given in one is given again in another)."""
    from taxotag import references

    monkeypatch.setattr(references, "ENTRIES_PER_PIECE", entries_per_piece)
    path = tmp_path / "refs.bib.gz"
    path.write_bytes(gzip.compress(BIBTEX.encode()))
    report = ReadReport()
    frame = read_all(path, report=report)
    assert frame["id"].tolist() == ["he2022mae", "radford2021clip", "titleonly"]
    assert frame["title"].tolist() == ["Masked Autoencoders Are Scalable Vision Learners",
                                       "CLIP: Learning Transferable Visual Models", "Knowledge Distillation: A Survey"]
    assert frame.loc[0, "abstract"] == ("Masked autoencoders are scalable self-supervised learners. "
                                        "Café works 50% — yes.")
    assert frame.loc[0, ["entry_type", "booktitle", "year"]].tolist() == ["inproceedings", "Proc. CVPR", "2022"]
    assert frame.loc[2, "abstract"] == ""  # (kept: its title is tagged)
    assert [(p.line, p.message) for p in report.problems] == [
        (11, "not valid BibTeX (Unexpected block start: `@article`. Was still looking for field-value closing `}`)"),
        (17, "duplicate id 'radford2021clip' (the first one is kept)"),
        (18, "id 'nothing' has neither title nor abstract"),
        (20, "entry 'twice' gives the field(s) title twice"),
    ]


def test_a_bibtex_file_parsed_an_entry_at_a_time_resolves_macros_and_duplicates_across_entries(tmp_path,
                                                                                                 monkeypatch):
    from taxotag import references

    monkeypatch.setattr(references, "ENTRIES_PER_PIECE", 1)
    path = tmp_path / "refs.bib"
    path.write_text("@article{a, title={First}}\n@string{venue = {CVPR}}\n\n@article{b,\n  title={Second},\n"
                    "  booktitle=venue}\n@article{a, title={Again}}\n@article{c, title={Brace \\{ kept}}\n"
                    "@article{d, title={Last}}\n@article{e, title=\"An unclosed quote}\n@article{f, title={F}}\n")
    assert [start for start, _ in references._bibtex_pieces(numbered_lines(path))] == [1, 2, 4, 7, 8, 9, 10, 11]
    report = ReadReport()
    frame = read_all(path, report=report)
    assert frame["id"].tolist() == ["a", "b", "c", "d", "f"] and frame.loc[1, "booktitle"] == "CVPR"
    assert [(p.line, p.message) for p in report.problems] == [  # (e as in the whole file: where f starts)
        (7, "duplicate id 'a' (the first one is kept)"),
        (10, "not valid BibTeX (Unexpected block start: `@article`. Was still looking for field-value closing `\"`)")]


def numbered_lines(path):
    return list(enumerate(path.read_text().splitlines(keepends=True), 1))


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


RIS = """TY  - JOUR
TI  - Self-Training With Noisy Student Improves ImageNet Classification
AU  - Xie, Qizhe
AU  - Luong, Minh-Thang
AB  - We present Noisy Student Training, a semi-supervised learning ap-
proach that works well even when labeled data is abun-
dant.
DO  - 10.1109/CVPR42600.2020.01070
ER  -\x20

TY  - CONF
T1  - Weakly supervised object localization
N2  - We train with image-level labels only.
KW  - weak supervision
KW  - localization
ER  -
TY  - JOUR
ID  - my-own-id
TI  - A record that the next TY ends
TY  - JOUR
TI  - The last record, with no ER line
"""


def test_ris_records_join_wrapped_and_repeated_fields_and_number_those_without_an_id(tmp_path):
    path = tmp_path / "refs.ris"
    path.write_text(RIS)
    listing = tmp_path / "listing.txt"
    listing.write_text(LISTING.format(abstract=ABSTRACT, abstract2=ABSTRACT2))
    report = ReadReport()
    frame = read_all([listing, path], report=report)
    assert report.problems == []
    assert frame["id"].tolist() == ["p000", "p001", "10.1109/CVPR42600.2020.01070", "p002", "my-own-id", "p003"]
    ris = frame.iloc[2:].reset_index(drop=True)
    assert ris.loc[0, "abstract"] == ("We present Noisy Student Training, a semi-supervised learning approach "
                                      "that works well even when labeled data is abundant.")
    assert ris.loc[0, "AU"] == "Xie, Qizhe; Luong, Minh-Thang"
    assert ris.loc[1, ["title", "abstract", "KW"]].tolist() == [
        "Weakly supervised object localization", "We train with image-level labels only.",
        "weak supervision; localization"]
    assert ris["title"].tolist()[2:] == ["A record that the next TY ends", "The last record, with no ER line"]


@pytest.mark.parametrize("name, text, message", [
    ("papers.json", "", "the file is empty"),
    ("papers.json", '[{"id": "a", "title": "T", "abstract": "A."}] [1]',
     "line 1: text after the end of the JSON document"),
    ("papers.json", '[{"id": "a", "title": "T", "abstract": "A."}\n{"id": "b"}]',
     "line 2: expected ',' or ']' after the record that starts at line 1"),
    ("papers.json", '{"data": [{"title": "T"}]', "line 1: the object that starts at line 1 is not valid JSON"),
    ("papers.json", '{"data": [{"title": "T"}], "x": "never closed}',
     "line 1: the string that starts here is not closed"),
    ("papers.json", '{"data": [{"title": "T"}], 5: 1}', r"expected a member name, found '5'"),
    ("papers.json", "\n\n  'single quotes'", "line 3: not a JSON document"),
    ("papers.json", '{"total": 0, "meta": {"data": [{"title": "T"}]}}',
     r"no records: the document is an object \(keys: total, meta\) with no title or abstract and no array of records"),
    ("papers.json", '{"data": [{"paperId": "a", "summary": "S."}]}',
     r"the objects in 'data' have no title or abstract \(the first one's keys: paperId, summary\)"),
    ("refs.bib", "id,title,abstract\na,T,A.\n", r"refs.bib: not a BibTeX file: no entry"),
    ("refs.ris", "id,title,abstract\na,T,A.\n", r"refs.ris, line 1: not a RIS file: no record"),
])
def test_a_broken_json_bibtex_or_ris_file_or_one_without_records_is_an_error(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InputFileError, match=message):
        read_all(path)


@pytest.mark.parametrize("name", ["refs.bib", "refs.ris"])
def test_an_empty_bibtex_or_ris_file_is_an_error(tmp_path, name):
    (tmp_path / name).write_text("")
    with pytest.raises(InputFileError, match=f"{name}: no records in it"):
        read_all(tmp_path / name)


@pytest.mark.parametrize("latex, text", [
    (r"Caf{\'e} and Caf\'{e} and na\"{\i}ve", "Café and Café and naïve"),
    (r"\v{S}koda, Sch\"onberger, \c{c}a, {\o}ystein, Stra\ss{}e, Ho\H{o}, S\k{a}",
     "Škoda, Schönberger, ça, øystein, Straße, Hoő, Są"),
    (r"\emph{Self}-supervised \textbf{\textit{learning}} with {BERT}", "Self-supervised learning with BERT"),
    (r"50\% of \$5 \& more \{x\} co\-operate a\,b", "50% of $5 & more {x} cooperate a b"),
    (r"self--supervised --- ``yes''", "self–supervised — “yes”"),
    (r"a~b\\c $\alpha$-divergence \ldots{}", "a b c $alpha$-divergence …"),
    ("Knowledge Distil-\n    lation for {BERT}", "Knowledge Distillation for BERT"),  # pasted from a PDF
    ("Knowledge Distil-\n    lation for Small Models", "Knowledge Distillation for Small Models"),
    ("plain text, unchanged", "plain text, unchanged"),
])
def test_bibtex_latex_is_read_as_text(latex, text):
    from taxotag.references import latex_text

    assert latex_text(latex) == text


WEB_OF_SCIENCE_EXPORT = """\ufeffFN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Xie, Q
   Luong, MT
TI Self-training with Noisy Student improves ImageNet
   classification
AB We present Noisy Student Training, a semi-supervised learning approach
   that works well even when labeled data is abundant.
DI 10.1109/CVPR42600.2020.01070
UT WOS:000620679500001
ER

PT J
TI Weakly supervised object localization
AB We train with image-level labels only.
ER

EF
"""


def test_a_web_of_science_plain_text_export_is_read_by_its_field_tags(tmp_path):
    path = tmp_path / "savedrecs.txt"
    path.write_text(WEB_OF_SCIENCE_EXPORT, encoding="utf-8")
    report = ReadReport()
    frame = read_all(path, report=report)
    assert report.problems == []
    assert frame[["id", "title", "abstract"]].values.tolist() == [
        ["WOS:000620679500001", "Self-training with Noisy Student improves ImageNet classification",
         "We present Noisy Student Training, a semi-supervised learning approach that works well even when "
         "labeled data is abundant."],
        ["p000", "Weakly supervised object localization", "We train with image-level labels only."]]
    assert frame.loc[0, ["AU", "DI"]].tolist() == ["Xie, Q; Luong, MT", "10.1109/CVPR42600.2020.01070"]


def test_a_web_of_science_tab_delimited_export_says_how_to_read_it(tmp_path):
    import pandas as pd

    path = tmp_path / "savedrecs.txt"
    path.write_text("PT\tAU\tTI\tAB\tUT\nJ\tXie, Q\tA title\tAn abstract.\tWOS:1\n", encoding="utf-8-sig")
    with pytest.raises(InputFileError, match=r"savedrecs.txt, line 1: this is a Web of Science tab-delimited export; "
                                             r"export the records as a plain text file instead"):
        read_all(path)
    frame = pd.concat(read_documents(path, columns={"id": "UT", "title": "TI", "abstract": "AB"}, input_format="tsv"))
    assert frame[["id", "title", "abstract"]].values.tolist() == [["WOS:1", "A title", "An abstract."]]


@pytest.mark.parametrize("header, suggestion", [
    ("Authors,Title,Year,Source title,Abstract,DOI,EID", "--columns id=EID"),  # Scopus
    ("Key,Item Type,Publication Year,Author,Title,Abstract Note", "--columns 'id=Key,abstract=Abstract Note'"),  # Zotero
    ("Document Title,Authors,Abstract,DOI", "--columns 'id=DOI,title=Document Title'"),  # IEEE Xplore
    ("ref,name,text", ""),
])
def test_a_file_missing_columns_suggests_the_names_exports_use(tmp_path, header, suggestion):
    path = tmp_path / "export.csv"
    path.write_text(header + "\n" + ",".join("x" * len(header.split(","))) + "\n")
    with pytest.raises(MissingColumnsError) as error:
        read_all(path)
    assert (columns_option(error.value.suggested) if error.value.suggested else "") == suggestion


FEEDS = ROOT / "tests" / "feeds"


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


def test_an_arxiv_rss_listing_is_read_with_its_abstract_preamble_taken_off():
    (item,) = read_all(FEEDS / "arxiv_cs.CV.rss").to_dict("records")
    assert item["id"] == "oai:arXiv.org:2512.00001v1" and item["announce_type"] == "new"
    assert item["abstract"] == "We propose a weakly supervised segmentation method trained with image-level labels."
    assert item["categories"] == ["cs.CV", "cs.LG"] and item["link"] == "https://arxiv.org/abs/2512.00001"


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


def test_a_feed_in_another_encoding_needs_encoding(tmp_path):
    path = tmp_path / "feed.atom.gz"
    text = '<feed xmlns="http://www.w3.org/2005/Atom">\n<entry><id>1</id><title>Café</title><summary>S.</summary></entry></feed>'
    path.write_bytes(gzip.compress(text.encode("latin-1")))
    with pytest.raises(InputFileError, match=r"line 2: bytes that are not in the file's encoding") as caught:
        read_all(path)
    assert caught.value.undecodable
    assert read_all(path, encoding="latin-1")["title"].tolist() == ["Café"]


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


def test_a_csv_without_an_id_column_is_numbered_by_row_with_a_note(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Title,Abstract\nFirst,One.\n\nSecond,\nThird,Three.\n")
    report = ReadReport()
    frame = read_all(path, report=report)
    assert frame[["id", "title", "abstract"]].values.tolist() == [["1", "First", "One."], ["2", "Second", ""],
                                                                  ["3", "Third", "Three."]]
    assert report.notes == [f"{path} has no id column: each record's id is its row number (1 for the first)"]
    assert report.title_only == 1
    with pytest.raises(MissingColumnsError, match="missing required column"):
        read_all(path, columns={"id": "paperId"})  # (a named id column must be there)


def test_a_json_record_without_an_abstract_but_with_a_known_other_name_for_one_is_an_error(tmp_path):
    """Its abstracts are under another name, so reading titles alone would tag the wrong thing."""
    path = tmp_path / "s2.jsonl"
    write_jsonl(path, [{"id": "a", "title": "T", "paperAbstract": "A."}, {"id": "b", "title": "U"}])
    with pytest.raises(MissingColumnsError, match=r"line 1: the first record has no abstract, but a key that exports "
                                                  r"use for one \(its keys: id, title, paperAbstract\)") as raised:
        read_all(path)
    assert raised.value.suggested == {"abstract": "paperAbstract"}
    assert read_all(path, columns={"abstract": "paperAbstract"})["abstract"].tolist() == ["A.", ""]
