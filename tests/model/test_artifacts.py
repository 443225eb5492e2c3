"""Tests of taxotag.model.artifacts."""

import json
import shutil

import numpy as np
import pytest

from taxotag.errors import ModelError, ModelFormatError, NoModelError, StaleModelError
from taxotag.model.artifacts import load_model, load_model_and_labels, read_manifest, save_model
from taxotag.taxonomy.loading import parse_taxonomy

TEXTS = ["contrastive pretext views augmentations encoder", "teacher student compression logits"]


def test_saved_model_round_trips_and_verifies(trained_model_dir, taxonomy):
    model = load_model(trained_model_dir, taxonomy)
    manifest = read_manifest(trained_model_dir)
    assert manifest.taxonomy_fingerprint == taxonomy.training_fingerprint()
    assert set(manifest.artifacts) == {"idf", "coef", "intercept", "thresholds", "vocabulary", "weak_labels",
                                          "taxonomy"}
    assert manifest.corpus.documents == 2500
    assert "scikit-learn" in manifest.packages
    probabilities = model.predict_proba(model.transform(TEXTS))
    assert probabilities.shape == (2, len(taxonomy.tag_ids))
    assert ((probabilities >= 0) & (probabilities <= 1)).all()


def test_tampered_artefact_is_refused(trained_model_dir, taxonomy, tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(trained_model_dir, copy)
    coef = copy / "coef.npy"
    coef.write_bytes(coef.read_bytes()[:-8])
    with pytest.raises(ModelError, match="coef.npy: sha256 does not match the manifest"):
        load_model(copy, taxonomy)


def test_model_and_weak_labels_load_together(trained_model_dir, taxonomy, tmp_path):
    manifest, model, labels = load_model_and_labels(trained_model_dir)
    assert model.tag_ids == manifest.tags == list(labels)
    assert {len(column) for column in labels.values()} == {manifest.corpus.documents}
    copy = tmp_path / "model"
    shutil.copytree(trained_model_dir, copy)
    weak = copy / "weak_labels.npy"
    weak.write_bytes(weak.read_bytes()[:-4])
    with pytest.raises(ModelError, match="weak_labels.npy: sha256 does not match the manifest"):
        load_model_and_labels(copy)


def test_pickled_array_is_never_loaded(trained_model_dir, taxonomy, tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(trained_model_dir, copy)
    np.save(copy / "idf.npy", np.array([object()], dtype=object), allow_pickle=True)
    manifest = json.loads((copy / "manifest.json").read_text())
    from taxotag.fingerprints import file_sha256

    manifest["artifacts"]["idf"]["sha256"] = file_sha256(copy / "idf.npy")
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="cannot read model arrays"):
        load_model(copy, taxonomy)


def test_stale_model_names_the_changed_tags(trained_model_dir, taxonomy):
    text = open(taxonomy.path).read().replace("weak supervisors]", "weak supervisors, weak mentor]")
    edited = parse_taxonomy(text, "taxonomy.yaml")
    with pytest.raises(StaleModelError, match=r"another version of taxonomy.yaml \(edited: weak_to_strong\)$") as raised:
        load_model(trained_model_dir, edited)
    assert raised.value.changes == {"added": [], "removed": [], "edited": ["weak_to_strong"]} and raised.value.usable
    assert "--allow-stale" not in str(raised.value)  # (the library names no flag: the CLI adds the hint)
    assert load_model(trained_model_dir, edited, allow_stale=True).tag_ids == taxonomy.tag_ids


def test_failed_save_keeps_the_old_model(trained_model_dir, taxonomy, tmp_path):
    target = tmp_path / "model"
    shutil.copytree(trained_model_dir, target)
    model = load_model(target, taxonomy)
    model.coef = "not an array of numbers"
    with pytest.raises(ValueError):
        save_model(model, target, taxonomy)
    assert load_model(target, taxonomy).tag_ids == taxonomy.tag_ids
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


def test_missing_model_says_how_to_make_one(tmp_path):
    with pytest.raises(NoModelError, match=r"no trained model here \(manifest.json is missing\)"):
        read_manifest(tmp_path)


def test_a_model_from_an_older_format_is_refused_with_advice(trained_model_dir, taxonomy, tmp_path):
    copy = tmp_path / "old"
    shutil.copytree(trained_model_dir, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["format_version"] = 1
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelFormatError, match="unsupported model format"):
        load_model(copy, taxonomy)
