"""Rules + model -> tags, scores and evidence for batches of documents.

Combination policy: a tag is given when the rules give it (its rules fired as central mentions
with enough weight) or when the model adds it; then rule exclusions, implications and parents
apply (pipeline.weak_labels.resolve_labels). The taxonomy's `policy.model_adds` says when the
model may add a tag the rules did not give, once its probability reaches the tag's threshold:
`with_strong_mention` (default) when the text matches a rule that could give the tag on its own
(weight >= the tag's min_score), even if only as a passing mention or outside where the rule
asks; `with_mention` when it matches any of the tag's rules, low-weight context rules included;
`always` on the probability alone; `never` (rules only).

`score_<tag>` is in [0, 1] and is at least 0.5 exactly when the tag is given: the larger of the
rule strength (0.75 for a rule score at min_score, 1.0 at twice that) and the model probability
rescaled so that the tag's threshold maps to 0.5.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ModelError
from ..model.artifacts import load_model_and_manifest, model_taxonomy
from ..model.manifest import Manifest
from ..model.tag_model import TagModel, mask_mentions
from ..readers.documents import documents_from_frame
from ..rules.labels import direct_labels, resolve_labels, rule_scores, vetoes
from ..rules.matching import RuleSet
from ..rules.votes import ABSTAIN, FIRED, RuleVotes
from ..taxonomy.loading import load_taxonomy
from ..taxonomy.schema import Taxonomy
from .columns import MODEL_TAGS, passed_columns

TOP_FEATURES = 3


@dataclass
class Predictions:
    """Everything the taggers know about a batch of documents (rows aligned with the input)."""

    votes: RuleVotes
    rule_score: np.ndarray  # documents x tags: the summed weights of the fired rules (weak_labels.rule_scores)
    direct: np.ndarray  # documents x tags: the rule score reaches the tag's min_score
    rules: np.ndarray
    model: np.ndarray
    combined: np.ndarray
    probabilities: np.ndarray
    scores: np.ndarray
    features: object

    def system(self, name: str) -> np.ndarray:
        """The 0/1 matrix of one system: `rules`, `model` or `combined`."""
        return getattr(self, name).astype(np.int8)


class Tagger:
    """Tags documents with a taxonomy's rules and a trained model."""

    def __init__(self, taxonomy: Taxonomy, model: TagModel, manifest: Manifest | None = None):
        if model.tag_ids != taxonomy.tag_ids:
            raise ValueError(f"model tags {model.tag_ids} differ from taxonomy tags {taxonomy.tag_ids}")
        self.taxonomy = taxonomy
        self.model = model
        self.manifest = manifest  # (what the model folder says of the model, when it was loaded from one)
        self.ruleset = RuleSet(taxonomy)
        self._minimum = np.array([tag.min_score for tag in taxonomy.tags], dtype=np.float32)
        overrides = [tag.threshold for tag in taxonomy.tags]
        self.thresholds = np.array([o if o is not None else t for o, t in zip(overrides, model.thresholds)],
                                   dtype=np.float32)

    @classmethod
    def load(cls, model_dir: str | Path, taxonomy: Taxonomy | str | Path | None = None,
             allow_stale: bool = False) -> Tagger:
        """The tagger of a trained model folder, with the taxonomy it keeps (or `taxonomy`, a
        Taxonomy or a path, which must be the one the model was trained with unless allow_stale)."""
        if taxonomy is None:
            taxonomy = model_taxonomy(model_dir)
            if taxonomy is None:
                raise ModelError(f"{model_dir}: the model keeps no copy of its taxonomy (it was trained by an "
                                 "older taxotag); name the taxonomy file")
        elif not isinstance(taxonomy, Taxonomy):
            taxonomy = load_taxonomy(taxonomy)
        return cls(taxonomy, *reversed(load_model_and_manifest(model_dir, taxonomy, allow_stale=allow_stale)))

    def tag(self, frame: pd.DataFrame, with_abstract: bool = False) -> pd.DataFrame:
        """Tag a DataFrame of documents: the rows `taxotag tag` writes (id, title, tags, a
        score_<tag> per tag, evidence, the other columns). Column names may differ in case, a
        missing or empty abstract tags the title alone, and a missing id is the row number."""
        return self.tag_frame(documents_from_frame(frame), with_abstract)

    def predict(self, titles, abstracts) -> Predictions:
        votes = self.ruleset.apply(titles, abstracts)
        texts = [mask_mentions(text, mentions) for text, mentions in zip(votes.texts, votes.mentions)]
        features = self.model.transform(texts)
        return self.decide(votes, features, self.model.predict_proba(features))

    def decide(self, votes: RuleVotes, features, probabilities: np.ndarray) -> Predictions:
        """The predictions of the rules' votes and the model's probabilities (which may come from
        another fit on the same vocabulary: the out-of-fold scores of gold the model was fitted on)."""
        model_positive = probabilities >= self.thresholds
        rule_score = rule_scores(self.taxonomy, votes)
        direct = direct_labels(self.taxonomy, rule_score)
        rules = resolve_labels(self.taxonomy, votes, direct)
        combined = resolve_labels(self.taxonomy, votes, direct, also_positive=self._model_adds(model_positive, votes))
        model_only = resolve_labels(self.taxonomy, _no_votes(votes), np.zeros_like(direct), also_positive=model_positive)
        scores = self._scores(rule_score, probabilities, combined)
        return Predictions(votes=votes, rule_score=rule_score, direct=direct, rules=rules, model=model_only,
                           combined=combined, probabilities=probabilities, scores=scores, features=features)

    def _model_adds(self, model_positive: np.ndarray, votes: RuleVotes) -> np.ndarray:
        policy = self.taxonomy.policy.model_adds
        if policy == "always":
            return model_positive
        if policy == "never":
            return np.zeros_like(model_positive)
        return model_positive & self.mentioned(votes, strong_only=policy == "with_strong_mention")

    def mentioned(self, votes: RuleVotes, strong_only: bool = False) -> np.ndarray:
        """Documents x tags: the text matches a rule of the tag (central or not); with
        `strong_only`, only rules whose weight alone reaches the tag's min_score count."""
        column = self.taxonomy.column
        mentioned = np.zeros((len(votes), len(column)), dtype=bool)
        for r, info in enumerate(votes.rules):
            for tag_id in info.voted_tags:
                if not strong_only or info.rule.weight >= self._minimum[column[tag_id]]:
                    mentioned[:, column[tag_id]] |= votes.matrix[:, r] != ABSTAIN
        return mentioned

    def _scores(self, rule_score: np.ndarray, probabilities: np.ndarray, given: np.ndarray) -> np.ndarray:
        strength = np.where(rule_score >= self._minimum,
                            0.5 + 0.5 * np.minimum(rule_score / (2 * self._minimum), 1.0), 0.0)
        t = self.thresholds
        scaled = np.where(probabilities < t, 0.5 * probabilities / np.maximum(t, 1e-6),
                          0.5 + 0.5 * (probabilities - t) / np.maximum(1 - t, 1e-6))
        raw = np.maximum(strength, scaled)
        return np.where(given, np.maximum(raw, 0.5), np.minimum(raw, 0.499))

    def tag_frame(self, frame: pd.DataFrame, with_abstract: bool = False) -> pd.DataFrame:
        """The output rows for a DataFrame of documents (id, title, abstract, other columns)."""
        predictions = self.predict(frame["title"].tolist(), frame["abstract"].tolist())
        return self.output_frame(frame, predictions, with_abstract)

    def output_frame(self, frame: pd.DataFrame, predictions: Predictions, with_abstract: bool = False) -> pd.DataFrame:
        """The columns of output_columns(tag ids, frame.columns, with_abstract)."""
        tag_ids = self.taxonomy.tag_ids
        out = {"id": frame["id"].to_numpy(), "title": frame["title"].to_numpy()}
        if with_abstract:
            out["abstract"] = frame["abstract"].to_numpy()
        out["tags"] = tag_lists(tag_ids, predictions.combined)
        for j, tag_id in enumerate(tag_ids):
            out[f"score_{tag_id}"] = predictions.scores[:, j].astype(np.float64).round(4)
        out[MODEL_TAGS] = tag_lists(tag_ids, predictions.model)
        tagged = predictions.combined.any(axis=1)
        out["evidence"] = [self.explain(predictions, i) if tagged[i] else "" for i in range(len(frame))]
        for column, name in passed_columns(tag_ids, frame.columns).items():
            out[name] = frame[column].to_numpy()
        return pd.DataFrame(out)  # (made once: a column added at a time cost 2 ms a chunk)

    def explain(self, predictions: Predictions, row: int) -> str:
        """Why each given tag was given: the rule mentions that fired and the top model terms."""
        parts = []
        votes, tag_ids = predictions.votes, self.taxonomy.tag_ids
        for j, tag_id in enumerate(tag_ids):
            if not predictions.combined[row, j]:
                continue
            fired = [m for m in votes.tag_mentions(row, tag_id)
                     if votes.matrix[row, m.rule] == FIRED and m.passing is None]
            pieces = [f"{votes.rules[m.rule].id} {m.describe()}" for m in fired[:3]]
            if predictions.probabilities[row, j] >= self.thresholds[j]:
                terms = self.model.top_features(predictions.features, row, j, TOP_FEATURES)
                pieces.append(f"model {predictions.probabilities[row, j]:.2f} [{', '.join(terms)}]")
            if not pieces:
                pieces.append("implied by another tag")
            parts.append(f"{tag_id}: " + "; ".join(pieces))
        return " | ".join(parts)

    def decisions(self, predictions: Predictions, row: int) -> list[str]:
        """For each tag, in words, why one document got it or not (`explain` prints these)."""
        votes, tags = predictions.votes, self.taxonomy.tags
        rule_score, direct = predictions.rule_score[row], predictions.direct[row]
        every_model_positive = predictions.probabilities >= self.thresholds
        model_positive = every_model_positive[row]
        allowed = self._model_adds(every_model_positive, votes)[row]
        excluded_by = vetoes(self.taxonomy, votes, predictions.direct, row)
        reasons = []
        for j, tag in enumerate(tags):
            excluders = excluded_by[tag.id]
            rules = f"rule score {rule_score[j]:g} {'>=' if direct[j] else '<'} min_score {self._minimum[j]:g}"
            model = (f"model {predictions.probabilities[row, j]:.3f} {'>=' if model_positive[j] else '<'} "
                     f"threshold {self.thresholds[j]:.2f}")
            if predictions.combined[row, j]:
                if direct[j] and not excluders:
                    reasons.append(f"by its rules ({rules})")
                elif model_positive[j] and allowed[j] and not excluders:
                    reasons.append(f"added by the model ({model}; policy model_adds: "
                                   f"{self.taxonomy.policy.model_adds})")
                else:
                    reasons.append("implied by another tag (implies, or a child tag's parent)")
            elif excluders and (direct[j] or (model_positive[j] and allowed[j])):
                reasons.append(f"excluded by {', '.join(excluders)} ({rules}; {model})")
            elif model_positive[j]:
                policy = self.taxonomy.policy.model_adds
                reasons.append(f"held back by policy: {rules}; {model}, but policy model_adds: {policy} "
                               f"{_POLICY_NEEDS[policy]}")
            else:
                reasons.append(f"{rules}; {model}")
        return reasons


