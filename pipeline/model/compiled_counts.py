"""The model's term counts in C (pipeline/model/_term_counts.c, built when taxotag is installed):
the same matrix as TagModel.numpy_term_counts, a test checks, at half its cost (the word and
bigram look-ups of a text are prefetched together, so they wait on memory once, not once each).
Where the extension was not built (no C compiler at install), TagModel counts with numpy."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from .words import BYTE_NORMALISING, joined_for_counts

try:
    from . import _term_counts
except ImportError:  # (not built: TagModel uses its numpy code)
    _term_counts = None

BATCH_BYTES = 1 << 22
"""Texts are counted in batches of about this many bytes (the working arrays are a few times that)."""


def available() -> bool:
    """Whether the C extension was built and can be imported."""
    return _term_counts is not None


def _table(codes: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, int]:
    """An open-addressing table of distinct codes >= 0 at most half full: (its slots, each a code
    and its value, empty ones -1; log2 of their number)."""
    bits = max(4, (2 * len(codes)).bit_length())
    slots = np.full(2 << bits, -1, dtype=np.int64)
    _term_counts.fill_table(np.ascontiguousarray(codes, dtype=np.int64), np.ascontiguousarray(values, dtype=np.int64),
                            slots, bits)
    return slots, bits


class CompiledCounts:
    """Documents x vocabulary term counts of texts (their words: pipeline.model.words).

    `word_codes` are the word hashes (pipeline.model.words.word_hashes) with their word ids in
    `word_values` (-1 for a function word, left out); `bigram_codes` are first id * n_words +
    second id with their columns; `unigram_column` maps a word id (n_words: unknown) to its
    column or -1.
    """

    def __init__(self, word_codes, word_values, bigram_codes, bigram_values, unigram_column: np.ndarray,
                 n_words: int, n_columns: int):
        if _term_counts is None:
            raise RuntimeError("taxotag's C extension _term_counts was not built")
        self._words, self._word_bits = _table(word_codes, word_values)
        self._bigrams, self._bigram_bits = _table(bigram_codes, bigram_values)
        self._unigram_column = np.ascontiguousarray(unigram_column, dtype=np.int64)
        self._n_words, self._n_columns = n_words, n_columns

    def counts(self, texts: list[str]) -> sparse.csr_matrix:
        parts, start, size = [], 0, 0
        for end, text in enumerate(texts, start=1):
            size += len(text) + 1
            if size >= BATCH_BYTES or end == len(texts):
                parts.append(self._batch(joined_for_counts(texts[start:end]), end - start))
                start, size = end, 0
        if not parts:
            return sparse.csr_matrix((0, self._n_columns), dtype=np.float32)
        matrix = sparse.vstack(parts, format="csr") if len(parts) > 1 else parts[0]
        matrix.has_sorted_indices = True
        return matrix

    def _batch(self, data: bytes, n_texts: int) -> sparse.csr_matrix:
        """The counts of `n_texts` texts joined by NUL (joined_for_counts)."""
        indptr = np.empty(n_texts + 1, dtype=np.int64)
        indices = np.empty(len(data) + 1, dtype=np.int32)  # (a text has fewer terms than bytes)
        counts = np.empty(len(data) + 1, dtype=np.float32)
        terms = _term_counts.count_terms(data, BYTE_NORMALISING, n_texts, self._words, self._word_bits, self._bigrams,
                                         self._bigram_bits, self._unigram_column, self._n_words, self._n_columns,
                                         indptr, indices, counts)
        matrix = sparse.csr_matrix((counts[:terms].copy(), indices[:terms].copy(), indptr.astype(np.int32)),
                                   shape=(n_texts, self._n_columns))
        matrix.has_sorted_indices = True
        return matrix
