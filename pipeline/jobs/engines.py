"""How chunks of documents get tagged: in this process, over a pool of processes (one per core by
default), or on a Dask cluster. Every engine yields each chunk's output rows (CSV or JSON Lines)
in input order."""

from __future__ import annotations

import functools
import itertools
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import SchedulerError, TaxotagError
from ..processes import ctrl_c_blocked_in_new_processes, effective_jobs, interrupts_held, start_worker
from ..tagging.tagger import Tagger, held_back
from ..writers.rows import output_rows


@dataclass(frozen=True)
class TaggerSpec:
    """What a worker needs to build its own Tagger: file paths, so nothing big is pickled."""

    taxonomy_path: str
    model_dir: str
    allow_stale: bool = False

    def tagger(self) -> Tagger:
        """This process's Tagger of the spec: the taxonomy read and the model verified and loaded
        once, on first use, and again only when one of their files changed. The local pool's
        workers are forked from this process, so a Tagger built before the pool starts is theirs
        too, without reading anything again."""
        return _tagger_for(self, _file_state(self.taxonomy_path), _file_state(Path(self.model_dir) / "manifest.json"))


def _file_state(path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=2)
def _tagger_for(spec: TaggerSpec, *file_states) -> Tagger:
    return Tagger.load(spec.model_dir, spec.taxonomy_path, allow_stale=spec.allow_stale)


@dataclass(frozen=True)
class TaggedChunk:
    """One chunk's output: its rows as text, how many, how many rows got each tag, and for how many
    the policy held back a tag the model gave."""

    text: str
    rows: int
    tag_counts: dict[str, int]
    held_back: dict[str, int]


def tag_chunk(spec: TaggerSpec, frame: pd.DataFrame, columns: list[str], row_format: str = "csv") -> TaggedChunk:
    """One chunk's output rows as text (export.output_rows: CSV in the given columns, or JSON
    Lines; the abstract when the columns have it); this runs in a worker, so that the main
    process only writes text."""
    tagger = spec.tagger()
    predictions = tagger.predict(frame["title"].tolist(), frame["abstract"].tolist())
    out = tagger.output_frame(frame, predictions, with_abstract="abstract" in columns)
    tag_ids = tagger.taxonomy.tag_ids
    counts = dict(zip(tag_ids, map(int, predictions.combined.sum(axis=0))))
    held = dict(zip(tag_ids, map(int, held_back(predictions).sum(axis=0))))
    return TaggedChunk(output_rows(row_format, out, columns), len(frame), counts, held)


def tag_locally(spec: TaggerSpec, chunks: Iterable[tuple[pd.DataFrame, list[str]]],
                jobs: int | None = None, row_format: str = "csv") -> Iterator[TaggedChunk]:
    """Tag (chunk, output columns) pairs into rows of `row_format`, in order; with more than one
    job and more than one chunk, in a process pool with a bounded queue (an input of one chunk is
    tagged in this process: starting workers would take longer than tagging it)."""
    jobs = effective_jobs(jobs)
    chunks = iter(chunks)
    first = list(itertools.islice(chunks, 2))
    if jobs == 1 or len(first) < 2:
        for frame, columns in itertools.chain(first, chunks):
            yield tag_chunk(spec, frame, columns, row_format)
        return
    chunks = itertools.chain(first, chunks)
    with ProcessPoolExecutor(max_workers=jobs, initializer=start_worker, initargs=(os.getpid(),),
                             mp_context=multiprocessing.get_context("fork")) as pool:  # (see TaggerSpec.tagger)
        pending: deque = deque()
        try:
            for frame, columns in chunks:
                with interrupts_held():
                    pending.append(pool.submit(tag_chunk, spec, frame, columns, row_format))
                if len(pending) >= 2 * jobs:  # bounded memory: never more than 2 chunks a worker in flight
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BaseException:  # interrupted, closed early or failed: the queued chunks are not tagged
            pool.shutdown(cancel_futures=True)
            raise


def tag_on_dask(spec: TaggerSpec, chunks: Iterable[tuple[pd.DataFrame, list[str]]],
                scheduler: str | None = None, workers: int | None = None,
                row_format: str = "csv") -> Iterator[TaggedChunk]:
    """Like tag_locally, but the chunks are tagged on a Dask cluster (a new local one when no
    scheduler address is given), at most two chunks a worker in flight. This process reads the
    input with the same readers as the local engine, so skipped rows are reported line by line
    and only the taxonomy and the model folder need to be where the workers can see them."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise TaxotagError("the dask engine needs Dask: pip install 'taxotag[dask]'") from None

    cluster = None
    try:
        if scheduler is None:
            with ctrl_c_blocked_in_new_processes():  # else each worker prints its KeyboardInterrupt traceback
                cluster = LocalCluster(n_workers=effective_jobs(workers), threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=logging.CRITICAL)
                # (its workers' log lines are noise on a user's terminal, and when the run is interrupted,
                # a worker whose heartbeat finds the scheduler gone logs a traceback; task errors still
                # reach this process as exceptions)
        client = _client(Client, scheduler or cluster)  # (a Ctrl-C held back while the cluster started arrives first)
        try:
            window = 2 * max(1, len(client.scheduler_info()["workers"]))
            pending: deque = deque()
            for frame, columns in chunks:
                with interrupts_held():  # (as for the pool: a Ctrl-C inside submit arrives once it returns)
                    pending.append(client.submit(tag_chunk, spec, frame, columns, row_format, pure=False))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()


def _client(client_class, address):
    """A Dask client of the cluster or scheduler address; an unreachable or malformed address is a
    TaxotagError naming it (distributed raises OSError, ValueError or AssertionError)."""
    try:
        return client_class(address)
    except (OSError, ValueError, AssertionError) as exc:
        raise SchedulerError(f"{address}: cannot connect to a Dask scheduler there "
                             f"({exc or type(exc).__name__})") from None