_POLICY_NEEDS = {
    "with_strong_mention": "lets the model add a tag only where a rule that could give it alone "
                           "(weight >= min_score) matched",
    "with_mention": "lets the model add a tag only where one of the tag's rules matched",
    "never": "lets only the rules give a tag",
    "always": "",  # (the model adds every tag that reaches its threshold)
}
"""What each policy.model_adds asks before the model may add a tag, for `explain`."""


def tag_lists(tag_ids: list[str], given: np.ndarray) -> list[str]:
    """For each row of a documents x tags 0/1 matrix, its tags joined by ";" (in taxonomy order);
    each distinct row is joined once (rows are told apart by their bits packed into bytes)."""
    given = np.asarray(given, dtype=bool)
    if not given.shape[1]:
        return [""] * len(given)
    packed = np.packbits(given, axis=1)
    joined: dict[bytes, str] = {}
    lists = []
    for row, key in enumerate(packed.view(f"V{packed.shape[1]}").ravel().tolist()):
        text = joined.get(key)
        if text is None:
            text = joined[key] = ";".join(t for t, on in zip(tag_ids, given[row]) if on)
        lists.append(text)
    return lists


def held_back(predictions: Predictions) -> np.ndarray:
    """Documents x tags: the model alone gives the tag (its probability reaches the threshold) but
    the combined decision does not, because the policy held it back (or another tag excluded it)."""
    return predictions.model & ~predictions.combined


def held_back_summary(counts, taxonomy: Taxonomy) -> str:
    """"held back by policy (model_adds: ...): tag N, ..." for the tags the model gave to documents
    that the policy did not let it add, or "" when there are none."""
    shown = ", ".join(f"{tag} {counts[tag]:,}" for tag in taxonomy.tag_ids if counts.get(tag))
    return f"held back by policy (model_adds: {taxonomy.policy.model_adds}): {shown}" if shown else ""


def _no_votes(votes: RuleVotes) -> RuleVotes:
    return RuleVotes(rules=votes.rules, matrix=np.full_like(votes.matrix, -1), mentions=votes.mentions)
