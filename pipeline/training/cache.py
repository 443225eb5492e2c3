"""Caches that make retraining fast, in a folder per training corpus (keyed by its sha256):
each rule's votes, keyed by the rule's fingerprint, so that after a taxonomy edit only the rules
that changed run again; and the training feature matrix, so that only documents whose masked
text changed are transformed again.

Plain arrays only (read with allow_pickle=False); a cache file that cannot be read is ignored
and rebuilt, and files are replaced atomically.
"""

from __future__ import annotations

import ast
import functools
import zipfile
from importlib import metadata
from pathlib import Path

import numpy as np
from scipy import sparse

from ..files import atomic_path
from ..fingerprints import file_sha256, json_sha256, text_sha256
from ..readers import typography
from ..rules.votes import Mention, RuleInfo
from ..taxonomy.schema import Context


def rule_fingerprint(rule: RuleInfo, context: Context) -> str:
    """Changes whenever the rule's matches or votes could change: the rule, the context cues, or
    the code and libraries that match rules (so an upgrade never reuses votes of older code)."""
    payload = [matcher_version(), context.model_dump(mode="json"), rule.rule.model_dump(mode="json")]
    return json_sha256(payload)[:24]


MATCHING_CODE = ("rules.matching",)
"""The module that matches rules; with every taxotag module it imports, its source decides the votes."""
FEATURE_CODE = ("model.tag_model", "model.fitting")
"""The modules that make features and fit the model; with what they import, they decide the features."""
PACKAGE = Path(__file__).resolve().parents[1]


@functools.lru_cache(maxsize=1)
def matcher_version() -> str:
    """A digest of the rule-matching source (source_files(MATCHING_CODE)), of the known words that
    rejoin words broken across lines, and of spaCy's and RE2's versions."""
    return _code_digest(source_files(MATCHING_CODE), ("spacy", "google-re2"), (typography.KNOWN_WORDS,))


@functools.lru_cache(maxsize=1)
def features_version() -> str:
    """A digest of the feature and model source (source_files(FEATURE_CODE)) and of the numeric
    libraries' versions: cached features, and a model kept by `retrain`, are only reused under it."""
    return _code_digest(source_files(FEATURE_CODE), ("scikit-learn", "numpy", "scipy"))


def source_files(modules, package: Path = PACKAGE) -> list[Path]:
    """The source files of these modules of `package` (dotted, from the package: "rules.matching")
    and of every module of it they import, directly or through others, read from their relative
    import statements: code moved to another module stays in the digest as long as it is imported.
    A C extension module's source is its name with .c (pipeline/model/_term_counts.c)."""
    seen: set[Path] = set()
    todo = [package.joinpath(*module.split(".")).with_suffix(".py") for module in modules]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        if path.suffix == ".c":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = path.parents[node.level - 1]
                target = base.joinpath(*node.module.split(".")) if node.module else base
                found = [target.with_suffix(suffix) for suffix in (".py", ".c")] + [
                    target / f"{alias.name}{suffix}" for alias in node.names for suffix in (".py", ".c")]
                todo += [candidate for candidate in found if candidate.is_file()]
    return sorted(seen)


def _code_digest(files, packages, data_files=()) -> str:
    digests = [[str(path.relative_to(PACKAGE)), file_sha256(path)] for path in files]
    digests += [file_sha256(path) for path in data_files]
    return json_sha256([digests, [f"{package} {metadata.version(package)}" for package in packages]])[:16]


def _features_key(vocabulary_sha: str) -> str:
    return f"{vocabulary_sha} {features_version()}"


def _atomic_save(directory: Path, name: str, write) -> None:
    with atomic_path(directory / name, mode="wb") as out:
        write(out)


def mask_key(mentions: list[Mention]) -> str:
    """Identifies the spans masked out of one document's text."""
    spans = ",".join(f"{m.start}:{m.end}" for m in sorted(mentions, key=lambda m: (m.start, m.end)))
    return text_sha256(spans)[:16]


class CorpusCache:
    """Rule votes (one file a rule fingerprint) and the feature matrix of one training corpus."""

    def __init__(self, directory: str | Path, corpus_sha256: str):
        self.directory = Path(directory) / corpus_sha256[:24]

    def load_features(self, vocabulary_sha: str):
        """(features, mask keys per row) cached for this vocabulary and feature code, or None."""
        try:
            with np.load(self.directory / "features-rows.npz", allow_pickle=False) as rows:
                if str(rows["vocabulary"]) != _features_key(vocabulary_sha):
                    return None
                keys = rows["keys"].tolist()
            features = sparse.load_npz(self.directory / "features.npz").tocsr()
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            return None
        return (features, keys) if features.shape[0] == len(keys) else None

    def save_features(self, features, keys: list[str], vocabulary_sha: str) -> None:
        _atomic_save(self.directory, "features.npz", lambda out: sparse.save_npz(out, features.tocsr(), compressed=False))
        _atomic_save(self.directory, "features-rows.npz",
                     lambda out: np.savez(out, keys=np.array(keys, dtype=str), vocabulary=np.array(_features_key(vocabulary_sha))))

    def _path(self, fingerprint: str) -> Path:
        return self.directory / f"rule-{fingerprint}.npz"

    def load_votes(self, fingerprint: str, rule_index: int, texts: list[str]):
        """(votes column, mentions per document) or None when not cached or unreadable."""
        path = self._path(fingerprint)
        if not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                column, doc, start, end = data["column"], data["doc"], data["start"], data["end"]
                flags, passing = data["flags"], data["passing"]
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            return None
        if len(column) != len(texts):
            return None
        mentions: list[list[Mention]] = [[] for _ in texts]
        for d, s, e, f, p in zip(doc.tolist(), start.tolist(), end.tolist(), flags.tolist(), passing.tolist()):
            mentions[d].append(Mention(rule=rule_index, start=s, end=e, text=texts[d][s:e],
                                       in_title=bool(f & 1), in_claim=bool(f & 2), passing=p or None))
        return column, mentions

    def save_votes(self, fingerprint: str, column: np.ndarray, rows: list[tuple[int, Mention]]) -> None:
        """Store one rule's votes and its mentions, as (document row, mention) pairs."""
        _atomic_save(self.directory, self._path(fingerprint).name, lambda out: np.savez(
            out, column=column.astype(np.int8),
            doc=np.array([d for d, _ in rows], dtype=np.int32),
            start=np.array([m.start for _, m in rows], dtype=np.int32),
            end=np.array([m.end for _, m in rows], dtype=np.int32),
            flags=np.array([int(m.in_title) | 2 * int(m.in_claim) for _, m in rows], dtype=np.uint8),
            passing=np.array([m.passing or "" for _, m in rows], dtype=str)))
