"""Tests of taxotag.model.tag_model."""

import json

from taxotag.model.artifacts import load_model
from taxotag.model.tag_model import mask_mentions
from taxotag.rules.votes import Mention


def test_mask_mentions_blanks_every_match():
    text = "We use self-supervised learning and CLIP features."
    mentions = [Mention(0, 7, 31, "self-supervised learning", False, True), Mention(1, 36, 40, "CLIP", False, True)]
    assert mask_mentions(text, mentions) == "We use   and   features."


def test_fast_transform_equals_scikit_learn(trained_model_dir, taxonomy, small_corpus):
    """TagModel.transform re-implements TfidfVectorizer.transform for speed; it must agree."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from taxotag.model.tag_model import VECTORIZER_PARAMS

    model = load_model(trained_model_dir, taxonomy)
    reference = TfidfVectorizer(**VECTORIZER_PARAMS, vocabulary=model.vocabulary)
    reference.idf_ = model.idf
    texts = [json.loads(line)["abstract"] for line in open(small_corpus)][:300] + [
        "", "42 ---", "Ünïcode Straße", "a\u2014b “quoted” x\u00a0y\tz", "İstanbul a\u2028b x\x1cy \u200bz"]
    difference = abs(model.transform(texts) - reference.transform(texts))
    assert difference.max() < 1e-6
