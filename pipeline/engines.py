"""How chunks of documents get tagged: in this process, over a pool of processes (one per core by
default), or on a Dask cluster. Every engine yields output frames in input order."""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.artifacts import load_model
from pipeline.corpus import REQUIRED_COLUMNS, clean_text, detect_format
from pipeline.errors import InputFileError, TaxotagError
from pipeline.model import effective_jobs
from pipeline.export import csv_rows
from pipeline.tagging import Tagger, output_columns
from pipeline.taxonomy import load_taxonomy


@dataclass(frozen=True)
class TaggerSpec:
    """What a worker needs to build its own Tagger: file paths, so nothing big is pickled."""

    taxonomy_path: str
    model_dir: str
    allow_stale: bool = False

    def build(self) -> Tagger:
        taxonomy = load_taxonomy(self.taxonomy_path)
        return Tagger(taxonomy, load_model(self.model_dir, taxonomy, allow_stale=self.allow_stale))


@functools.lru_cache(maxsize=2)
def _tagger_for(spec: TaggerSpec):
    """One Tagger per worker process and spec, built on first use."""
    return spec.build()


def tag_chunk(spec: TaggerSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """The output rows for one chunk (runs in a worker)."""
    return _tagger_for(spec).tag_frame(frame)


def tag_chunk_as_csv(spec: TaggerSpec, frame: pd.DataFrame, columns: list[str]) -> tuple[str, int]:
    """(CSV text, row count) of one chunk's output rows in the given columns (runs in a worker,
    so that the main process only writes text)."""
    return csv_rows(tag_chunk(spec, frame), columns), len(frame)


def tag_locally(spec: TaggerSpec, chunks: Iterable[tuple[pd.DataFrame, list[str]]],
                jobs: int | None = None) -> Iterator[tuple[str, int]]:
    """Tag (chunk, output columns) pairs into (CSV text, row count), in order; with more than one
    job, in a process pool with a bounded queue."""
    jobs = effective_jobs(jobs)
    if jobs == 1:
        for frame, columns in chunks:
            yield tag_chunk_as_csv(spec, frame, columns)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque = deque()
        for frame, columns in chunks:
            pending.append(pool.submit(tag_chunk_as_csv, spec, frame, columns))
            if len(pending) >= 2 * jobs:  # bounded memory: never more than 2 chunks a worker in flight
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def read_with_dask(path: str | Path, blocksize: str = "16MiB"):
    """A Dask DataFrame of the input records (JSONL, CSV or Parquet; .gz is read as one partition)."""
    import dask.dataframe as dd

    path = str(path)
    kind = detect_format(path)
    compressed = path.lower().endswith(".gz")
    options = {"compression": "gzip", "blocksize": None} if compressed else {"blocksize": blocksize}
    if kind == "jsonl":
        frame = dd.read_json(path, lines=True, dtype=False, **options)
    elif kind == "csv":
        frame = dd.read_csv(path, dtype=str, keep_default_na=False, **options)
    elif kind == "parquet":
        frame = dd.read_parquet(path)
    else:
        raise InputFileError(f"{path}: the dask engine reads .jsonl, .csv and .parquet files")
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise InputFileError(f"{path}: missing required column(s) {', '.join(missing)}")
    return frame


def _clean_partition(frame: pd.DataFrame) -> pd.DataFrame:
    """The local readers' cleaning, per partition: text columns as stripped strings without NULs,
    records with no id or with neither title nor abstract dropped."""
    frame = frame.copy()
    for column in frame.columns:
        frame[column] = [clean_text(value) for value in frame[column]]
    keep = (frame["id"] != "") & ((frame["title"] != "") | (frame["abstract"] != ""))
    frame = frame[keep]
    return frame[list(REQUIRED_COLUMNS) + [c for c in frame.columns if c not in REQUIRED_COLUMNS]]


def tag_partition(frame: pd.DataFrame, spec: TaggerSpec) -> pd.DataFrame:
    """map_partitions body: clean, then tag one partition."""
    cleaned = _clean_partition(frame)
    if cleaned.empty:
        return output_meta(spec, frame.columns)
    return tag_chunk(spec, cleaned)


def output_meta(spec: TaggerSpec, input_columns) -> pd.DataFrame:
    """An empty frame with the output columns and types, for Dask."""
    tag_ids = _tagger_for(spec).taxonomy.tag_ids
    scores = {f"score_{tag_id}" for tag_id in tag_ids}
    return pd.DataFrame({name: pd.Series(dtype=float if name in scores else object)
                         for name in output_columns(tag_ids, input_columns)})


def dask_blocksize(chunk_size: int) -> str:
    """Partition size in bytes for about `chunk_size` abstracts (an abstract is ~1.5 KB of JSON or CSV)."""
    return f"{max(64, 2 * chunk_size)}KiB"


def tag_with_dask(spec: TaggerSpec, paths, scheduler: str | None = None, blocksize: str = "4MiB",
                  workers: int | None = None, skip: int = 0) -> Iterator[pd.DataFrame]:
    """Tag files on a Dask cluster (a new local one when no scheduler address is given); yields
    the tagged partitions in input order, at most two partitions a worker in flight, after
    skipping the first `skip` partitions (for --resume)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise TaxotagError("the dask engine needs Dask: pip install 'taxotag[dask]'") from None

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=effective_jobs(workers), threads_per_worker=1, processes=True,
                               dashboard_address=":0")
    client = Client(scheduler or cluster)
    try:
        window = 2 * max(1, len(client.scheduler_info()["workers"]))
        seen = 0
        for path in paths:
            frame = read_with_dask(path, blocksize)
            tagged = frame.map_partitions(tag_partition, spec, meta=output_meta(spec, frame.columns))
            pending: deque = deque()
            for part in tagged.to_delayed():
                seen += 1
                if seen <= skip:
                    continue
                pending.append(client.compute(part))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
