"""Tests of taxotag.jobs.tag_files."""

import pandas as pd
import pytest

from taxotag.errors import StdinFormatError, TaxotagError
from taxotag.jobs.engines import TaggerSpec
from taxotag.jobs.tag_files import tag_files
from tests.conftest import ROOT

SEED_PAPERS = ROOT / "data" / "seed_papers.jsonl"


@pytest.fixture
def spec(taxonomy, trained_model_dir):
    return TaggerSpec(taxonomy.path, str(trained_model_dir))


def test_a_run_returns_what_it_tagged_and_its_counts_match_the_output(spec, taxonomy, tmp_path):
    out = tmp_path / "tagged.csv"
    run = tag_files(spec, [SEED_PAPERS], out, chunk_size=50, jobs=1, progress=False)
    tagged = pd.read_csv(out, keep_default_na=False)
    assert run.documents == len(tagged) and run.resumed_chunks == 0 and run.report.problems == []
    given = {tag: int(tagged["tags"].str.split(";").apply(lambda tags: tag in tags).sum()) for tag in taxonomy.tag_ids}
    assert dict(run.tag_counts) == {tag: count for tag, count in given.items() if count}


def test_two_inputs_make_one_output_and_the_abstract_can_be_kept(spec, tmp_path):
    out = tmp_path / "both.jsonl"
    run = tag_files(spec, [SEED_PAPERS, ROOT / "data" / "arxiv_dev_gold.csv"], out, jobs=1, progress=False,
                    with_abstract=True)
    rows = pd.read_json(out, lines=True, dtype=False)
    assert run.documents == len(rows) == 165 + 316 and rows["id"].is_unique
    assert list(rows.columns[:3]) == ["id", "title", "abstract"]


def test_resume_without_an_interrupted_run_tags_everything_again_to_the_same_output(spec, tmp_path):
    out = tmp_path / "tagged.csv"
    tag_files(spec, [SEED_PAPERS], out, chunk_size=50, jobs=1, progress=False)
    first = out.read_bytes()
    again = tag_files(spec, [SEED_PAPERS], out, chunk_size=50, jobs=1, progress=False, resume=True)
    assert (again.resumed_chunks, again.documents) == (0, 165) and out.read_bytes() == first
    assert sorted(path.name for path in tmp_path.iterdir()) == ["tagged.csv"]  # (no progress file left)


@pytest.mark.parametrize("inputs, output, options, error, message", [
    (["-"], "out.csv", {}, StdinFormatError, "the format of standard input is not known"),
    (["-", "-"], "out.csv", {"input_format": "jsonl"}, TaxotagError, "standard input can be read only once"),
    (["-"], "out.csv", {"input_format": "jsonl", "resume": True}, TaxotagError, "cannot be resumed"),
])
def test_standard_input_needs_a_format_is_read_once_and_cannot_be_resumed(spec, tmp_path, inputs, output, options,
                                                                        error, message):
    with pytest.raises(error, match=message):
        tag_files(spec, inputs, tmp_path / output, progress=False, **options)
    assert not (tmp_path / output).exists()
