"""Tests of taxotag.jobs.engines."""

import json

import pandas as pd
import pytest
from distributed import LocalCluster

from taxotag.cli.parser import main


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
                      "--scheduler", cluster.scheduler_address)  # six chunks over two workers
    assert len(local) == 600
    pd.testing.assert_frame_equal(distributed, local)


def test_dask_engine_starts_its_own_cluster(tmp_path, inputs, trained_model_dir, taxonomy):
    local = tag(tmp_path, inputs[0], trained_model_dir, taxonomy, "--jobs", "1")
    own = tag(tmp_path, inputs[0], trained_model_dir, taxonomy, "--engine", "dask", "--jobs", "2")
    pd.testing.assert_frame_equal(own, local)


def test_dask_engine_reports_broken_rows_by_line_like_local(tmp_path, inputs, cluster, trained_model_dir, taxonomy,
                                                             capsys):
    lines = inputs[0].read_text().splitlines(keepends=True)
    lines[100] = '{"id": "broken", "title": "cut off"\n'
    lines[200] = '{"id": "no-text"}\n'
    source = tmp_path / "broken.jsonl"
    source.write_text("".join(lines))
    reports = {}
    for engine in ("local", "dask"):
        frame = tag(tmp_path, source, trained_model_dir, taxonomy, "--engine", engine, "--chunk-size", "100",
                    "--scheduler", cluster.scheduler_address)
        reports[engine] = (len(frame), [line for line in capsys.readouterr().err.splitlines() if ", line " in line])
    assert reports["dask"] == reports["local"]
    count, skipped = reports["dask"]
    assert count == 598
    assert [line.split(": ")[0].rsplit(", ", 1)[1] for line in skipped] == ["line 101", "line 201"]


def test_a_scheduler_that_cannot_be_reached_is_an_error_naming_it(tmp_path, inputs, trained_model_dir, taxonomy,
                                                                  capsys):
    import socket

    import dask

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    out = tmp_path / "o.csv"
    options = ["-o", str(out), "--model", str(trained_model_dir), "--taxonomy", taxonomy.path, "--engine", "dask"]
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        for scheduler in (address, "nonsense"):
            assert main(["tag", str(inputs[0]), *options, "--scheduler", scheduler]) == 1
            err = capsys.readouterr().err
            assert err.startswith(f"Error: {scheduler}: cannot connect to a Dask scheduler there (")
            assert "Traceback" not in err and not out.exists()
