"""Words for the model's features: how a text splits into words, and two fast ways to look them
up for a whole batch of texts with numpy (a 63-bit hash per word, a hash table of int64 codes).

A word is a run of characters that are not punctuation (the hyphen excepted), symbols,
separators or control characters, lowercased: "Self-Supervised (SSL)" -> self-supervised, ssl.
"""

from __future__ import annotations

import functools
import unicodedata

import numpy as np
import pandas as pd


class _WordSeparators(dict):
    """A str.translate table that turns punctuation (but the hyphen), symbols, separators and
    control characters into spaces; filled in as characters are met."""

    def __missing__(self, code: int):
        character = chr(code)
        value = " " if character != "-" and unicodedata.category(character)[0] in "PSZC" else code
        self[code] = value
        return value


_SEPARATORS = _WordSeparators()
_ASCII_SEPARATORS = bytes(_SEPARATORS[code] if isinstance(_SEPARATORS[code], int) else ord(" ") for code in range(128)) \
    + bytes(range(128, 256))
"""The same table for ASCII bytes (bytes.translate takes one of 256 bytes, and is many times faster)."""


def normalise_words(text: str) -> str:
    """The text lowercased with every separator a space: its words are then `.split(" ")` apart
    (white space is in the separator categories, so no other white space is left)."""
    if text.isascii():
        return text.encode("ascii").lower().translate(_ASCII_SEPARATORS).decode("ascii")
    return text.lower().translate(_SEPARATORS)


BYTE_NORMALISING = bytes(range(256)).lower().translate(b"\x00" + _ASCII_SEPARATORS[1:])
"""What normalise_words does to an ASCII byte (lowercase, a separator a space), NUL kept; other bytes stay."""


def joined_for_counts(texts) -> bytes:
    """The texts joined by NUL as UTF-8, which BYTE_NORMALISING maps byte by byte to their
    normalise_words (the C term counts read them so): a text holding a NUL, or other than
    ASCII, is normalised first (normalising it again leaves it as it is)."""
    return "\x00".join([text if text.isascii() and "\x00" not in text else normalise_words(text)
                        for text in texts]).encode("utf-8")


def normalised_bytes(texts) -> bytes:
    """normalise_words of each text, joined by newlines (which no normalised text holds) as UTF-8:
    joined_for_counts translated in one call, as a call for each text costs more than the work
    for a short one."""
    return joined_for_counts(texts).translate(BYTE_NORMALISING).replace(b"\x00", b"\n")


def normalised_texts(texts) -> list[str]:
    """normalise_words of each text, made for all of them at once (normalised_bytes)."""
    texts = list(texts)
    return normalised_bytes(texts).decode("utf-8").split("\n") if texts else []


def split_words(text: str) -> list[str]:
    """The words of a text, with one C-level translate and split: several times faster than a
    regex tokenizer."""
    return normalise_words(text).split()


FUNCTION_WORDS = frozenset("""
a an the this that these those
of in on at to for by with from into onto upon over under about across along among between through via within
and or but as if so than then while whereas thus hence also both either neither
is are was were be been being am has have had having do does did done
can could may might must shall should will would
it its itself we our ours us they their them theirs he his she her i my me you your
which who whom whose what where when how why there here such each every any some all more most other another
""".split())
"""Words the model leaves out: articles, prepositions, conjunctions, auxiliaries, pronouns and
determiners, which carry no topic ("the remaining", "to further" were the terms that explain
showed). Unlike scikit-learn's 'english' list, negations and contrast words (no, not, without,
unlike, instead, beyond) stay in: they are what tells a passing mention from a central one."""


def content_words(text: str) -> list[str]:
    """The words of a text, function words and words of one character left out (as scikit-learn's
    default token pattern leaves those out: the "s" of "teacher's", the "e" and "g" of "e.g.", a
    lone digit or symbol name)."""
    return [word for word in split_words(text) if len(word) > 1 and word not in FUNCTION_WORDS]


def analyze(text: str) -> list[str]:
    """The terms of a text for scikit-learn's TfidfVectorizer: its content words and the bigrams
    of neighbouring content words (function words are dropped first, as TfidfVectorizer drops
    stop words before it forms n-grams)."""
    words = content_words(text)
    return words + [f"{first} {second}" for first, second in zip(words, words[1:])]


_BASE = 0x100000001B3  # odd, so invertible modulo 2**64
_INVERSE = pow(_BASE, -1, 1 << 64)
_LENGTH_MIX = np.uint64(0x9E3779B97F4A7C15)
HASH_BATCH_BYTES = 1 << 16
"""Texts are hashed in batches of about this many characters (working memory ~40 bytes each, so a
batch's arrays stay in the processor's cache, and the table of powers is small to make)."""


ONE_CHARACTER = -1
"""The hash word_hashes gives every word of one character (others are >= 0)."""


