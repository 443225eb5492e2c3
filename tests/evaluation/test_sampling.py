"""Tests of taxotag.evaluation.sampling."""

import numpy as np
import pytest

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
