"""Tests of taxotag.model.vocabulary."""

import json

import numpy as np


def test_max_features_keeps_the_most_frequent_terms_as_scikit_learn_does(small_corpus, monkeypatch):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from taxotag.model.tag_model import VECTORIZER_PARAMS
    from taxotag.model.vocabulary import count_vocabulary

    monkeypatch.setitem(VECTORIZER_PARAMS, "max_features", 300)
    texts = [json.loads(line)["abstract"] for line in open(small_corpus)][:400]
    vocabulary, counts = count_vocabulary(texts)
    reference = TfidfVectorizer(**VECTORIZER_PARAMS).fit(texts)
    assert len(vocabulary) == 300 and counts.shape == (400, 300)
    frequency = np.asarray(counts.sum(axis=0)).ravel()
    expected = set(reference.vocabulary_)
    cutoff = frequency.min()  # terms at the cut-off frequency may tie; the others must agree
    assert {t for t, f in zip(vocabulary, frequency) if f > cutoff} <= expected
    assert len(expected & set(vocabulary)) >= 300 - (frequency == cutoff).sum()
