"""Evaluate a model on gold files: the default gold that fits the taxonomy, the figures of
rules, model and combined on one file, and whether the model was fitted on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import GoldWithoutTagsError
from ..fingerprints import file_sha256
from ..model.artifacts import read_manifest
from ..model.tag_model import TagModel
from ..options import DEFAULT_GOLD
from ..readers.gold import load_gold, unlabelled_counts
from ..tagging.tagger import Predictions, Tagger
from ..taxonomy.schema import Taxonomy
from .metrics import SYSTEMS, evaluate_systems, evaluate_where_rules_silent

GOLD_LEFT_OUT = "; not evaluated"


@dataclass
class GoldResult:
    """The evaluation of one gold file."""

    path: str
    results: pd.DataFrame
    ignored_columns: list[str]
    gold: pd.DataFrame
    predictions: Predictions
    model_where_rules_silent: pd.DataFrame
    unevaluated_tags: list[str]  # taxonomy tags the gold file has no column for
    unlabelled: dict[str, int] = field(default_factory=dict)  # blank cells per tag: not labelled yet, skipped

    def column_notes(self) -> list[str]:
        """What the gold file's columns and the taxonomy's tags do not share, one note each."""
        notes = []
        if self.ignored_columns:
            notes.append(f"gold columns not in the taxonomy, ignored: {', '.join(self.ignored_columns)}")
        if self.unevaluated_tags:
            notes.append(f"taxonomy tags with no gold column, not evaluated: {', '.join(self.unevaluated_tags)}")
        if self.unlabelled:
            counts = ", ".join(f"{tag} {count}" for tag, count in self.unlabelled.items())
            notes.append(f"blank cells, not labelled yet, left out of their tag's figures: {counts}")
        return notes


def usable_gold(taxonomy: Taxonomy, gold_paths=None) -> tuple[list[str], list[str]]:
    """The gold files to evaluate on, and a note for each one left out. `gold_paths` None means the
    default files, of which one that has no column for a tag of the taxonomy (a taxonomy of one's
    own) is left out with a note, and one that is not there (outside the demo folder) silently.
    Named files must be readable and share a tag: each is read
    now, so that a mistake in one stops a command before its training, not after."""
    if gold_paths is not None:
        for path in gold_paths:
            load_gold(path, taxonomy.tag_ids)
        return [str(path) for path in gold_paths], []
    usable, notes = [], []
    for path in DEFAULT_GOLD:
        if not Path(path).is_file():
            continue
        try:
            load_gold(path, taxonomy.tag_ids)
        except GoldWithoutTagsError as exc:
            notes.append(f"Note: default gold {exc}{GOLD_LEFT_OUT}")
            continue
        usable.append(path)
    return usable, notes


def evaluate_gold(taxonomy: Taxonomy, model: TagModel, gold_path: str | Path,
                  columns: dict[str, str] | None = None, encoding: str | None = None,
                  probabilities=None) -> GoldResult:
    """Per-tag precision, recall, F1 and support of rules, model and combined on one gold file.
    `probabilities` (rows x tags) replace the model's own for gold it was fitted on: out-of-fold
    scores, so that no figure is in-sample."""
    gold, shared, ignored = load_gold(gold_path, taxonomy.tag_ids, columns, encoding)
    tagger = Tagger(taxonomy, model)
    predictions = tagger.predict(gold["title"].tolist(), gold["abstract"].tolist())
    if probabilities is not None:
        predictions = tagger.decide(predictions.votes, predictions.features, probabilities)
    systems = {name: predictions.system(name) for name in SYSTEMS}
    results = evaluate_systems(gold, systems, taxonomy.tag_ids, shared)
    silent = evaluate_where_rules_silent(gold, systems["rules"], systems["model"], taxonomy.tag_ids, shared)
    unevaluated = [tag for tag in taxonomy.tag_ids if tag not in shared]
    return GoldResult(str(gold_path), results, ignored, gold, predictions, silent, unevaluated,
                      unlabelled_counts(gold, shared))


def fitted_on(model_dir, gold_path) -> str | None:
    """What to say when the model was fitted on this very gold file (its figures are then in-sample)."""
    fitted = read_manifest(model_dir).fit_gold
    digest = file_sha256(gold_path)
    for entry in fitted.files if fitted is not None else ():
        if entry.sha256 == digest:
            return (f"the model was fitted on this gold file ({entry.path}), so these figures are "
                    "in-sample; the out-of-fold ones are in the model's manifest (metrics)")
    return None
