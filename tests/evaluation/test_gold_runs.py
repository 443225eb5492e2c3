"""Tests of taxotag.evaluation.gold_runs."""

import numpy as np
import pandas as pd
import pytest

from taxotag.errors import InputFileError
from taxotag.evaluation.gold_runs import evaluate_gold, fitted_on, usable_gold
from taxotag.evaluation.metrics import SYSTEMS
from taxotag.model.artifacts import load_model
from taxotag.options import DEFAULT_GOLD
from taxotag.taxonomy.loading import parse_taxonomy
from tests.conftest import MINIMAL_TAXONOMY, ROOT


def test_every_system_is_scored_on_every_tag_with_the_counts_of_its_predictions(seed_evaluation, taxonomy):
    evaluation, _ = seed_evaluation
    results = evaluation.results.set_index(["system", "tag"])
    assert len(evaluation.gold) == 165 and evaluation.unevaluated_tags == []
    assert evaluation.ignored_columns == ["active_learning", "few_zero_shot"]  # (labelled for tags not in use)
    for system in SYSTEMS:
        guesses = evaluation.predictions.system(system)
        for j, tag in enumerate(taxonomy.tag_ids):
            actual = evaluation.gold[tag].to_numpy() == 1
            row = results.loc[(system, tag)]
            assert row["tp"] == int((actual & (guesses[:, j] == 1)).sum()), (system, tag)
            assert row["support"] == int(actual.sum())
        assert results.loc[(system, "macro"), "f1"] == pytest.approx(
            np.nanmean([results.loc[(system, tag), "f1"] for tag in taxonomy.tag_ids]))


def test_out_of_fold_probabilities_replace_the_models_own(taxonomy, trained_model_dir):
    model = load_model(trained_model_dir, taxonomy)
    gold = ROOT / "data" / "seed_gold.csv"
    own = evaluate_gold(taxonomy, model, gold)
    none = evaluate_gold(taxonomy, model, gold, probabilities=np.zeros(own.predictions.probabilities.shape))
    assert not none.predictions.system("model").any()
    assert (none.predictions.system("rules") == own.predictions.system("rules")).all()


def test_named_gold_is_read_at_once_and_the_default_gold_that_lacks_a_tag_is_left_out_with_a_note(
        tmp_path, monkeypatch, taxonomy):
    own = parse_taxonomy(MINIMAL_TAXONOMY.replace("active_learning", "curriculum_learning"), "own.yaml")
    with pytest.raises(InputFileError, match="no such file"):
        usable_gold(taxonomy, [tmp_path / "missing.csv"])
    monkeypatch.chdir(ROOT)
    assert usable_gold(taxonomy) == (list(DEFAULT_GOLD), [])
    usable, notes = usable_gold(own)  # (a taxonomy of one's own, whose tag no default gold file labels)
    assert usable == [] and len(notes) == len(DEFAULT_GOLD)
    assert all(note.startswith("Note: default gold ") and note.endswith("; not evaluated") for note in notes)
    assert "--" not in "".join(notes)  # (what to type is the CLI's to say)
    monkeypatch.chdir(tmp_path)  # (outside the project the default gold is not there: silently none)
    assert usable_gold(taxonomy) == ([], [])


def test_column_notes_name_ignored_columns_missing_tags_and_blank_cells(tmp_path, taxonomy, trained_model_dir):
    gold = pd.read_csv(ROOT / "data" / "seed_gold.csv", dtype=str, keep_default_na=False).head(20)
    gold = gold.drop(columns=["distillation"]).assign(novelty="1")
    gold.loc[3, "self_supervised"] = ""
    gold.to_csv(tmp_path / "partial.csv", index=False)
    evaluation = evaluate_gold(taxonomy, load_model(trained_model_dir, taxonomy), tmp_path / "partial.csv")
    assert evaluation.column_notes() == [
        "gold columns not in the taxonomy, ignored: active_learning, few_zero_shot, novelty",
        "taxonomy tags with no gold column, not evaluated: distillation",
        "blank cells, not labelled yet, left out of their tag's figures: self_supervised 1"]


def test_fitted_on_names_only_the_gold_the_model_was_fitted_on(trained_model_dir):
    assert fitted_on(trained_model_dir, ROOT / "data" / "seed_gold.csv") is None
