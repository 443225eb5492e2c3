"""Label a corpus with the rules (reusing cached votes of unchanged rules) and fit the model on
those weak labels, fully or, after a taxonomy edit, only for the tags whose labels changed."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from tqdm import tqdm

from .cache import CorpusCache, mask_key, rule_fingerprint
from .corpus import ReadReport, read_documents
from .errors import InputFileError
from .fingerprints import file_sha256, json_sha256
from .evaluation import UNLABELLED, load_gold, unlabelled_counts
from .options import GOLD_WEIGHT
from .model import TagModel, fit_model, mask_mentions, refit_model
from .rules import Mention, RuleSet, RuleVotes, document_text, rule_infos
from .taxonomy import Taxonomy
from .weak_labels import weak_labels

DEFAULT_CACHE = "models/.cache"
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class CorpusFile:
    """A corpus file and how to read it: `columns` names its own id, title and abstract columns
    and `encoding` its text encoding (see corpus.read_documents)."""

    path: str | Path
    columns: dict[str, str] | None = None
    encoding: str | None = None

    def sha256(self) -> str:
        """The file's sha256; read with other column names or another encoding, a digest of that
        and them, since the documents, their labels and the cached votes depend on all three."""
        digest = file_sha256(self.path)
        if not self.columns and not self.encoding:
            return digest
        return json_sha256([digest, {"columns": self.columns or {}, "encoding": self.encoding}])

    def describe(self) -> dict:
        """How the manifest records it."""
        options = {"columns": self.columns, "encoding": self.encoding}
        return {"path": str(self.path), "resolved": str(Path(self.path).resolve()),
                **{name: value for name, value in options.items() if value}}


def corpus_file(corpus: CorpusFile | str | Path) -> CorpusFile:
    """`corpus` as a CorpusFile (a plain path is read with the standard columns, as UTF-8)."""
    return corpus if isinstance(corpus, CorpusFile) else CorpusFile(corpus)


@dataclass
class LabelledCorpus:
    """A corpus with its rule votes and weak labels (rows aligned)."""

    documents: pd.DataFrame
    votes: RuleVotes
    labels: np.ndarray
    report: ReadReport
    sha256: str
    rules_run: int

    def positives(self, tag_ids: list[str]) -> dict[str, int]:
        """Weak-label counts per tag."""
        return dict(zip(tag_ids, map(int, self.labels.sum(axis=0))))

    def texts(self) -> list[str]:
        return corpus_texts(self.documents)

    def masked_texts(self, rows=None) -> list[str]:
        texts = self.texts()
        rows = range(len(texts)) if rows is None else rows
        return [mask_mentions(texts[i], self.votes.mentions[i]) for i in rows]

    def mask_keys(self) -> list[str]:
        return [mask_key(mentions) for mentions in self.votes.mentions]


def corpus_texts(documents: pd.DataFrame) -> list[str]:
    """The text rules and model see for each document."""
    return [document_text(t, a) for t, a in zip(documents["title"], documents["abstract"])]


def read_corpus(corpus: CorpusFile | str | Path, report: ReadReport) -> pd.DataFrame:
    """The corpus's documents (read_documents raises an InputFileError when none can be read)."""
    corpus = corpus_file(corpus)
    frames = [frame[["id", "title", "abstract"]] for frame in read_documents(
        corpus.path, CHUNK_SIZE, report, columns=corpus.columns, encoding=corpus.encoding)]
    return pd.concat(frames, ignore_index=True)


def label_corpus(taxonomy: Taxonomy, corpus: CorpusFile | str | Path, cache_dir: str | Path | None = None,
                 progress: bool | None = None) -> LabelledCorpus:
    """Read a corpus and vote with every rule; rules whose votes are cached are not run again."""
    corpus = corpus_file(corpus)
    report = ReadReport()
    documents = read_corpus(corpus, report)
    digest = corpus.sha256()
    texts = corpus_texts(documents)
    infos = rule_infos(taxonomy)
    cache = CorpusCache(cache_dir, digest) if cache_dir else None
    fingerprints = [rule_fingerprint(info, taxonomy.context) for info in infos]
    matrix = np.full((len(documents), len(infos)), -1, dtype=np.int8)
    mentions: list[list[Mention]] = [[] for _ in texts]
    missing = []
    for index, fingerprint in enumerate(fingerprints):
        cached = cache.load_votes(fingerprint, index, texts) if cache else None
        if cached is None:
            missing.append(index)
            continue
        matrix[:, index] = cached[0]
        for row, found in enumerate(cached[1]):
            mentions[row].extend(found)
    if missing:
        _run_rules(taxonomy, documents, infos, missing, matrix, mentions, cache, fingerprints, progress)
    for found in mentions:
        found.sort(key=lambda m: (m.start, m.rule))
    votes = RuleVotes(rules=infos, matrix=matrix, mentions=mentions)
    return LabelledCorpus(documents=documents, votes=votes, labels=weak_labels(taxonomy, votes),
                          report=report, sha256=digest, rules_run=len(missing))


def _run_rules(taxonomy, documents, infos, missing, matrix, mentions, cache, fingerprints, progress) -> None:
    """Vote with the rules at `missing` (indices into infos) and store their votes in the cache."""
    ruleset = RuleSet(taxonomy, only={infos[i].id for i in missing})
    renumber = missing != list(range(len(infos)))  # the ruleset numbers its rules 0, 1, ...
    by_rule: dict[int, list[tuple[int, Mention]]] = {index: [] for index in missing}
    bar = tqdm(total=len(documents), desc=f"labelling ({len(missing)} rules)", unit=" abstracts",
               disable=None if progress is None else not progress)
    for start in range(0, len(documents), CHUNK_SIZE):
        chunk = documents.iloc[start:start + CHUNK_SIZE]
        votes = ruleset.apply(chunk["title"].tolist(), chunk["abstract"].tolist())
        matrix[start:start + len(chunk), missing] = votes.matrix
        for row, found in enumerate(votes.mentions, start=start):
            for mention in found:
                if renumber:
                    mention = dataclasses.replace(mention, rule=missing[mention.rule])
                mentions[row].append(mention)
                by_rule[mention.rule].append((row, mention))
        bar.update(len(chunk))
    bar.close()
    if cache is not None:
        for index in missing:
            cache.save_votes(fingerprints[index], matrix[:, index], by_rule[index])


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
