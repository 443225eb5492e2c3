"""Tests of taxotag.readers.typography."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taxotag.readers.typography import PLAIN, plain_text
from taxotag.rules.votes import ABSTAIN, FIRED
from tests.conftest import vote


@pytest.mark.parametrize("hyphen", ["\u2010", "\u2011", "\u2013", "\uff0d", "\u00ad-"])
def test_unicode_hyphens_soft_hyphens_and_ligatures_read_as_their_plain_forms(small_rules, hyphen):
    """Text from PDFs and publishers' pages has Unicode hyphens (U+2010), soft hyphens, ligatures (U+FB01)."""
    title = f"Self{hyphen}supervised learning for \ufb01ne\u00adgrained birds"
    votes, mentions = vote(small_rules, f"We show that self{hyphen}super\u00advised learning helps.", title=title)
    assert votes["ssl_phrase"] == FIRED
    assert [(m.describe(), m.in_title) for m in mentions if m.rule == 0] == [
        ("'Self-supervised learning' (title)", True), ("'self-supervised learning' (body)", False)]
    assert plain_text(title) == "Self-supervised learning for finegrained birds"
    assert vote(small_rules, "A self\u2014supervised learning.")[0]["ssl_phrase"] == ABSTAIN  # an em dash is not a hyphen


def test_a_latex_en_dash_between_letters_reads_as_a_hyphen(small_rules):
    """arXiv abstracts are LaTeX: "self--supervised" is how an en dash is typed there."""
    votes, mentions = vote(small_rules, "We show that self--supervised learning helps.")
    assert votes["ssl_phrase"] == FIRED
    assert [m.describe() for m in mentions if m.rule == 0] == ["'self-supervised learning' (body)"]
    assert plain_text("a--b, a---b, a -- b, 1--2, --flag") == "a-b, a---b, a -- b, 1--2, --flag"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aZ1 -\u2010\u2013\u00ad\u00a0\ufb01\u2014\u00e9", max_size=30))
def test_plain_text_is_the_mapping_of_each_character(text):
    """plain_text (a fast search for `--`, a regex for the characters to map) is the plain
    definition: `--` between letters as `-`, then str.translate(PLAIN)."""
    expected = re.sub(r"(?<=[A-Za-z])--(?=[A-Za-z])", "-", text).translate(PLAIN)
    assert plain_text(text) == expected


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
