"""Tests of taxotag.evaluation.metrics."""

import math

import numpy as np
import pandas as pd
import pytest

from taxotag.evaluation.metrics import evaluate_systems, metrics_row, wilson_interval


def test_metrics_row_counts():
    actual, guess = [1] * 16 + [0] * 3, [1] * 8 + [0] * 8 + [1, 1, 0]  # 8 true positives, 2 false, 8 missed
    row = metrics_row("t", actual, guess)
    assert (row["tp"], row["fp"], row["fn"]) == (8, 2, 8)
    assert (row["precision"], row["recall"], row["support"]) == (0.8, 0.5, 16)
    assert row["f1"] == pytest.approx(2 * 0.8 * 0.5 / 1.3)
    assert math.isnan(metrics_row("t", [1, 1, 1], [0, 0, 0])["precision"])


def test_evaluate_systems_per_tag_and_macro():
    truth = pd.DataFrame({"a": [1, 1, 0, 0], "b": [0, 1, 0, 1]})
    predicted = np.array([[1, 0], [0, 1], [1, 0], [0, 1]])
    table = evaluate_systems(truth, {"rules": predicted}, ["a", "b"], ["a", "b"]).set_index("tag")
    assert table.loc["a", "precision"] == 0.5 and table.loc["a", "recall"] == 0.5
    assert table.loc["b", "f1"] == 1.0
    assert table.loc["macro", "f1"] == 0.75


def test_model_where_rules_silent_scores_only_untagged_documents():
    from taxotag.evaluation.metrics import evaluate_where_rules_silent

    truth = pd.DataFrame({"a": [1, 1, 0, 1]})
    rules = np.array([[1], [0], [0], [0]])
    model = np.array([[1], [1], [1], [0]])
    (row,) = evaluate_where_rules_silent(truth, rules, model, ["a"], ["a"]).to_dict("records")
    assert (row["tp"], row["fp"], row["fn"], row["support"]) == (1, 1, 1, 2)


def test_wilson_interval_matches_known_values():
    low, high = wilson_interval(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.490, 0.943)
    assert all(np.isnan(wilson_interval(0, 0)))
