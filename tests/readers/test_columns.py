"""Tests of taxotag.readers.columns."""

import json

import pytest

from taxotag.cli.hints import columns_option
from taxotag.errors import InputFileError, MissingColumnsError
from taxotag.readers.documents import read_all, read_documents
from taxotag.readers.records import ReadReport
from tests.conftest import write_jsonl


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


def test_a_json_record_without_an_abstract_but_with_a_known_other_name_for_one_is_an_error(tmp_path):
    """Its abstracts are under another name, so reading titles alone would tag the wrong thing."""
    path = tmp_path / "s2.jsonl"
    write_jsonl(path, [{"id": "a", "title": "T", "paperAbstract": "A."}, {"id": "b", "title": "U"}])
    with pytest.raises(MissingColumnsError, match=r"line 1: the first record has no abstract, but a key that exports "
                                                  r"use for one \(its keys: id, title, paperAbstract\)") as raised:
        read_all(path)
    assert raised.value.suggested == {"abstract": "paperAbstract"}
    assert read_all(path, columns={"abstract": "paperAbstract"})["abstract"].tolist() == ["A.", ""]
