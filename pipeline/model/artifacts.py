"""Save and load a trained model as plain arrays and JSON, with a manifest that is verified on load.

Nothing here unpickles: arrays are `.npy` files read with allow_pickle=False and the rest is JSON,
so a model file from someone else cannot run code. Every artefact's sha256 is in the manifest and
a model whose files do not match is refused.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from ..errors import ModelError, ModelFormatError, NoModelError, StaleModelError
from ..files import current_umask, writing_beside
from ..fingerprints import file_sha256
from ..taxonomy.loading import load_taxonomy
from ..taxonomy.schema import Taxonomy
from .manifest import FORMAT_VERSION, Manifest
from .tag_model import TagModel

ARRAYS = ("idf", "coef", "intercept", "thresholds")
OPTIONAL_ARRAYS = ("weak_labels",)
"""Saved beside the model when given: the training corpus's weak labels (documents x tags, int8)."""
TAXONOMY_FILE = "taxonomy.yaml"
"""The copy of the taxonomy a model was trained with, so that the model folder is enough to tag."""
OPTIONAL_ARTIFACTS = (*OPTIONAL_ARRAYS, "taxonomy")
PACKAGES = ("taxotag", "scikit-learn", "spacy", "numpy", "scipy", "pandas", "pyyaml", "pydantic")


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def save_model(model: TagModel, directory: str | Path, taxonomy: Taxonomy, extra: dict | None = None,
               weak_labels: np.ndarray | None = None) -> Path:
    """Write the model into `directory`, replacing an old one only once the new one is complete (a
    write that fails, as on a full disk, is an OutputWriteError and leaves the old one as it was)."""
    directory = Path(directory)
    with writing_beside(directory):
        return _write_model(model, directory, taxonomy, extra, weak_labels)


def _write_model(model: TagModel, directory: Path, taxonomy: Taxonomy, extra: dict | None,
                 weak_labels: np.ndarray | None) -> Path:
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.partial-", dir=directory.parent))
    staging.chmod(0o777 & ~current_umask())
    try:
        files = {}
        for name in ARRAYS:
            file_name = f"{name}.npy"
            np.save(staging / file_name, np.asarray(getattr(model, name), dtype=np.float32), allow_pickle=False)
            files[name] = file_name
        if weak_labels is not None:
            np.save(staging / "weak_labels.npy", np.asarray(weak_labels, dtype=np.int8), allow_pickle=False)
            files["weak_labels"] = "weak_labels.npy"
        (staging / "vocabulary.json").write_text(json.dumps(model.vocabulary, ensure_ascii=False), "utf-8")
        files["vocabulary"] = "vocabulary.json"
        if taxonomy.text:
            (staging / TAXONOMY_FILE).write_text(taxonomy.text, "utf-8")
            files["taxonomy"] = TAXONOMY_FILE
        manifest = Manifest.model_validate({
            "format_version": FORMAT_VERSION,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "tags": model.tag_ids,
            "taxonomy_fingerprint": taxonomy.training_fingerprint(),
            "tag_fingerprints": taxonomy.tag_fingerprints(),
            "thresholds": dict(zip(model.tag_ids, map(float, model.thresholds))),
            "vectorizer": model.params,
            "notes": model.notes,
            "packages": package_versions(),
            **(extra or {}),
            "artifacts": {name: {"file": file_name, "sha256": file_sha256(staging / file_name)}
                          for name, file_name in files.items()},
        })
        with open(staging / "manifest.json", "w", encoding="utf-8") as handle:
            handle.write(manifest.json_text())
            handle.flush()
            os.fsync(handle.fileno())
        _swap_in(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return directory


def _swap_in(staging: Path, directory: Path) -> None:
    """Move the finished staging folder into place; the old model survives until then."""
    if directory.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{directory.name}.old-", dir=directory.parent))
        retired.rmdir()
        directory.rename(retired)
        staging.rename(directory)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        staging.rename(directory)


def read_manifest(directory: str | Path) -> Manifest:
    """The model folder's manifest, validated; a ModelError (NoModelError, ModelFormatError) when
    there is none or it cannot be read."""
    directory = Path(directory)
    path = directory / "manifest.json"
    if not path.is_file():
        raise NoModelError(f"{directory}: no trained model here (manifest.json is missing)")
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: manifest is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
        raise ModelFormatError(f"{path}: unsupported model format (expected format_version {FORMAT_VERSION})")
    try:
        return Manifest.model_validate(manifest)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, error['loc']))}: {error['msg']}" for error in exc.errors()[:5])
        raise ModelError(f"{path}: not a valid manifest ({problems})") from None


