"""Gold labels vs predictions -> per-tag precision, recall, F1 and support, for each system."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .corpus import REQUIRED_COLUMNS, ReadReport, clean_text, read_all
from .errors import GoldWithoutTagsError, InputFileError
from .weak_labels import wilson_interval

SYSTEMS = ("rules", "model", "combined")


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


def score_tags(truth: pd.DataFrame, predicted: np.ndarray, tag_ids: list[str], tags: list[str]) -> list[dict]:
    """Per-tag metrics rows; `predicted` is documents x tag_ids (0/1), `tags` the ones to score."""
    rows = []
    for tag in tags:
        labelled = truth[tag].to_numpy() != UNLABELLED
        rows.append(metrics_row(tag, truth[tag].to_numpy()[labelled], predicted[labelled, tag_ids.index(tag)]))
    return rows


def unlabelled_counts(gold: pd.DataFrame, tags: list[str]) -> dict[str, int]:
    """Per tag, the gold papers whose cell is blank (not labelled yet), for the tags that have any."""
    counts = {tag: int((gold[tag].to_numpy() == UNLABELLED).sum()) for tag in tags}
    return {tag: count for tag, count in counts.items() if count}


def outcomes(actual, guess) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) of 0/1 guesses against 0/1 labels."""
    actual, guess = np.asarray(actual).astype(bool), np.asarray(guess).astype(bool)
    return int((actual & guess).sum()), int((~actual & guess).sum()), int((actual & ~guess).sum())


def metrics_row(tag: str, actual, guess) -> dict:
    """Precision, recall, F1 and support (with tp, fp, fn and 95% Wilson intervals) of one tag's
    guesses against its labels (0/1 arrays)."""
    tp, fp, fn = outcomes(actual, guess)
    precision = tp / (tp + fp) if tp + fp else math.nan
    recall = tp / (tp + fn) if tp + fn else math.nan
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else math.nan
    p_low, p_high = wilson_interval(tp, tp + fp)
    r_low, r_high = wilson_interval(tp, tp + fn)
    return {"tag": tag, "precision": precision, "recall": recall, "f1": f1, "support": tp + fn,
            "tp": tp, "fp": fp, "fn": fn, "precision_low": p_low, "precision_high": p_high,
            "recall_low": r_low, "recall_high": r_high}


def evaluate_systems(truth: pd.DataFrame, systems: dict[str, np.ndarray], tag_ids: list[str],
                     tags: list[str]) -> pd.DataFrame:
    """One row per (system, tag) plus a `macro` row per system."""
    frames = []
    for name, predicted in systems.items():
        rows = score_tags(truth, predicted, tag_ids, tags)
        table = pd.DataFrame(rows)
        macro = {"tag": "macro", **{k: table[k].mean() for k in ("precision", "recall", "f1")},
                 "support": int(table["support"].sum()), "tp": int(table["tp"].sum()),
                 "fp": int(table["fp"].sum()), "fn": int(table["fn"].sum())}
        table = pd.concat([table, pd.DataFrame([macro])], ignore_index=True)
        table.insert(0, "system", name)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def evaluate_where_rules_silent(truth: pd.DataFrame, rules: np.ndarray, model: np.ndarray,
                                tag_ids: list[str], tags: list[str]) -> pd.DataFrame:
    """The model's precision and recall on the documents where the rules did not give the tag:
    what the model adds beyond the rules."""
    rows = []
    for tag in tags:
        j = tag_ids.index(tag)
        silent = ~rules[:, j].astype(bool) & (truth[tag].to_numpy() != UNLABELLED)
        rows.append({"system": "model where rules silent", **metrics_row(tag, truth[tag].to_numpy()[silent],
                                                                          model[silent, j])})
    return pd.DataFrame(rows)


def format_table(results: pd.DataFrame) -> str:
    """A Markdown table: tag, system, precision, recall, F1, support."""
    lines = ["| tag | system | precision | recall | F1 | support |", "|---|---|---:|---:|---:|---:|"]
    order = list(dict.fromkeys(results["tag"]))
    for tag in order:
        for _, row in results[results["tag"] == tag].iterrows():
            lines.append(f"| {tag} | {row['system']} | {figure(row['precision'])} | {figure(row['recall'])} | "
                         f"{figure(row['f1'])} | {int(row['support'])} |")
    return "\n".join(lines)


def figure(value, digits: int = 3) -> str:
    """A precision, recall or F1 as reports show it: `0.848`, or `n/a` when it is not defined."""
    return "n/a" if value is None or value != value else f"{value:.{digits}f}"  # (NaN is not itself)
