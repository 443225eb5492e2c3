"""Tests of taxotag.writers.cells."""

import pytest

from taxotag.writers.cells import neutralise_cell, restore_cell


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised_and_restorable(value):
    assert neutralise_cell(value) == "'" + value
    assert restore_cell(neutralise_cell(value)) == value


def test_plain_text_and_numbers_pass_unchanged():
    assert neutralise_cell("Self-supervised") == "Self-supervised"
    assert neutralise_cell(-0.5) == -0.5
    assert restore_cell("'quoted title'") == "'quoted title'"
