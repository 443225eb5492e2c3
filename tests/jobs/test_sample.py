"""Tests of taxotag.jobs.sample (and of `taxotag sample`, which calls it)."""

import json

import pandas as pd

from taxotag.cli.parser import main
from taxotag.evaluation.sampling import SAMPLED_AS
from taxotag.jobs.engines import TaggerSpec
from taxotag.jobs.sample import sample_for_labelling


def test_the_job_writes_the_sheet_and_says_what_it_read_and_left_out(tmp_path, taxonomy, trained_model_dir,
                                                                     small_corpus):
    spec = TaggerSpec(taxonomy.path, str(trained_model_dir))
    first = sample_for_labelling(spec, [small_corpus], tmp_path / "one.csv.gz", per_stratum=2, at_random=3)
    sheet = pd.read_csv(first.path, dtype=str, keep_default_na=False)
    assert first.path == tmp_path / "one.csv.gz" and sheet["id"].tolist() == first.sheet["id"].tolist()
    assert first.excluded == 0 and first.report.records == 2500 and SAMPLED_AS in sheet.columns
    second = sample_for_labelling(spec, [small_corpus], tmp_path / "two.csv", per_stratum=2, exclude=[first.path])
    assert second.excluded == len(sheet)
    assert not set(second.sheet["id"]) & set(sheet["id"])


def test_a_labelled_sheet_is_a_gold_file(capsys, tmp_path, taxonomy, trained_model_dir, small_corpus):
    """Sample, label (here: with the system's own tags), evaluate: every combined cell is 1.0."""
    model = ["--model", trained_model_dir, "--taxonomy", taxonomy.path]
    sheet_path = tmp_path / "to_label.csv"
    assert main(["sample", str(small_corpus), "-o", str(sheet_path), "--per-stratum", "3", *map(str, model)]) == 0
    out = capsys.readouterr().out
    assert f"-> {sheet_path}" in out and f"taxotag evaluate --gold {sheet_path}" in out
    sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False)
    tagged_path = tmp_path / "tagged.csv"
    assert main(["tag", str(sheet_path), "-o", str(tagged_path), *map(str, model)]) == 0
    tagged = pd.read_csv(tagged_path, dtype=str, keep_default_na=False).set_index("id").loc[sheet["id"]]
    for tag in taxonomy.tag_ids:
        sheet[tag] = [int(tag in tags.split(";")) for tags in tagged["tags"]]
    sheet.to_csv(sheet_path, index=False)
    capsys.readouterr()
    assert main(["evaluate", "--gold", str(sheet_path), "--json", *map(str, model)]) == 0
    result = json.loads(capsys.readouterr().out)
    for tag in taxonomy.tag_ids:
        combined = result["tags"][tag]["combined"]
        assert combined["fp"] == combined["fn"] == 0 and (combined["tp"] > 0 or combined["support"] == 0)


def test_sample_refuses_a_sheet_name_that_is_not_csv(capsys, tmp_path, taxonomy, trained_model_dir, small_corpus):
    code = main(["sample", str(small_corpus), "-o", str(tmp_path / "sheet.xlsx"),
                 "--model", str(trained_model_dir), "--taxonomy", str(taxonomy.path)])
    assert code == 1 and capsys.readouterr().err.startswith("Error: ")
    assert not (tmp_path / "sheet.xlsx").exists()


def test_papers_of_an_earlier_sheet_are_not_drawn_again(capsys, tmp_path, taxonomy, trained_model_dir, small_corpus):
    model = ["--model", str(trained_model_dir), "--taxonomy", str(taxonomy.path)]
    first, second = tmp_path / "round1.csv", tmp_path / "round2.csv"
    assert main(["sample", str(small_corpus), "-o", str(first), "--per-stratum", "2", *model]) == 0
    gold = tmp_path / "gold.csv"
    pd.DataFrame({"id": ["not-a-corpus-id"], "title": ["t"], "abstract": ["a"]}).to_csv(gold, index=False)
    # each --exclude takes one file, so the input may follow it
    assert main(["sample", "--exclude", str(first), "--exclude", str(gold), str(small_corpus), "-o", str(second),
                 "--per-stratum", "2", *model]) == 0
    drawn = [set(pd.read_csv(path, dtype=str)["id"]) for path in (first, second)]
    assert drawn[0] and drawn[1] and not drawn[0] & drawn[1]
    assert f"{len(drawn[0]) + 1:,} ids left out -> {second}" in capsys.readouterr().out
