"""Label a corpus with the rules and train the model on those weak labels."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from pipeline.artifacts import save_model, sha256_file
from pipeline.corpus import ReadReport, read_documents
from pipeline.errors import InputFileError
from pipeline.model import TagModel, fit_model, mask_mentions
from pipeline.rules import RuleSet, RuleVotes, document_text
from pipeline.taxonomy import Taxonomy
from pipeline.weak_labels import weak_labels


@dataclass
class LabelledCorpus:
    """A corpus with its rule votes and weak labels (rows aligned)."""

    documents: pd.DataFrame
    votes: RuleVotes
    labels: np.ndarray
    report: ReadReport

    def masked_texts(self) -> list[str]:
        return [mask_mentions(document_text(title, abstract), mentions) for title, abstract, mentions
                in zip(self.documents["title"], self.documents["abstract"], self.votes.mentions)]


def label_corpus(taxonomy: Taxonomy, path: str | Path, chunk_size: int = 2000,
                 progress: bool | None = None) -> LabelledCorpus:
    """Read a corpus file and apply the taxonomy's rules to every document."""
    ruleset = RuleSet(taxonomy)
    report = ReadReport()
    frames, matrices, mentions = [], [], []
    bar = tqdm(desc="labelling corpus", unit=" abstracts", disable=_quiet(progress))
    for frame in read_documents(path, chunk_size=chunk_size, report=report):
        votes = ruleset.apply(frame["title"].tolist(), frame["abstract"].tolist())
        frames.append(frame[["id", "title", "abstract"]])
        matrices.append(votes.matrix)
        mentions.extend(votes.mentions)
        bar.update(len(frame))
    bar.close()
    if not frames:
        raise InputFileError(f"{path}: no usable records to train on")
    votes = RuleVotes(rules=list(ruleset.rules), matrix=np.vstack(matrices), mentions=mentions)
    return LabelledCorpus(documents=pd.concat(frames, ignore_index=True), votes=votes,
                          labels=weak_labels(taxonomy, votes), report=report)


def train_model(taxonomy: Taxonomy, corpus: LabelledCorpus) -> TagModel:
    return fit_model(corpus.masked_texts(), corpus.labels, taxonomy.tag_ids)


def train_and_save(taxonomy: Taxonomy, corpus_path: str | Path, model_dir: str | Path,
                   progress: bool | None = None) -> tuple[TagModel, LabelledCorpus]:
    """Label the corpus, fit the model and save it with its manifest."""
    corpus = label_corpus(taxonomy, corpus_path, progress=progress)
    model = train_model(taxonomy, corpus)
    positives = dict(zip(taxonomy.tag_ids, map(int, corpus.labels.sum(axis=0))))
    save_model(model, model_dir, taxonomy, extra={
        "corpus": {"path": str(corpus_path), "sha256": sha256_file(corpus_path),
                   "documents": len(corpus.documents), "weak_positives": positives},
    })
    return model, corpus


def _quiet(progress: bool | None) -> bool | None:
    """tqdm's `disable`: None shows a bar only on a terminal."""
    return None if progress is None else not progress
