"""Tests of taxotag.model.compiled_counts: the C term counts are the numpy ones, entry for entry."""

import gzip
import json
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taxotag.model import compiled_counts
from taxotag.model.artifacts import load_model
from tests.conftest import ROOT

needs_extension = pytest.mark.skipif(not compiled_counts.available(), reason="the C extension was not built "
                                     "(no C compiler at install); taxotag counts with numpy")


def assert_same_matrix(found, expected):
    assert found.shape == expected.shape
    assert found.indptr.tolist() == expected.indptr.tolist()
    assert found.indices.tolist() == expected.indices.tolist()  # (sorted within each row, as numpy's)
    assert found.data.tobytes() == expected.data.tobytes()
    assert (found.indices.dtype, found.indptr.dtype, found.data.dtype) == \
        (expected.indices.dtype, expected.indptr.dtype, expected.data.dtype)


@pytest.fixture(scope="module")
def model(trained_model_dir, taxonomy):
    return load_model(trained_model_dir, taxonomy)


@pytest.mark.skipif(not os.environ.get("CI"), reason="only CI machines must have a C compiler")
def test_the_extension_is_built_by_the_install():
    assert compiled_counts.available()


@needs_extension
def test_c_counts_and_features_are_the_numpy_ones_on_real_abstracts(model):
    with gzip.open(ROOT / "data" / "arxiv_sample.jsonl.gz", "rt", encoding="utf-8") as source:
        records = [json.loads(line) for line, _ in zip(source, range(2000))]
    texts = [f"{record['title']}\n\n{record['abstract']}" for record in records] + [
        "", " ", "a b c", "Ünïcode Straße x\u00a0y", "İstanbul a\u2028b x\x1cy \u200bz", "the of self-supervised"]
    assert model._compiled is not None
    assert_same_matrix(model.term_counts(texts), model.numpy_term_counts(texts))
    features = model.transform(texts)
    assert_same_matrix(features, model.weigh(model.numpy_term_counts(texts)))


@needs_extension
def test_texts_counted_in_several_batches_give_the_same_matrix(model, monkeypatch):
    texts = [f"learning {i} self-supervised representation learning of images" for i in range(50)] + ["x" * 300]
    whole = model.term_counts(texts)
    monkeypatch.setattr(compiled_counts, "BATCH_BYTES", 100)
    assert_same_matrix(model.term_counts(texts), whole)
    assert model.term_counts([]).shape == (0, len(model.vocabulary))


WORDS = st.sampled_from(["learning", "self-supervised", "representation", "the", "of", "a", "é", "ß", "x",
                         "unknownword", "images", "model", "models", "α", "label", "labels", "-", "ǅ", "İ"])
GAPS = st.sampled_from([" ", "  ", "\n", "\n\n", ", ", ". ", "\t", "\u00a0", "(", ")"])


@needs_extension
@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.tuples(WORDS, GAPS).map("".join), max_size=20).map("".join), max_size=6))
def test_c_counts_are_the_numpy_ones_for_any_words_and_gaps(model, texts):
    assert_same_matrix(model.term_counts(texts), model.numpy_term_counts(texts))


@needs_extension
def test_tables_of_the_wrong_size_are_refused():
    from taxotag.model._term_counts import count_terms, fill_table

    with pytest.raises(ValueError, match="sizes do not agree"):
        fill_table(np.arange(3), np.arange(2), np.full(32, -1), 4)
    from taxotag.model.words import BYTE_NORMALISING

    def count(table, word_slots):
        return count_terms(b"ab cd", table, 1, word_slots, 4, np.full(32, -1), 4, np.full(2, -1), 1, 10,
                           np.empty(2, np.int64), np.empty(6, np.int32), np.empty(6, np.float32))

    assert count(BYTE_NORMALISING, np.full(32, -1)) == 0  # (two unknown words, no vocabulary)
    with pytest.raises(ValueError, match="sizes do not agree"):
        count(BYTE_NORMALISING, np.full(30, -1))
    with pytest.raises(ValueError, match="sizes do not agree"):
        count(BYTE_NORMALISING[:255], np.full(32, -1))
    with pytest.raises(ValueError, match="other than NUL to NUL"):
        count(BYTE_NORMALISING.replace(b" ", b"\x00"), np.full(32, -1))


def test_without_the_extension_a_model_counts_with_numpy_and_tags_the_same(model, monkeypatch):
    from taxotag.model.tag_model import TagModel

    monkeypatch.setattr(compiled_counts, "available", lambda: False)
    fallback = TagModel(tag_ids=model.tag_ids, vocabulary=model.vocabulary, idf=model.idf, coef=model.coef,
                        intercept=model.intercept, thresholds=model.thresholds, params=model.params)
    assert fallback._compiled is None
    texts = ["Self-supervised representation learning of images.", "", "Knowledge distillation of a model"]
    assert_same_matrix(fallback.transform(texts), model.transform(texts))
