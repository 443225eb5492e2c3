"""Retraining after a one-tag edit vs a full train, on the default corpus.

    python benchmarks/bench_retrain.py [--corpus data/arxiv_sample.jsonl.gz]

Trains from a cold cache (a full train), edits one tag of a copy of taxonomy.yaml (adds a phrase
rule to `weak_to_strong` that matches new documents), runs `retrain`, and prints both times.
"""

import argparse
import platform
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from taxotag.taxonomy.loading import load_taxonomy
from taxotag.jobs.training import train
from taxotag.options import DEFAULT_CORPUS, DEFAULT_GOLD

EDIT = ("      - id: oversight\n", "      - id: w2s_bench_edit\n        phrase: [easy-to-hard, weak labeler, weak labelers]\n"
        "      - id: oversight\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=DEFAULT_CORPUS)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="taxotag-bench-"))
    try:
        taxonomy_path = work / "taxonomy.yaml"
        shutil.copy("taxonomy.yaml", taxonomy_path)
        started = time.perf_counter()
        full = train(load_taxonomy(taxonomy_path), args.corpus, work / "model", DEFAULT_GOLD,
                     cache_dir=work / "cache", progress=False)
        full_seconds = time.perf_counter() - started
        text = taxonomy_path.read_text()
        assert EDIT[0] in text, "the benchmark's edit point is gone from taxonomy.yaml"
        taxonomy_path.write_text(text.replace(EDIT[0], EDIT[1], 1))
        started = time.perf_counter()
        again = train(load_taxonomy(taxonomy_path), args.corpus, work / "model", DEFAULT_GOLD,
                      incremental=True, cache_dir=work / "cache", progress=False)
        retrain_seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"{_cores()} cores; date: {date.today().isoformat()}")
    print(f"corpus: {args.corpus} ({len(full.corpus.documents):,} abstracts)")
    print(f"full train (cold cache, all {full.corpus.rules_run} rules, all tags): {full_seconds:.1f} s")
    print(f"retrain after a one-tag edit ({again.corpus.rules_run} rule re-run, refitted: "
          f"{', '.join(again.refitted) or 'none'}): {retrain_seconds:.1f} s")
    print(f"ratio: {retrain_seconds / full_seconds:.2f}")


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


if __name__ == "__main__":
    main()
