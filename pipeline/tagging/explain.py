"""A readable account of why one paper got its tags: each rule mention, model score and decision."""

from __future__ import annotations

from .tagger import Tagger


def explain_text(tagger: Tagger, predictions, record) -> str:
    """A readable account of one paper's rule mentions, model scores and tags."""
    votes, tag_ids = predictions.votes, tagger.taxonomy.tag_ids
    lines = [f"{record['id']}: {record['title']}",
             f"tags: {';'.join(t for t, on in zip(tag_ids, predictions.combined[0]) if on) or '(none)'}", ""]
    for j, (tag_id, reason) in enumerate(zip(tag_ids, tagger.decisions(predictions, 0))):
        state = "GIVEN" if predictions.combined[0, j] else "not given"
        lines.append(f"{tag_id}: {state} (score {predictions.scores[0, j]:.3f}): {reason}")
        for mention in votes.tag_mentions(0, tag_id):
            lines.append(f"    rule {votes.rules[mention.rule].id}: {mention.describe()}")
        terms = tagger.model.top_features(predictions.features, 0, j, 5)
        if terms:
            lines.append(f"    model terms: {', '.join(terms)}")
    return "\n".join(lines)
