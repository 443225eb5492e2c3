"""Tagging speed and memory: rules, training and `taxotag tag` end to end, against a naive pipeline.

    python benchmarks/bench_tag.py [--corpus FILE.jsonl.gz] [-n 200000] [--write csv|jsonl|parquet|...]
                                   [--train-corpus FILE.jsonl.gz]

Builds N abstracts by cycling through the corpus (new ids), then measures
- rules alone (one process), abstracts per second;
- `taxotag tag N.jsonl -o out.csv` end to end (read JSONL, rules, model, write CSV, or with
  --write the output format named; its size is printed too) as a subprocess with the default engine (one process per core), abstracts per second, and the peak
  memory of the whole process tree (main plus workers, sampled every 0.1 s, the input synced
  to disk first);
- the same with `--jobs 1` (one process);
- a naive pipeline in the same run: the whole file into pandas, then rules and model one
  document at a time (measured on the first --naive-sample abstracts);
- the peers of benchmarks/peers.py (a pandas applier of regex rules, spaCy's PhraseMatcher,
  scikit-learn TF-IDF + predict_proba) and the text-scan floor, on the first --peer-sample
  abstracts, each with the ratio of `taxotag tag`'s end-to-end rate to its rate;
- with --train-corpus, a full train on that corpus (cold cache), its time and peak memory.
Needs a trained default model (`make run`).
"""

import argparse
import gzip
import itertools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd
import psutil

from peers import peer_rates
from taxotag.model.artifacts import load_model
from taxotag.tagging.tagger import Tagger
from taxotag.taxonomy.loading import load_taxonomy
from taxotag.options import DEFAULT_CORPUS, DEFAULT_MODEL, DEFAULT_TAXONOMY


def build_input(corpus: str, count: int, path: Path) -> None:
    with gzip.open(corpus, "rt", encoding="utf-8") as source:
        records = [json.loads(line) for line in source]
    with open(path, "w", encoding="utf-8") as out:
        for i, record in zip(range(count), itertools.cycle(records)):
            out.write(json.dumps({"id": f"b{i}", "title": record["title"], "abstract": record["abstract"]}) + "\n")


def run_with_memory(command: list[str]) -> tuple[float, int]:
    """(seconds, peak RSS in bytes of the process and all its children). The memory of the tree
    is summed every 0.1 s; its processes are listed again every second only, as listing them
    scans every process of the machine (taking 4-5% off the rate measured when done each time;
    the pool's workers live for the whole run)."""
    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, tree, listed = 0, [process], 0.0
    while process.poll() is None:
        try:
            if time.perf_counter() - listed >= 1.0:
                tree, listed = [process, *process.children(recursive=True)], time.perf_counter()
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr.read().decode()}")
    return seconds, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=DEFAULT_CORPUS, help="JSONL(.gz) the abstracts are drawn from")
    parser.add_argument("-n", type=int, default=200_000, help="abstracts to tag (default: %(default)s)")
    parser.add_argument("--write", choices=["csv", "csv.gz", "jsonl", "jsonl.gz", "parquet"], default="csv",
                        help="the output format of the end-to-end run (default: %(default)s)")
    parser.add_argument("--naive-sample", type=int, default=3000)
    parser.add_argument("--peer-sample", type=int, default=20_000)
    parser.add_argument("--train-corpus", help="also time a full train on this corpus")
    args = parser.parse_args()
    taxonomy = load_taxonomy(DEFAULT_TAXONOMY)
    work = Path(tempfile.mkdtemp(prefix="taxotag-bench-"))
    try:
        source = work / "input.jsonl"
        build_input(args.corpus, args.n, source)
        os.sync()  # (so that writing the input back to disk does not overlap the timed runs)
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
              f"{psutil.virtual_memory().total / 2**30:.0f} GiB, CPython {platform.python_version()}; "
              f"date: {date.today().isoformat()}")
        print(f"input: {args.n:,} abstracts drawn from {args.corpus}")

        sample = pd.read_json(source, lines=True, nrows=20_000, dtype=False)
        tagger = Tagger(taxonomy, load_model(DEFAULT_MODEL, taxonomy))
        started = time.perf_counter()
        tagger.ruleset.apply(sample["title"].tolist(), sample["abstract"].tolist())
        print(f"rules alone (1 process): {len(sample) / (time.perf_counter() - started):,.0f} abstracts/s")

        output = work / f"out.{args.write}"
        command = [sys.executable, "-m", "taxotag", "tag", str(source), "-o", str(output)]
        seconds, peak = run_with_memory(command)
        rate = args.n / seconds
        print(f"taxotag tag end to end (all cores, writing {output.name}, {output.stat().st_size / 1e6:,.1f} MB): "
              f"{rate:,.0f} abstracts/s ({seconds:.1f} s, peak memory of the process tree {peak / 2**20:,.0f} MiB)")

        seconds, peak = run_with_memory(command + ["--jobs", "1"])
        print(f"taxotag tag --jobs 1: {args.n / seconds:,.0f} abstracts/s ({seconds:.1f} s, "
              f"peak memory {peak / 2**20:,.0f} MiB)")

        with open(source, encoding="utf-8") as lines:
            sample_lines = list(itertools.islice(lines, args.peer_sample))
        print(f"peers, each in one process on the first {len(sample_lines):,} abstracts "
              f"(taxotag tag end to end at {rate:,.0f}/s is the ratio shown times as fast):")
        for peer, peer_rate in peer_rates(sample_lines, taxonomy, tagger).items():
            print(f"  {peer}: {peer_rate:,.0f} abstracts/s; ratio {rate / peer_rate:.2f}")

        started = time.perf_counter()
        whole = pd.read_json(source, lines=True, dtype=False)
        subset = whole.head(args.naive_sample)
        for title, abstract in zip(subset["title"], subset["abstract"]):
            tagger.predict([title], [abstract])
        naive = len(subset) / (time.perf_counter() - started)
        print(f"naive (whole file into pandas, one document at a time, 1 process): {naive:,.0f} abstracts/s; "
              f"taxotag tag is {rate / naive:.1f}x faster")

        if args.train_corpus:  # (in a process of its own, so that its peak memory is the train's)
            code = ("import sys; from taxotag.jobs.training import train; from taxotag.taxonomy.loading import "
                    "load_taxonomy; result = train(load_taxonomy(sys.argv[1]), sys.argv[2], sys.argv[3], "
                    "cache_dir=sys.argv[4], progress=False); print(len(result.corpus.documents))")
            seconds, peak = run_with_memory([sys.executable, "-c", code, DEFAULT_TAXONOMY, args.train_corpus,
                                             str(work / "model"), str(work / "cache")])
            print(f"full train on {args.train_corpus} (cold cache): {seconds:.1f} s, "
                  f"peak memory {peak / 2**20:,.0f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
