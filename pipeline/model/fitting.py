"""Fit the model: one logistic regression a tag on the TF-IDF features, its decision threshold
chosen on out-of-fold scores, in parallel over tags."""

from __future__ import annotations

import os
import warnings

import numpy as np
from scipy import sparse

from ..processes import effective_jobs, start_worker
from .tag_model import TagModel
from .thresholds import best_threshold
from .vocabulary import count_vocabulary

MIN_POSITIVES = 5
"""A tag with fewer weak positives than this gets no model (its score stays 0)."""


def fit_classifiers(features, labels: np.ndarray, tag_ids: list[str], regularization: float = 4.0,
                    beta: float = 0.5, folds: int = 2, seed: int = 0, n_jobs: int | None = None,
                    weights: np.ndarray | None = None):
    """One classifier per tag: (coef, intercept, thresholds, notes). `weights` weighs each row
    (hand-labelled gold rows more than weak ones); None weighs them alike.

    Each tag's threshold maximises F-beta (beta < 1 favours precision) of out-of-fold
    predictions against the weak labels (see best_threshold); it is never below 0.5. Tags are
    fitted in parallel (`n_jobs` processes, default: every core).
    """
    n_tags, n_features = len(tag_ids), features.shape[1]
    coef = np.zeros((n_tags, n_features), dtype=np.float32)
    intercept = np.full(n_tags, -50.0, dtype=np.float32)
    thresholds = np.ones(n_tags, dtype=np.float32)
    notes, todo = {}, []
    for j, tag_id in enumerate(tag_ids):
        positives = int(labels[:, j].sum())
        if positives < MIN_POSITIVES:
            notes[tag_id] = (f"only {positives} weak positive(s) in the corpus, {MIN_POSITIVES} needed; "
                             "no model for this tag, its rules alone decide")
        elif positives == len(labels):
            notes[tag_id] = "every corpus document is a weak positive; no model for this tag, its rules alone decide"
        else:
            todo.append(j)
    from joblib import Parallel, delayed, parallel_config  # (training only: tagging starts faster without it)

    jobs = min(len(todo), effective_jobs(n_jobs))
    features = sparse.csr_matrix(features)
    features.sum_duplicates()  # workers get a read-only memory map: sort indices here, not there
    # Processes, not threads: liblinear's random state is one per process. Left alone, loky's
    # workers outlive a `kill -9` of this process.
    with parallel_config(backend="loky", initializer=start_worker, initargs=(os.getpid(),)):
        fitted = Parallel(n_jobs=jobs)(
            delayed(_fit_tag)(features, labels[:, j].astype(int), regularization, beta, folds, seed, weights)
            for j in todo
        ) if todo else []
    for j, (coefficients, bias, threshold) in zip(todo, fitted):
        coef[j], intercept[j], thresholds[j] = coefficients, bias, threshold
    return coef, intercept, thresholds, notes


def _fit_tag(features, target: np.ndarray, regularization: float, beta: float, folds: int, seed: int,
             weights: np.ndarray | None = None):
    out_of_fold = _out_of_fold(features, target, regularization, min(folds, int(target.sum())), seed, weights)
    classifier = _classifier(regularization, seed).fit(features, target, sample_weight=weights)
    return classifier.coef_[0], classifier.intercept_[0], best_threshold(target, out_of_fold, beta)


def fit_model(texts, labels: np.ndarray, tag_ids: list[str]) -> tuple[TagModel, sparse.csr_matrix]:
    """Choose the vocabulary and fit one classifier per tag on masked texts and weak 0/1 labels."""
    vocabulary, counts = count_vocabulary(texts)
    n_tags, n_terms = len(tag_ids), len(vocabulary)
    document_frequency = np.bincount(counts.indices, minlength=n_terms)
    idf = (np.log((1 + len(texts)) / (1 + document_frequency)) + 1).astype(np.float32)  # smooth idf
    model = TagModel(tag_ids=list(tag_ids), vocabulary=vocabulary, idf=idf,
                     coef=np.zeros((n_tags, n_terms), np.float32), intercept=np.zeros(n_tags, np.float32),
                     thresholds=np.ones(n_tags, np.float32))
    features = model.weigh(counts)
    model.coef, model.intercept, model.thresholds, model.notes = fit_classifiers(features, labels, tag_ids)
    return model, features


def refit_model(old: TagModel, features, labels: np.ndarray, tag_ids: list[str], refit: set[str],
                weights: np.ndarray | None = None) -> TagModel:
    """A model on the old vocabulary: tags in `refit` (and new tags) get new classifiers, the others
    keep theirs. `features` must come from `old.transform`; `weights` as in fit_classifiers."""
    refit = set(refit) | {tag for tag in tag_ids if tag not in old.tag_ids}
    order = [tag for tag in tag_ids if tag in refit]
    coef_new, intercept_new, thresholds_new, notes_new = fit_classifiers(
        features, labels[:, [tag_ids.index(tag) for tag in order]], order,
        weights=weights) if order else (None, None, None, {})
    coef = np.zeros((len(tag_ids), len(old.vocabulary)), dtype=np.float32)
    intercept, thresholds = np.zeros(len(tag_ids), np.float32), np.ones(len(tag_ids), np.float32)
    notes = {}
    for j, tag in enumerate(tag_ids):
        if tag in refit:
            k = order.index(tag)
            coef[j], intercept[j], thresholds[j] = coef_new[k], intercept_new[k], thresholds_new[k]
            if tag in notes_new:
                notes[tag] = notes_new[tag]
        else:
            i = old.tag_ids.index(tag)
            coef[j], intercept[j], thresholds[j] = old.coef[i], old.intercept[i], old.thresholds[i]
            if tag in old.notes:
                notes[tag] = old.notes[tag]
    return TagModel(tag_ids=list(tag_ids), vocabulary=old.vocabulary, idf=old.idf, coef=coef,
                    intercept=intercept, thresholds=thresholds, params=old.params, notes=notes)


def _classifier(regularization: float, seed: int):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=regularization, class_weight="balanced", solver="liblinear", dual=True,
                              tol=1e-2, max_iter=1000, random_state=seed)


def _out_of_fold(features, target: np.ndarray, regularization: float, folds: int, seed: int,
                 weights: np.ndarray | None = None) -> np.ndarray:
    """Each document's score from a classifier fitted on the other folds."""
    scores = np.zeros(len(target), dtype=np.float64)
    for train, held_out in fold_splits(target, max(folds, 2), seed):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = _classifier(regularization, seed).fit(features[train], target[train],
                                                          sample_weight=None if weights is None else weights[train])
        scores[held_out] = model.predict_proba(features[held_out])[:, 1]
    return scores


def fold_splits(target: np.ndarray, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, held-out) row indices of each fold. A document's fold depends on its row alone, not
    on the labels, so that relabelling a few documents after a taxonomy edit leaves the folds (and
    the threshold) as they were; stratified folds, which reshuffle when any label changes, are the
    fallback when a fold's training part would lack a class."""
    fold = np.random.default_rng(seed).permutation(len(target)) % folds
    splits = [(np.flatnonzero(fold != k), np.flatnonzero(fold == k)) for k in range(folds)]
    if all(len(np.unique(target[train])) == 2 for train, _ in splits):
        return splits
    from sklearn.model_selection import StratifiedKFold

    return list(StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(np.zeros(len(target)), target))
