"""What the default taxonomy's rules decide on their own (no model): central uses give a tag;
name clashes, stray mentions and look-alikes (noisy pseudo-labels, prompts for multimodal LLMs)
do not."""

import pytest

from taxotag.rules.labels import resolve_labels
from taxotag.rules.matching import RuleSet


@pytest.fixture(scope="module")
def ruleset(taxonomy):
    return RuleSet(taxonomy)


def rule_tags(ruleset, title, abstract):
    votes = ruleset.apply([title], [abstract])
    given = resolve_labels(ruleset.taxonomy, votes)[0]
    return {tag for tag, on in zip(ruleset.taxonomy.tag_ids, given) if on}


@pytest.mark.parametrize("title, abstract, tag", [
    ("Adapting CLIP to Remote Sensing", "We fine-tune the image encoder on aerial scenes.", "clip_style"),
    ("Text-Video Retrieval with CLIP4Clip", "We extend CLIP4Clip with temporal tokens.", "clip_style"),
    ("Domain-Agnostic Segmentation", "We present a pixel-text loss that uses domain-agnostic text embeddings. "
     "The embeddings come from a frozen CLIP model.", "clip_style"),
    ("Open-Vocabulary Detection", "With ALIGN as its teacher, the detector finds more open-vocabulary classes.",
     "clip_style"),
    ("Learning with Noisy Labels", "We propose a loss robust to corrupted annotations.", "weakly_supervised"),
    ("A Compact Detector", "We propose knowledge distillation from a large teacher.", "distillation"),
    # a regex with a space finds its words on two lines of a wrapped abstract
    ("A Compact Detector", "We propose a distilled\nstudent for edge devices.", "distillation"),
    ("Point-Supervised Small Target Detection", "We generate pseudo-labels from the annotated points.",
     "weakly_supervised"),
    ("Retrieval Models", "We train on noisy entity annotated images mined from the web.", "weakly_supervised"),
    ("Continued Pre-training", "Our approach continues unsupervised pre-training on task texts.",
     "self_supervised"),
    ("Test-Time Prompt Tuning for Vision-Language Models", "We make the prompts robust to shifts.", "clip_style"),
    ("Memory Banks", "We propose a cache for test-time adaptation of VLMs to new domains.", "clip_style"),
    # two body mentions of one tag's terms count together, even when they are different terms
    ("Pre-training Encoders", "Encoders learn from self-supervision. Masked language modeling is the objective.",
     "self_supervised"),
    ("Slide Classification", "Slides come with slide-level labels only. Multiple instance learning handles "
     "this weakly supervised setting.", "weakly_supervised"),
    # graph-based semi-supervised learning
    ("Node Classification", "This paper learns the initial values on the unlabeled nodes.", "semi_supervised"),
    ("Minimal Annotation", "We develop a label propagation method over pre-trained embeddings.",
     "semi_supervised"),
    # coarser labels than the output, said with "only"
    ("Person Re-Identification", "We propose to locate body parts at pixel level only with person identity labels.",
     "weakly_supervised"),
    ("3D Pose in the Wild", "We propose a pose estimator trained with only 2D pose annotations.",
     "weakly_supervised"),
    # a body sentence that names the method the abstract defines says what the paper does
    ("Subgraph Retrieval for Question Answering", "This paper proposes a trainable subgraph retriever (SR). "
     "Via weakly supervised pre-training, SR achieves the best results.", "weakly_supervised"),
])
def test_a_central_use_gives_the_tag(ruleset, title, abstract, tag):
    assert tag in rule_tags(ruleset, title, abstract)


@pytest.mark.parametrize("title, abstract, tag", [
    ("ALIGN: Word Association Learning for Language Models", "We propose ALIGN for cross-cultural reasoning.",
     "clip_style"),
    ("CLAP: Cross-Layer Attention Probing", "We introduce CLAP to detect hallucinations in LLM outputs.",
     "clip_style"),
    ("Fast Image Editing", "We edit images with a diffusion model. Edits keep a high CLIP similarity.", "clip_style"),
    ("Subject-Driven Generation", "We propose a LoRA method. Our method improves CLIP-T and CLIP-I over "
     "prior methods; image quality by CLIP-IQA is unchanged.", "clip_style"),
    ("Text-to-Image Reward Models", "We study image-text alignment of text-to-image generators.", "clip_style"),
    ("Text-to-3D Generation", "We optimise a radiance field with score distillation sampling.", "distillation"),
    ("Preference Optimisation", "We propose a selective DPO. It beats distillation-based baselines.",
     "distillation"),
    ("One-Step Image Generation", "Distillation makes diffusion fast but costs quality. We propose a "
     "one-step generator trained with an adversarial loss.", "distillation"),
    ("Essay Scoring", "We propose a scorer. Crowd grades carry label noise, which we measure.",
     "weakly_supervised"),
    ("Source-Free Domain Adaptation", "We propose a reweighting of pseudo-labels that reduces their label noise.",
     "weakly_supervised"),
    ("Safety Prompts", "We apply prompt tuning to MLLMs and other VLMs.", "clip_style"),
    ("MoCo: A Toolkit for Model Collaboration", "We present MoCo, a toolkit in which language models "
     "work together.", "self_supervised"),
    ("Few Labels", "We propose a classifier that reaches 90% accuracy with only 20 labels per class.",
     "weakly_supervised"),
    # an acronym of the field or of a plural is not the paper's method: the sentence stays a body one
    ("CT Foundation Models", "We introduce a model for computed tomography (CT). CT scans come with weak "
     "supervision from reports.", "weakly_supervised"),
    ("Sub-Concepts of Web Videos", "We propose a method (SPL) for web videos. SPL is orthogonal to "
     "self-training frameworks.", "semi_supervised"),
    ("CLIP: A Dataset of Action Items from Discharge Notes", "This dataset, which we call CLIP, is annotated "
     "by physicians.", "clip_style"),
    ("Semi-Supervised Video Object Segmentation", "We track the objects whose masks the first frame gives.",
     "semi_supervised"),
    # in a title written in capitals, case cannot tell the CLIP and ALIGN names from the words
    ("LEARNING TO CLIP AND ALIGN LONG VIDEOS", "We propose a model that cuts long videos into short clips.",
     "clip_style"),
])
def test_a_name_clash_stray_mention_or_look_alike_does_not(ruleset, title, abstract, tag):
    assert tag not in rule_tags(ruleset, title, abstract)


def test_a_title_in_capitals_still_gives_tags_by_case_insensitive_rules_and_its_abstract(ruleset):
    assert rule_tags(ruleset, "SELF-SUPERVISED LEARNING OF VIDEO CLIPS", "We pretrain on clips.") == {"self_supervised"}
    assert "clip_style" in rule_tags(ruleset, "ADAPTING VISION-LANGUAGE MODELS",
                                     "We propose a prompt learning method for CLIP.")
