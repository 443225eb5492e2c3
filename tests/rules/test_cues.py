"""Tests of taxotag.rules.cues."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taxotag.rules.cues import CueSet, MethodName, Sentences, title_name
from taxotag.rules.matching import RuleSet
from taxotag.rules.votes import FIRED, PASSING
from taxotag.taxonomy.loading import parse_taxonomy
from tests.conftest import RULES_YAML, vote


def test_a_cue_before_a_colon_or_semicolon_does_not_reach_past_it(small_rules):
    assert vote(small_rules, "We add text.", title="Efficiency without Compromise: CLIP-aided GANs")[0]["clip_name"] == FIRED
    assert vote(small_rules, "Unlike GANs; we use self-supervised learning.")[0]["ssl_phrase"] == FIRED
    assert vote(small_rules, "Unlike GANs, we use self-supervised learning.")[0]["ssl_phrase"] == PASSING


def test_a_trailing_cue_counts_only_in_the_plural_and_within_two_words(small_rules):
    assert vote(small_rules, "We start from a self-supervised learning baseline.")[0]["ssl_phrase"] == FIRED
    assert vote(small_rules, "We use self-supervised learning of masks and beat baselines.")[0]["ssl_phrase"] == FIRED


BACKGROUND = """
tags:
  - id: distill
    name: Distillation
    description: distillation
    rules:
      - {id: kd, phrase: distillation, skip_background: true}
      - {id: kd_everywhere, phrase: distillation}
"""


def test_skip_background_makes_mentions_before_the_first_claim_sentence_passing():
    small_rules = RuleSet(parse_taxonomy(BACKGROUND, "t.yaml"))
    background = "Distillation speeds up diffusion. It loses detail. We propose a one-step sampler."
    votes, mentions = vote(small_rules, background)
    assert votes == {"kd": PASSING, "kd_everywhere": FIRED}
    assert mentions[0].passing == "background (before the first claim sentence)"
    assert vote(small_rules, background + " It is trained by distillation.")[0]["kd"] == FIRED
    assert vote(small_rules, "Distillation speeds up diffusion. It loses detail.")[0]["kd"] == FIRED  # no claim
    assert vote(small_rules, "We study speed.", title="Distillation for Diffusion")[0]["kd"] == FIRED  # title


def test_a_cue_further_back_than_the_window_leaves_the_mention_central(small_rules):
    text = "Unlike earlier detectors that need many boxes from human annotators, we use self-supervised learning."
    assert vote(small_rules, text)[0]["ssl_phrase"] == FIRED


@pytest.mark.parametrize("title, name", [
    ("MERA: Multimodal Self-Explanatory Models", "MERA"), ("G-SimCLR : Guided Projection", "G-SimCLR"),
    ("Unposed-to-3D: Learning Vehicles", "Unposed-to-3D"), ("Beyond Self-Supervision: A Study", None),
    ("Rethinking: Pretraining", None), ("3D: Scenes", None), ("A study without a colon", None),
])
def test_method_name_comes_from_a_one_word_title_prefix(title, name):
    found = title_name(title)
    if name is None:
        assert found is None
    else:
        method = MethodName(found)
        assert method.find(f"Then {name}, our model, wins.") == 5
        assert method.find(f"Then {name}-v2 wins.") == -1 and method.find(f"Then X{name} wins.") == -1


@pytest.mark.parametrize("abstract, name", [
    ("This paper proposes a trainable subgraph retriever (SR). It is fast.", "SR"),
    ("We propose the decision tree latent controller generative adversarial network (DTLC-GAN).", "DTLC-GAN"),
    ("A subgraph retriever (SR) is common. We propose a reasoner.", None),  # not in a claim sentence
    ("We study large language models (LLMs).", None),  # a plural, not the paper's method
    ("We introduce a model for computed tomography (CT).", None),  # not after a method noun
    ("We propose a new approach (see below).", None),
])
def test_the_abstract_can_define_the_method_name(abstract, name):
    cues = CueSet(parse_taxonomy(RULES_YAML, "t.yaml").context)
    title = "A paper\n"
    text = title + abstract
    assert cues.defined_name(text, text.lower(), Sentences(text, len(title)), len(title)) == name


OWN_NAME = """
context: {own_name_passing: %s}
tags:
  - id: ssl
    name: SSL
    description: self-supervised
    rules:
      - {id: moco, phrase: MoCo}
  - id: clip
    name: CLIP
    description: clip
    rules:
      - {id: clip_name, regex: '\\b[A-Za-z]*CLIP\\b', case_sensitive: true}
