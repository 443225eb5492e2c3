"""Read a hand-labelled gold CSV: the id, title and abstract, and a 0/1 column per tag (blank: not
labelled yet)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import GoldWithoutTagsError, InputFileError
from ..options import REQUIRED_COLUMNS
from .documents import read_all
from .records import ReadReport, clean_text

UNLABELLED = -1
"""The label of a blank gold cell: not labelled yet (a sheet from `taxotag sample` being filled in).
The paper is left out of that tag's figures, not of the other tags'."""


LABEL_VALUES = {"0": 0, "1": 1, "0.0": 0, "1.0": 1, "false": 0, "true": 1, "": UNLABELLED}
"""Gold cell texts read as labels, after trimming and in any case; a blank cell is UNLABELLED."""


def load_gold(path: str | Path, tag_ids: list[str], columns: dict[str, str] | None = None,
              encoding: str | None = None) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The gold CSV, the tag columns it shares with the taxonomy, and the gold columns it ignores.

    A gold column counts for a tag when its name is the tag id, ignoring case and taking spaces and
    hyphens for underscores ("Self-Supervised" is self_supervised); it is renamed to the tag id.
    """
    report = ReadReport()
    gold = read_all(path, report=report, columns=columns, encoding=encoding)
    if report.problems:
        details = "; ".join(str(problem) for problem in report.problems[:5])
        raise InputFileError(f"{path}: {len(report.problems)} bad gold row(s): {details}", report.undecodable)
    gold = gold.rename(columns=_tag_columns(path, [c for c in gold.columns if c not in REQUIRED_COLUMNS], tag_ids))
    label_columns = [c for c in gold.columns if c not in REQUIRED_COLUMNS]
    shared = [tag for tag in tag_ids if tag in label_columns]
    ignored = [c for c in label_columns if c not in tag_ids]
    if not shared:
        raise GoldWithoutTagsError(f"{path}: no column matches a taxonomy tag ({', '.join(tag_ids)})")
    labels = {tag: gold[tag].map(clean_text).str.lower().map(LABEL_VALUES) for tag in shared}
    bad = [f"row {row + 1}, id {paper!r}, column {tag!r}: {value!r}" for tag in shared
           for row, paper, value in zip(np.flatnonzero(labels[tag].isna().to_numpy()),
                                        *gold.loc[labels[tag].isna(), ["id", tag]].to_numpy().T)]
    if bad:
        more = f"; ... and {len(bad) - 5} more" if len(bad) > 5 else ""
        raise InputFileError(f"{path}: {len(bad)} gold label(s) are not 0 or 1 (or blank, not labelled yet): "
                             f"{'; '.join(bad[:5])}{more}")
    for tag in shared:
        gold[tag] = labels[tag].astype(int)
    return gold, shared, ignored


def _tag_columns(path, names: list[str], tag_ids: list[str]) -> dict[str, str]:
    """{gold column: tag id} for columns written another way than the tag id (see load_gold)."""
    renames = {}
    for tag in tag_ids:
        if tag in names:
            continue
        matches = [name for name in names if re.sub(r"[\s-]+", "_", name.strip().lower()) == tag]
        if len(matches) > 1:
            raise InputFileError(f"{path}: columns {', '.join(map(repr, matches))} are all tag {tag!r}; keep one")
        renames.update(dict.fromkeys(matches, tag))
    return renames


def unlabelled_counts(gold: pd.DataFrame, tags: list[str]) -> dict[str, int]:
    """Per tag, the gold papers whose cell is blank (not labelled yet), for the tags that have any."""
    counts = {tag: int((gold[tag].to_numpy() == UNLABELLED).sum()) for tag in tags}
    return {tag: count for tag, count in counts.items() if count}
