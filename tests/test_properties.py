"""Property tests: arbitrary text in, either a clean error or a faithful round trip out."""

import csv
import io
import json

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from taxotag.errors import InputFileError, TaxonomyError
from taxotag.readers.documents import read_all
from taxotag.readers.json_document import json_records
from taxotag.readers.records import ReadReport
from taxotag.rules.matching import RuleSet
from taxotag.rules.votes import FIRED, PASSING
from taxotag.taxonomy.loading import parse_taxonomy
from taxotag.writers.cells import restore_cell
from taxotag.writers.rows import csv_text

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)


def cleaned(value: str) -> str:
    """What the readers promise to keep of a text field: NUL bytes dropped, outer white space trimmed."""
    return value.replace("\x00", "").strip()


records = st.lists(st.fixed_dictionaries({"id": TEXT, "title": TEXT, "abstract": TEXT}), max_size=8)


def expected(rows):
    kept, seen = [], set()
    for row in rows:
        row = {k: cleaned(v) for k, v in row.items()}
        if row["id"] and (row["title"] or row["abstract"]) and row["id"] not in seen:
            seen.add(row["id"])
            kept.append(row)
    return kept


@SETTINGS
@given(rows=records)
def test_jsonl_reader_round_trips(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("p") / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert_read_as_expected(path, rows)


@SETTINGS
@given(rows=records, indent=st.sampled_from([None, 0, 2]), wrapped=st.booleans(), size=st.integers(1, 40))
def test_json_document_reader_round_trips_in_any_blocks(rows, indent, wrapped, size):
    document = json.dumps({"meta": {"n": [len(rows), {}]}, "data": rows} if wrapped else rows, indent=indent)
    blocks = [document[i:i + size] for i in range(0, len(document), size)]
    records = [json.loads(text) for _, text in json_records(blocks, "x.json", lambda keys: "title" in keys)]
    assert records == rows  # (an API response with an empty array has no records)


def _read_never_crashes(folder, name: str, text: str) -> None:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    try:
        read_all(path, report=ReadReport())
    except InputFileError:
        pass


JSON_CHARACTERS = st.text(st.sampled_from('[]{}",:\\ \n0a-e.tnul'), max_size=60)


@SETTINGS
@example(text='[{"title": "T"}, ')
@example(text='{"title": ')
@example(text='{"a": [{"title": 1}], "b": "\\')
@given(text=JSON_CHARACTERS | TEXT)
def test_json_document_reader_never_crashes_on_text(tmp_path_factory, text):
    _read_never_crashes(tmp_path_factory.mktemp("p"), "in.json", text)


BIBTEX_PIECES = st.lists(st.sampled_from(["@article{", "@string{", "@comment{", "k,", "title", "abstract", " = ",
                                          "{", "}", '"', ",", "#", "%", "\\emph{", "{\\'e}", "$", "\n", "x"]),
                         max_size=30).map("".join)
RIS_PIECES = st.lists(st.sampled_from(["TY  - JOUR\n", "TI  - ", "AB  - ", "ID  - ", "DO  - ", "AU  - ", "ER  -\n",
                                       "ER  - \n", "wrapped", "\n", " ", "x"]), max_size=30).map("".join)


@SETTINGS
@example(text="@misc{k, title = {a}, title = {b}}")
@given(text=BIBTEX_PIECES | TEXT)
def test_bibtex_reader_never_crashes_on_text(tmp_path_factory, text):
    _read_never_crashes(tmp_path_factory.mktemp("p"), "refs.bib", text)


FEED_PIECES = st.lists(st.sampled_from(['<feed xmlns="http://www.w3.org/2005/Atom">', "</feed>", "<entry>", "</entry>",
                                        "<id>", "</id>", "<title>", "</title>", "<summary>", "</summary>",
                                        "<rss><channel>", "<item>", "</item>", "<description>", "</description>",
                                        '<category term="cs.CV"/>', "&amp;", "&x;", "<!DOCTYPE f>", "x", "\n"]),
                       max_size=30).map("".join)


@SETTINGS
@example(text='<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><title>t</title></entry></feed>')
@given(text=FEED_PIECES | TEXT)
def test_feed_reader_never_crashes_on_text(tmp_path_factory, text):
    _read_never_crashes(tmp_path_factory.mktemp("p"), "feed.xml", text)


@SETTINGS
@example(text="TY  - JOUR\nER  -\nwrapped\n")
@given(text=RIS_PIECES | TEXT)
def test_ris_reader_never_crashes_on_text(tmp_path_factory, text):
    _read_never_crashes(tmp_path_factory.mktemp("p"), "refs.ris", text)


@SETTINGS
@given(rows=records)
def test_csv_reader_round_trips(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("p") / "in.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "title", "abstract"])
    writer.writerows([r["id"], r["title"], r["abstract"]] for r in rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    assert_read_as_expected(path, rows)


def assert_read_as_expected(path, rows):
    """The records read are the expected ones; a file that has none to read is an error."""
    if not expected(rows):
        with pytest.raises(InputFileError, match="no record"):
            read_all(path, report=ReadReport())
        return
    frame = read_all(path, report=ReadReport())
    assert frame[["id", "title", "abstract"]].to_dict("records") == expected(rows)


@SETTINGS
@given(cells=st.lists(TEXT, min_size=1, max_size=6))
def test_exported_csv_restores_every_cell(cells):
    import pandas as pd

    text = csv_text(pd.DataFrame({"cell": cells}))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    back = [restore_cell(row[0]) if row else "" for row in rows[1:]]
    assert back == cells
    assert not any(row and row[0].startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows[1:])


@SETTINGS
@given(text=st.text(max_size=300))
def test_taxonomy_loader_never_crashes_on_text(text):
    try:
        parse_taxonomy(text, "fuzz.yaml")
    except TaxonomyError as exc:
        assert exc.problems and all(isinstance(p, str) for p in exc.problems)


@SETTINGS
@given(phrase=TEXT)
@example(phrase="---")
@example(phrase="self-supervised")
@example(phrase="self\u2010super\u00advised \ufb01ne")
@example(phrase="\u00ad")
def test_any_phrase_is_refused_by_name_or_found_where_written(phrase):
    text = yaml.safe_dump({"tags": [{"id": "a", "name": "A", "description": "d", "rules": [{"phrase": phrase}]}]})
    try:
        taxonomy = parse_taxonomy(text, "fuzz.yaml")
    except TaxonomyError as exc:
        assert all("tag 'a', rule 1" in p for p in exc.problems)
        return
    votes = RuleSet(taxonomy).apply(["A title"], [f"An abstract that says {phrase} once."])
    assert votes.matrix[0, 0] in (PASSING, FIRED)


@SETTINGS
@given(value=TEXT, attr=st.sampled_from(["LOWER", "ORTH", "TEXT"]))
@example(value="self-supervised", attr="LOWER")
@example(value="", attr="ORTH")
@example(value="\u2010", attr="ORTH")
@example(value="\u00ad", attr="LOWER")
def test_any_token_value_is_refused_by_name_or_found_where_written(value, attr):
    rule = {"pattern": [{attr: value}]}
    text = yaml.safe_dump({"tags": [{"id": "a", "name": "A", "description": "d", "rules": [rule]}]})
    try:
        taxonomy = parse_taxonomy(text, "fuzz.yaml")
    except TaxonomyError as exc:
        assert all("tag 'a', rule 1" in p and "token 1" in p for p in exc.problems)
        return
    votes = RuleSet(taxonomy).apply(["A title"], [f"An abstract that says {value} once."])
    assert votes.matrix[0, 0] in (PASSING, FIRED)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "name", "description", "rules", "phrase", "regex", "pattern", "tags",
                         "weight", "where", "parent", "implies", "min_score", "LOWER", "x"]), inner, max_size=4),
    max_leaves=12,
)


