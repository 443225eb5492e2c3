"""Analyse rules: coverage, passing, overlap and conflict on a corpus, and empirical precision
(with its Wilson interval) on gold."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..readers.gold import load_gold
from ..rules.matching import RuleSet
from ..rules.votes import FIRED, PASSING, RuleVotes
from ..taxonomy.schema import Taxonomy
from .metrics import wilson_interval


def rule_summary(votes: RuleVotes, gold: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row a rule: coverage, overlaps, conflicts and, with gold labels, empirical precision.

    coverage: share of documents where the rule fired; passing: share where it matched only as a
    passing mention; overlaps: share where it fired together with another rule; conflicts: share
    where it fired and another rule fired for a different tag; sole_voter: how many documents it
    is the only rule of its tag to fire in. With `gold` (a documents x tags
    0/1 frame aligned with the votes): correct and incorrect firings against the rule's own tag,
    and the empirical precision with its 95% Wilson interval.
    """
    fired = votes.matrix == FIRED
    n_docs = max(len(votes), 1)
    fired_count = fired.sum(axis=1)
    tags = np.array([info.tag for info in votes.rules])
    rows = []
    for r, info in enumerate(votes.rules):
        mine = fired[:, r]
        others_same_tag = fired[:, tags == info.tag].sum(axis=1) - mine
        other_tags = fired[:, tags != info.tag].any(axis=1)
        row = {
            "rule": info.id,
            "tag": info.tag,
            "kind": info.rule.kind,
            "coverage": mine.sum() / n_docs,
            "passing": (votes.matrix[:, r] == PASSING).sum() / n_docs,
            "overlaps": (mine & (fired_count > 1)).sum() / n_docs,
            "conflicts": (mine & other_tags).sum() / n_docs,
            "sole_voter": (mine & (others_same_tag == 0)).sum(),
        }
        if gold is not None and info.tag in gold.columns:
            labels = gold[info.tag].to_numpy()
            truth, labelled = labels == 1, labels >= 0  # (a blank cell, -1, is not labelled yet)
            correct, incorrect = int((mine & truth).sum()), int((mine & ~truth & labelled).sum())
            low, high = wilson_interval(correct, correct + incorrect)
            precision = correct / (correct + incorrect) if correct + incorrect else math.nan
            row.update(correct=correct, incorrect=incorrect, precision=precision,
                       precision_low=low, precision_high=high)
        rows.append(row)
    return pd.DataFrame(rows)


def rule_table(taxonomy: Taxonomy, corpus_votes: RuleVotes, gold_paths=()) -> pd.DataFrame:
    """One row a rule: coverage, passing, overlaps, conflicts on the corpus; with gold files,
    correct / incorrect / empirical precision on all of them together."""
    table = rule_summary(corpus_votes)
    if gold_paths:
        votes, gold = gold_votes(taxonomy, gold_paths)
        on_gold = rule_summary(votes, gold)
        columns = [c for c in ("correct", "incorrect", "precision", "precision_low", "precision_high") if c in on_gold]
        table = table.merge(on_gold[["rule", *columns]], on="rule", how="left")
    return table


def gold_votes(taxonomy: Taxonomy, gold_paths) -> tuple[RuleVotes, pd.DataFrame]:
    """The rules' votes on the gold files and the gold labels, files joined (a tag column one file
    lacks is 0 for its rows)."""
    gold = pd.concat([load_gold(path, taxonomy.tag_ids)[0] for path in gold_paths], ignore_index=True).fillna(0)
    return RuleSet(taxonomy).apply(gold["title"].tolist(), gold["abstract"].tolist()), gold


RULES_LEGEND = """
coverage: share of corpus abstracts where the rule fired; passing: where it matched but did not fire
(a passing mention, or not where / as often as the rule asks); overlaps: where it fired with another
rule; conflicts: where it fired and a rule of another tag fired too; sole_voter: abstracts where it
is the only rule of its tag that fired (a count; with a weight below the tag's min_score, a rule
firing alone gives no tag)."""


RULES_GOLD_LEGEND = """
correct / incorrect: gold abstracts where it fired and the gold label of its tag is 1 / 0;
precision: correct / (correct + incorrect), with its 95% Wilson interval."""


def rules_text(table) -> str:
    shown = table.copy()
    for column in ("coverage", "passing", "overlaps", "conflicts"):
        shown[column] = (shown[column] * 100).map(lambda v: f"{v:.2f}%")
    if "precision" in shown:
        shown["precision"] = [
            "n/a" if math.isnan(p) else f"{p:.2f} [{lo:.2f}, {hi:.2f}]"
            for p, lo, hi in zip(shown["precision"], shown["precision_low"], shown["precision_high"])
        ]
        shown = shown.drop(columns=["precision_low", "precision_high"])
        for column in ("correct", "incorrect"):
            shown[column] = shown[column].astype("Int64")
    return shown.to_string(index=False)
