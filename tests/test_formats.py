"""Tests of taxotag.formats."""

import pytest

from taxotag.cli.parser import build_parser
from taxotag.errors import InputFileError, OutputNameError
from taxotag.formats import (INPUT_FORMAT_NAMES, INPUT_FORMATS, OUTPUT_NAMES, STDIN_FORMAT_NAMES, STREAM_FORMATS,
                             input_format_of, input_kind, output_format_of, streamed_format_of)


@pytest.mark.parametrize("form", [form for form in INPUT_FORMATS if form.suffixes], ids=lambda form: form.name)
def test_every_ending_of_an_input_format_says_its_reader_with_or_without_gzip_in_any_case(form):
    for suffix in form.suffixes:
        for name in (f"papers{suffix}", f"papers{suffix}.gz", f"PAPERS{suffix.upper()}.GZ"):
            assert input_format_of(f"some/folder/{name}") == form.kind, name
    assert input_kind(form.name) == form.kind


def test_an_unknown_input_ending_is_an_error_that_lists_every_ending():
    with pytest.raises(InputFileError) as info:
        input_format_of("papers.docx")
    message = str(info.value)
    assert message.startswith("papers.docx: unknown input format; use .jsonl, .json, .csv")
    assert all(form.suffixes[0] in message for form in INPUT_FORMATS if form.suffixes)


def test_standard_input_can_hold_every_format_but_parquet():
    assert set(INPUT_FORMAT_NAMES) - set(STDIN_FORMAT_NAMES) == {"parquet"}


def test_output_names_say_their_format_and_only_streamed_formats_may_be_gzipped():
    assert output_format_of("out/tagged.csv") == "csv"
    assert output_format_of("tagged.JSONL.gz") == "jsonl"
    assert output_format_of("tagged.parquet") == "parquet"
    assert output_format_of("tagged.parquet.gz") is None
    assert output_format_of("tagged.xlsx") is None
    assert OUTPUT_NAMES == ".csv, .jsonl or .parquet (.csv.gz or .jsonl.gz to compress it)"


def test_a_streamed_output_must_be_csv_or_json_lines():
    assert streamed_format_of("x.csv.gz") == "csv"
    with pytest.raises(OutputNameError, match=r"x.parquet: name the output .csv or .jsonl \(optionally .gz"):
        streamed_format_of("x.parquet")


def test_the_command_lines_format_choices_are_the_registrys():
    commands = build_parser()._subparsers._group_actions[0].choices
    choices = {action.dest: action.choices for action in commands["tag"]._actions if action.choices}
    assert tuple(choices["input_format"]) == INPUT_FORMAT_NAMES
    assert tuple(choices["output_format"]) == STREAM_FORMATS
    assert "parquet" in commands["tag"].format_help()
