"""Shared fixtures: the real default taxonomy and a small model trained on real abstracts."""

import gzip
import json
from pathlib import Path

import pytest

from taxotag.taxonomy import load_taxonomy, parse_taxonomy
from taxotag.workflow import train

ROOT = Path(__file__).resolve().parent.parent
TRAINING_SLICE = 2500
"""How many abstracts of the embedded corpus the test model is trained on (fast, still real)."""

MINIMAL_TAXONOMY = """
tags:
  - id: active_learning
    name: Active learning
    description: The method chooses which examples get labelled.
    rules: [{phrase: active learning}]
"""


@pytest.fixture(scope="session")
def taxonomy():
    return load_taxonomy(ROOT / "taxonomy.yaml")


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory):
    """The first TRAINING_SLICE abstracts of the embedded training corpus, as JSONL."""
    path = tmp_path_factory.mktemp("corpus") / "slice.jsonl"
    with gzip.open(ROOT / "data" / "arxiv_sample.jsonl.gz", "rt", encoding="utf-8") as source:
        lines = [next(source) for _ in range(TRAINING_SLICE)]
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def trained_model_dir(tmp_path_factory, taxonomy, small_corpus):
    directory = tmp_path_factory.mktemp("models") / "small"
    train(taxonomy, small_corpus, directory, cache_dir=tmp_path_factory.mktemp("cache"), progress=False)
    return directory


@pytest.fixture
def minimal_taxonomy():
    return parse_taxonomy(MINIMAL_TAXONOMY, "minimal.yaml")


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
