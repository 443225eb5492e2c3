"""Tests of taxotag.cli.commands."""

import gzip
import io
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from taxotag.cli.parser import main
from taxotag.model.artifacts import load_model
from taxotag.taxonomy.loading import parse_taxonomy
from tests.conftest import MINIMAL_TAXONOMY, ROOT, run_cli


def test_import_tag_evaluate_explain_end_to_end(capsys, tmp_path, taxonomy, trained_model_dir):
    model = ["--model", trained_model_dir, "--taxonomy", taxonomy.path]
    papers = tmp_path / "papers.jsonl"
    code, out, _ = run_cli(capsys, "import", *sorted((ROOT / "data" / "seeds").glob("*.txt")), "-o", papers)
    assert (code, out.strip()) == (0, f"imported 165 papers from 3 file(s) -> {papers}")

    tagged = tmp_path / "tagged.csv"
    code, out, _ = run_cli(capsys, "tag", papers, "-o", tagged, *model)
    assert code == 0 and out.startswith("tagged 165 abstracts")
    frame = pd.read_csv(tagged, keep_default_na=False)
    assert list(frame.columns[:3]) == ["id", "title", "tags"]
    assert [f"score_{t}" for t in taxonomy.tag_ids] == [c for c in frame.columns if c.startswith("score_")]
    assert "evidence" in frame.columns and "sources" in frame.columns
    row = frame.set_index("id").loc["s001"]  # VLANet: weakly-supervised video moment retrieval
    assert "weakly_supervised" in row["tags"].split(";")
    assert row["score_weakly_supervised"] >= 0.5
    assert "weak_terms" in row["evidence"]
    for tags, *scores in frame[["tags", *[f"score_{t}" for t in taxonomy.tag_ids]]].itertuples(index=False):
        given = {t for t, s in zip(taxonomy.tag_ids, scores) if s >= 0.5}
        assert given == set(filter(None, tags.split(";")))
    per_tag = {t: sum(t in tags.split(";") for tags in frame["tags"]) for t in taxonomy.tag_ids}
    assert out.splitlines()[1] == "documents per tag: " + ", ".join(f"{t} {n}" for t, n in per_tag.items())

    code, out, _ = run_cli(capsys, "evaluate", "--gold", ROOT / "data" / "seed_gold.csv", "--json", *model)
    result = json.loads(out)
    assert result["documents"] == 165
    assert result["ignored_columns"] == ["active_learning", "few_zero_shot"]
    assert result["unevaluated_tags"] == []
    assert set(result["tags"]) == {*taxonomy.tag_ids, "macro"}
    assert set(result["tags"]["clip_style"]) == {"rules", "model", "combined"}
    assert 0 <= result["tags"]["semi_supervised"]["rules"]["precision"] <= 1

    code, out, _ = run_cli(capsys, "explain", "s001", "--input", papers, *model)
    assert code == 0
    assert out.splitlines()[0].startswith("s001: VLANet")
    assert "weakly_supervised: GIVEN" in out and "rule weak_terms:" in out


def test_evaluate_names_the_tags_a_gold_file_has_no_column_for(capsys, tmp_path, taxonomy, trained_model_dir):
    gold = pd.read_csv(ROOT / "data" / "seed_gold.csv", dtype=str, keep_default_na=False)
    partial = tmp_path / "partial_gold.csv"
    gold[["id", "title", "abstract", "clip_style", "distillation"]].rename(
        columns={"distillation": "distilation"}).to_csv(partial, index=False)  # (a misspelt column)
    code, out, _ = run_cli(capsys, "evaluate", "--gold", partial, "--model", trained_model_dir,
                       "--taxonomy", taxonomy.path)
    assert code == 0 and "| clip_style | combined |" in out and "| distillation |" not in out
    others = [tag for tag in taxonomy.tag_ids if tag != "clip_style"]
    assert out.splitlines()[-2:] == ["gold columns not in the taxonomy, ignored: distilation",
                                     f"taxonomy tags with no gold column, not evaluated: {', '.join(others)}"]


OWN_TAXONOMY = """
tags:
  - id: diffusion
    name: Diffusion models
    description: Generates with a diffusion model.
    rules: [{phrase: [diffusion model, latent diffusion]}]
"""


