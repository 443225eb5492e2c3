"""Tests of taxotag.taxonomy.token_patterns: spaCy's Matcher on our tokens, and spaCy loaded only
for a taxonomy that has a token pattern rule."""

import subprocess
import sys

from taxotag.rules.tokens import tokenize
from taxotag.taxonomy.token_patterns import TokenPatterns, english_vocab
from tests.conftest import ROOT


def test_a_pattern_matches_the_tokens_it_names_in_any_case():
    patterns = TokenPatterns()
    patterns.add(4, [{"LOWER": "knowledge"}, {"LOWER": {"IN": ["distillation", "transfer"]}}])
    tokens = tokenize("Knowledge Distillation, then knowledge transfer; knowledge graphs.")
    assert len(patterns) == 1
    assert list(patterns.find(tokens.words, tokens.spaces)) == [(4, 0, 2), (4, 4, 6)]


def test_the_vocabulary_is_made_once():
    assert english_vocab() is english_vocab()


SPACY_LOADED = """
import sys
from taxotag.rules.matching import RuleSet
from taxotag.taxonomy.loading import load_taxonomy, parse_taxonomy
ruleset = RuleSet(load_taxonomy(sys.argv[1]))
ruleset.apply(["Self-supervised learning"], ["We distill a teacher. CLIP features."])
print("spacy" in sys.modules)
ruleset = RuleSet(parse_taxonomy('''
tags:
  - id: distillation
    name: Distillation
    description: Distillation.
    rules:
      - {id: kd, pattern: [{LOWER: knowledge}, {LOWER: distillation}]}
'''))
votes = ruleset.apply(["Knowledge distillation"], [""])
print("spacy" in sys.modules, int(votes.matrix[0, 0]))
"""


def test_spacy_is_loaded_only_for_a_taxonomy_with_a_token_pattern_rule():
    shown = subprocess.run([sys.executable, "-c", SPACY_LOADED, str(ROOT / "taxonomy.yaml")], check=True,
                           capture_output=True, text=True, cwd=ROOT).stdout.split()
    assert shown == ["False", "True", "1"]
