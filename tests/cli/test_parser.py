"""Tests of taxotag.cli.parser."""

import pytest

from taxotag.cli.parser import build_parser, main
from tests.conftest import run_cli


def test_every_command_has_help():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert set(commands) == {"run", "train", "retrain", "tag", "evaluate", "rules", "report", "explain", "validate",
                             "import", "sample", "init"}
    for name, sub in commands.items():
        assert sub.description, name


def test_version(capsys):
    from importlib import metadata

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0 and capsys.readouterr().out == f"taxotag {metadata.version('taxotag')}\n"


def test_user_errors_print_one_line_and_no_traceback(capsys, tmp_path, taxonomy, trained_model_dir):
    code, out, err = run_cli(capsys, "tag", tmp_path / "missing.jsonl", "-o", tmp_path / "o.csv",
                         "--model", trained_model_dir, "--taxonomy", taxonomy.path)
    assert (code, err) == (1, f"Error: {tmp_path / 'missing.jsonl'}: no such file\n")
    assert not (tmp_path / "o.csv").exists()
    code, out, err = run_cli(capsys, "tag", tmp_path, "-o", tmp_path / "o.csv",
                         "--model", trained_model_dir, "--taxonomy", taxonomy.path)
    assert (code, err) == (1, f"Error: {tmp_path}: is a folder, not a file\n")
    code, out, err = run_cli(capsys, "tag", tmp_path / "x.jsonl", "-o", tmp_path / "o.csv",
                         "--model", tmp_path / "nomodel", "--taxonomy", taxonomy.path)
    assert code == 1 and "no trained model here" in err and "Traceback" not in err
    corpus = tmp_path / "broken.jsonl"
    corpus.write_text('{"id": 1}\n')
    code, out, err = run_cli(capsys, "rules", "--corpus", corpus, "--taxonomy", taxonomy.path)
    assert (code, err) == (1, f"Error: {corpus}: no record could be read: the first one has no title, abstract "
                              "(its keys: id); --columns can name the file's own ones, e.g. --columns abstract=summary\n")
    corpus.write_text('{"id": 1, "title": "", "abstract": ""}\n')
    code, out, err = run_cli(capsys, "rules", "--corpus", corpus, "--taxonomy", taxonomy.path)
    assert (code, err) == (1, f"Error: {corpus}: no record could be read: all 1 were skipped, the first at line 1: "
                              "id '1' has neither title nor abstract\n")


@pytest.mark.parametrize("option", ["--chunk-size", "--jobs"])
@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_counts_must_be_whole_numbers_of_at_least_one(capsys, option, value):
    with pytest.raises(SystemExit) as exit_info:
        main(["tag", "in.jsonl", "-o", "out.csv", option, value])
    assert exit_info.value.code == 2
    assert f"{option}: expected a whole number of at least 1, got '{value}'" in capsys.readouterr().err
