"""The training corpus labelled by the rules: read once, each rule's votes from the cache when its
fingerprint is there, weak labels resolved."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from ..fingerprints import file_sha256, json_sha256
from ..model.tag_model import mask_mentions
from ..readers.documents import read_documents
from ..readers.records import ReadReport
from ..rules.labels import weak_labels
from ..rules.matching import RuleSet
from ..rules.votes import Mention, RuleVotes, document_text, rule_infos
from ..taxonomy.schema import Taxonomy
from .cache import CorpusCache, mask_key, rule_fingerprint

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
