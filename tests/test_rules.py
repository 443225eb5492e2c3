import pytest

from taxotag.cues import CueSet, MethodName, Sentences, title_name
from taxotag.rules import ABSTAIN, FIRED, PASSING, Mention, RuleSet, phrase_variants
from taxotag.taxonomy import parse_taxonomy
from taxotag.typography import plain_text

TAXONOMY = """
tags:
  - id: ssl
    name: SSL
    description: self-supervised
    rules:
      - {id: ssl_phrase, phrase: self-supervised learning}
      - {id: ssl_claim, phrase: pretext task, where: title_or_claim}
      - {id: ssl_twice, phrase: masked autoencoder, where: title, min_count_anywhere: 2}
      - {id: ssl_strategy, phrase: pretext strategy}
      - {id: ssl_short, phrase: self-supervised}
  - id: clip
    name: CLIP
    description: clip
    rules:
      - {id: clip_name, regex: '\\bCLIP\\b', case_sensitive: true, unless: [CLIP score]}
  - id: distill
    name: Distillation
    description: distillation
    rules:
      - {id: kd, pattern: [{LOWER: knowledge}, {LOWER: {IN: [distillation, transfer]}}], min_count: 2}
"""


@pytest.fixture(scope="module")
def ruleset():
    return RuleSet(parse_taxonomy(TAXONOMY, "t.yaml"))


def vote(ruleset, abstract, title="A paper"):
    votes = ruleset.apply([title], [abstract])
    return dict(zip(votes.rule_ids, votes.matrix[0])), votes.mentions[0]


@pytest.mark.parametrize("text", [
    "We study self-supervised learning for images.",
    "We study self supervised learning for images.",
    "We study Selfsupervised Learning for images.",
    "We study SELF-SUPERVISED LEARNINGS for images.",
])
def test_phrases_match_case_hyphen_spacing_and_plural_variants(ruleset, text):
    assert vote(ruleset, text)[0]["ssl_phrase"] == FIRED


@pytest.mark.parametrize("hyphen", ["\u2010", "\u2011", "\u2013", "\uff0d", "\u00ad-"])
def test_unicode_hyphens_soft_hyphens_and_ligatures_read_as_their_plain_forms(ruleset, hyphen):
    """Text from PDFs and publishers' pages has Unicode hyphens (U+2010), soft hyphens, ligatures (U+FB01)."""
    title = f"Self{hyphen}supervised learning for \ufb01ne\u00adgrained birds"
    votes, mentions = vote(ruleset, f"We show that self{hyphen}super\u00advised learning helps.", title=title)
    assert votes["ssl_phrase"] == FIRED
    assert [(m.describe(), m.in_title) for m in mentions if m.rule == 0] == [
        ("'Self-supervised learning' (title)", True), ("'self-supervised learning' (body)", False)]
    assert plain_text(title) == "Self-supervised learning for finegrained birds"
    assert vote(ruleset, "A self\u2014supervised learning.")[0]["ssl_phrase"] == ABSTAIN  # an em dash is not a hyphen


def test_a_latex_en_dash_between_letters_reads_as_a_hyphen(ruleset):
    """arXiv abstracts are LaTeX: "self--supervised" is how an en dash is typed there."""
    votes, mentions = vote(ruleset, "We show that self--supervised learning helps.")
    assert votes["ssl_phrase"] == FIRED
    assert [m.describe() for m in mentions if m.rule == 0] == ["'self-supervised learning' (body)"]
    assert plain_text("a--b, a---b, a -- b, 1--2, --flag") == "a-b, a---b, a -- b, 1--2, --flag"


@pytest.mark.parametrize("wrapped, unwrapped", [
    ("knowledge distil-\nlation", "knowledge distillation"),  # a word broken across lines
    ("Distil-\r\nlation", "Distillation"),
    ("weakly super- \n  vised", "weakly supervised"),
    ("teacher-\nstudent", "teacher-student"),  # a compound broken at its own hyphen
    ("state-of-the-\nart", "state-of-the-art"),
    ("self-\nand semi-supervised", "self- and semi-supervised"),  # a suspended hyphen
    ("Seagr-\nass", "Seagr-ass"),  # no known word: the hyphen stays
    ("one line\nand the next", "one line and the next"),
    ("A paragraph.\n\nThe next one.", "A paragraph.\n\nThe next one."),
])
def test_text_wrapped_into_lines_reads_one_line_a_paragraph(wrapped, unwrapped):
    """Text copied from a PDF is wrapped, with words broken across lines by a hyphen."""
    assert plain_text(wrapped) == unwrapped