def test_training_a_taxonomy_of_ones_own_leaves_out_the_default_gold_that_does_not_fit(capsys, tmp_path, monkeypatch,
                                                                                        small_corpus):
    """The default gold files fit the default taxonomy; with another, training used to end in an
    error after all its work, and the model was not saved."""
    (tmp_path / "data").mkdir()
    shutil.copy(ROOT / "data" / "seed_gold.csv", tmp_path / "data")  # (and no arXiv gold file)
    (tmp_path / "own.yaml").write_text(OWN_TAXONOMY)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, "train", "--taxonomy", "own.yaml", "--corpus", small_corpus)
    lines = out.splitlines()
    assert code == 0 and lines[0].endswith("-> models/default/")
    assert lines[1:] == [] or lines[1].startswith("on the training corpus, held back by policy (model_adds: ")
    left_out = "not evaluated (name gold files with --gold)"
    assert err.splitlines() == [  # (the missing arXiv file goes unmentioned: outside the demo folder, none is there)
        f"Note: default gold data/seed_gold.csv: no column matches a taxonomy tag (diffusion); {left_out}"]
    assert load_model(tmp_path / "models" / "default", parse_taxonomy(OWN_TAXONOMY, "own.yaml")).tag_ids == ["diffusion"]

    shutil.rmtree(tmp_path / "models")
    code, _, err = run_cli(capsys, "train", "--taxonomy", "own.yaml", "--corpus", small_corpus, "--gold", "data/seed_gold.csv")
    assert (code, err) == (1, "Error: data/seed_gold.csv: no column matches a taxonomy tag (diffusion)\n")
    assert [path.name for path in (tmp_path / "models").iterdir()] == []  # (checked first: nothing labelled, cached)


