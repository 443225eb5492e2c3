"""The decision threshold of a tag: the F-beta-best cut of its out-of-fold scores, smoothed."""

from __future__ import annotations

import numpy as np

THRESHOLD_GRID = np.round(np.arange(0.50, 0.951, 0.01), 2)
"""The cut-offs best_threshold chooses from."""


SMOOTHING = 2
"""best_threshold averages F-beta over this many grid steps on each side."""


def best_threshold(target: np.ndarray, scores: np.ndarray, beta: float = 0.5, floor: float = 0.5) -> float:
    """The cut-off (on THRESHOLD_GRID, at least `floor`) with the best F-beta on (target, scores),
    F-beta averaged over the neighbouring cut-offs first: out-of-fold F-beta is flat and jagged
    near its top, so its plain maximum jumps between far-apart cut-offs when a few labels change
    (benchmarks/bench_thresholds.py measures how far)."""
    grid = THRESHOLD_GRID[THRESHOLD_GRID >= floor]
    predicted = scores[None, :] >= grid[:, None]
    positives = target == 1
    tp = (predicted & positives).sum(axis=1).astype(float)
    precision = tp / np.maximum(predicted.sum(axis=1), 1)
    recall = tp / max(positives.sum(), 1)
    denominator = beta**2 * precision + recall
    f_beta = np.where(tp > 0, (1 + beta**2) * precision * recall / np.where(denominator > 0, denominator, 1), 0.0)
    window = np.ones(2 * SMOOTHING + 1)
    averaged = np.convolve(f_beta, window, "same") / np.convolve(np.ones_like(f_beta), window, "same")
    return float(grid[int(np.argmax(averaged))]) if len(grid) else floor