def test_a_phrase_broken_across_lines_fires(ruleset):
    votes, mentions = vote(ruleset, "We show that self-super-\nvised\nlearning helps.")
    assert votes["ssl_phrase"] == FIRED
    assert [m.describe() for m in mentions if m.rule == 0] == ["'self-supervised learning' (body)"]


def test_phrase_variants_include_plural_and_joined_forms():
    variants = [" ".join(v) for v in phrase_variants("pseudo-label")]
    assert variants == ["pseudo - label", "pseudo label", "pseudolabel", "pseudo - labels", "pseudo labels", "pseudolabels"]
    assert ["selfsupervised", "learning"] in phrase_variants("self-supervised learning")
    assert ["weak", "-", "to", "-", "strong"] in phrase_variants("weak to strong")


@pytest.mark.parametrize("text, reason", [
    ("Unlike self-supervised learning, our detector uses full labels.", "after 'unlike'"),
    ("We compare with prior work on self-supervised learning and win.", "after 'prior work'"),
    ("Our approach is self-supervised learning-free and simple.", "'-free' suffix"),
    ("Our detector beats self-supervised learning baselines.", "before 'baselines'"),
    ("Our detector beats self-supervised learning-based strong baselines.", "before 'baselines'"),
    # the cue window counts words, a hyphenated compound as one: 6 words back, not 12 tokens
    ("Compared with state-of-the-art zero-shot and few-shot self-supervised learning, we win.",
     "after 'compared with'"),
])
def test_passing_mentions_do_not_fire(ruleset, text, reason):
    votes, mentions = vote(ruleset, text)
    assert votes["ssl_phrase"] == PASSING
    assert mentions[0].passing == reason


@pytest.mark.parametrize("text, span", [
    ("We compare self- and semi-supervised learning on birds.", "self- and semi-supervised learning"),
    ("We compare Self-, semi- and weakly-supervised learning.", "Self-, semi- and weakly-supervised learning"),
    ("We compare self- or human-supervised learnings.", "self- or human-supervised learnings"),
])
def test_a_suspended_compound_is_read_whole(ruleset, text, span):
    """"self- and semi-supervised learning" is "self-supervised learning and semi-supervised learning"."""
    votes, mentions = vote(ruleset, text)
    assert votes["ssl_phrase"] == FIRED
    assert [m.text for m in mentions if m.rule == 0] == [span]
    assert vote(ruleset, f"Unlike {span}, we use labels.")[0]["ssl_phrase"] == PASSING


def test_only_a_list_makes_a_compound_suspended(ruleset):
    assert vote(ruleset, "We use self- and cross-attention learning.")[0]["ssl_phrase"] == ABSTAIN
    assert vote(ruleset, "We use self- supervised learning.")[0]["ssl_phrase"] == FIRED  # (a broken line's hyphen)
    votes = ruleset.apply(["Models trained by self-"], ["and semi-supervised learning."])
    assert votes.matrix[0, votes.rule_ids.index("ssl_phrase")] == ABSTAIN  # (not across the title's end)


def test_a_cue_before_a_colon_or_semicolon_does_not_reach_past_it(ruleset):
    assert vote(ruleset, "We add text.", title="Efficiency without Compromise: CLIP-aided GANs")[0]["clip_name"] == FIRED
    assert vote(ruleset, "Unlike GANs; we use self-supervised learning.")[0]["ssl_phrase"] == FIRED
    assert vote(ruleset, "Unlike GANs, we use self-supervised learning.")[0]["ssl_phrase"] == PASSING


def test_a_trailing_cue_counts_only_in_the_plural_and_within_two_words(ruleset):
    assert vote(ruleset, "We start from a self-supervised learning baseline.")[0]["ssl_phrase"] == FIRED
    assert vote(ruleset, "We use self-supervised learning of masks and beat baselines.")[0]["ssl_phrase"] == FIRED


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
    ruleset = RuleSet(parse_taxonomy(BACKGROUND, "t.yaml"))
    background = "Distillation speeds up diffusion. It loses detail. We propose a one-step sampler."
    votes, mentions = vote(ruleset, background)
    assert votes == {"kd": PASSING, "kd_everywhere": FIRED}
    assert mentions[0].passing == "background (before the first claim sentence)"
    assert vote(ruleset, background + " It is trained by distillation.")[0]["kd"] == FIRED
    assert vote(ruleset, "Distillation speeds up diffusion. It loses detail.")[0]["kd"] == FIRED  # no claim
    assert vote(ruleset, "We study speed.", title="Distillation for Diffusion")[0]["kd"] == FIRED  # title


