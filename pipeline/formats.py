"""The file formats taxotag reads and writes, declared once as data: `--format` and
`--output-format` take their choices from here, the CLI's help and the errors that list formats
are written from here, and a file's name says its format through `input_format_of`.

A new input format is one InputFormat row (and the reader of its `kind`). This module imports no
library, so that `taxotag --help` stays quick.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import InputFileError, OutputNameError

GZIP_SUFFIX = ".gz"


@dataclass(frozen=True)
class InputFormat:
    """A format `tag` reads: its --format name, the reader that reads it (`kind`), the file name
    endings that say it (each optionally followed by .gz), and whether standard input can hold it."""

    name: str
    kind: str
    suffixes: tuple[str, ...]
    label: str
    streams: bool = True


INPUT_FORMATS = (
    InputFormat("jsonl", "jsonl", (".jsonl", ".ndjson"), "JSONL"),
    InputFormat("json", "json", (".json",), "JSON"),
    InputFormat("csv", "csv", (".csv",), "CSV"),
    InputFormat("tsv", "tsv", (".tsv",), "TSV"),
    InputFormat("parquet", "parquet", (".parquet",), "Parquet", streams=False),
    InputFormat("bib", "bibtex", (".bib",), "BibTeX"),
    InputFormat("ris", "ris", (".ris",), "RIS"),
    InputFormat("wos", "wos", (), "Web of Science"),  # (a .txt whose first line says so: readers tell)
    InputFormat("txt", "listing", (".txt",), "listing text files"),
    InputFormat("xml", "feed", (".xml", ".atom", ".rss"), "Atom / RSS feeds (arXiv's)"),
)
INPUT_FORMAT_NAMES = tuple(form.name for form in INPUT_FORMATS)
"""The choices of --format."""
INPUT_SUFFIXES = ", ".join(form.suffixes[0] for form in INPUT_FORMATS if form.suffixes)
"""`.jsonl, .json, ...`: the file name endings of the input formats, for help and errors."""
INPUT_LABELS = ", ".join(form.label for form in INPUT_FORMATS[:-1]) + " or " + INPUT_FORMATS[-1].label
STDIN_FORMAT_NAMES = [form.name for form in INPUT_FORMATS if form.streams]
"""The formats standard input can hold (Parquet cannot be read from a stream)."""


def input_kind(name: str) -> str:
    """The reader kind of a --format name."""
    return next(form.kind for form in INPUT_FORMATS if form.name == name)


def input_format_of(path: str | Path) -> str:
    """The reader kind a file's name says (a trailing .gz is allowed), or an InputFileError."""
    name = Path(path).name.lower().removesuffix(GZIP_SUFFIX)
    for form in INPUT_FORMATS:
        if name.endswith(form.suffixes):
            return form.kind
    raise InputFileError(f"{path}: unknown input format; use {INPUT_SUFFIXES} (.xml: an Atom or RSS feed; "
                         "optionally .gz)")


@dataclass(frozen=True)
class OutputFormat:
    """A format `tag` writes: its name (also its file name ending) and whether it can be written
    as it is made, to standard output and gzipped (Parquet compresses itself and ends with its schema)."""

    name: str
    label: str
    streams: bool


OUTPUT_FORMATS = (
    OutputFormat("csv", "CSV", True),
    OutputFormat("jsonl", "JSON Lines", True),
    OutputFormat("parquet", "Parquet", False),
)
STREAM_FORMATS = tuple(form.name for form in OUTPUT_FORMATS if form.streams)
"""The choices of --output-format; also the formats `import` writes."""
OUTPUT_NAMES = (", ".join(f".{form.name}" for form in OUTPUT_FORMATS[:-1]) + f" or .{OUTPUT_FORMATS[-1].name} ("
                + " or ".join(f".{name}{GZIP_SUFFIX}" for name in STREAM_FORMATS) + " to compress it)")
"""`.csv, .jsonl or .parquet (.csv.gz or .jsonl.gz to compress it)`, for help and errors."""


def output_format_of(path: str | Path, formats=OUTPUT_FORMATS) -> str | None:
    """The name of the output format (among `formats`) that a file's name says, or None."""
    name = Path(path).name.lower()
    for form in formats:
        if name.endswith(f".{form.name}") or form.streams and name.endswith(f".{form.name}{GZIP_SUFFIX}"):
            return form.name
    return None


def streamed_format_of(path: str | Path) -> str:
    """The format of an output that must be CSV or JSON Lines (optionally .gz), or an OutputNameError."""
    named = output_format_of(path, [form for form in OUTPUT_FORMATS if form.streams])
    if named is None:
        shown = " or ".join(f".{name}" for name in STREAM_FORMATS)
        raise OutputNameError(f"{path}: name the output {shown} (optionally {GZIP_SUFFIX}, to compress it)")
    return named