@SETTINGS
@given(value=yaml_values)
def test_taxonomy_loader_never_crashes_on_structures(value):
    try:
        parse_taxonomy(yaml.safe_dump({"tags": value}), "fuzz.yaml")
    except TaxonomyError as exc:
        assert all(p.startswith("line ") for p in exc.problems)


@SETTINGS
@given(st.dictionaries(st.integers(0, 2**40), st.integers(0, 10**6), max_size=300),
       st.lists(st.integers(0, 2**40), max_size=300))
def test_code_table_finds_exactly_what_a_dict_finds(table, queries):
    import numpy as np

    from taxotag.model.words import CodeTable

    codes = np.array(list(table), dtype=np.int64)
    found = CodeTable(codes, np.array(list(table.values()), dtype=np.int64)).get(
        np.array(queries + list(table), dtype=np.int64))
    assert found.tolist() == [table.get(code, -1) for code in queries + list(table)]


NAME_PIECES = st.sampled_from(["MERA", "mera", "-", "_", "x", "X2", "2", "é", " ", ".", "MERA-v2", "G-SimCLR",
                              "\u00b2", "\u0663", "\u2160"])


@settings(max_examples=300, deadline=None)
@given(st.lists(NAME_PIECES, max_size=12).map("".join), st.sampled_from(["MERA", "G-SimCLR", "X2"]),
       st.integers(0, 40), st.one_of(st.none(), st.integers(0, 40)))