def verify_model(directory: str | Path, taxonomy: Taxonomy | None = None, allow_stale: bool = False):
    """(manifest, artefact paths) of a model whose files match their checksums and, unless
    allow_stale, whose taxonomy is `taxonomy`; raises ModelError or StaleModelError otherwise."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    if taxonomy is not None:
        check_fresh(manifest, taxonomy, directory, allow_stale)
    return manifest, verified_paths(directory, manifest)


def load_model(directory: str | Path, taxonomy: Taxonomy | None = None, allow_stale: bool = False) -> TagModel:
    """Load a verified model; refuse tampered files and, unless allow_stale, a changed taxonomy."""
    return load_model_and_manifest(directory, taxonomy, allow_stale)[1]


def load_model_and_manifest(directory: str | Path, taxonomy: Taxonomy | None = None,
                            allow_stale: bool = False) -> tuple[Manifest, TagModel]:
    """(manifest, model) of load_model, its files verified once."""
    manifest, paths = verify_model(directory, taxonomy, allow_stale)
    return manifest, _model_from(Path(directory), manifest, paths)


def load_model_and_labels(directory: str | Path) -> tuple[dict, TagModel, dict[str, np.ndarray]]:
    """(manifest, model, weak labels by tag id) of a model folder, its checksums verified once;
    the labels are empty when the model was saved without them. Any taxonomy is accepted."""
    manifest, paths = verify_model(directory)
    return manifest, _model_from(Path(directory), manifest, paths), _weak_labels_from(manifest, paths)


def _model_from(directory: Path, manifest: Manifest, paths: dict[str, Path]) -> TagModel:
    try:
        arrays = {name: np.load(paths[name], allow_pickle=False) for name in ARRAYS}
        vocabulary = json.loads(paths["vocabulary"].read_text("utf-8"))
    except (ValueError, OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"{directory}: cannot read model arrays ({exc})") from None
    tags = manifest.tags
    if arrays["coef"].shape != (len(tags), len(vocabulary)) or arrays["idf"].shape != (len(vocabulary),):
        raise ModelError(f"{directory}: array shapes do not fit {len(tags)} tags and "
                         f"{len(vocabulary)} terms")
    try:
        return TagModel(tag_ids=tags, vocabulary=vocabulary, params=dict(manifest.vectorizer),
                        notes=dict(manifest.notes), **arrays)
    except ValueError as exc:
        raise ModelFormatError(f"{directory}: {exc}") from None


def verified_paths(directory: Path, manifest: Manifest) -> dict[str, Path]:
    """Every artefact's path, after checking that its sha256 matches the manifest."""
    artifacts = manifest.artifacts
    required = set(ARRAYS) | {"vocabulary"}
    if not required <= set(artifacts) <= required | set(OPTIONAL_ARTIFACTS):
        raise ModelError(f"{directory}: manifest lists artefacts {sorted(artifacts)}, expected {sorted(required)}")
    paths = {}
    for name, entry in artifacts.items():
        path = directory / Path(entry.file).name
        if not path.is_file():
            raise ModelError(f"{path}: artefact '{name}' is missing")
        if file_sha256(path) != entry.sha256:
            raise ModelError(f"{path}: sha256 does not match the manifest; the file was changed or "
                             "truncated, refusing to load it")
        paths[name] = path
    return paths


def kept_taxonomy_path(directory: str | Path) -> Path | None:
    """The path of the taxonomy copy the model in `directory` keeps, its sha256 verified, or None
    for a model saved without one."""
    directory = Path(directory)
    entry = read_manifest(directory).artifacts.get("taxonomy")
    if entry is None:
        return None
    path = directory / TAXONOMY_FILE
    if not path.is_file() or file_sha256(path) != entry.sha256:
        raise ModelError(f"{path}: missing, or its sha256 does not match the manifest; refusing to use it")
    return path


def model_taxonomy(directory: str | Path) -> Taxonomy | None:
    """The copy of the taxonomy the model in `directory` was trained with (see kept_taxonomy_path),
    read, or None for a model saved without one."""
    path = kept_taxonomy_path(directory)
    return load_taxonomy(path) if path is not None else None


def _weak_labels_from(manifest: Manifest, paths: dict[str, Path]) -> dict[str, np.ndarray]:
    """The training corpus's weak labels saved with a model, by tag id (empty when not saved)."""
    if "weak_labels" not in paths:
        return {}
    try:
        labels = np.load(paths["weak_labels"], allow_pickle=False)
    except (ValueError, OSError) as exc:
        raise ModelError(f"{paths['weak_labels']}: cannot read the weak labels ({exc})") from None
    return {tag: labels[:, j] for j, tag in enumerate(manifest.tags)}


def changed_tags(manifest: Manifest, taxonomy: Taxonomy) -> dict[str, list[str]]:
    """Tags added, removed or edited since the model was trained."""
    old, new = manifest.tag_fingerprints, taxonomy.tag_fingerprints()
    return {
        "added": [tag for tag in new if tag not in old],
        "removed": [tag for tag in old if tag not in new],
        "edited": [tag for tag in new if tag in old and old[tag] != new[tag]],
    }


def check_fresh(manifest: Manifest, taxonomy: Taxonomy, directory, allow_stale: bool = False) -> None:
    """Raise StaleModelError when the taxonomy changed since training (unless allowed)."""
    if manifest.taxonomy_fingerprint == taxonomy.training_fingerprint():
        return
    changes = changed_tags(manifest, taxonomy)
    described = "; ".join(f"{kind}: {', '.join(tags)}" for kind, tags in changes.items() if tags)
    described = described or "the shared context settings or tag order changed"
    message = f"{directory}: the model was trained with another version of {taxonomy.path} ({described})"
    usable = set(manifest.tags) == set(taxonomy.tag_ids)
    if not allow_stale:
        raise StaleModelError(message, changes, usable)
    if not usable:
        raise StaleModelError(message + "; it cannot be used when tags were added or removed", changes, usable)
