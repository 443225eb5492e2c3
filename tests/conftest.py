"""Shared fixtures: the real default taxonomy and a small model trained on real abstracts."""

import gzip
import json
import shutil
import signal
from pathlib import Path

import pandas as pd
import pytest

from taxotag.cli import main
from taxotag.errors import TaxonomyError
from taxotag.jobs.training import train
from taxotag.rules.labels import weak_labels
from taxotag.rules.matching import RuleSet
from taxotag.taxonomy.loading import load_taxonomy, parse_taxonomy

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


# Shared by the test modules of several subpackages


LISTING = """new

Get trending papers in your email inbox!

Mar 12

A Title About Semi-Supervised Learning

{abstract}

Another Paper

{abstract2}
"""


ABSTRACT = "We propose a method. " * 15


ABSTRACT2 = "This paper studies something else entirely, at length. " * 5


FEEDS = ROOT / "tests" / "feeds"


def problems_of(text):
    with pytest.raises(TaxonomyError) as info:
        parse_taxonomy(text, "t.yaml")
    return info.value.problems


RULES_YAML = """
tags:
  - id: ssl
    name: SSL
    description: self-supervised
    rules:
      - {id: ssl_phrase, phrase: self-supervised learning}
      - {id: ssl_claim, phrase: pretext task, where: title_or_claim}
      - {id: ssl_twice, phrase: masked autoencoder, where: title, min_count_anywhere: 2}
      - {id: ssl_strategy, phrase: pretext strategy}
      - {id: ssl_short, phrase: self-supervised}
  - id: clip
    name: CLIP
    description: clip
    rules:
      - {id: clip_name, regex: '\\bCLIP\\b', case_sensitive: true, unless: [CLIP score]}
  - id: distill
    name: Distillation
    description: distillation
    rules:
      - {id: kd, pattern: [{LOWER: knowledge}, {LOWER: {IN: [distillation, transfer]}}], min_count: 2}
"""


@pytest.fixture(scope="module")
def small_rules():
    return RuleSet(parse_taxonomy(RULES_YAML, "t.yaml"))


def vote(small_rules, abstract, title="A paper"):
    votes = small_rules.apply([title], [abstract])
    return dict(zip(votes.rule_ids, votes.matrix[0])), votes.mentions[0]


LABELS_YAML = """
tags:
  - id: learning
    name: Learning
    description: parent
    rules: [{phrase: learning paradigm}]
  - id: ssl
    name: SSL
    description: self-supervised
    parent: learning
    rules:
      - {phrase: self-supervised}
      - {phrase: DINO, implies: [distill]}
  - id: semi
    name: Semi
    description: semi-supervised
    rules:
      - {phrase: self-training, excludes: [ssl]}
  - id: distill
    name: Distillation
    description: distillation
    rules: [{phrase: distillation}]
"""


@pytest.fixture(scope="module")
def labels_taxonomy():
    return parse_taxonomy(LABELS_YAML, "t.yaml")


def labels_for(labels_taxonomy, abstracts):
    votes = RuleSet(labels_taxonomy).apply(["T"] * len(abstracts), abstracts)
    return votes, pd.DataFrame(weak_labels(labels_taxonomy, votes), columns=labels_taxonomy.tag_ids)


TAGGED = pd.DataFrame({"id": ["a", "b"], "title": ["=T", "U"], "tags": ["self_supervised;distillation", ""],
                       "score_x": [0.75, 0.1], "evidence": ["...", ""],
                       "year": pd.Series([2025, None], dtype=object),
                       "categories": pd.Series([["cs.CV", "cs.LG"], float("nan")], dtype=object)})


@pytest.fixture
def workspace(tmp_path, small_corpus):
    """A taxonomy copy, a model trained on it, and a private cache."""
    taxonomy_path = tmp_path / "taxonomy.yaml"
    shutil.copy(ROOT / "taxonomy.yaml", taxonomy_path)
    model_dir, cache = tmp_path / "model", tmp_path / "cache"
    train(load_taxonomy(taxonomy_path), small_corpus, model_dir, cache_dir=cache, progress=False)
    return taxonomy_path, model_dir, cache


def run_cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def ctrl_c_as_in_a_terminal() -> None:
    """For a subprocess that a test sends Ctrl-C: SIGINT at its default, as in a terminal's foreground
    job, whatever this suite inherited (a shell without job control starts background jobs with
    SIGINT ignored, and a Python started so keeps ignoring it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def memory_maps(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/maps").read_bytes()
    except OSError:
        return b""


@pytest.fixture(scope="session")
def seed_evaluation(taxonomy, trained_model_dir):
    """The small model's evaluation on the seed gold set, and its tagger."""
    from taxotag.evaluation.gold_runs import evaluate_gold
    from taxotag.model.artifacts import load_model
    from taxotag.tagging.tagger import Tagger

    model = load_model(trained_model_dir, taxonomy)
    return evaluate_gold(taxonomy, model, ROOT / "data" / "seed_gold.csv"), Tagger(taxonomy, model)
