"""The TF-IDF linear model: the vocabulary, idf weights and one logistic regression a tag, applied
with the project's own tokenizer and hashing (pipeline.model.words) at scikit-learn's numbers."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from ..fingerprints import text_sha256
from ..rules.votes import Mention
from . import compiled_counts
from .compiled_counts import CompiledCounts
from .words import FUNCTION_WORDS, ONE_CHARACTER, CodeTable, analyze, word_hashes

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
        self._words = (np.concatenate([unique.astype(np.int64), function_words]),
                       np.concatenate([np.arange(len(unique)), np.full(len(function_words), -1)]))
        first = np.cumsum(lengths) - lengths  # where each term's words start in word_ids
        unigram, bigram = np.flatnonzero(lengths == 1), np.flatnonzero(lengths == 2)
        self._unigram_column = np.full(self._n_words + 1, -1, dtype=np.int64)
        self._unigram_column[word_ids[first[unigram]]] = unigram
        self._bigram_codes = (word_ids[first[bigram]] * self._n_words + word_ids[first[bigram] + 1], bigram)
        self._compiled = CompiledCounts(*self._words, *self._bigram_codes, self._unigram_column, self._n_words,
                                        len(self.vocabulary)) if compiled_counts.available() else None

    @functools.cached_property
    def _word_ids(self) -> CodeTable:
        return CodeTable(*self._words)

    @functools.cached_property
    def _bigrams(self) -> CodeTable:
        return CodeTable(*self._bigram_codes)

    def vocabulary_sha(self) -> str:
        return text_sha256("\n".join(self.vocabulary))

    def transform(self, texts) -> sparse.csr_matrix:
        """TF-IDF features of (already masked) texts: the same numbers as scikit-learn's
        TfidfVectorizer(analyzer=analyze).transform with the model's vocabulary (a test checks),
        but with words and bigrams looked up by hash with numpy for the whole batch."""
        return self.weigh(self.term_counts(texts))

    def term_counts(self, texts) -> sparse.csr_matrix:
        """Documents x vocabulary raw term counts (in C where taxotag's extension was built)."""
        if self._compiled is not None:
            return self._compiled.counts(list(texts))
        return self.numpy_term_counts(texts)

    def numpy_term_counts(self, texts) -> sparse.csr_matrix:
        """term_counts with numpy: every word hashed for the batch at once, then looked up."""
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
        return np.asarray(features @ self._coef_by_term()) + self.intercept

    def _coef_by_term(self) -> np.ndarray:
        """coef.T in C order, made once for each coef array the model is given: scipy's product
        with coef.T itself copies it whole every time (4.6 MB a chunk), for the same numbers."""
        made = self.__dict__.get("_coef_by_term_of")
        if made is None or made[0] is not self.coef:
            made = self.__dict__["_coef_by_term_of"] = (self.coef, np.ascontiguousarray(self.coef.T))
        return made[1]

    def predict_proba(self, features) -> np.ndarray:
        """Documents x tags probabilities."""
        return _sigmoid(self.decision(features))

    def top_features(self, features: sparse.csr_matrix, row: int, tag_index: int, k: int = 3) -> list[str]:
        """The k terms that pushed one document's (row's) score for one tag up the most."""
        start, end = features.indptr[row], features.indptr[row + 1]  # (a row read without slicing the matrix)
        indices, data = features.indices[start:end], features.data[start:end]
        contributions = data * self.coef[tag_index, indices]
        order = np.argsort(-contributions)[:k]
        return [self.vocabulary[indices[i]] for i in order if contributions[i] > 0]


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