def test_method_name_finds_what_the_whole_word_regex_finds(text, name, start, end):
    """MethodName.find replaced a regex compiled per document; it must find the same place."""
    import re

    from taxotag.rules.cues import MethodName

    regex = re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")
    match = regex.search(text, start) if end is None else regex.search(text, start, end)
    assert MethodName(name).find(text, start, end) == (match.start() if match else -1)


@SETTINGS
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40), max_size=6))
def test_word_hashes_hash_exactly_the_words_split_words_finds(texts):
    from taxotag.model.words import ONE_CHARACTER, split_words, word_hashes

    hashes, counts = word_hashes(texts)
    words = [word for text in texts for word in split_words(text)]
    assert counts.tolist() == [len(split_words(text)) for text in texts]
    assert len(hashes) == len(words)
    assert ((hashes == ONE_CHARACTER) == [len(word) == 1 for word in words]).all() and (hashes >= ONE_CHARACTER).all()
    by_word = {}
    for word, value in zip(words, hashes.tolist()):
        if len(word) == 1:
            continue
        assert by_word.setdefault(word, value) == value  # the same word, the same hash
    assert len(set(by_word.values())) == len(by_word)  # different words, different hashes
    assert word_hashes(list(by_word))[0].tolist() == list(by_word.values())


def test_long_texts_are_hashed_in_pieces_with_the_same_result(monkeypatch):
    from taxotag.model import words

    texts = ["alpha beta " * 40, "", "gamma-delta, " * 25 + "x" * 300, "epsilon"]
    expected = words.word_hashes(texts)
    monkeypatch.setattr(words, "HASH_BATCH_BYTES", 64)
    pieces = list(words._pieces(words.normalise_words(texts[0])))
    assert len(pieces) > 5 and all(len(piece) <= 64 for piece in pieces)
    hashes, counts = words.word_hashes(texts)
    assert hashes.tolist() == expected[0].tolist() and counts.tolist() == expected[1].tolist() == [80, 0, 26, 1]


json_values = st.recursive(st.none() | st.booleans() | st.integers(min_value=-2**80, max_value=2**80)
                           | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                           max_leaves=8)


@SETTINGS
@given(columns=st.dictionaries(st.sampled_from(["p", "q", "r"]), st.lists(json_values, min_size=4, max_size=4)))
def test_any_passed_through_values_make_a_parquet_output_that_keeps_every_row(tmp_path_factory, columns):
    """Whatever the values of the other columns (numbers that overflow int64, text, nested lists
    and objects, empty ones), the Parquet output is written and keeps every row and every tag."""
    import gzip

    import pandas as pd
    import pyarrow.parquet as pq

    from taxotag.writers import parquet
    from taxotag.writers.rows import jsonl_rows

    frame = pd.DataFrame({"id": list("abcd"), "title": list("TUVW"), "tags": ["x;y", "", "x", ""],
                          "score_x": [0.9, 0.1, 0.6, 0.2], "evidence": ["e", "", "e", ""],
                          **{name: pd.Series(values, dtype=object) for name, values in columns.items()}})
    spool = tmp_path_factory.mktemp("spool") / "rows.jsonl.gz"
    spool.write_bytes(gzip.compress(jsonl_rows(frame).encode("utf-8")))
    out = io.BytesIO()
    parquet.spool_to_parquet(spool, out, list(frame.columns))
    table = pq.read_table(io.BytesIO(out.getvalue()))
    assert table.column("tags").to_pylist() == [["x", "y"], [], ["x"], []]
    assert table.column("score_x").to_pylist() == [0.9, 0.1, 0.6, 0.2]
    assert set(table.column_names) == set(frame.columns)
