"""Tests of taxotag.model.fitting."""

import json

import numpy as np

from taxotag.model.fitting import fold_splits


def test_folds_depend_on_the_rows_not_the_labels():
    target = np.zeros(200, dtype=int)
    target[::7] = 1
    relabelled = target.copy()
    relabelled[[3, 50, 120]] = 1 - relabelled[[3, 50, 120]]
    for (train, held_out), (train2, held_out2) in zip(fold_splits(target, 2, 0), fold_splits(relabelled, 2, 0)):
        assert np.array_equal(train, train2) and np.array_equal(held_out, held_out2)
    few = np.zeros(200, dtype=int)
    few[:2] = 1  # some row permutation may put both positives in one fold: stratified folds then
    for train, _ in fold_splits(few, 2, 0):
        assert few[train].sum() >= 1


def test_fitted_features_match_scikit_learn(small_corpus):
    """fit_model's vocabulary, idf and features are scikit-learn TfidfVectorizer's."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from taxotag.model.fitting import fit_model
    from taxotag.model.tag_model import VECTORIZER_PARAMS

    texts = [json.loads(line)["abstract"] for line in open(small_corpus)][:800]
    labels = np.zeros((len(texts), 1), dtype=np.int8)
    labels[::7] = 1
    model, features = fit_model(texts, labels, ["t"])
    reference = TfidfVectorizer(**VECTORIZER_PARAMS)
    expected = reference.fit_transform(texts)
    assert model.vocabulary == sorted(reference.vocabulary_, key=reference.vocabulary_.get)
    assert np.allclose(model.idf, reference.idf_, atol=1e-5)
    assert abs(features - expected).max() < 1e-5
