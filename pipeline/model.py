"""The TF-IDF + linear model: one logistic regression per tag on shared TF-IDF features.

The model is trained on weak labels with the rules' own trigger words masked out of the text,
so it learns the context around a paradigm rather than re-learning the keywords.
"""

from __future__ import annotations

import collections
import functools
import itertools
import os
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from .errors import TaxotagError
from .fingerprints import text_sha256
from .rules import Mention
from .words import FUNCTION_WORDS, ONE_CHARACTER, CodeTable, analyze, content_words, word_hashes
from .workers import start_worker

VECTORIZER_PARAMS = {
    "analyzer": analyze,
    "min_df": 2,
    "max_df": 0.5,
    "max_features": 200_000,
    "sublinear_tf": True,
    "dtype": np.float32,
}
SAVED_PARAMS = {"analyzer": "content words of two or more characters and their bigrams (pipeline.words.analyze)",
                "sublinear_tf": True}
"""What a saved model records of its vectorizer (the transform below re-implements it)."""
MIN_POSITIVES = 5
"""A tag with fewer weak positives than this gets no model (its score stays 0)."""


@dataclass
class TagModel:
    """A fitted model: vocabulary, idf weights and one linear classifier per tag."""

    tag_ids: list[str]
    vocabulary: list[str]
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    thresholds: np.ndarray
    params: dict = field(default_factory=lambda: dict(SAVED_PARAMS))
    notes: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.params.get("analyzer") != SAVED_PARAMS["analyzer"]:
            raise ValueError(f"a model whose features come from {self.params.get('analyzer', 'another tokenizer')!r}; "
                             "this version of taxotag needs one trained by it")
        # Every word of the vocabulary gets an id; unigram features map word id -> column, and
        # bigram features are found by their code (first id * words + second id) in a hash table.
        # Function words get the id -1 (as words of one character do), so that term_counts can drop them.
        hashes, lengths = word_hashes(self.vocabulary)
        if (len(lengths) and not ((lengths == 1) | (lengths == 2)).all()) or (hashes == ONE_CHARACTER).any():
            raise ValueError("a vocabulary term is not one word or two of two or more characters")
        word_ids, unique = pd.factorize(hashes)
        self._n_words = len(unique)
        function_words = np.setdiff1d(_function_word_hashes(), unique)
        self._word_ids = CodeTable(np.concatenate([unique.astype(np.int64), function_words]),
                                   np.concatenate([np.arange(len(unique)), np.full(len(function_words), -1)]))
        first = np.cumsum(lengths) - lengths  # where each term's words start in word_ids
        unigram, bigram = np.flatnonzero(lengths == 1), np.flatnonzero(lengths == 2)
        self._unigram_column = np.full(self._n_words + 1, -1, dtype=np.int64)
        self._unigram_column[word_ids[first[unigram]]] = unigram
        self._bigrams = CodeTable(word_ids[first[bigram]] * self._n_words + word_ids[first[bigram] + 1], bigram)

    def vocabulary_sha(self) -> str:
        return text_sha256("\n".join(self.vocabulary))

    def transform(self, texts) -> sparse.csr_matrix:
        """TF-IDF features of (already masked) texts: the same numbers as scikit-learn's
        TfidfVectorizer(analyzer=analyze).transform with the model's vocabulary (a test checks),
        but with words and bigrams looked up by hash with numpy for the whole batch."""
        return self.weigh(self.term_counts(texts))

    def term_counts(self, texts) -> sparse.csr_matrix:
        """Documents x vocabulary raw term counts."""
        hashes, lengths = word_hashes(texts)
        unknown = self._n_words
        ids = self._word_ids.get(hashes, missing=unknown)
        ids[hashes == ONE_CHARACTER] = -1  # left out, as function words are
        rows = np.repeat(np.arange(len(lengths)), lengths)
        content = ids >= 0  # function words out, so that their neighbours make a bigram
        ids, rows = ids[content], rows[content]
        columns = self._unigram_column[ids]
        keep = columns >= 0
        found_rows, found_columns = [rows[keep]], [columns[keep]]
        if len(ids) > 1:
            known = (ids[:-1] < unknown) & (ids[1:] < unknown) & (rows[:-1] == rows[1:])
            columns = self._bigrams.get(ids[:-1][known] * unknown + ids[1:][known])
            hit = columns >= 0
            found_rows.append(rows[:-1][known][hit])
            found_columns.append(columns[hit])
        all_rows, all_columns = np.concatenate(found_rows), np.concatenate(found_columns)
        counts = sparse.csr_matrix((np.ones(len(all_rows), dtype=np.float32), (all_rows, all_columns)),
                                   shape=(len(lengths), len(self.vocabulary)))
        counts.sum_duplicates()
        return counts

    def weigh(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        """Term counts -> (sublinear) tf x idf, each row scaled to unit length."""
        counts = counts.copy()
        if self.params.get("sublinear_tf", True):
            counts.data = np.log(counts.data) + 1
        counts.data *= self.idf[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        return sparse.csr_matrix(sparse.diags(1 / norms) @ counts, dtype=np.float32)

    def decision(self, features) -> np.ndarray:
        return np.asarray(features @ self.coef.T) + self.intercept

    def predict_proba(self, features) -> np.ndarray:
        """Documents x tags probabilities."""
        return _sigmoid(self.decision(features))

    def top_features(self, features_row, tag_index: int, k: int = 3) -> list[str]:
        """The k terms that pushed one document's score for one tag up the most."""
        row = sparse.csr_matrix(features_row)
        contributions = row.data * self.coef[tag_index, row.indices]
        order = np.argsort(-contributions)[:k]
        return [self.vocabulary[row.indices[i]] for i in order if contributions[i] > 0]


@functools.cache
def _function_word_hashes() -> np.ndarray:
    """The hashes of the words TagModel.transform leaves out, as analyze does (made when a model
    is first loaded, not at import: hashing builds a table that takes ~0.1 s)."""
    return word_hashes(sorted(word for word in FUNCTION_WORDS if len(word) > 1))[0]  # ("a", "i": one character)


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -50, 50)))


