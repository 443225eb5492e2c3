"""The Dask engine on a real distributed.LocalCluster (worker processes): same CSV as the local engine."""

import json

import pandas as pd
import pytest
from distributed import LocalCluster

from pipeline.cli import main


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as running:
        yield running


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, small_corpus):
    folder = tmp_path_factory.mktemp("dask")
    records = [json.loads(line) for line in open(small_corpus)][:600]
    jsonl = folder / "in.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records))
    csv = folder / "in.csv"
    pd.DataFrame(records).to_csv(csv, index=False)
    return jsonl, csv


def tag(tmp_path, source, trained_model_dir, taxonomy, *extra):
    out = tmp_path / f"{source.suffix[1:]}-{'-'.join(e.replace(':', '').replace('/', '') for e in extra) or 'local'}.csv"
    assert main(["tag", str(source), "-o", str(out), "--model", str(trained_model_dir),
                 "--taxonomy", taxonomy.path, *extra]) == 0
    return pd.read_csv(out, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("kind", [0, 1])
def test_dask_engine_writes_the_same_csv_as_local(tmp_path, inputs, cluster, trained_model_dir, taxonomy, kind):
    source = inputs[kind]
    local = tag(tmp_path, source, trained_model_dir, taxonomy, "--jobs", "1")
    distributed = tag(tmp_path, source, trained_model_dir, taxonomy, "--engine", "dask", "--chunk-size", "100",
                      "--scheduler", cluster.scheduler_address)  # ~200 KB partitions: several of them
    assert len(local) == 600
    pd.testing.assert_frame_equal(distributed, local)


def test_dask_engine_starts_its_own_cluster(tmp_path, inputs, trained_model_dir, taxonomy):
    local = tag(tmp_path, inputs[0], trained_model_dir, taxonomy, "--jobs", "1")
    own = tag(tmp_path, inputs[0], trained_model_dir, taxonomy, "--engine", "dask", "--jobs", "2")
    pd.testing.assert_frame_equal(own, local)
