"""Tests of taxotag.cli.hints."""

import json
import shutil

from taxotag.cli.hints import columns_option, hint
from taxotag.cli.parser import main
from taxotag.errors import MissingColumnsError, OutputWriteError, StaleModelError
from tests.conftest import ROOT


def test_a_stale_model_gets_retrain_and_allow_stale_unless_tags_were_added_or_removed():
    edited = StaleModelError("m: trained with another version", {"edited": ["x"]}, usable=True)
    assert hint(edited, {}) == "; run `taxotag retrain`, or pass --allow-stale to use it anyway"
    renamed = StaleModelError("m: trained with another version", {"added": ["y"]}, usable=False)
    assert "--allow-stale cannot help" in hint(renamed, {"allow_stale": True})


def test_a_suggestion_of_columns_is_shown_only_when_the_user_named_none():
    error = MissingColumnsError("f.csv: missing abstract", {"id": "EID", "abstract": "Abstract Note"})
    assert hint(error, {"columns": None}) == "; try --columns 'id=EID,abstract=Abstract Note'"
    assert hint(error, {"columns": {"abstract": "summary"}}) == ""
    assert columns_option({"abstract": "paperAbstract"}) == "--columns abstract=paperAbstract"


def test_a_resumable_write_error_says_to_resume_and_others_say_nothing_more():
    assert hint(OutputWriteError("o.csv: disk full; the complete chunks are kept", resumable=True), {}) == \
        ": make room and run the same command with --resume"
    assert hint(OutputWriteError("o.csv: disk full"), {}) == ""


def test_the_cli_prints_the_model_hints(tmp_path, capsys, trained_model_dir):
    taxonomy = ["--taxonomy", str(ROOT / "taxonomy.yaml")]
    assert main(["evaluate", "--gold", str(ROOT / "data/seed_gold.csv"), "--model", str(tmp_path), *taxonomy]) == 1
    assert capsys.readouterr().err.endswith("(manifest.json is missing); run `taxotag run` or `taxotag train` first\n")
    old = tmp_path / "old"
    shutil.copytree(trained_model_dir, old)
    manifest = json.loads((old / "manifest.json").read_text())
    (old / "manifest.json").write_text(json.dumps({**manifest, "format_version": 1}))
    assert main(["evaluate", "--gold", str(ROOT / "data/seed_gold.csv"), "--model", str(old), *taxonomy]) == 1
    assert capsys.readouterr().err.endswith("; run `taxotag train` to make a model with this version of taxotag\n")
