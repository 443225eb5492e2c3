"""Tests of taxotag.evaluation.sampling."""

import json

import numpy as np
import pandas as pd
import pytest

from taxotag.cli.parser import main
from taxotag.evaluation.sampling import SAMPLED_AS, STRATA, Reservoir, draw_sample
from taxotag.model.artifacts import load_model
from taxotag.readers.documents import read_documents
from taxotag.tagging.tagger import Tagger


def test_a_reservoir_keeps_a_uniform_sample_of_its_size():
    kept = np.zeros(100)
    for seed in range(400):
        reservoir = Reservoir(10, np.random.default_rng(seed))
        for item in range(100):
            reservoir.offer(item)
        assert len(set(reservoir.items)) == 10 and reservoir.seen == 100
        kept[reservoir.items] += 1
    assert kept.sum() == 4000 and 20 < kept.min() and kept.max() < 65  # each about 40 times
    small = Reservoir(10, np.random.default_rng(0))
    for item in range(3):
        small.offer(item)
    assert small.items == [0, 1, 2]


@pytest.fixture(scope="module")
def tagger(trained_model_dir, taxonomy):
    return Tagger(taxonomy, load_model(trained_model_dir, taxonomy))


def test_each_drawn_paper_is_in_the_strata_it_names(tagger, small_corpus):
    sheet = draw_sample(tagger, read_documents(small_corpus, chunk_size=700), per_stratum=4, at_random=5)
    assert sheet["id"].is_unique and list(sheet.columns) == ["id", "title", "abstract", *tagger.taxonomy.tag_ids,
                                                             SAMPLED_AS]
    assert (sheet[tagger.taxonomy.tag_ids] == "").all().all()
    reasons = sheet[SAMPLED_AS].str.split("; ").explode()
    assert (reasons == "random").sum() == 5
    counts = reasons[reasons != "random"].value_counts()
    assert counts.max() == 4 and len(counts) >= 2 * len(tagger.taxonomy.tag_ids)
    predictions = tagger.predict(sheet["title"].tolist(), sheet["abstract"].tolist())
    for row, drawn_for in enumerate(sheet[SAMPLED_AS]):
        for reason in drawn_for.split("; "):
            if reason == "random":
                continue
            tag, stratum = reason.split(": ")
            assert stratum in STRATA
            j = tagger.taxonomy.tag_ids.index(tag)
            given = bool(predictions.combined[row, j])
            mentioned = bool(predictions.votes.tag_mentions(row, tag))
            model_yes = predictions.probabilities[row, j] >= tagger.thresholds[j] and not predictions.rules[row, j]
            assert {"given": given, "mentioned, not given": mentioned and not given, "model only": model_yes}[stratum]


def test_the_same_seed_draws_the_same_papers(tagger, small_corpus):
    first, again, other = (draw_sample(tagger, read_documents(small_corpus), 3, 3, seed) for seed in (0, 0, 1))
    assert first.equals(again) and not first["id"].equals(other["id"])


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
