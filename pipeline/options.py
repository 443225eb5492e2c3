"""The command line's fixed vocabulary: default paths, format names and the check of an encoding
name. It imports no library, so that `taxotag --help` loads nothing heavy; the modules that read,
write and train take these names from here."""

from __future__ import annotations

import codecs

from .errors import InputFileError

DEFAULT_TAXONOMY = "taxonomy.yaml"
DEFAULT_CORPUS = "data/arxiv_sample.jsonl.gz"
DEFAULT_MODEL = "models/default"
DEFAULT_GOLD = ("data/seed_gold.csv", "data/arxiv_dev_gold.csv")
DEFAULT_SEED_PAPERS = "data/seed_papers.jsonl"
DEFAULT_OUT = "out"

REQUIRED_COLUMNS = ("id", "title", "abstract")
"""The columns every input record has (under these names, or the ones --columns gives)."""

STDIN = "-"
"""The input name that stands for standard input, read in the format `--format` names (gzip too)."""
STDOUT = "-"
"""The output name that stands for standard output."""

ENCODING_HINT = ("name the file's encoding with --encoding, e.g. --encoding cp1252 for a spreadsheet saved "
                 "as CSV on Windows")
"""What to type when a file is not UTF-8."""

GOLD_WEIGHT = 10.0
"""How much a hand-labelled gold abstract weighs in training against one weakly labelled by the rules."""


def check_encoding(name: str) -> str:
    """`name` if Python knows the encoding (utf-8, cp1252, latin-1, utf-16, ...), else an InputFileError."""
    try:
        codecs.lookup(name)
    except LookupError:
        raise InputFileError(f"unknown encoding {name!r}; examples: utf-8, cp1252, latin-1, utf-16") from None
    return name
