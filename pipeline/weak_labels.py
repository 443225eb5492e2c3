"""Turn rule votes into weak labels per tag, and analyse rules (coverage, overlap, conflict, precision)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .rules import ABSTAIN, FIRED, PASSING, RuleVotes
from .taxonomy import Taxonomy


def rule_scores(taxonomy: Taxonomy, votes: RuleVotes) -> np.ndarray:
    """Documents x tags: summed weights of the fired rules that vote for each tag."""
    column = taxonomy.column
    scores = np.zeros((len(votes), len(column)), dtype=np.float32)
    fired = votes.matrix == FIRED
    for r, info in enumerate(votes.rules):
        for tag_id in info.voted_tags:
            scores[:, column[tag_id]] += fired[:, r] * info.rule.weight
    return scores


def weak_labels(taxonomy: Taxonomy, votes: RuleVotes) -> np.ndarray:
    """Documents x tags, 0/1: the rules' verdict after exclusions, implications and parents."""
    return resolve_labels(taxonomy, votes).astype(np.int8)


def direct_labels(taxonomy: Taxonomy, scores: np.ndarray) -> np.ndarray:
    """Documents x tags: the rule score (rule_scores) reaches the tag's min_score."""
    return scores >= np.array([tag.min_score for tag in taxonomy.tags], dtype=np.float32)


def resolve_labels(taxonomy: Taxonomy, votes: RuleVotes, direct: np.ndarray | None = None,
                   also_positive: np.ndarray | None = None) -> np.ndarray:
    """Documents x tags booleans from rule scores (and, optionally, other positives such as the model's).

    Order: a tag is positive when its rule score reaches the tag's min_score (`direct`, computed
    from the votes when not given) or `also_positive` says so; then every tag that a fired rule or
    a positive tag excludes is cleared; then implied tags and parents are added. Tag-level
    exclusions follow the rules' own verdict only.
    """
    column = taxonomy.column
    if direct is None:
        direct = direct_labels(taxonomy, rule_scores(taxonomy, votes))
    labels = direct | also_positive.astype(bool) if also_positive is not None else direct.copy()
    vetoed = np.zeros_like(labels)
    for tag_id, _, where in exclusions(taxonomy, votes, direct):
        vetoed[:, column[tag_id]] |= where
    labels &= ~vetoed
    return close_labels(taxonomy, labels)


def exclusions(taxonomy: Taxonomy, votes: RuleVotes, direct: np.ndarray):
    """(excluded tag, what excludes it, the documents where it does) for every exclusion: a fired
    rule with `excludes` ("rule self_training"), or a tag that its rules gave (`direct`,
    documents x tags) with `excludes` ("tag weak_to_strong")."""
    column = taxonomy.column
    fired = votes.matrix == FIRED
    for r, info in enumerate(votes.rules):
        for tag_id in info.rule.excludes:
            yield tag_id, f"rule {info.id}", fired[:, r]
    for tag in taxonomy.tags:
        for tag_id in tag.excludes:
            yield tag_id, f"tag {tag.id}", direct[:, column[tag.id]]


def vetoes(taxonomy: Taxonomy, votes: RuleVotes, direct: np.ndarray, row: int) -> dict[str, list[str]]:
    """{tag id: what excludes it in one document}, as resolve_labels applies it (see exclusions)."""
    found = {tag_id: [] for tag_id in taxonomy.tag_ids}
    for tag_id, name, where in exclusions(taxonomy, votes, direct):
        if where[row]:
            found[tag_id].append(name)
    return found


def close_labels(taxonomy: Taxonomy, labels: np.ndarray) -> np.ndarray:
    """Add implied tags and ancestors to a documents x tags boolean matrix."""
    column = taxonomy.column
    labels = labels.astype(bool).copy()
    for _ in range(len(column)):  # enough passes for the longest chain
        before = labels.copy()
        for tag in taxonomy.tags:
            for target in [*tag.implies, *taxonomy.ancestors(tag.id)]:
                labels[:, column[target]] |= labels[:, column[tag.id]]
        if (labels == before).all():
            break
    return labels


def wilson_interval(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval for a proportion; (nan, nan) when total is 0."""
    if total == 0:
        return (math.nan, math.nan)
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


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

