"""Tests of taxotag.jobs.api."""

import json
import shutil

import pandas as pd
import pytest

import taxotag
from taxotag.cli.parser import main
from taxotag.errors import MissingColumnsError
from taxotag.model.artifacts import read_manifest
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def tagger(trained_model_dir):
    return taxotag.Tagger.load(trained_model_dir)


def test_a_tagger_loads_from_the_model_folder_alone_and_tags_a_dataframe(tagger):
    frame = pd.DataFrame({
        "Title": ["Masked autoencoders for video", "A study of bridges", "Knowledge distillation for detectors"],
        "ABSTRACT": ["We propose self-supervised learning with masked autoencoders on unlabeled video.",
                     None, float("nan")],
        "year": [2021, 2022, 2023],
    })
    out = tagger.tag(frame)
    assert list(out["id"]) == ["1", "2", "3"]  # (no id column: row numbers)
    assert "self_supervised" in out["tags"][0].split(";")
    assert out["tags"][1] == ""
    assert "distillation" in out["tags"][2].split(";")  # (a missing abstract: the title alone)
    assert list(out["year"]) == [2021, 2022, 2023]
    assert {f"score_{tag}" for tag in tagger.taxonomy.tag_ids} <= set(out.columns)


def test_a_dataframe_without_titles_is_an_error_naming_its_columns(tagger):
    with pytest.raises(MissingColumnsError, match=r"no title column \(its columns: name, text\)"):
        tagger.tag(pd.DataFrame({"name": ["x"], "text": ["y"]}))


def test_train_takes_a_dataframe_and_evaluate_returns_the_table(tmp_path, small_corpus):
    records = [json.loads(line) for line in small_corpus.read_text("utf-8").splitlines()]
    frame = pd.DataFrame(records).rename(columns={"title": "Title"})
    training = taxotag.train(frame, taxonomy=ROOT / "taxonomy.yaml", model=tmp_path / "m")
    assert training.weak_positives(taxotag.load_taxonomy(ROOT / "taxonomy.yaml"))["distillation"] > 0
    assert (tmp_path / "m" / "taxonomy.yaml").read_text("utf-8") == (ROOT / "taxonomy.yaml").read_text("utf-8")
    table = taxotag.evaluate(ROOT / "data" / "seed_gold.csv", model=tmp_path / "m")
    macro = table[(table.tag == "macro") & (table.system == "combined")].iloc[0]
    assert 0.5 < macro.f1 <= 1 and macro.support > 100


def test_tag_with_the_model_alone_works_from_any_folder(capsys, tmp_path, monkeypatch, trained_model_dir):
    papers = tmp_path / "papers.csv"
    pd.DataFrame({"id": ["a"], "title": ["Knowledge distillation for detectors"],
                  "abstract": ["We distil a large teacher into a small student."]}).to_csv(papers, index=False)
    monkeypatch.chdir(tmp_path)  # (no taxonomy.yaml here)
    code = main(["tag", str(papers), "-o", "out.csv", "--model", str(trained_model_dir)])
    assert code == 0, capsys.readouterr().err
    assert pd.read_csv(tmp_path / "out.csv")["tags"][0] == "distillation"


def test_a_model_folder_without_its_taxonomy_copy_says_what_to_name(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["tag", "x.jsonl", "-o", "out.csv", "--model", "nowhere"])
    err = capsys.readouterr().err
    assert code == 1 and "taxonomy.yaml: not in the current folder" in err and "nowhere keeps no taxonomy" in err


def test_a_changed_taxonomy_copy_is_refused(tmp_path, trained_model_dir):
    copy = tmp_path / "model"
    shutil.copytree(trained_model_dir, copy)
    with open(copy / "taxonomy.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    with pytest.raises(taxotag.ModelError, match="sha256 does not match"):
        taxotag.Tagger.load(copy)


def test_rules_and_retrain_default_to_the_corpus_the_model_was_trained_on(capsys, tmp_path, monkeypatch,
                                                                         trained_model_dir, small_corpus):
    assert read_manifest(trained_model_dir).corpus.resolved == str(small_corpus.resolve())
    monkeypatch.chdir(tmp_path)
    code = main(["rules", "--model", str(trained_model_dir)])
    out = capsys.readouterr().out
    assert code == 0 and out.splitlines()[0] == f"rules on {small_corpus.resolve()}"
    code = main(["report", "--model", str(trained_model_dir), "--out", "rep"])  # (no gold here: corpus tags)
    assert code == 0 and "Tags on the training corpus" in (tmp_path / "rep" / "report.html").read_text("utf-8")
    model = tmp_path / "copy"
    shutil.copytree(trained_model_dir, model)
    code = main(["retrain", "--model", str(model), "--taxonomy", str(ROOT / "taxonomy.yaml"), "--out", "rep"])
    out = capsys.readouterr().out
    assert code == 0 and read_manifest(model).corpus.sha256 == read_manifest(trained_model_dir).corpus.sha256
