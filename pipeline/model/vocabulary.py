"""The vocabulary of a training corpus and its term counts."""

from __future__ import annotations

import collections
import itertools

import numpy as np
import pandas as pd
from scipy import sparse

from ..errors import TaxotagError
from .tag_model import VECTORIZER_PARAMS
from .words import content_words


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
