"""Tests of taxotag.readers.typography."""

import pytest

from taxotag.readers.typography import plain_text
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
