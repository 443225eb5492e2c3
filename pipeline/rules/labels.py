"""Rule votes -> labels per tag: rule scores, exclusions, implications and parents."""

from __future__ import annotations

import numpy as np

from ..taxonomy.schema import Taxonomy
from .votes import FIRED, RuleVotes


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
