"""Fit the model on a labelled corpus: every tag, only the tags an edit changed (reusing cached
features), or with hand-labelled gold too, scored out-of-fold."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from ..errors import InputFileError
from ..fingerprints import file_sha256
from ..model.fitting import fit_model, refit_model
from ..model.tag_model import TagModel, mask_mentions
from ..options import GOLD_WEIGHT
from ..readers.gold import UNLABELLED, load_gold, unlabelled_counts
from ..rules.matching import RuleSet
from ..taxonomy.schema import Taxonomy
from .cache import CorpusCache
from .corpus import LabelledCorpus, corpus_texts


def fit_full(taxonomy: Taxonomy, corpus: LabelledCorpus, cache_dir: str | Path | None = None) -> TagModel:
    """A new vocabulary and a classifier for every tag."""
    model, features = fit_model(corpus.masked_texts(), corpus.labels, taxonomy.tag_ids)
    if cache_dir:
        CorpusCache(cache_dir, corpus.sha256).save_features(features, corpus.mask_keys(), model.vocabulary_sha())
    return model


def fit_incremental(taxonomy: Taxonomy, corpus: LabelledCorpus, old: TagModel, old_labels: dict,
                    cache_dir: str | Path) -> tuple[TagModel, list[str]]:
    """Keep the old vocabulary; refit only tags that are new or whose weak labels changed.

    Features come from the cache; documents whose masked spans changed are transformed again.
    Returns the model and the refitted tags.
    """
    cache = CorpusCache(cache_dir, corpus.sha256)
    keys = corpus.mask_keys()
    cached = cache.load_features(old.vocabulary_sha())
    if cached is None:
        features = old.transform(corpus.masked_texts())
    else:
        features, old_keys = cached
        changed = [row for row, (new, before) in enumerate(zip(keys, old_keys)) if new != before]
        if changed:
            features = features.tolil()
            features[changed] = old.transform(corpus.masked_texts(changed))
            features = features.tocsr()
    refit = [tag for j, tag in enumerate(taxonomy.tag_ids)
             if tag not in old_labels or not np.array_equal(old_labels[tag], corpus.labels[:, j])]
    model = refit_model(old, features, corpus.labels, taxonomy.tag_ids, set(refit))
    cache.save_features(features, keys, model.vocabulary_sha())
    return model, refit


GOLD_FOLDS = 5
"""Gold the model is fitted on is scored out-of-fold: each abstract by a fit without its fifth."""


@dataclass
class FittedGold:
    """Hand-labelled abstracts the model is fitted on as well as the weak labels (rows pooled over files)."""

    paths: list[str]
    sha256: list[str]
    documents: pd.DataFrame  # id, title, abstract, and `path`: the file each row comes from
    labels: np.ndarray  # documents x tags, 0/1
    masked_texts: list[str]

    def describe(self, weight: float) -> dict:
        """How the manifest records it."""
        rows = self.documents["path"]
        return {"weight": weight, "files": [{"path": path, "sha256": digest, "documents": int((rows == path).sum())}
                                            for path, digest in zip(self.paths, self.sha256)]}


def read_fitted_gold(taxonomy: Taxonomy, paths) -> FittedGold:
    """The gold files to fit on; each needs a 0/1 column for every tag of the taxonomy."""
    frames, labels = [], []
    for path in paths:
        gold, shared, _ = load_gold(path, taxonomy.tag_ids)
        missing = [tag for tag in taxonomy.tag_ids if tag not in shared]
        if missing:
            raise InputFileError(f"{path}: no column for tag {missing[0]!r}; gold that the model is fitted on "
                                 f"needs a 0/1 column for every tag ({', '.join(taxonomy.tag_ids)})")
        blank = unlabelled_counts(gold, taxonomy.tag_ids)
        if blank:
            tag = next(iter(blank))
            row = int(np.flatnonzero(gold[tag].to_numpy() == UNLABELLED)[0])
            raise InputFileError(f"{path}: row {row + 1}, id {gold['id'].iloc[row]!r}, column {tag!r} is blank; gold "
                                 "that the model is fitted on needs a 0/1 label in every cell")
        frames.append(gold[["id", "title", "abstract"]].assign(path=str(path)))
        labels.append(gold[taxonomy.tag_ids].to_numpy().astype(np.int8))
    documents = pd.concat(frames, ignore_index=True)
    votes = RuleSet(taxonomy).apply(documents["title"].tolist(), documents["abstract"].tolist())
    masked = [mask_mentions(text, found) for text, found in zip(corpus_texts(documents), votes.mentions)]
    return FittedGold([str(path) for path in paths], [file_sha256(path) for path in paths], documents,
                      np.vstack(labels), masked)


def fit_with_gold(taxonomy: Taxonomy, corpus: LabelledCorpus, model: TagModel, gold: FittedGold,
                  weight: float = GOLD_WEIGHT, out_of_fold: bool = False) -> tuple[TagModel, np.ndarray | None]:
    """Refit every tag's classifier on the weak labels plus the gold labels (weighted `weight`), on
    the vocabulary of `model`. With `out_of_fold`, also the gold rows x tags probabilities, each
    row's from a fit without its fold (GOLD_FOLDS folds), so that no gold figure is in-sample."""
    corpus_features = model.transform(corpus.masked_texts())  # (once: every fold shares the vocabulary)
    gold_features = model.transform(gold.masked_texts)

    def refit(keep: np.ndarray) -> TagModel:
        features = sparse.vstack([corpus_features, gold_features[keep]]).tocsr()
        labels = np.vstack([corpus.labels, gold.labels[keep]])
        weights = np.concatenate([np.ones(len(corpus.labels)), np.full(int(keep.sum()), weight)])
        return refit_model(model, features, labels, taxonomy.tag_ids, set(taxonomy.tag_ids), weights=weights)

    probabilities = None
    if out_of_fold:
        fold = np.random.default_rng(0).permutation(len(gold.labels)) % GOLD_FOLDS
        probabilities = np.zeros(gold.labels.shape, dtype=np.float64)
        for k in range(GOLD_FOLDS):
            held_out = fold == k
            probabilities[held_out] = refit(~held_out).predict_proba(gold_features[held_out])
    return refit(np.ones(len(gold.labels), bool)), probabilities
