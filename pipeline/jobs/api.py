"""Training and evaluation for Python callers: the jobs behind `taxotag train` and `taxotag
evaluate`, taking a DataFrame as well as a file, and returning values instead of printing."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from ..evaluation.gold_runs import evaluate_gold
from ..files import write_text
from ..options import DEFAULT_MODEL, DEFAULT_TAXONOMY, GOLD_WEIGHT
from ..readers.documents import documents_from_frame
from ..tagging.tagger import Tagger
from ..taxonomy.loading import load_taxonomy
from ..taxonomy.schema import Taxonomy
from ..training.corpus import CorpusFile
from ..writers.rows import write_jsonl_text
from .training import Training
from .training import train as train_job


def train(corpus: pd.DataFrame | str | Path | CorpusFile, taxonomy: Taxonomy | str | Path = DEFAULT_TAXONOMY,
          model: str | Path = DEFAULT_MODEL, gold=(), fit_gold=(), gold_weight: float = GOLD_WEIGHT,
          progress: bool = False) -> Training:
    """Label `corpus` (a DataFrame, or a file in any format `tag` reads) with the taxonomy's rules,
    fit the model on those labels (and on the `fit_gold` files, weighted `gold_weight`), evaluate
    it on the `gold` files and save it, with a copy of the taxonomy, to the `model` folder. A
    DataFrame's columns are read as Tagger.tag reads them; the saved model then records no corpus
    file, so `taxotag retrain` needs --corpus for it."""
    taxonomy = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    if not isinstance(corpus, pd.DataFrame):
        return train_job(taxonomy, corpus, model, list(gold), progress=progress, fit_gold=list(fit_gold),
                         gold_weight=gold_weight)
    with tempfile.TemporaryDirectory(prefix="taxotag-corpus-") as folder:
        path = Path(folder) / "dataframe.jsonl"
        write_text(path, write_jsonl_text(documents_from_frame(corpus)))
        return train_job(taxonomy, path, model, list(gold), progress=progress, fit_gold=list(fit_gold),
                         gold_weight=gold_weight)


def evaluate(gold: str | Path, model: str | Path = DEFAULT_MODEL, taxonomy: Taxonomy | str | Path | None = None,
             allow_stale: bool = False) -> pd.DataFrame:
    """Per-tag precision, recall, F1 and support (with tp, fp, fn) of the rules, the model and
    both combined on a gold CSV (id, title, abstract, a 0/1 column per tag): one row per tag and
    system, and a `macro` row per system. The taxonomy is the one the model folder keeps unless
    named."""
    tagger = Tagger.load(model, taxonomy, allow_stale=allow_stale)
    return evaluate_gold(tagger.taxonomy, tagger.model, gold).results
