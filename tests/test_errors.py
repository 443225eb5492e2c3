"""Tests of taxotag.errors."""

import inspect

import pytest

from taxotag import errors
from taxotag.errors import MissingColumnsError, OutputWriteError, StaleModelError, TaxonomyError, TaxotagError


def test_every_error_is_a_taxotag_error_so_that_the_cli_prints_it_as_one_line():
    classes = [value for value in vars(errors).values() if inspect.isclass(value) and issubclass(value, Exception)
               and value.__module__ == errors.__name__]
    assert len(classes) > 10 and all(issubclass(value, TaxotagError) for value in classes)


@pytest.mark.parametrize("problems, heading", [(["line 3: tag 'x': no rules"], "1 problem"),
                                              (["line 3: a", "line 9: b"], "2 problems")])
def test_a_taxonomy_error_lists_every_problem_under_a_count(problems, heading):
    error = TaxonomyError("t.yaml", problems)
    assert str(error) == f"t.yaml: {heading} in the taxonomy:\n" + "\n".join(f"  {p}" for p in problems)
    assert error.problems == problems and error.path == "t.yaml"


def test_errors_carry_what_the_cli_needs_to_say_what_to_type():
    stale = StaleModelError("stale", {"edited": ["ssl"]}, usable=True)
    assert (str(stale), stale.changes, stale.usable) == ("stale", {"edited": ["ssl"]}, True)
    missing = MissingColumnsError("no abstract", {"abstract": "AB"})
    assert missing.suggested == {"abstract": "AB"} and not missing.undecodable
    assert MissingColumnsError("no abstract").suggested == {}
    assert OutputWriteError("disk full", resumable=True).resumable
    assert not OutputWriteError("read-only").resumable
