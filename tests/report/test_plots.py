"""Tests of taxotag.report.plots."""

import xml.etree.ElementTree as ElementTree

import numpy as np

from taxotag.report.plots import counts_figure, metrics_figure, pr_curves_figure


def _parsed(svg: str):
    """The figure as XML (matplotlib names each text it draws in a comment: <!-- text -->)."""
    assert svg.startswith("<svg")  # (no XML prolog: the figure sits inside the HTML)
    return ElementTree.fromstring(svg)


def test_the_metrics_figure_is_an_svg_with_a_row_per_tag(seed_evaluation, taxonomy):
    evaluation, _ = seed_evaluation
    svg = metrics_figure(evaluation.results, taxonomy.tag_ids, "seed gold")
    root = _parsed(svg)
    assert root.tag.endswith("svg")
    assert svg.count("<!-- self_supervised -->") >= 1 and "<!-- seed gold -->" in svg


def test_pr_curves_skip_a_tag_without_positives_and_hide_spare_panels():
    rng = np.random.default_rng(0)
    truth = {"a": rng.integers(0, 2, 50), "none": np.zeros(50, dtype=int)}
    scores = {tag: rng.random(50) for tag in truth}
    svg = pr_curves_figure(truth, scores, scores, {"a": 0.4, "none": 0.5})
    _parsed(svg)
    assert "<!-- a (" in svg and "<!-- none (0 positives) -->" in svg
    assert "<!-- model threshold 0.40 -->" in svg  # (only the tag with positives has curves)
    assert "model threshold 0.50" not in svg


def test_the_counts_figure_labels_each_bar_with_its_count():
    svg = counts_figure({"ssl": 1234, "clip": 7}, 5000)
    _parsed(svg)
    assert "<!--  1,234 -->" in svg and "<!--  7 -->" in svg and "<!-- abstracts with the tag (of 5,000) -->" in svg
