"""Tests of taxotag.taxonomy.language."""

from taxotag.taxonomy.language import phrase_variants


def test_phrase_variants_include_plural_and_joined_forms():
    variants = [" ".join(v) for v in phrase_variants("pseudo-label")]
    assert variants == ["pseudo - label", "pseudo label", "pseudolabel", "pseudo - labels", "pseudo labels", "pseudolabels"]
    assert ["selfsupervised", "learning"] in phrase_variants("self-supervised learning")
    assert ["weak", "-", "to", "-", "strong"] in phrase_variants("weak to strong")
