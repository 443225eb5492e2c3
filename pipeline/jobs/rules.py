"""The `rules` job: each rule's figures on a corpus (and gold), or examples of one rule."""

from __future__ import annotations

import pandas as pd

from ..evaluation.rule_table import gold_votes, rule_table
from ..rules.examples import rule_examples, rule_index
from ..rules.votes import rule_infos
from ..taxonomy.schema import Taxonomy
from ..training.corpus import DEFAULT_CACHE, label_corpus


def rule_analysis(taxonomy: Taxonomy, corpus_path, gold_paths=(), cache_dir=DEFAULT_CACHE,
                  progress: bool | None = None) -> pd.DataFrame:
    """rule_table for a corpus file (its votes from the cache where they are there)."""
    corpus = label_corpus(taxonomy, corpus_path, cache_dir=cache_dir, progress=progress)
    return rule_table(taxonomy, corpus.votes, gold_paths)


def show_rule(taxonomy: Taxonomy, corpus_path, rule_id: str, count: int = 5, gold_path=None,
              cache_dir=DEFAULT_CACHE, progress: bool | None = None) -> str:
    """rule_examples of one rule on a corpus file and, with `gold_path`, its wrong firings there."""
    rule_index([info.id for info in rule_infos(taxonomy)], rule_id)  # an unknown rule fails before any work
    corpus = label_corpus(taxonomy, corpus_path, cache_dir=cache_dir, progress=progress)
    gold = gold_votes(taxonomy, [gold_path]) if gold_path else None
    return rule_examples(corpus.votes, corpus.documents, rule_id, count, gold)
