"""Tests of taxotag.report.retrain_diff."""

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd

from taxotag.jobs.training import retrain
from taxotag.report.retrain_diff import combined_metrics, compute_diff, format_diff


def test_the_diff_rounds_gold_metrics_once_as_evaluate_does():
    results = pd.DataFrame([{"tag": "t", "system": "combined", "precision": 28 / 33, "recall": 17 / 21, "f1": 0.5}])
    metrics = combined_metrics([SimpleNamespace(path="gold.csv", results=results)])
    text = format_diff(compute_diff(["t"], np.ones((3, 1)), None, metrics, metrics), [], 0, 1.0)
    assert "| 0.848 -> 0.848 | 0.810 -> 0.810 |" in text


def test_the_diff_shows_documents_that_gained_the_tag_with_the_new_rule_first(workspace, small_corpus, tmp_path):
    taxonomy_path, model_dir, cache = workspace
    taxonomy_path.write_text(taxonomy_path.read_text().replace(
        "      - id: oversight\n", "      - id: w2s_extra\n        phrase: [easy-to-hard]\n      - id: oversight\n", 1))
    result = retrain(taxonomy_path, small_corpus, model_dir, [], tmp_path / "out")
    gained = next(row["gained"] for row in result.diff if row["tag"] == "weak_to_strong")
    text = (tmp_path / "out" / "retrain_diff.md").read_text()
    assert f"### weak_to_strong: {gained} gained, 0 lost" in text
    section = text.split("### weak_to_strong")[1].split("###")[0]
    examples = [line for line in section.splitlines() if line.startswith("- `")]
    assert 0 < len(examples) == min(gained, 5)
    assert all(re.search(r": w2s_extra 'easy[- ]to[- ]hard' \((title|claim|body)\)", line, re.I)
               for line in examples), examples
