"""Tests of taxotag.options."""

import pytest

from taxotag.errors import InputFileError
from taxotag.options import DEFAULT_CORPUS, DEFAULT_GOLD, DEFAULT_SEED_PAPERS, DEFAULT_TAXONOMY, check_encoding
from tests.conftest import ROOT


def test_the_default_paths_are_the_projects_embedded_files():
    for path in (DEFAULT_TAXONOMY, DEFAULT_CORPUS, DEFAULT_SEED_PAPERS, *DEFAULT_GOLD):
        assert (ROOT / path).is_file(), path


@pytest.mark.parametrize("name", ["utf-8", "cp1252", "latin-1", "UTF-16", "utf_8_sig"])
def test_an_encoding_python_knows_is_kept_as_given(name):
    assert check_encoding(name) == name


def test_an_unknown_encoding_is_an_input_error_with_examples():
    with pytest.raises(InputFileError, match=r"unknown encoding 'utf-9'; examples: utf-8, cp1252"):
        check_encoding("utf-9")
