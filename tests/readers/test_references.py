"""Tests of taxotag.readers.references."""

import gzip

import pytest

from taxotag.errors import InputFileError
from taxotag.readers.documents import read_all
from taxotag.readers.records import ReadReport
from tests.conftest import ABSTRACT, ABSTRACT2, LISTING

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
    from taxotag.readers import references

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
    from taxotag.readers import references

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
    from taxotag.readers.references import latex_text

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
