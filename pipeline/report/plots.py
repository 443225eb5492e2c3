"""Figures for the HTML report, drawn with matplotlib and returned as inline SVG text."""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402
from sklearn.metrics import precision_recall_curve  # noqa: E402

SYSTEM_COLOURS = {"rules": "#4c72b0", "model": "#dd8452", "combined": "#55a868"}


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and doctype: the SVG sits inside HTML


def metrics_figure(results, tags: list[str], title: str) -> str:
    """Precision and recall per tag and system, with 95% Wilson intervals as error bars."""
    figure, axes = plt.subplots(1, 2, figsize=(11, 0.5 + 0.55 * len(tags)), sharey=True)
    positions = np.arange(len(tags))
    for axis, metric in zip(axes, ("precision", "recall")):
        for offset, (system, colour) in zip((-0.22, 0.0, 0.22), SYSTEM_COLOURS.items()):
            rows = results[results["system"] == system].set_index("tag").reindex(tags)
            values = rows[metric].to_numpy(dtype=float)
            low = np.clip(np.nan_to_num(values - rows[f"{metric}_low"].to_numpy(dtype=float)), 0, None)
            high = np.clip(np.nan_to_num(rows[f"{metric}_high"].to_numpy(dtype=float) - values), 0, None)
            axis.errorbar(values, positions + offset, xerr=[low, high], fmt="o", color=colour,
                          label=system, capsize=3, markersize=5)
        axis.set_xlim(0, 1.02)
        axis.set_xlabel(metric)
        axis.axvline(0.9 if metric == "precision" else 0.8, color="#999", linestyle=":", linewidth=1)
        axis.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(positions, tags)
    axes[0].invert_yaxis()
    axes[1].legend(loc="lower left", fontsize=8)
    figure.suptitle(title, fontsize=11)
    return _svg(figure)


def pr_curves_figure(truth: dict[str, np.ndarray], model_scores: dict[str, np.ndarray],
                     combined_scores: dict[str, np.ndarray], thresholds: dict[str, float]) -> str:
    """One precision-recall panel per tag: model probability and combined score, thresholds marked."""
    tags = list(truth)
    columns = 3
    rows = max(1, math.ceil(len(tags) / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(4 * columns, 3.4 * rows), squeeze=False)
    for axis, tag in zip(axes.ravel(), tags):
        actual = truth[tag]
        for name, scores, cut, colour in (("model", model_scores[tag], thresholds[tag], SYSTEM_COLOURS["model"]),
                                          ("combined", combined_scores[tag], 0.5, SYSTEM_COLOURS["combined"])):
            if actual.sum() == 0:
                continue
            precision, recall, cuts = precision_recall_curve(actual, scores)
            axis.plot(recall, precision, color=colour, label=name)
            index = min(np.searchsorted(cuts, cut), len(cuts) - 1) if len(cuts) else None
            if index is not None:
                axis.plot(recall[index], precision[index], "o", color=colour, markersize=7,
                          markeredgecolor="black", label=f"{name} threshold {cut:.2f}")
        axis.set_title(f"{tag} ({int(actual.sum())} positives)", fontsize=10)
        axis.set_xlabel("recall")
        axis.set_ylabel("precision")
        axis.set_xlim(0, 1.02)
        axis.set_ylim(0, 1.05)
        axis.grid(alpha=0.3)
        if actual.sum():  # (a tag without positives has no curve to name)
            axis.legend(fontsize=7, loc="lower left")
    for axis in axes.ravel()[len(tags):]:
        axis.set_visible(False)
    figure.tight_layout()
    return _svg(figure)


def counts_figure(counts: dict[str, int], total: int) -> str:
    """Weak-label counts per tag on the training corpus."""
    tags = list(counts)
    figure, axis = plt.subplots(figsize=(7, 0.5 + 0.4 * len(tags)))
    axis.barh(tags, [counts[t] for t in tags], color=SYSTEM_COLOURS["rules"])
    for position, tag in enumerate(tags):
        axis.text(counts[tag], position, f" {counts[tag]:,}", va="center", fontsize=8)
    axis.invert_yaxis()
    axis.set_xlabel(f"abstracts with the tag (of {total:,})")
    axis.set_title("Weak labels on the training corpus", fontsize=11)
    return _svg(figure)
