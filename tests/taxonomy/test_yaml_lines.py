"""Tests of taxotag.taxonomy.yaml_lines."""

import pytest

from taxotag.errors import TaxonomyError
from taxotag.taxonomy.loading import parse_taxonomy
from tests.conftest import MINIMAL_TAXONOMY, problems_of


def test_yaml_syntax_error_reports_line_and_column():
    with pytest.raises(TaxonomyError, match=r"line 3, column \d+: YAML syntax error"):
        parse_taxonomy("tags:\n  - id: a\n    name: a: b\n", "t.yaml")


def test_key_given_twice_is_an_error_not_a_silent_override():
    text = MINIMAL_TAXONOMY + "    name: Another name\n"
    assert problems_of(text) == ["line 7: duplicate key 'name' (first on line 4)"]


def test_alias_bomb_is_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("tags: *a8")
    with pytest.raises(TaxonomyError, match="alias bomb"):
        parse_taxonomy("\n".join(lines), "bomb.yaml")