def word_hashes(texts) -> tuple[np.ndarray, np.ndarray]:
    """(a 63-bit hash of every word of every text, in order, ONE_CHARACTER for a word of one
    character; the number of words of each text).

    The words are split_words' words; the hashes come from numpy prefix sums over the UTF-8
    bytes, so no Python string is made per word. Texts are hashed in batches of about
    HASH_BATCH_BYTES, a longer text in pieces cut between words, so memory stays bounded.
    """
    pieces = normalised_texts(texts)
    owners = None  # text of each piece, when some text is in several pieces
    sizes = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    if (sizes > HASH_BATCH_BYTES).any():
        cut = [list(_pieces(piece)) for piece in pieces]
        owners = [index for index, parts in enumerate(cut) for _ in parts]
        pieces = [part for parts in cut for part in parts]
        sizes = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    # a batch: the pieces that start in one stretch of HASH_BATCH_BYTES characters of them all joined
    batch_of = (np.cumsum(sizes + 1) - sizes - 1) // HASH_BATCH_BYTES
    bounds = np.flatnonzero(np.diff(batch_of, prepend=-1, append=batch_of[-1] + 1 if len(batch_of) else 0))
    hashes, piece_counts = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for start, end in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        batch_hashes, batch_counts = _hash_batch(pieces[start:end])
        hashes.append(batch_hashes)
        piece_counts.append(batch_counts)
    counts = np.concatenate(piece_counts)
    if owners is not None:
        counts = np.bincount(owners, weights=counts, minlength=owners[-1] + 1).astype(np.int64)
    return np.concatenate(hashes), counts


def _pieces(normalised: str):
    """A normalised text in pieces of at most HASH_BATCH_BYTES characters, cut at spaces (a word
    longer than that is one piece); the whole text when it is short."""
    start = 0
    while len(normalised) - start > HASH_BATCH_BYTES:
        cut = normalised.rfind(" ", start, start + HASH_BATCH_BYTES)
        if cut <= start:
            cut = normalised.find(" ", start + HASH_BATCH_BYTES)
            if cut < 0:
                break
        yield normalised[start:cut]
        start = cut + 1
    yield normalised[start:]


def _hash_batch(pieces: list[str]) -> tuple[np.ndarray, np.ndarray]:
    joined = "\n".join(pieces).encode("utf-8")  # "\n" only between pieces
    data = np.frombuffer(joined, dtype=np.uint8)
    in_word = (data > ord(" ")).view(np.int8)  # (normalised, a text has no other byte <= the space)
    edges = np.diff(in_word, prepend=np.int8(0), append=np.int8(0))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    piece_of_word = np.searchsorted(np.flatnonzero(data == ord("\n")), starts)
    counts = np.bincount(piece_of_word, minlength=len(pieces)).astype(np.int64)
    powers, inverse_powers = _powers(len(data))
    with np.errstate(over="ignore"):  # all arithmetic is modulo 2**64 on purpose
        values = data.astype(np.uint64)
        values += np.uint64(1)
        values *= powers
        prefix = np.zeros(len(data) + 1, dtype=np.uint64)
        np.cumsum(values, out=prefix[1:])
        polynomial = (prefix[ends] - prefix[starts]) * inverse_powers[starts]
        mixed = _finalise(polynomial ^ ((ends - starts).astype(np.uint64) * _LENGTH_MIX))
    hashes = (mixed >> np.uint64(1)).astype(np.int64)
    lead = data[starts]  # a character's first UTF-8 byte says how many bytes it has
    first_character_bytes = 1 + (lead >= 0xC0) + (lead >= 0xE0) + (lead >= 0xF0)
    hashes[ends - starts == first_character_bytes] = ONE_CHARACTER
    return hashes, counts


def _finalise(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: every input bit affects the high bits that the hash keeps."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


@functools.lru_cache(maxsize=1)
def _cached_powers(size: int) -> tuple[np.ndarray, np.ndarray]:
    return _make_powers(size)


def _make_powers(size: int) -> tuple[np.ndarray, np.ndarray]:
    """_BASE**i and _INVERSE**i modulo 2**64 for i < size."""
    tables = []
    for base in (_BASE, _INVERSE):
        powers = np.full(size, base, dtype=np.uint64)
        powers[0] = 1
        with np.errstate(over="ignore"):
            tables.append(np.cumprod(powers, dtype=np.uint64))
    return tables[0], tables[1]


def _powers(count: int) -> tuple[np.ndarray, np.ndarray]:
    """The first `count` powers: from a table kept for ordinary batches (2 MiB), made anew for a
    rare larger one (a batch can pass 2 x HASH_BATCH_BYTES in UTF-8 bytes)."""
    usual = 2 * HASH_BATCH_BYTES
    powers, inverse_powers = _cached_powers(usual) if count <= usual else _make_powers(count)
    return powers[:count], inverse_powers[:count]


class CodeTable:
    """A read-only table from distinct int64 codes to int64 values, looked up for whole arrays at
    a time: a pandas Index's hash table (C code, one pass over the codes), several times faster
    than numpy open addressing, a binary search of a sorted array, or a dict."""

    def __init__(self, codes: np.ndarray, values: np.ndarray):
        self._index = pd.Index(np.asarray(codes, dtype=np.int64))
        self._values = np.append(np.asarray(values, dtype=np.int64), np.int64(0))  # (the last: for a miss)

    def get(self, codes: np.ndarray, missing: int = -1) -> np.ndarray:
        """The value of each code, `missing` for a code not in the table."""
        positions = self._index.get_indexer(codes)
        found = self._values[positions]  # (position -1, a miss, reads the extra last value)
        found[positions < 0] = missing
        return found
