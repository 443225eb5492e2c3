"""Start-up: how long `taxotag --help` and `taxotag tag` on 10 abstracts take, best of 5 runs each.

    .venv/bin/python benchmarks/bench_startup.py [--model models/default]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

RUNS = 5


def best_of(command: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="models/default")
    parser.add_argument("--corpus", default="data/arxiv_sample.jsonl.gz")
    args = parser.parse_args(argv)
    command = [sys.executable, "-m", "taxotag"]
    with tempfile.TemporaryDirectory() as folder:
        ten = Path(folder) / "ten.jsonl"
        with gzip.open(args.corpus, "rt", encoding="utf-8") as source:
            ten.write_text("".join(itertools.islice(source, 10)), "utf-8")
        help_time = best_of([*command, "--help"])
        tag_time = best_of([*command, "tag", str(ten), "-o", str(Path(folder) / "out.csv"), "--model", args.model])
    print(f"start-up ({platform.machine()}, {date.today()}, best of {RUNS}): taxotag --help {help_time:.2f} s; "
          f"taxotag tag on 10 abstracts {tag_time:.2f} s")


if __name__ == "__main__":
    main()
