"""Gold labels vs predictions -> per-tag precision, recall, F1 and support, for each system."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..readers.gold import UNLABELLED

SYSTEMS = ("rules", "model", "combined")


def score_tags(truth: pd.DataFrame, predicted: np.ndarray, tag_ids: list[str], tags: list[str]) -> list[dict]:
    """Per-tag metrics rows; `predicted` is documents x tag_ids (0/1), `tags` the ones to score."""
    rows = []
    for tag in tags:
        labelled = truth[tag].to_numpy() != UNLABELLED
        rows.append(metrics_row(tag, truth[tag].to_numpy()[labelled], predicted[labelled, tag_ids.index(tag)]))
    return rows


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


def wilson_interval(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval for a proportion; (nan, nan) when total is 0."""
    if total == 0:
        return (math.nan, math.nan)
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def evaluation_json(evaluation) -> dict:
    tags: dict = {}
    for _, row in evaluation.results.iterrows():
        metrics = {key: _json_number(row[key]) for key in ("precision", "recall", "f1", "support", "tp", "fp", "fn")}
        tags.setdefault(row["tag"], {})[row["system"]] = metrics
    return {"gold": evaluation.path, "documents": len(evaluation.gold),
            "ignored_columns": evaluation.ignored_columns, "unevaluated_tags": evaluation.unevaluated_tags,
            "unlabelled": evaluation.unlabelled,
            "tags": tags}


def _json_number(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value) if float(value).is_integer() and not isinstance(value, float) else float(value)
