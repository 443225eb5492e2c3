"""Tests of taxotag.model.manifest."""

import json

import pytest
from pydantic import ValidationError

from taxotag.model.artifacts import read_manifest
from taxotag.model.manifest import FORMAT_VERSION, Manifest


def _saved(trained_model_dir) -> dict:
    return json.loads((trained_model_dir / "manifest.json").read_text("utf-8"))


def test_a_saved_manifest_validates_and_its_text_round_trips(trained_model_dir, taxonomy):
    manifest = Manifest.model_validate(_saved(trained_model_dir))
    assert manifest.format_version == FORMAT_VERSION and manifest.tags == taxonomy.tag_ids
    assert set(manifest.thresholds) == set(taxonomy.tag_ids)
    assert manifest.corpus.documents > 0 and manifest.fit_gold is None
    assert all(len(artifact.sha256) == 64 for artifact in manifest.artifacts.values())
    text = manifest.json_text()
    assert "fit_gold" not in json.loads(text)  # (fields not set are left out)
    assert Manifest.model_validate_json(text) == manifest


@pytest.mark.parametrize("edit", [
    lambda saved: saved.update(extra_field=1),  # a key no version of taxotag writes
    lambda saved: saved.pop("artifacts"),
    lambda saved: saved["thresholds"].update(self_supervised="high"),
    lambda saved: saved["corpus"].update(documents="many"),
])
def test_a_manifest_with_an_unknown_missing_or_mistyped_field_is_refused(trained_model_dir, edit):
    saved = _saved(trained_model_dir)
    edit(saved)
    with pytest.raises(ValidationError):
        Manifest.model_validate(saved)


def test_read_manifest_gives_the_typed_manifest(trained_model_dir):
    manifest = read_manifest(trained_model_dir)
    assert isinstance(manifest, Manifest) and manifest == Manifest.model_validate(_saved(trained_model_dir))
