"""A sample of a corpus to hand-label as a gold set, stratified as the arXiv gold set is: for each
tag, documents the combined system gives it, documents that mention it without getting it (a
passing mention, a context rule alone), and documents where only the model says yes; plus
documents drawn at random. Each stratum is a reservoir sample, so a corpus of any size streams
through in bounded memory, and the same seed draws the same sample.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..options import REQUIRED_COLUMNS
from ..tagging.tagger import Tagger

STRATA = ("given", "mentioned, not given", "model only")
"""Per tag: the combined system gives it; one of its rules matched, but it is not given; the
model's probability reaches the threshold where the rules do not give it."""
SAMPLED_AS = "sampled_as"
"""The output column that says why each document was drawn (the system's view: hide it while
labelling, to judge each paper on its own)."""


@dataclass
class Reservoir:
    """A uniform sample of `size` items from a stream of unknown length (Algorithm R)."""

    size: int
    rng: np.random.Generator
    items: list = field(default_factory=list)
    seen: int = 0

    def offer(self, item) -> None:
        self.seen += 1
        if len(self.items) < self.size:
            self.items.append(item)
        else:
            slot = int(self.rng.integers(self.seen))
            if slot < self.size:
                self.items[slot] = item


def draw_sample(tagger: Tagger, frames, per_stratum: int, at_random: int, seed: int = 0,
                exclude: frozenset = frozenset()) -> pd.DataFrame:
    """The labelling sheet for the documents in `frames` (DataFrames with id, title, abstract):
    up to `per_stratum` documents for each tag and stratum and `at_random` more from all of them,
    each once, in random order, with an empty column per tag and SAMPLED_AS. Documents whose id
    is in `exclude` (labelled before) are not drawn."""
    rng = np.random.default_rng(seed)
    tag_ids = tagger.taxonomy.tag_ids
    reservoirs = {(tag, stratum): Reservoir(per_stratum, rng) for tag in tag_ids for stratum in STRATA}
    anywhere = Reservoir(at_random, rng)
    for frame in frames:
        if exclude:
            frame = frame[~frame["id"].isin(exclude)].reset_index(drop=True)
        if frame.empty:
            continue
        records = frame[list(REQUIRED_COLUMNS)].to_dict("records")
        for (tag, stratum), rows in _strata(tagger, frame).items():
            for row in rows:
                reservoirs[tag, stratum].offer(records[row])
        for record in records:
            anywhere.offer(record)
    reasons: dict[str, list[str]] = {}
    chosen: dict[str, dict] = {}
    drawn = [(f"{tag}: {stratum}", reservoir) for (tag, stratum), reservoir in reservoirs.items()]
    for reason, reservoir in drawn + [("random", anywhere)]:
        for record in reservoir.items:
            chosen[record["id"]] = record
            reasons.setdefault(record["id"], []).append(reason)
    ids = sorted(chosen)
    order = rng.permutation(len(ids))
    sheet = pd.DataFrame([chosen[ids[i]] for i in order], columns=list(REQUIRED_COLUMNS))
    for tag in tag_ids:
        sheet[tag] = ""
    sheet[SAMPLED_AS] = ["; ".join(reasons[ids[i]]) for i in order]
    return sheet


def _strata(tagger: Tagger, frame: pd.DataFrame) -> dict[tuple[str, str], np.ndarray]:
    """{(tag, stratum): the rows of `frame` in it}."""
    predictions = tagger.predict(frame["title"].tolist(), frame["abstract"].tolist())
    tag_ids = tagger.taxonomy.tag_ids
    given = predictions.combined.astype(bool)
    mentioned = tagger.mentioned(predictions.votes)
    model_only = (predictions.probabilities >= tagger.thresholds) & ~predictions.rules.astype(bool)
    masks = {"given": given, "mentioned, not given": mentioned & ~given, "model only": model_only}
    return {(tag, stratum): np.flatnonzero(masks[stratum][:, j])
            for j, tag in enumerate(tag_ids) for stratum in STRATA}
