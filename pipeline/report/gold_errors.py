"""The gold papers the combined system gets wrong, for `evaluate --show-errors` and the report."""

from __future__ import annotations

import numpy as np

from ..display import short_title
from ..readers.gold import UNLABELLED


def gold_errors(evaluation, tagger, tag: str) -> list[dict]:
    """The combined system's false positives, then false negatives, on one tag of a gold set: id,
    title, the model's probability, who gave the tag (rules or model), the decision in words (as
    `explain` gives it: for a false negative, how near the rules and model came, or what held the
    tag back) and the tag's rule mentions."""
    j = tagger.taxonomy.tag_ids.index(tag)
    predictions = evaluation.predictions
    labels = evaluation.gold[tag].to_numpy()
    truth, labelled = labels == 1, labels != UNLABELLED
    given = predictions.combined[:, j].astype(bool)
    rows = []
    for kind, found in (("false positive", given & ~truth & labelled), ("false negative", ~given & truth)):
        for i in np.flatnonzero(found):
            record = evaluation.gold.iloc[i]
            rows.append({"kind": kind, "gold": evaluation.path, "id": record["id"], "title": record["title"],
                         "model": float(predictions.probabilities[i, j]),
                         "given by": _given_by(predictions, tagger, i, j) if kind == "false positive" else "",
                         "decision": tagger.decisions(predictions, i)[j],
                         "mentions": predictions.votes.describe(predictions.votes.tag_mentions(i, tag), 4)
                                     or "no rule matched"})
    return rows


def _given_by(predictions, tagger, i: int, j: int) -> str:
    """Who gave document i tag j: `rules`, the `model`, or `implied` by another tag or a parent."""
    if predictions.rules[i, j]:
        return "rules"
    return "model" if predictions.probabilities[i, j] >= tagger.thresholds[j] else "implied"


def errors_text(evaluation, tagger) -> str:
    """gold_errors of every tag of a gold set as plain text."""
    lines = []
    for tag in tagger.taxonomy.tag_ids:
        if tag not in evaluation.gold.columns:
            continue
        rows = gold_errors(evaluation, tagger, tag)
        positives = sum(row["kind"] == "false positive" for row in rows)
        lines.append(f"{tag}: {positives} false positive(s), {len(rows) - positives} false negative(s)")
        for row in rows:
            by = f", given by {row['given by']}" if row["given by"] else ""
            lines.append(f"  {'FP' if row['kind'] == 'false positive' else 'FN'} {row['id']}  "
                         f"{short_title(row['title'])}  (model {row['model']:.2f}{by})")
            lines.append(f"       {row['mentions']}")
            if row["kind"] == "false negative":
                lines.append(f"       not given: {row['decision']}")
    return "\n".join(lines)
