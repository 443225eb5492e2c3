"""Tests of taxotag.rules.labels."""

from tests.conftest import labels_for


def test_parent_implies_and_excludes(labels_taxonomy):
    _, labels = labels_for(labels_taxonomy, [
        "We study self-supervised features.",
        "We study DINO features.",
        "We study self-supervised features with self-training.",
    ])
    assert labels.to_dict("records") == [
        {"learning": 1, "ssl": 1, "semi": 0, "distill": 0},
        {"learning": 1, "ssl": 1, "semi": 0, "distill": 1},
        {"learning": 0, "ssl": 0, "semi": 1, "distill": 0},
    ]