def test_a_cue_further_back_than_the_window_leaves_the_mention_central(ruleset):
    text = "Unlike earlier detectors that need many boxes from human annotators, we use self-supervised learning."
    assert vote(ruleset, text)[0]["ssl_phrase"] == FIRED


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
    cues = CueSet(parse_taxonomy(TAXONOMY, "t.yaml").context)
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
    ruleset = RuleSet(parse_taxonomy(OWN_NAME % "true", "t.yaml"))
    title, abstract = "MoCo: A Toolkit for Model Collaboration", "We introduce MoCo, a library for LLM teams."
    votes, mentions = vote(ruleset, abstract, title=title)
    assert votes["moco"] == PASSING
    assert [m.passing for m in mentions] == ["the paper's own name"] * 2
    # a new name built on a known one is not the known one, and regex matches are exempt
    assert vote(ruleset, "We pretrain with MoCo.", title="G-MoCo: Graph Contrast")[0]["moco"] == FIRED
    assert vote(ruleset, "We adapt CLIP to captions.", title="MultiCapCLIP: Captions")[0]["clip_name"] == FIRED
    # but a bare acronym in capitals that a regex matches whole is the known name reused
    dataset = vote(ruleset, "This dataset, which we call CLIP, holds notes.", title="CLIP: A Dataset of Notes")
    assert dataset[0]["clip_name"] == PASSING
    off = RuleSet(parse_taxonomy(OWN_NAME % "false", "t.yaml"))
    assert vote(off, abstract, title=title)[0]["moco"] == FIRED


def test_a_sentence_naming_the_papers_method_is_a_claim(ruleset):
    abstract = "Results are good. MERA then learns the latent space with a pretext task."
    assert vote(ruleset, abstract, title="MERA: Lung nodules")[0]["ssl_claim"] == FIRED
    assert vote(ruleset, abstract, title="Lung nodules")[0]["ssl_claim"] == PASSING
    defined = "We propose a nodule model (MERA). Results are good. MERA then learns with a pretext task."
    assert vote(ruleset, defined, title="Lung nodules")[0]["ssl_claim"] == FIRED


def test_where_title_or_claim_needs_a_claim_sentence(ruleset):
    background = "Many methods rely on a pretext task. Results are good."
    claimed = "Results are good. In this paper we propose a new pretext task."
    assert vote(ruleset, background)[0]["ssl_claim"] == PASSING
    assert vote(ruleset, claimed)[0]["ssl_claim"] == FIRED
    assert vote(ruleset, "Results are good.", title="A pretext task for video")[0]["ssl_claim"] == FIRED


def test_regex_case_sensitivity_and_unless(ruleset):
    assert vote(ruleset, "We adapt CLIP to remote sensing.")[0]["clip_name"] == FIRED
    assert vote(ruleset, "We film a video clip of cats.")[0]["clip_name"] == ABSTAIN
    votes, mentions = vote(ruleset, "We report the CLIP score of generated images.")
    assert votes["clip_name"] == PASSING and mentions[0].passing == "unless 'clip score'"
    votes, mentions = vote(ruleset, "We report CLIP-scores of generated images.")  # plural, hyphenated
    assert votes["clip_name"] == PASSING and mentions[0].passing == "unless 'clip-scores'"


def test_a_mention_across_lines_is_described_on_one_line():
    mention = Mention(rule=0, start=0, end=30, text="Prompt Tuning\n\nVision-language  models",
                      in_title=True, in_claim=True)
    assert mention.describe() == "'Prompt Tuning Vision-language models' (title)"


def test_token_pattern_and_min_count(ruleset):
    once = "We use knowledge distillation."
    twice = "We use knowledge distillation. Knowledge transfer helps small models."
    assert vote(ruleset, once)[0]["kd"] == PASSING
    assert vote(ruleset, twice)[0]["kd"] == FIRED


def test_mentions_carry_evidence_spans(ruleset):
    title = "Self-supervised learning at scale"
    votes = ruleset.apply([title], ["We train models."])
    (mention,) = [m for m in votes.mentions[0] if votes.rule_ids[m.rule] == "ssl_phrase"]
    text = f"{title}\n\nWe train models."
    assert text[mention.start:mention.end] == "Self-supervised learning"
    assert mention.in_title and mention.passing is None


def test_prefilters_never_change_the_votes(taxonomy):
    """Only the parts of documents where a phrase or pattern rule could match are tokenized, and
    only the regexes that an RE2 Set scan finds are run; the votes must be exactly those of
    tokenizing everything and running every regex."""
    import pandas as pd

    from tests.conftest import ROOT

    gold = pd.concat([pd.read_csv(ROOT / "data" / name) for name in ("arxiv_dev_gold.csv", "seed_gold.csv")])
    fast = RuleSet(taxonomy)
    slow = RuleSet(taxonomy)
    slow._tokenize_all = True
    assert fast._regex_set is not None and len(fast._regex_list) > 1
    slow._regex_set = None
    titles, abstracts = gold["title"].tolist(), gold["abstract"].tolist()
    fast_votes, slow_votes = fast.apply(titles, abstracts), slow.apply(titles, abstracts)
    assert (fast_votes.matrix == slow_votes.matrix).all()
    assert fast_votes.mentions == slow_votes.mentions
    tokenized = [fast.token_windows(text, text.lower()) for text in abstracts]
    assert 0 < sum(map(bool, tokenized)) < len(abstracts)
    assert sum(end - start for windows in tokenized for start, end in windows) < sum(map(len, abstracts)) / 2


