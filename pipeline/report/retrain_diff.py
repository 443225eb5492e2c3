"""What a retrain changed: per tag, corpus documents that gained or lost the tag, and the change
in gold precision and recall of the combined system."""

from __future__ import annotations

import math

import numpy as np

from ..display import short_title
from ..evaluation.metrics import figure

EXAMPLES_PER_SIDE = 5
"""How many documents that gained, and how many that lost, a tag the diff shows."""


def combined_metrics(evaluations) -> dict:
    """{gold path: {tag: {precision, recall, f1}}} of the combined system, for the manifest; not
    rounded, so that the diff rounds them once, as `evaluate` does (28/33 is 0.848, not 0.8485 -> 0.849)."""
    metrics = {}
    for evaluation in evaluations:
        rows = evaluation.results[evaluation.results["system"] == "combined"]
        metrics[evaluation.path] = {
            row["tag"]: {key: (None if math.isnan(row[key]) else float(row[key]))
                         for key in ("precision", "recall", "f1")}
            for _, row in rows.iterrows()
        }
    return metrics


def compute_diff(tag_ids: list[str], labels: np.ndarray, old_labels: dict | None,
                 old_metrics: dict, new_metrics: dict, same_corpus: bool = True) -> list[dict]:
    """One row a tag (and one a removed tag): gained, lost (when the old labels are of the same
    corpus), and gold metrics before -> after."""
    rows = []
    for j, tag in enumerate(tag_ids):
        status = "new model" if old_labels is None else "added" if tag not in old_labels else "kept"
        row = {"tag": tag, "status": status,
               "documents": int(labels[:, j].sum())}
        if same_corpus and old_labels is not None and tag in old_labels and len(old_labels[tag]) == len(labels):
            gained, lost = label_changes(old_labels[tag], labels[:, j])
            row["gained"], row["lost"] = len(gained), len(lost)
        for gold, tags in new_metrics.items():
            for key in ("precision", "recall"):
                row[f"{key} {gold}"] = (old_metrics.get(gold, {}).get(tag, {}).get(key), tags.get(tag, {}).get(key))
        rows.append(row)
    for tag in (old_labels or {}):
        if tag not in tag_ids:
            rows.append({"tag": tag, "status": "removed", "documents": 0, "lost": int(old_labels[tag].sum())})
    return rows


def label_changes(before: np.ndarray, after: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows that gained a tag and the rows that lost it, between two 0/1 label columns."""
    before, after = before.astype(bool), after.astype(bool)
    return np.flatnonzero(after & ~before), np.flatnonzero(before & ~after)


def changed_examples(tag_ids: list[str], labels: np.ndarray, old_labels: dict | None, documents, votes,
                     per_side: int = EXAMPLES_PER_SIDE) -> str:
    """Markdown: per tag whose weak labels changed, the first corpus documents that gained or lost
    it, each with the tag's rule mentions as they stand now (a lost one shows why it is passing)."""
    sections = []
    for j, tag in enumerate(tag_ids):
        before = (old_labels or {}).get(tag)
        if before is None or len(before) != len(labels):
            continue
        gained, lost = label_changes(before, labels[:, j])
        if not len(gained) and not len(lost):
            continue
        lines = [f"### {tag}: {len(gained)} gained, {len(lost)} lost", ""]
        for name, rows in (("gained", gained), ("lost", lost)):
            if len(rows):
                shown = f" (the first {per_side})" if len(rows) > per_side else ""
                lines += [f"{name}{shown}:", ""]
                lines += [_example_line(documents, votes, row, tag, name) for row in rows[:per_side]] + [""]
        sections.append("\n".join(lines))
    if not sections:
        return ""
    return "## Documents that changed\n\n" + "\n".join(sections)


def _example_line(documents, votes, row: int, tag: str, change: str) -> str:
    """One document: its id, title and the tag's mentions, central ones first for a gained
    tag and passing ones first for a lost tag, then the heavier rules' first."""
    found = votes.tag_mentions(row, tag)
    found.sort(key=lambda m: ((m.passing is None) == (change == "lost"), -votes.rules[m.rule].rule.weight))
    title = short_title(str(documents["title"].iat[row]))
    return f"- `{documents['id'].iat[row]}` {title}: {votes.describe(found, 3) or 'no mention of the tag now'}"


def format_diff(rows: list[dict], refitted: list[str], rules_run: int, seconds: float) -> str:
    """The diff as Markdown."""
    golds = sorted({key.split(" ", 1)[1] for row in rows for key in row if key.startswith("precision ")})
    header = ["tag", "status", "documents", "gained", "lost"]
    for gold in golds:
        header += [f"precision ({gold})", f"recall ({gold})"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [row["tag"], row["status"], str(row["documents"]), _count(row.get("gained")), _count(row.get("lost"))]
        for gold in golds:
            for key in ("precision", "recall"):
                before, after = row.get(f"{key} {gold}", (None, None))
                cells.append(f"{figure(before)} -> {figure(after)}")
        lines.append("| " + " | ".join(cells) + " |")
    summary = (f"Re-ran {rules_run} rule(s); refitted {len(refitted)} tag classifier(s)"
               f"{': ' + ', '.join(refitted) if refitted else ''}; {seconds:.1f} s.")
    return summary + "\n\n" + "\n".join(lines) + "\n"


def _count(value) -> str:
    return "-" if value is None else str(value)