def test_rules_with_gold_prints_one_row_per_rule(capsys, taxonomy, small_corpus):
    code, out, _ = run_cli(capsys, "rules", "--taxonomy", taxonomy.path, "--corpus", small_corpus,
                       "--gold", ROOT / "data" / "seed_gold.csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].split()[:6] == ["rule", "tag", "kind", "coverage", "passing", "overlaps"]
    assert "precision" in lines[1]
    rule_count = sum(len(tag.rules) for tag in taxonomy.tags)
    assert lines[2 + rule_count] == ""  # then the legend of the columns
    assert lines[3 + rule_count].startswith("coverage: share of corpus abstracts where the rule fired")
    assert "precision: correct / (correct + incorrect), with its 95% Wilson interval." in out


def test_validate_ok_and_broken(capsys, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(MINIMAL_TAXONOMY)
    assert run_cli(capsys, "validate", good) == (0, f"{good}: OK (1 tags, 1 rules)\n", "")
    # as the other commands name it, too
    assert run_cli(capsys, "validate", "--taxonomy", good) == (0, f"{good}: OK (1 tags, 1 rules)\n", "")
    assert run_cli(capsys, "validate", good, "--taxonomy", tmp_path / "other.yaml") == (
        1, "", f"Error: two taxonomy files named ({good}, {tmp_path / 'other.yaml'}); name one\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL_TAXONOMY.replace("active learning}", "active learning, wieght: 2}"))
    code, out, err = run_cli(capsys, "validate", bad)
    assert (code, out) == (1, "")
    assert err == (f"Error: {bad}: 1 problem in the taxonomy:\n"
                   "  line 6: tag 'active_learning', rule 1: tags.0.rules.0.wieght: unknown key 'wieght'\n")


def test_a_taxonomy_path_that_is_missing_or_a_folder_is_one_line(capsys, tmp_path):
    assert run_cli(capsys, "validate", tmp_path) == (1, "", f"Error: {tmp_path}: is a folder, not a file\n")
    missing = tmp_path / "taxonomy.yaml"
    assert run_cli(capsys, "validate", missing) == (1, "", f"Error: {missing}: no such file\n")


def test_an_output_that_cannot_be_written_is_refused_before_the_work(capsys, tmp_path, taxonomy, trained_model_dir):
    """An output inside a path that is a file (as a read-only or missing folder would be, also for
    root) is one line naming it, before tagging, training or reading starts."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    model = ["--model", trained_model_dir, "--taxonomy", taxonomy.path]
    papers = ROOT / "data" / "seed_papers.jsonl"
    commands = {"o.csv": ["tag", papers, "-o", blocker / "o.csv", *model],
                "e.csv": ["tag", papers, "-o", tmp_path / "o.csv", "--errors", blocker / "e.csv", *model],
                "p.jsonl": ["import", *sorted((ROOT / "data" / "seeds").glob("*.txt")), "-o", blocker / "p.jsonl"],
                "report.html": ["report", "--out", blocker, *model],
                "model": ["train", "--model", blocker / "model", "--taxonomy", taxonomy.path]}
    for name, command in commands.items():
        code, out, err = run_cli(capsys, *command)
        assert (code, out) == (1, "")
        assert err.startswith(f"Error: {blocker / name}: cannot write there (") and "Traceback" not in err
    assert not (tmp_path / "o.csv").exists()


def test_outside_the_project_folder_the_default_taxonomy_is_named_as_missing(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command in (["run"], ["validate"]):
        code, out, err = run_cli(capsys, *command)
        assert (code, out) == (1, "")
        assert err == (f"Error: taxonomy.yaml: not in the current folder ({tmp_path}); run taxotag in the project "
                       "folder, or name the files with --taxonomy (and --model)\n")
    for command in (["tag", "x.jsonl", "-o", "o.csv"], ["rules"]):  # (these could use the model's copy)
        code, out, err = run_cli(capsys, *command)
        assert (code, out) == (1, "")
        assert err == (f"Error: taxonomy.yaml: not in the current folder ({tmp_path}), and models/default keeps "
                       "no taxonomy; name it with --taxonomy (and the model with --model)\n")
    assert run_cli(capsys, "validate", ROOT / "taxonomy.yaml")[0] == 0


def test_skipped_rows_are_reported_and_written(capsys, tmp_path, taxonomy, trained_model_dir):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "title": "Self-supervised learning", "abstract": "We propose it."}\n'
                      "not json\n")
    errors = tmp_path / "errors.csv"
    code, out, err = run_cli(capsys, "tag", source, "-o", tmp_path / "o.csv", "--errors", errors,
                         "--model", trained_model_dir, "--taxonomy", taxonomy.path)
    assert code == 0 and out.startswith("tagged 1 abstract ")
    assert f"{source}, line 2: invalid JSON" in err
    assert pd.read_csv(errors)["line"].tolist() == [2]


def test_an_output_that_would_replace_an_input_is_refused_and_the_input_kept(capsys, tmp_path, taxonomy,
                                                                               trained_model_dir):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "title": "Self-supervised learning", "abstract": "We propose it."}\n')
    before = source.read_bytes()
    model = ["--model", trained_model_dir, "--taxonomy", taxonomy.path]
    for outputs in (["-o", source], ["-o", tmp_path / "o.csv", "--errors", source],
                    ["-o", tmp_path / "o.csv", "--errors", tmp_path / "o.csv"]):
        code, out, err = run_cli(capsys, "tag", source, *outputs, *model)
        assert (code, out) == (1, "") and "is the same file as" in err and "Traceback" not in err
    assert source.read_bytes() == before and not (tmp_path / "o.csv").exists()

    listing = tmp_path / "listing.txt"
    listing.write_text("A title\n\nAn abstract.\n")
    code, out, err = run_cli(capsys, "import", listing, "-o", listing)
    assert code == 1 and f"Error: {listing}: is the same file as {listing}" in err
    assert listing.read_text() == "A title\n\nAn abstract.\n"


def test_rules_show_prints_a_rules_matches_in_context(capsys, taxonomy, small_corpus):
    code, out, _ = run_cli(capsys, "rules", "--taxonomy", taxonomy.path, "--corpus", small_corpus, "--show", "pseudo_labels",
                       "--examples", 2, "--gold", ROOT / "data" / "seed_gold.csv")
    assert code == 0
    lines = out.splitlines()
    (rule,) = [rule for tag in taxonomy.tags for rule in tag.rules if rule.id == "pseudo_labels"]
    assert lines[0].startswith(f"rule pseudo_labels (tag semi_supervised, phrase 'pseudo-label "
                               f"(+{len(rule.phrases) - 1})'): fired in ")
    headings = [line for line in lines if line.endswith(":") and not line.startswith(" ")]
    assert [h.split(" (")[0] for h in headings] == ["fired", "matched, did not fire",
                                                    "fired on gold documents not labelled semi_supervised"]
    documents = [line for line in lines if line.startswith("  ") and not line.startswith("    ")]
    assert 0 < len(documents) <= 6
    mentions = [line for line in lines if line.startswith("    ")]
    assert mentions and all(re.search(r"^    (title|claim|body)(, passing: .+)?: \.\.\..*\[[^]]+\].*\.\.\.$", line)
                            for line in mentions), mentions

    code, out, err = run_cli(capsys, "rules", "--taxonomy", taxonomy.path, "--corpus", small_corpus, "--show", "nope")
    assert code == 1 and err.startswith("Error: no rule 'nope'; the rules are: ssl_terms, ")


def test_evaluate_show_errors_lists_every_false_positive_and_negative(capsys, taxonomy, trained_model_dir):
    options = ["--gold", ROOT / "data" / "seed_gold.csv", "--model", trained_model_dir, "--taxonomy", taxonomy.path]
    code, out, _ = run_cli(capsys, "evaluate", "--json", "--show-errors", *options)
    result = json.loads(out)
    for tag in taxonomy.tag_ids:
        combined = result["tags"][tag]["combined"]
        errors = result["errors"][tag]
        assert [e["kind"] for e in errors] == (["false positive"] * combined["fp"] + ["false negative"] * combined["fn"])
        assert all(e["given by"] in ("rules", "model", "implied") for e in errors if e["kind"] == "false positive")
        assert all(re.match(r"(held back by policy: )?rule score \S+ < min_score \S+; model |excluded by ", e["decision"])
                   for e in errors if e["kind"] == "false negative")

    code, out, _ = run_cli(capsys, "evaluate", "--show-errors", *options)
    text = out.split("Errors of the combined system:")[1]
    for tag in taxonomy.tag_ids:
        combined = result["tags"][tag]["combined"]
        assert f"{tag}: {combined['fp']} false positive(s), {combined['fn']} false negative(s)" in text
    assert len(re.findall(r"^  F[PN] s\d{3}  ", text, re.M)) == sum(len(e) for e in result["errors"].values())
    negatives = sum(result["tags"][tag]["combined"]["fn"] for tag in taxonomy.tag_ids)
    assert len(re.findall(r"^       not given: (held back by policy: rule score|rule score|excluded by) ", text,
                          re.M)) == negatives > 0


def test_tag_and_explain_read_the_files_own_column_names(capsys, tmp_path, taxonomy, trained_model_dir):
    source = tmp_path / "export.csv"
    source.write_text("paperId,title,summary\nW1,Self-supervised learning of speech,"
                      "We propose a self-supervised objective for speech.\n")
    model = ["--model", trained_model_dir, "--taxonomy", taxonomy.path]
    code, out, _ = run_cli(capsys, "tag", source, "-o", tmp_path / "o.csv", "--columns", "id=paperId, abstract=summary",
                       *model)
    assert code == 0
    tagged = pd.read_csv(tmp_path / "o.csv", keep_default_na=False)
    assert tagged["id"].tolist() == ["W1"] and "self_supervised" in tagged["tags"][0]
    code, out, _ = run_cli(capsys, "explain", "W1", "--input", source, "--columns", "id=paperId,abstract=summary", *model)
    assert code == 0 and "self_supervised: GIVEN" in out
    with pytest.raises(SystemExit):
        main(["tag", str(source), "-o", "x.csv", "--columns", "summary=abstract"])
    assert "expected id=NAME, title=NAME or abstract=NAME" in capsys.readouterr().err
    code, _, err = run_cli(capsys, "tag", source, "-o", tmp_path / "o2.csv", *model)
    assert code == 1 and err.endswith("found paperId, title, summary; try --columns id=paperId,abstract=summary\n")
    (tmp_path / "other.csv").write_text("ref,name,text\na,T,A.\n")  # (names no export uses: the general hint)
    code, _, err = run_cli(capsys, "tag", tmp_path / "other.csv", "-o", tmp_path / "o3.csv", *model)
    assert code == 1 and err.endswith("found ref, name, text; --columns can name the file's own ones, "
                                      "e.g. --columns abstract=summary\n")


def test_evaluate_reads_a_gold_file_with_its_own_column_names(capsys, tmp_path, taxonomy, trained_model_dir):
    gold = pd.read_csv(ROOT / "data" / "seed_gold.csv", dtype=str).head(40)
    gold.rename(columns={"id": "paperId", "abstract": "summary"}).to_csv(tmp_path / "gold.csv", index=False)
    model = ["--model", trained_model_dir, "--taxonomy", taxonomy.path, "--json"]
    code, out, _ = run_cli(capsys, "evaluate", "--gold", tmp_path / "gold.csv", "--columns",
                       "id=paperId,abstract=summary", *model)
    assert code == 0
    gold.to_csv(tmp_path / "same.csv", index=False)
    assert run_cli(capsys, "evaluate", "--gold", tmp_path / "same.csv", *model)[1] == out.replace("gold.csv", "same.csv")


def test_tag_writes_gzip_when_the_output_is_named_csv_gz(capsys, tmp_path, taxonomy, trained_model_dir):
    model = ["--model", trained_model_dir, "--taxonomy", taxonomy.path, "--chunk-size", 50]
    papers = ROOT / "data" / "seed_papers.jsonl"
    assert run_cli(capsys, "tag", papers, "-o", tmp_path / "o.csv", *model)[0] == 0
    assert run_cli(capsys, "tag", papers, "-o", tmp_path / "o.csv.gz", *model)[0] == 0
    assert gzip.decompress((tmp_path / "o.csv.gz").read_bytes()) == (tmp_path / "o.csv").read_bytes()
    code, out, err = run_cli(capsys, "tag", papers, "-o", tmp_path / "o.json", *model)
    assert code == 1 and "o.json: name the output .csv, .jsonl or .parquet (.csv.gz or .jsonl.gz to compress" in err
    code, out, err = run_cli(capsys, "tag", papers, "-o", tmp_path / "p.csv", "--errors", tmp_path / "e.txt", *model)
    assert code == 1 and "e.txt: the output is CSV; name it .csv (or .csv.gz to compress it)" in err
    assert not (tmp_path / "o.json").exists() and not (tmp_path / "p.csv").exists()


def test_tag_writes_json_lines_and_parquet_with_the_same_tags_and_scores_as_the_csv(capsys, tmp_path, taxonomy,
                                                                                    trained_model_dir):
    """A `.jsonl` or `.parquet` output: tags as a list, numbers as numbers, the input's lists as lists."""
    model = ["--model", trained_model_dir, "--taxonomy", taxonomy.path, "--chunk-size", 500]
    papers = tmp_path / "in.jsonl"
    with gzip.open(ROOT / "data" / "arxiv_sample.jsonl.gz", "rt", encoding="utf-8") as sample:
        papers.write_text("".join(itertools.islice(sample, 1200)), encoding="utf-8")
    assert run_cli(capsys, "tag", papers, "-o", tmp_path / "o.csv", *model)[0] == 0
    assert run_cli(capsys, "tag", papers, "-o", tmp_path / "o.jsonl", *model)[0] == 0
    assert run_cli(capsys, "tag", papers, "-o", tmp_path / "o.parquet", *model)[0] == 0
    table = pd.read_csv(tmp_path / "o.csv", keep_default_na=False)
    records = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    inputs = [json.loads(line) for line in papers.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(table) == 1200 and sum(bool(r["tags"]) for r in records) > 100
    for record, row, given in zip(records, table.to_dict(orient="records"), inputs):
        assert record["id"] == row["id"] and record["tags"] == (row["tags"].split(";") if row["tags"] else [])
        assert record["score_distillation"] == row["score_distillation"] and record["evidence"] == row["evidence"]
        assert record["categories"] == given["categories"] == json.loads(row["categories"])
        assert "abstract" not in record
    assert pq.read_table(tmp_path / "o.parquet").to_pylist() == records
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_import_and_errors_write_the_format_their_names_say(capsys, tmp_path, taxonomy, trained_model_dir):
    """`import -o` writes JSONL or CSV, gzipped for a .gz name, and `tag` reads each back; any other
    name is refused before anything is written (a .txt would be read back as a listing)."""
    listings = sorted((ROOT / "data" / "seeds").glob("*.txt"))
    for name in ("p.jsonl", "p.jsonl.gz", "p.csv", "p.csv.gz"):
        assert run_cli(capsys, "import", *listings, "-o", tmp_path / name)[0] == 0
    assert gzip.decompress((tmp_path / "p.csv.gz").read_bytes()) == (tmp_path / "p.csv").read_bytes()
    assert gzip.decompress((tmp_path / "p.jsonl.gz").read_bytes()) == (tmp_path / "p.jsonl").read_bytes()
    code, _, err = run_cli(capsys, "import", *listings, "-o", tmp_path / "p.txt")
    assert code == 1 and "p.txt: name the output .csv or .jsonl (optionally .gz" in err and not (tmp_path / "p.txt").exists()

    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "title": "T", "abstract": "A"}\n{not json\n')
    model = ["--model", trained_model_dir, "--taxonomy", taxonomy.path]
    code, out, _ = run_cli(capsys, "tag", tmp_path / "p.csv.gz", tmp_path / "p.jsonl.gz", broken, "-o",
                       tmp_path / "o.csv", "--errors", tmp_path / "e.csv.gz", *model)
    assert code == 0 and out.startswith("tagged 166 abstracts")  # (the second file's ids are duplicates)
    errors = pd.read_csv(tmp_path / "e.csv.gz")
    assert len(errors) == 166 and errors["problem"].iloc[-1].startswith("invalid JSON")
    assert errors["problem"].iloc[0] == f"duplicate id 's000' (the first one, in {tmp_path / 'p.csv.gz'}, is kept)"


def test_several_listing_files_get_one_run_of_ids_and_explain_reads_them_alike(capsys, tmp_path, taxonomy,
                                                                              trained_model_dir):
    model = ["--model", trained_model_dir, "--taxonomy", taxonomy.path]
    listings = sorted((ROOT / "data" / "seeds").glob("*.txt"))
    assert run_cli(capsys, "tag", *listings, "-o", tmp_path / "o.csv", *model)[0] == 0
    frame = pd.read_csv(tmp_path / "o.csv", keep_default_na=False)
    assert frame["id"].is_unique and len(frame) > 165  # (a paper in two listings is in both)
    last = frame.iloc[-1]
    code, out, _ = run_cli(capsys, "explain", last["id"], "--input", *listings, *model)
    assert code == 0 and out.splitlines()[0] == f"{last['id']}: {last['title']}"


def test_a_file_in_another_encoding_gets_a_hint_and_is_read_with_encoding(capsys, tmp_path, taxonomy,
                                                                          trained_model_dir):
    source = tmp_path / "excel.csv"
    source.write_bytes("id,title,abstract\na,Self\u2013supervised learning,We propose it.\n".encode("cp1252"))
    model = ["--model", trained_model_dir, "--taxonomy", taxonomy.path]
    code, out, err = run_cli(capsys, "tag", source, "-o", tmp_path / "o.csv", *model)
    assert (code, out) == (1, "") and not (tmp_path / "o.csv").exists()  # (no record read: an error, no output)
    assert err == (f"Error: {source}: no record could be read: all 1 were skipped, the first at line 2: not UTF-8; "
                   "name the file's encoding with --encoding, e.g. --encoding cp1252 for a spreadsheet saved as CSV "
                   "on Windows\n")
    code, out, err = run_cli(capsys, "tag", source, "-o", tmp_path / "o.csv", "--encoding", "cp1252", *model)
    assert code == 0 and err == ""
    assert pd.read_csv(tmp_path / "o.csv")["tags"].tolist() == ["self_supervised"]
    gold = tmp_path / "gold.csv"
    gold.write_bytes("id,title,abstract,self_supervised\na,Caf\u00e9,We propose it.,0\n".encode("cp1252"))
    code, out, err = run_cli(capsys, "evaluate", "--gold", gold, *model)
    assert code == 1 and "not UTF-8" in err and "--encoding" in err
    assert run_cli(capsys, "evaluate", "--gold", gold, "--encoding", "cp1252", *model)[0] == 0
    latin_taxonomy = tmp_path / "taxonomy.yaml"  # --encoding is for the inputs: no hint for the taxonomy
    latin_taxonomy.write_bytes(Path(taxonomy.path).read_text(encoding="utf-8").replace("#", "# \u00e9", 1)
                               .encode("cp1252"))
    code, out, err = run_cli(capsys, "tag", source, "-o", tmp_path / "o.csv", "--taxonomy", latin_taxonomy,
                         "--model", trained_model_dir)
    assert code == 1 and "not UTF-8 text" in err and "--encoding" not in err
    with pytest.raises(SystemExit):
        main(["tag", str(source), "-o", str(tmp_path / "o.csv"), "--encoding", "klingon"])
    assert "unknown encoding 'klingon'" in capsys.readouterr().err


def test_tag_reads_standard_input_and_writes_standard_output(tmp_path, taxonomy, trained_model_dir):
    """`-` as the input (gzipped here) and as the output, in a real pipe; the summary goes to stderr,
    and a reader that stops early (`| head`) ends the run quietly."""
    papers = ROOT / "data" / "seed_papers.jsonl"
    model = ["--model", str(trained_model_dir), "--taxonomy", str(taxonomy.path), "--chunk-size", "20"]
    command = [sys.executable, "-m", "taxotag", "tag", "-", "--format", "jsonl", "-o", "-", *model]
    done = subprocess.run(command, input=gzip.compress(papers.read_bytes()), capture_output=True, timeout=120)
    assert done.returncode == 0 and done.stderr.decode().startswith("tagged 165 abstracts")
    assert "-> standard output" in done.stderr.decode()
    assert _tag_to_file(tmp_path, papers, model) == done.stdout  # (the same CSV as a file output)
    done = subprocess.run(command + ["--output-format", "jsonl"], input=papers.read_bytes(), capture_output=True,
                          timeout=120)
    assert done.returncode == 0 and _tag_to_file(tmp_path, papers, model, "file.jsonl") == done.stdout

    many = tmp_path / "many.jsonl"  # 3,300 rows: far more output than a pipe holds, so the run is still writing
    records = [json.loads(line) for line in papers.read_text(encoding="utf-8").splitlines()]
    many.write_text("".join(json.dumps({**r, "id": f"{r['id']}-{k}"}) + "\n" for k in range(20) for r in records))
    with open(many, "rb") as source:
        reader = subprocess.Popen(command, stdin=source, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first_line = reader.stdout.readline()
    reader.stdout.close()  # as `head -1` does
    assert reader.wait(timeout=120) == 141 and first_line.startswith(b"id,title,tags,")
    assert reader.stderr.read() == b""


def _tag_to_file(tmp_path, papers, model, name="file.csv") -> bytes:
    out = tmp_path / name
    subprocess.run([sys.executable, "-m", "taxotag", "tag", str(papers), "-o", str(out), *model], check=True,
                   capture_output=True, timeout=120)
    return out.read_bytes()


def test_standard_input_needs_a_format_is_read_once_and_reports_lines_as_stdin(capsys, monkeypatch, tmp_path,
                                                                              taxonomy, trained_model_dir):
    model = ["--model", trained_model_dir, "--taxonomy", taxonomy.path]

    def stdin(data: bytes):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))

    stdin(b"")
    assert run_cli(capsys, "tag", "-", "-o", tmp_path / "o.csv", *model) == (
        1, "", "Error: -: the format of standard input is not known; name it with --format "
               "(jsonl, json, csv, tsv, bib, ris, wos, txt or xml)\n")
    code, _, err = run_cli(capsys, "tag", "-", "-", "--format", "jsonl", "-o", tmp_path / "o.csv", *model)
    assert code == 1 and "standard input can be read only once" in err
    code, _, err = run_cli(capsys, "tag", "-", "--format", "jsonl", "-o", tmp_path / "o.csv", "--resume", *model)
    assert code == 1 and "cannot be resumed" in err
    code, _, err = run_cli(capsys, "tag", "-", "--format", "parquet", "-o", tmp_path / "o.csv", *model)
    assert code == 1 and "Parquet cannot be read from standard input" in err

    stdin("id,title,abstract\na,Self-supervised learning,We propose it.\nb,two fields\n".encode("utf-16"))
    code, out, err = run_cli(capsys, "tag", "-", "--format", "csv", "-o", tmp_path / "o.csv", *model)
    assert code == 0 and "<stdin>, line 3: 2 fields, the header has 3" in err
    assert pd.read_csv(tmp_path / "o.csv")["tags"].tolist() == ["self_supervised"]

    response = {"total": 2, "data": [{"paperId": "x1", "title": "Self-supervised learning", "abstract": "We propose it."},
                                      {"paperId": "x2", "title": "Knowledge distillation", "abstract": None}]}
    stdin(gzip.compress(json.dumps(response, indent=2).encode()))
    code, out, err = run_cli(capsys, "tag", "-", "--format", "json", "--columns", "id=paperId", "-o", tmp_path / "o.csv",
                         *model)
    assert (code, err) == (0, "title only: 1 record(s) have no abstract (missing or empty); their title alone is "
                              "read\n")
    assert pd.read_csv(tmp_path / "o.csv")[["id", "tags"]].values.tolist() == [["x1", "self_supervised"],
                                                                               ["x2", "distillation"]]
    stdin(b"@article{he2022, title={Masked Autoencoders Are Scalable Vision Learners}}\n"
          b"TY  - JOUR\nTI  - Not BibTeX\nER  -\n")
    code, out, err = run_cli(capsys, "tag", "-", "--format", "bib", "-o", tmp_path / "o.csv", *model)
    assert (code, err) == (0, "title only: 1 record(s) have no abstract (missing or empty); their title alone is "
                              "read\n")
    assert pd.read_csv(tmp_path / "o.csv")[["id", "tags"]].values.tolist() == [["he2022", "self_supervised"]]
    stdin(json.dumps(response).encode())  # (without --columns: no record has an id)
    code, out, err = run_cli(capsys, "tag", "-", "--format", "json", "-o", tmp_path / "none.csv", *model)
    assert (code, err) == (1, "Error: <stdin>: no record could be read: the first one has no id (its keys: "
                              "paperId, title, abstract); try --columns id=paperId\n")
    assert not (tmp_path / "none.csv").exists()

    stdin(gzip.compress((ROOT / "data" / "seed_papers.jsonl").read_bytes())[:300])  # (cut short)
    code, _, err = run_cli(capsys, "tag", "-", "--format", "jsonl", "-o", tmp_path / "cut.csv", *model)
    assert code == 1 and err.startswith("Error: <stdin>: cannot read (") and not (tmp_path / "cut.csv").exists()

    listing = sorted((ROOT / "data" / "seeds").glob("*.txt"))[0]
    stdin(listing.read_bytes())
    code, out, _ = run_cli(capsys, "explain", "p001", "--input", "-", "--format", "txt", *model)
    assert code == 0 and out.startswith("p001: ")
    renamed = tmp_path / "listing.dat"  # --format also reads a file whatever its name
    renamed.write_bytes(listing.read_bytes())
    assert run_cli(capsys, "explain", "p001", "--input", renamed, "--format", "txt", *model)[1] == out


def test_tag_with_abstract_writes_each_records_abstract_after_its_title(capsys, tmp_path, taxonomy,
                                                                        trained_model_dir):
    model = ["--model", trained_model_dir, "--taxonomy", taxonomy.path]
    papers = ROOT / "data" / "seed_papers.jsonl"
    inputs = [json.loads(line) for line in papers.read_text(encoding="utf-8").splitlines()]
    assert run_cli(capsys, "tag", papers, "-o", tmp_path / "plain.csv", *model)[0] == 0
    for name in ("o.csv", "o.parquet"):
        assert run_cli(capsys, "tag", papers, "-o", tmp_path / name, "--with-abstract", *model)[0] == 0
    table = pd.read_csv(tmp_path / "o.csv", keep_default_na=False)
    assert list(table.columns[:4]) == ["id", "title", "abstract", "tags"]
    assert table["abstract"].tolist() == [paper["abstract"] for paper in inputs]
    assert table.drop(columns="abstract").equals(pd.read_csv(tmp_path / "plain.csv", keep_default_na=False))
    assert pq.read_table(tmp_path / "o.parquet").column_names[:4] == ["id", "title", "abstract", "tags"]


def test_train_fit_gold_scores_the_fitted_gold_out_of_fold(capsys, tmp_path, taxonomy, small_corpus):
    gold = ROOT / "data" / "seed_gold.csv"
    model = tmp_path / "gold_fitted"
    code, out, _ = run_cli(capsys, "train", "--taxonomy", taxonomy.path, "--corpus", small_corpus, "--model", model,
                       "--gold", gold, "--fit-gold", gold, "--gold-weight", "5")
    assert code == 0
    assert f"also fitted on the gold of {gold} (weight 5)" in out
    assert f"## {gold} (out-of-fold: the model was fitted on this gold)" in out
    manifest = json.loads((model / "manifest.json").read_text())
    (entry,) = manifest["fit_gold"]["files"]
    assert (manifest["fit_gold"]["weight"], entry["path"], entry["documents"]) == (5.0, str(gold), 165)
    # the out-of-fold figures are below the in-sample ones that `evaluate` gives, and evaluate says so
    code, out, err = run_cli(capsys, "evaluate", "--taxonomy", taxonomy.path, "--model", model, "--gold", gold, "--json")
    in_sample = json.loads(out)["tags"]
    assert "the model was fitted on this gold file" in err and "in-sample" in err
    out_of_fold = manifest["metrics"][str(gold)]
    assert all(in_sample[tag]["combined"]["f1"] >= out_of_fold[tag]["f1"] for tag in taxonomy.tag_ids)
    assert any(in_sample[tag]["combined"]["f1"] > out_of_fold[tag]["f1"] for tag in taxonomy.tag_ids)


def test_train_fit_gold_refuses_gold_that_lacks_a_tag_or_has_other_labels(capsys, tmp_path, taxonomy, small_corpus):
    frame = pd.read_csv(ROOT / "data" / "seed_gold.csv")
    frame.drop(columns=["clip_style"]).to_csv(tmp_path / "no_clip.csv", index=False)
    frame.assign(distillation=["yes"] + frame["distillation"].astype(str).tolist()[1:]).to_csv(
        tmp_path / "bad.csv", index=False)
    frame.assign(distillation=[""] + frame["distillation"].astype(str).tolist()[1:]).to_csv(
        tmp_path / "blank.csv", index=False)
    for name, message in [
        ("no_clip.csv", "no column for tag 'clip_style'; gold that the model is fitted on needs a 0/1 column for "
                        "every tag"),
        ("bad.csv", f"1 gold label(s) are not 0 or 1 (or blank, not labelled yet): row 1, id '{frame['id'][0]}', "
                    "column 'distillation': 'yes'"),
        ("blank.csv", f"row 1, id '{frame['id'][0]}', column 'distillation' is blank; gold that the model is fitted "
                      "on needs a 0/1 label in every cell"),
    ]:
        code, _, err = run_cli(capsys, "train", "--taxonomy", taxonomy.path, "--corpus", small_corpus,
                           "--model", tmp_path / "m", "--gold", "--fit-gold", tmp_path / name)
        assert code == 1 and err.startswith(f"Error: {tmp_path / name}: ") and message in err, err
        assert not (tmp_path / "m").exists()


def test_reading_no_record_is_an_error_in_every_command(capsys, tmp_path, taxonomy, trained_model_dir):
    model = ["--model", trained_model_dir, "--taxonomy", taxonomy.path]
    for name, text, why in (("empty.jsonl", "", "no records in it (read as jsonl)"),
                            ("header.csv", "id,title,abstract\n", "no records in it (read as csv)"),
                            ("papers.txt", "a,b\n1,2\n", "no records in it (read as listing)"),
                            ("refs.bib", "% a comment, no entry\n", "not a BibTeX file: no entry")):
        source = tmp_path / name
        source.write_text(text)
        for command in (["tag", source, "-o", tmp_path / "o.csv", *model], ["import", source, "-o", tmp_path / "o.jsonl"],
                        ["sample", source, "-o", tmp_path / "s.csv", *model], ["explain", "x", "--input", source, *model],
                        ["rules", "--corpus", source, "--taxonomy", taxonomy.path],
                        ["train", "--corpus", source, "--model", tmp_path / "m", "--taxonomy", taxonomy.path]):
            code, out, err = run_cli(capsys, *command)
            assert (code, out) == (1, ""), (name, command[0])
            assert err.startswith(f"Error: {source}: {why}"), (name, command[0], err)
        assert not any((tmp_path / output).exists() for output in ("o.csv", "o.jsonl", "s.csv", "m"))


def test_import_reads_any_format_by_its_name(capsys, tmp_path):
    bib = tmp_path / "papers.bib"
    bib.write_text("@article{he2022, title={Masked Autoencoders}, abstract={We mask patches.}}\n")
    code, out, _ = run_cli(capsys, "import", bib, "-o", tmp_path / "papers.jsonl")
    assert code == 0 and out.startswith("imported 1 papers")
    (record,) = [json.loads(line) for line in (tmp_path / "papers.jsonl").read_text().splitlines()]
    assert (record["id"], record["title"], record["abstract"]) == ("he2022", "Masked Autoencoders", "We mask patches.")


def _in_terminal(command, cwd) -> str:
    """What a command prints in a terminal of 120 columns (a pseudo-terminal), carriage returns as new lines."""
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, cwd=cwd)
    os.close(slave)
    output = b""
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # (the terminal closed)
            break
        if not data:
            break
        output += data
    process.wait()
    os.close(master)
    return output.decode("utf-8", "replace").replace("\r", "\n")


def test_tag_shows_its_progress_by_bytes_in_a_terminal_and_stays_quiet_elsewhere(tmp_path, taxonomy,
                                                                                 trained_model_dir, small_corpus):
    command = [sys.executable, "-m", "taxotag", "tag", str(small_corpus), "-o", str(tmp_path / "o.csv"),
               "--chunk-size", "500", "--jobs", "1", "--model", str(trained_model_dir), "--taxonomy", taxonomy.path]
    shown = _in_terminal(command, tmp_path)
    size = small_corpus.stat().st_size / 1e6
    assert re.search(rf"tagging: 100%\|[^|]*\| {size:.2f}M/{size:.2f}M \[[\d:]+<[\d:]+, [^\]]*2,500 abstracts\]", shown)
    assert re.search(r"tagging: +\d\d?%\|[^|]*\| [\d.]+[kM]?/[\d.]+M \[[\d:]+<", shown)  # (before the end: the time left)
    quiet = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "tagging:" not in quiet.stderr and quiet.stderr == ""
