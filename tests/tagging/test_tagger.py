"""Tests of taxotag.tagging.tagger."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taxotag.model.artifacts import load_model
from taxotag.tagging.tagger import Tagger
from taxotag.taxonomy.loading import parse_taxonomy

TITLES = ["Knowledge distillation for tiny detectors", "A benchmark for table reasoning",
          "Self-supervised pretraining of speech encoders"]


ABSTRACTS = ["We distill a large teacher into a compact student with a new feature loss.",
             "We release a benchmark. Unlike distillation-based baselines, we use no teacher.",
             "We pretrain encoders on unlabeled audio with a masked prediction objective."]


@pytest.fixture(scope="module")
def predictions(trained_model_dir, taxonomy):
    tagger = Tagger(taxonomy, load_model(trained_model_dir, taxonomy))
    return tagger, tagger.predict(TITLES, ABSTRACTS)


def test_central_mentions_are_tagged_and_passing_ones_are_not(predictions):
    tagger, result = predictions
    distillation = tagger.taxonomy.tag_ids.index("distillation")
    assert result.combined[0, distillation] and result.rules[0, distillation]
    assert not result.rules[1, distillation]
    assert result.combined[2, tagger.taxonomy.tag_ids.index("self_supervised")]


def test_scores_reach_one_half_exactly_for_given_tags(predictions):
    _, result = predictions
    assert ((result.scores >= 0.5) == result.combined.astype(bool)).all()


def eager_tagger(model_dir, taxonomy, policy: str) -> Tagger:
    """A Tagger for the default taxonomy with another `policy.model_adds` (a policy edit does not
    make the model stale) and every threshold at 0, so the model says yes to everything."""
    text = open(taxonomy.path).read().replace("model_adds: with_strong_mention", f"model_adds: {policy}")
    edited = parse_taxonomy(text, "policy.yaml")
    tagger = Tagger(edited, load_model(model_dir, edited))
    tagger.thresholds[:] = 0.0
    return tagger


@pytest.mark.parametrize("policy", ["never", "with_strong_mention", "with_mention", "always"])
def test_policy_controls_what_the_model_may_add(trained_model_dir, taxonomy, policy):
    result = eager_tagger(trained_model_dir, taxonomy, policy).predict(TITLES, ABSTRACTS)
    if policy == "never":
        assert (result.combined == result.rules).all()
    elif policy == "always":
        assert result.combined.all()
    else:
        assert result.combined.sum() < result.combined.size and (result.combined >= result.rules).all()


def test_strong_mention_policy_ignores_context_only_matches(trained_model_dir, taxonomy):
    """'unlabeled data' only matches low-weight context rules: `with_mention` lets the model add
    self_supervised there, `with_strong_mention` (the default) needs a term like 'self-supervised'."""
    titles = ["Learning from unlabeled data", "Representation learning for speech"]
    abstracts = ["We train a detector with unlabeled data and a new loss.",
                 "Existing self-supervised encoders are strong; we study a supervised alternative."]
    added = {}
    for policy in ("with_mention", "with_strong_mention"):
        result = eager_tagger(trained_model_dir, taxonomy, policy).predict(titles, abstracts)
        added[policy] = result.combined[:, taxonomy.tag_ids.index("self_supervised")].tolist()
    assert taxonomy.policy.model_adds == "with_strong_mention"
    assert added["with_mention"] == [True, True]
    assert added["with_strong_mention"] == [False, True]


def test_decisions_say_why_a_tag_was_given_or_not(trained_model_dir, taxonomy):
    """explain's reasons: given by the rules, excluded by a rule, held back by the policy, added by
    the model (every threshold at 0 here, so the model says yes to everything)."""
    titles = ["Self-training for object detection", "Learning from unlabeled data"]
    abstracts = ["We propose a self-supervised and self-training detector with pseudo-labels.",
                 "We train a detector with unlabeled data and a new loss."]
    ssl = taxonomy.tag_ids.index("self_supervised")
    semi = taxonomy.tag_ids.index("semi_supervised")
    strict = eager_tagger(trained_model_dir, taxonomy, "with_strong_mention")
    predictions = strict.predict(titles, abstracts)
    first, second = strict.decisions(predictions, 0), strict.decisions(predictions, 1)
    assert first[semi].startswith("by its rules (rule score ") and predictions.combined[0, semi]
    assert first[ssl].startswith("excluded by rule self_training (") and not predictions.combined[0, ssl]
    assert not predictions.combined[1, ssl] and second[ssl].startswith("held back by policy: rule score 0.5 < min_score 1; model ")
    assert second[ssl].endswith("but policy model_adds: with_strong_mention lets the model add a tag only where "
                                "a rule that could give it alone (weight >= min_score) matched")
    eager = eager_tagger(trained_model_dir, taxonomy, "always")
    predictions = eager.predict(titles, abstracts)
    assert predictions.combined[1, ssl]
    assert eager.decisions(predictions, 1)[ssl].startswith("added by the model (model ")


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 12).flatmap(lambda tags: st.lists(st.lists(st.booleans(), min_size=tags, max_size=tags),
                                                         max_size=30).map(lambda rows: (tags, rows))))
def test_tag_lists_join_each_rows_tags_in_taxonomy_order(shape):
    import numpy as np

    from taxotag.tagging.tagger import tag_lists

    tags, rows = shape
    tag_ids = [f"t{j}" for j in range(tags)]
    given = np.array(rows, dtype=bool).reshape(len(rows), tags)
    assert tag_lists(tag_ids, given) == [";".join(t for t, on in zip(tag_ids, row) if on) for row in rows]
