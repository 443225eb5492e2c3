"""The `sample` job: a stratified sample of input files to hand-label as a gold set."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..evaluation.sampling import draw_sample
from ..files import refuse_overwriting
from ..readers.documents import read_all, read_documents
from ..readers.records import ReadReport
from ..writers.rows import is_gzip_csv, write_csv
from .engines import TaggerSpec


@dataclass
class Sample:
    """What `sample_for_labelling` wrote: the labelling sheet, where, how many papers were read and
    left out as labelled before, and the records skipped (in `report`)."""

    sheet: pd.DataFrame
    path: Path
    excluded: int
    report: ReadReport


def sample_for_labelling(spec: TaggerSpec, inputs, output, per_stratum: int, at_random: int = 0, seed: int = 0,
                         exclude=(), columns: dict[str, str] | None = None, encoding: str | None = None,
                         input_format: str | None = None) -> Sample:
    """draw_sample over the records of the input files, written as CSV to `output` (.csv or .csv.gz);
    the ids of the files in `exclude` (gold labelled before) are not drawn."""
    refuse_overwriting(inputs, [output])
    is_gzip_csv(output)  # (a name other than .csv or .csv.gz is refused before any work)
    tagger = spec.tagger()
    excluded = frozenset(id_ for path in exclude for id_ in read_all(path, report=ReadReport())["id"])
    report = ReadReport()
    frames = (frame for path in inputs
              for frame in read_documents(path, report=report, columns=columns, encoding=encoding,
                                          input_format=input_format))
    sheet = draw_sample(tagger, frames, per_stratum, at_random, seed, excluded)
    return Sample(sheet, write_csv(output, sheet), len(excluded), report)