def test_windows_find_plural_ies_and_overlapping_phrases(ruleset):
    """The pre-filter finds "strategies" for "strategy", and both of two phrases starting at the
    same word ("self-supervised" and "self-supervised learning")."""
    votes, mentions = vote(ruleset, "Two pretext strategies help. We use self-supervised learning here.")
    assert votes["ssl_strategy"] == FIRED and votes["ssl_phrase"] == FIRED and votes["ssl_short"] == FIRED
    assert "'self-supervised learning' (body)" in [m.describe() for m in mentions]


def test_windows_give_the_votes_of_tokenizing_everything_with_token_patterns(ruleset):
    texts = ["Knowledge distillation, and again knowledge transfer, " + "filler words " * 30 +
             "then knowledge distillation once more.", "Self-supervised learning; knowledge  transfer."]
    everything = RuleSet(ruleset.taxonomy)
    everything._tokenize_all = True
    fast, slow = ruleset.apply(["T"] * 2, texts), everything.apply(["T"] * 2, texts)
    assert (fast.matrix == slow.matrix).all() and fast.mentions == slow.mentions
    assert fast.matrix[0, fast.rule_ids.index("kd")] == FIRED


def test_min_count_anywhere_overrides_where(ruleset):
    once = "Results are good. A masked autoencoder helps."
    twice = "A masked autoencoder helps. Another masked autoencoder helps more."
    assert vote(ruleset, once)[0]["ssl_twice"] == PASSING
    assert vote(ruleset, twice)[0]["ssl_twice"] == FIRED


def test_rules_sharing_a_regex_each_vote_by_their_own_settings():
    """Rules with the same regex are matched in one pass; each still gets its own votes."""
    taxonomy = parse_taxonomy("""
tags:
  - id: clip
    name: CLIP
    description: clip
    rules:
      - {id: in_title, regex: '\\bCLIP\\b', case_sensitive: true, where: title}
      - {id: anywhere, regex: '\\bCLIP\\b', case_sensitive: true}
      - {id: any_case, regex: '\\bCLIP\\b'}
""", "t.yaml")
    ruleset = RuleSet(taxonomy)
    votes = ruleset.apply(["A paper", "CLIP for maps"], ["We adapt CLIP and a clip.", "We adapt it."])
    rows = [dict(zip(votes.rule_ids, row)) for row in votes.matrix]
    assert rows[0] == {"in_title": PASSING, "anywhere": FIRED, "any_case": FIRED}
    assert rows[1] == {"in_title": FIRED, "anywhere": FIRED, "any_case": FIRED}
    assert sorted(votes.rule_ids[m.rule] for m in votes.mentions[0]) == ["any_case", "any_case", "anywhere", "in_title"]


def test_regexes_too_big_for_one_set_still_vote():
    """Two regex rules that each compile, but not together in one RE2 Set within the memory
    limit: each scans on its own, with the same votes."""
    names = [f"model{i}x{i * 7919 % 100003}" for i in range(20000)]
    half = len(names) // 2
    text = (f"tags:\n  - id: a\n    name: A\n    description: a\n    rules:\n"
            f"      - {{id: first, regex: '\\b({'|'.join(names[:half])})\\b'}}\n"
            f"      - {{id: second, regex: '\\b({'|'.join(names[half:])})\\b'}}\n")
    ruleset = RuleSet(parse_taxonomy(text, "big.yaml"))
    assert ruleset._regex_set is None and len(ruleset._regex_list) == 2
    votes = ruleset.apply(["T", "T", "T"], [f"We use {names[3]}.", f"We use {names[-2]}.", "Nothing here."])
    rows = [dict(zip(votes.rule_ids, row)) for row in votes.matrix]
    assert rows == [{"first": FIRED, "second": ABSTAIN}, {"first": ABSTAIN, "second": FIRED},
                    {"first": ABSTAIN, "second": ABSTAIN}]


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


def test_a_long_mention_is_shown_by_its_start_and_end():
    text = "image " + "word " * 40 + "caption"
    shown = Mention(rule=0, start=0, end=len(text), text=text, in_title=False, in_claim=False).describe()
    assert shown.startswith("'image word") and shown.endswith("word caption' (body)") and " … " in shown
    assert len(shown) < len(text)
