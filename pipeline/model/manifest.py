"""The manifest of a saved model (manifest.json), as a typed model that is validated on load:
what the model was trained with and on, its figures, and the sha256 of every artefact file."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..fingerprints import json_sha256

FORMAT_VERSION = 2


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Artifact(_Record):
    """One file of the model folder and its sha256."""

    file: str
    sha256: str


class CorpusRecord(_Record):
    """The training corpus: the path given, the absolute path it had, how it was read, its sha256
    (of the file and of how it was read), its size and the weak positives of each tag."""

    path: str | None = None
    resolved: str | None = None
    columns: dict[str, str] | None = None
    encoding: str | None = None
    sha256: str = ""
    documents: int = 0
    weak_positives: dict[str, int] = Field(default_factory=dict)


class FittedGoldFile(_Record):
    path: str
    sha256: str
    documents: int


class FittedGold(_Record):
    """The gold files the model was also fitted on (`train --fit-gold`) and their weight."""

    weight: float
    files: list[FittedGoldFile]


Metrics = dict[str, dict[str, dict[str, float | None]]]
"""{gold path: {tag: {precision, recall, f1}}} of the combined system (None: not defined)."""


class Manifest(_Record):
    format_version: Literal[2] = FORMAT_VERSION
    created: str
    tags: list[str]
    taxonomy_fingerprint: str
    tag_fingerprints: dict[str, str]
    thresholds: dict[str, float]
    vectorizer: dict[str, object]
    notes: dict[str, str] = Field(default_factory=dict)
    packages: dict[str, str] = Field(default_factory=dict)
    features_version: str | None = None
    corpus: CorpusRecord = Field(default_factory=CorpusRecord)
    metrics: Metrics = Field(default_factory=dict)
    fit_gold: FittedGold | None = None
    artifacts: dict[str, Artifact]

    def json_text(self) -> str:
        """The manifest.json text (fields not set are left out)."""
        return self.model_dump_json(indent=2, exclude_none=True)


def model_fingerprint(manifest: Manifest) -> str:
    """A short id of a trained model: the hash of its artefacts' hashes."""
    return json_sha256(sorted(entry.sha256 for entry in manifest.artifacts.values()))[:12]
