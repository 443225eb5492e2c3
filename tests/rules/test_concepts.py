"""Tests of taxotag.rules.concepts."""

import pytest

from taxotag.rules.matching import RuleSet
from taxotag.rules.votes import ABSTAIN, FIRED, PASSING
from taxotag.taxonomy.loading import parse_taxonomy
from tests.conftest import vote

CONCEPT_TAXONOMY = """
tags:
  - id: clip
    name: CLIP
    description: image-text alignment
    rules:
      - id: itc
        concept: [[image, video], [text, caption], [contrastive, align*]]
      - id: itc_near
        within: 4
        concept: [[image, video], [text, caption], [contrastive, align*]]
"""


@pytest.fixture(scope="module")
def concept_rules():
    return RuleSet(parse_taxonomy(CONCEPT_TAXONOMY, "concept.yaml"))


@pytest.mark.parametrize("abstract, itc, itc_near", [
    # one term of every group in one sentence, in any order, plurals and stems too
    ("We align images and captions in one space.", FIRED, FIRED),
    ("A contrastive loss pulls each video towards its text.", FIRED, ABSTAIN),
    ("Image-text contrastive pre-training.", FIRED, FIRED),
    # the groups spread over two sentences: no match
    ("We collect images and captions. A contrastive loss trains the encoder.", ABSTAIN, ABSTAIN),
    # a group missing
    ("We align images with depth maps using a contrastive loss.", ABSTAIN, ABSTAIN),
    # contrast cues scope a concept as they scope a phrase
    ("Unlike methods that align images and captions, we cluster pixels.", PASSING, PASSING),
    # whole words only: "imagery", "textual" and "misaligned" are other words
    ("Textual imagery is misaligned by contrast.", ABSTAIN, ABSTAIN),
])
def test_a_concept_matches_a_sentence_with_a_term_of_every_group(concept_rules, abstract, itc, itc_near):
    votes, _ = vote(concept_rules, abstract)
    assert (votes["itc"], votes["itc_near"]) == (itc, itc_near)


def test_a_concept_mention_is_the_shortest_stretch_with_every_group(concept_rules):
    _, mentions = vote(concept_rules, "Images are everywhere, and we align each image with its caption.")
    (mention, _) = [m for m in mentions if m.rule == 0], None
    assert [m.text for m in mention] == ["align each image with its caption"]
    assert mention[0].describe() == "'align each image with its caption' (body)"
