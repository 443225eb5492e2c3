"""Tests of taxotag.model.thresholds."""

import numpy as np

from taxotag.model.thresholds import best_threshold


def test_best_threshold_prefers_precision():
    target = np.array([1, 1, 1, 0, 0, 0])
    scores = np.array([0.95, 0.9, 0.6, 0.7, 0.2, 0.1])
    assert 0.7 < best_threshold(target, scores, beta=0.5) <= 0.9  # above the negative, keeping two positives


def test_best_threshold_takes_a_broad_top_over_a_narrow_spike():
    # F-beta is best at 0.50 alone (ten positives sit at 0.505, just under three negatives), and a
    # little lower from 0.54 to 0.59, before the next positives; the broad top is chosen
    positives = [0.505] * 10 + [0.60 + 0.01 * k for k in range(10)]
    negatives = [0.515, 0.525, 0.535, 0.2]
    target = np.array([1] * len(positives) + [0] * len(negatives))
    assert 0.54 <= best_threshold(target, np.array(positives + negatives)) <= 0.60
