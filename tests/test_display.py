"""Tests of taxotag.display."""

from taxotag.display import normalise, short_title


def test_normalise_makes_every_run_of_white_space_one_space():
    assert normalise("  self-\tsupervised\n\n learning ") == "self- supervised learning"


def test_a_short_title_is_kept_and_a_long_one_cut_to_the_width_with_an_ellipsis():
    assert short_title("A  title\nover lines") == "A title over lines"
    exact = "x" * 100
    assert short_title(exact) == exact
    cut = short_title("y" * 101)
    assert len(cut) == 100 and cut.endswith("…") and cut[:99] == "y" * 99
    assert short_title("abcdefgh", width=5) == "abcd…"