"""


def test_a_phrase_that_is_the_papers_own_name_is_passing():
    small_rules = RuleSet(parse_taxonomy(OWN_NAME % "true", "t.yaml"))
    title, abstract = "MoCo: A Toolkit for Model Collaboration", "We introduce MoCo, a library for LLM teams."
    votes, mentions = vote(small_rules, abstract, title=title)
    assert votes["moco"] == PASSING
    assert [m.passing for m in mentions] == ["the paper's own name"] * 2
    # a new name built on a known one is not the known one, and regex matches are exempt
    assert vote(small_rules, "We pretrain with MoCo.", title="G-MoCo: Graph Contrast")[0]["moco"] == FIRED
    assert vote(small_rules, "We adapt CLIP to captions.", title="MultiCapCLIP: Captions")[0]["clip_name"] == FIRED
    # but a bare acronym in capitals that a regex matches whole is the known name reused
    dataset = vote(small_rules, "This dataset, which we call CLIP, holds notes.", title="CLIP: A Dataset of Notes")
    assert dataset[0]["clip_name"] == PASSING
    off = RuleSet(parse_taxonomy(OWN_NAME % "false", "t.yaml"))
    assert vote(off, abstract, title=title)[0]["moco"] == FIRED


def test_a_sentence_naming_the_papers_method_is_a_claim(small_rules):
    abstract = "Results are good. MERA then learns the latent space with a pretext task."
    assert vote(small_rules, abstract, title="MERA: Lung nodules")[0]["ssl_claim"] == FIRED
    assert vote(small_rules, abstract, title="Lung nodules")[0]["ssl_claim"] == PASSING
    defined = "We propose a nodule model (MERA). Results are good. MERA then learns with a pretext task."
    assert vote(small_rules, defined, title="Lung nodules")[0]["ssl_claim"] == FIRED


SENTENCE_PIECES = st.sampled_from(["e.g.", "E.G.", "i.e.", "al.", "et al.", "Fig.", "approx.", "vs.", "etc.", "eq.",
                                   "cf.", "x.", ".", "!", "?", " ", "  ", "\n", "A", "b", "3", "(", "[", "word",
                                   "ee.g.", "é", "İ", "\t", "\x0b", "\x0c", "\r", "\x1c", "\x1f", "\x85"])


def reference_sentence_starts(text: str, title_length: int) -> list[int]:
    """Sentences' bounds as they were found before the ASCII regex: each SENTENCE_END match,
    then a test of the eight characters before it against the abbreviations."""
    from taxotag.rules.cues import NOT_SENTENCE_ENDS, SENTENCE_END

    starts = [0] + ([title_length] if 0 < title_length < len(text) else [])
    for match in SENTENCE_END.finditer(text, title_length):
        if not text[max(0, match.end() - 8):match.end()].lower().endswith(tuple(NOT_SENTENCE_ENDS)):
            starts.append(match.end())
    return starts


@settings(max_examples=400, deadline=None)
@given(st.lists(SENTENCE_PIECES, max_size=30).map("".join), st.integers(0, 12))
def test_sentence_bounds_are_those_of_the_abbreviation_test(text, title_length):
    sentences = Sentences(text, title_length)
    assert sentences._starts == reference_sentence_starts(text, title_length)


CUE_PIECES = st.sampled_from(["we", "propose", "in", "this", "paper", "unlike", "not", "self", "-", " ", "  ",
                              "\t", "\x1c", "\x0b", "\n", ".", ",", "_", "x", "1", "é", "state-of-the-art",
                              "wepropose", "we-propose", "e.g."])


@settings(max_examples=400, deadline=None)
@given(text=st.lists(CUE_PIECES, max_size=14).map("".join), pos=st.integers(-2, 60), endpos=st.integers(-2, 60),
       phrases=st.sampled_from([["we propose", "in this paper"], ["unlike", "not", "state-of-the-art"],
                                ["e.g. x", "we propose"], ["-based", "self"], ["self"], ["e.g.", "e.g", "we propose"],
                                ["-based", "e.g."]]))
def test_phrase_regex_search_in_ascii_text_is_the_python_regex_search(text, pos, endpos, phrases):
    """The RE2 twin that searches ASCII text (with a Python regex for the phrases it cannot hold,
    "e.g.") finds what the Python regex finds (start, end, text), for any pos and endpos, also
    where both find a phrase at one place ("e.g" and "e.g."); text that is not ASCII uses the Python regex."""
    from taxotag.rules.cues import phrases_regex

    regex = phrases_regex(phrases, plurals=True)
    assert (regex._twin is None) == (phrases == ["-based", "e.g."])  # (phrases that end in a word character have one)
    for args in [(pos, endpos), (pos,), ()]:
        found, expected = regex.search(text, *args), regex.regex.search(text, *args)
        assert (found.span(), found.group()) == (expected.span(), expected.group()) if expected else found is None