def mask_mentions(text: str, mentions: list[Mention]) -> str:
    """The text with every rule match blanked out, so the model cannot see the trigger words."""
    if not mentions:
        return text
    pieces, position = [], 0
    for start, end in sorted((mention.start, mention.end) for mention in mentions):
        if start >= position:
            pieces.append(text[position:start])
            pieces.append(" ")
            position = end
        elif end > position:
            position = end
    pieces.append(text[position:])
    return "".join(pieces)


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


def effective_jobs(n_jobs: int | None) -> int:
    """`n_jobs` as a count of processes: None or -1 means every core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores if n_jobs in (None, -1) else max(1, n_jobs)


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


def count_vocabulary(texts) -> tuple[list[str], sparse.csr_matrix]:
    """The vocabulary that scikit-learn's TfidfVectorizer(**VECTORIZER_PARAMS).fit(texts) chooses
    (a test checks), and the documents x vocabulary term counts, from one content_words per text.

    Terms are words and bigrams in at least min_df texts and at most max_df of them; of those the
    max_features most frequent (ties in alphabetical order), listed alphabetically. Each term is
    a code here: a word's id, or for a bigram n_words + first id * n_words + second id.
    """
    token_lists = [content_words(text) for text in texts]
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    word_ids = collections.defaultdict(itertools.count().__next__)  # a new word gets the next id
    ids = np.fromiter(map(word_ids.__getitem__, itertools.chain.from_iterable(token_lists)),
                      dtype=np.int64, count=int(lengths.sum()))
    words, n_words = list(word_ids), len(word_ids)
    del token_lists, word_ids
    rows = np.repeat(np.arange(len(texts)), lengths)
    pairs = rows[:-1] == rows[1:]
    codes = np.concatenate([ids, n_words + ids[:-1][pairs] * n_words + ids[1:][pairs]])
    rows = np.concatenate([rows, rows[:-1][pairs]])
    term_index, terms = pd.factorize(codes)  # hashing: several times faster than np.unique's sort
    frequency = np.bincount(term_index)
    del codes
    counts = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, term_index)),
                               shape=(len(texts), len(terms)))  # duplicates summed: one entry per text and term
    document_frequency = np.bincount(counts.indices, minlength=len(terms))
    keep = np.flatnonzero((document_frequency >= VECTORIZER_PARAMS["min_df"])
                          & (document_frequency <= VECTORIZER_PARAMS["max_df"] * len(texts)))
    limit = VECTORIZER_PARAMS["max_features"]
    if limit is not None and len(keep) > limit:  # the most frequent; at the cut-off, alphabetical order
        cutoff = np.partition(frequency[keep], len(keep) - limit)[len(keep) - limit]
        above, tied = keep[frequency[keep] > cutoff], keep[frequency[keep] == cutoff]
        tied_names = sorted((_term_name(int(code), words), index) for code, index in zip(terms[tied], tied))
        keep = np.concatenate([above, [index for _, index in tied_names[:limit - len(above)]]]).astype(np.int64)
    names = [_term_name(int(code), words) for code in terms[keep]]
    alphabetical = sorted(range(len(keep)), key=names.__getitem__)
    keep, names = keep[alphabetical], [names[i] for i in alphabetical]
    if not names:
        raise TaxotagError("no word occurs in two or more training abstracts: too few abstracts to train on")
    return names, counts[:, keep]


def _term_name(code: int, words: list[str]) -> str:
    if code < len(words):
        return words[code]
    first, second = divmod(code - len(words), len(words))
    return f"{words[first]} {words[second]}"


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


THRESHOLD_GRID = np.round(np.arange(0.50, 0.951, 0.01), 2)
"""The cut-offs best_threshold chooses from."""
SMOOTHING = 2
"""best_threshold averages F-beta over this many grid steps on each side."""


def best_threshold(target: np.ndarray, scores: np.ndarray, beta: float = 0.5, floor: float = 0.5) -> float:
    """The cut-off (on THRESHOLD_GRID, at least `floor`) with the best F-beta on (target, scores),
    F-beta averaged over the neighbouring cut-offs first: out-of-fold F-beta is flat and jagged
    near its top, so its plain maximum jumps between far-apart cut-offs when a few labels change
    (benchmarks/bench_thresholds.py measures how far)."""
    grid = THRESHOLD_GRID[THRESHOLD_GRID >= floor]
    predicted = scores[None, :] >= grid[:, None]
    positives = target == 1
    tp = (predicted & positives).sum(axis=1).astype(float)
    precision = tp / np.maximum(predicted.sum(axis=1), 1)
    recall = tp / max(positives.sum(), 1)
    denominator = beta**2 * precision + recall
    f_beta = np.where(tp > 0, (1 + beta**2) * precision * recall / np.where(denominator > 0, denominator, 1), 0.0)
    window = np.ones(2 * SMOOTHING + 1)
    averaged = np.convolve(f_beta, window, "same") / np.convolve(np.ones_like(f_beta), window, "same")
    return float(grid[int(np.argmax(averaged))]) if len(grid) else floor
