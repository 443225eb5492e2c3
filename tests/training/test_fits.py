"""Tests of taxotag.training.fits."""

import numpy as np
import pandas as pd
import pytest

from taxotag.errors import InputFileError
from taxotag.training.corpus import label_corpus
from taxotag.training.fits import GOLD_FOLDS, fit_full, fit_incremental, fit_with_gold, read_fitted_gold
from tests.conftest import ROOT

SEED_GOLD = ROOT / "data" / "seed_gold.csv"


@pytest.fixture(scope="module")
def labelled(taxonomy, small_corpus):
    return label_corpus(taxonomy, small_corpus, progress=False)


def test_an_incremental_fit_refits_only_the_tags_whose_weak_labels_changed(taxonomy, labelled, tmp_path):
    model = fit_full(taxonomy, labelled, cache_dir=tmp_path)
    old_labels = {tag: labelled.labels[:, j].copy() for j, tag in enumerate(taxonomy.tag_ids)}
    same, refit = fit_incremental(taxonomy, labelled, model, old_labels, tmp_path)
    assert refit == [] and np.array_equal(same.coef, model.coef)
    changed = dict(old_labels, distillation=1 - old_labels["distillation"])
    again, refit = fit_incremental(taxonomy, labelled, model, changed, tmp_path)
    assert refit == ["distillation"] and again.vocabulary_sha() == model.vocabulary_sha()
    j = taxonomy.tag_ids.index("distillation")
    kept = [k for k in range(len(taxonomy.tag_ids)) if k != j]
    assert np.array_equal(again.coef[kept], model.coef[kept])


def test_gold_to_fit_on_is_pooled_over_files_with_its_rows_masked(taxonomy):
    gold = read_fitted_gold(taxonomy, [SEED_GOLD, ROOT / "data" / "arxiv_dev_gold.csv"])
    assert gold.labels.shape == (165 + 316, len(taxonomy.tag_ids))
    assert gold.describe(10.0) == {"weight": 10.0, "files": [
        {"path": str(SEED_GOLD), "sha256": gold.sha256[0], "documents": 165},
        {"path": str(ROOT / "data" / "arxiv_dev_gold.csv"), "sha256": gold.sha256[1], "documents": 316}]}
    assert len(gold.masked_texts) == len(gold.documents)


def test_gold_with_a_blank_label_or_without_a_tag_cannot_be_fitted_on(taxonomy, tmp_path):
    frame = pd.read_csv(SEED_GOLD, dtype=str, keep_default_na=False)
    frame.loc[4, "clip_style"] = ""
    frame.to_csv(tmp_path / "blank.csv", index=False)
    with pytest.raises(InputFileError, match=r"row 5, id 's004', column 'clip_style' is blank"):
        read_fitted_gold(taxonomy, [tmp_path / "blank.csv"])
    frame.drop(columns=["clip_style"]).to_csv(tmp_path / "no_tag.csv", index=False)
    with pytest.raises(InputFileError, match=r"no column for tag 'clip_style'"):
        read_fitted_gold(taxonomy, [tmp_path / "no_tag.csv"])


def test_fitting_on_gold_scores_each_gold_row_by_a_fit_without_its_fold(taxonomy, labelled):
    model = fit_full(taxonomy, labelled)
    gold = read_fitted_gold(taxonomy, [SEED_GOLD])
    fitted, out_of_fold = fit_with_gold(taxonomy, labelled, model, gold, out_of_fold=True)
    in_sample = fitted.predict_proba(model.transform(gold.masked_texts))
    assert out_of_fold.shape == in_sample.shape and GOLD_FOLDS == 5
    assert ((0 <= out_of_fold) & (out_of_fold <= 1)).all()
    assert not np.allclose(out_of_fold, in_sample)
    positives = gold.labels == 1  # (in-sample, the fit has seen the labels: it scores them higher)
    assert in_sample[positives].mean() > out_of_fold[positives].mean()
    alone, none = fit_with_gold(taxonomy, labelled, model, gold)
    assert none is None and np.allclose(alone.coef, fitted.coef)
