"""Where a tagging run spends its time: each stage of `taxotag tag` timed on its own, in one
process, over the chunks a worker would get (reading and the traffic between processes included).

    .venv/bin/python benchmarks/bench_stages.py [--corpus FILE] [-n 20000] [--model models/default]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import os
import pickle
import platform
import tempfile
import time
from datetime import date
from pathlib import Path

from taxotag.jobs.engines import TaggerSpec
from taxotag.model.tag_model import mask_mentions
from taxotag.readers.documents import read_documents
from taxotag.readers.records import ReadReport
from taxotag.rules.votes import document_text
from taxotag.writers.rows import output_rows

CHUNK = 2000


def texts_read(votes, titles, abstracts) -> list[str]:
    """The texts the rules read (code before 2026-12-07 did not keep them, and made them again)."""
    texts = getattr(votes, "texts", None)
    return texts if texts is not None else [document_text(t, a) for t, a in zip(titles, abstracts)]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="data/arxiv_sample.jsonl.gz")
    parser.add_argument("-n", type=int, default=20000, help="abstracts (the first n of the corpus file)")
    parser.add_argument("--model", default="models/default")
    parser.add_argument("--taxonomy", default="taxonomy.yaml")
    args = parser.parse_args(argv)
    tagger = TaggerSpec(args.taxonomy, args.model).tagger()
    seconds: dict[str, float] = {}

    def timed(stage, work):
        started = time.perf_counter()
        result = work()
        seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - started
        return result

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.jsonl"
        with gzip.open(args.corpus, "rt", encoding="utf-8") as source:
            path.write_text("".join(itertools.islice(source, args.n)), "utf-8")
        frames = timed("read and parse JSONL (main process)", lambda: list(read_documents(path, CHUNK, ReadReport())))
    documents = sum(len(frame) for frame in frames)
    tagger.predict(frames[0]["title"].tolist()[:20], frames[0]["abstract"].tolist()[:20])  # (first-use costs out)
    for frame in frames:
        sent = timed("send the chunk to a worker (pickle both ways)", lambda: pickle.loads(pickle.dumps(frame)))
        titles, abstracts = sent["title"].tolist(), sent["abstract"].tolist()
        votes = timed("rules: tokenize, matchers, regexes, cues", lambda: tagger.ruleset.apply(titles, abstracts))
        texts = timed("mask the rules' mentions", lambda: [mask_mentions(text, mentions) for text, mentions
                                                          in zip(texts_read(votes, titles, abstracts), votes.mentions)])
        features = timed("features: words, hashing, tf-idf", lambda: tagger.model.transform(texts))
        probabilities = timed("model: predict_proba", lambda: tagger.model.predict_proba(features))
        predictions = timed("decide: labels, policy, scores", lambda: tagger.decide(votes, features, probabilities))
        out = timed("output rows and evidence", lambda: tagger.output_frame(sent, predictions))
        text = timed("rows as CSV text", lambda: output_rows("csv", out, list(out.columns)))
        timed("send the rows back (pickle both ways)", lambda: pickle.loads(pickle.dumps(text)))
    total = sum(seconds.values())
    print(f"{date.today().isoformat()}, {platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
          f"Python {platform.python_version()}: {documents:,} abstracts of {args.corpus}")
    for stage, spent in seconds.items():
        print(f"  {stage:48s} {spent:6.2f} s  {100 * spent / total:5.1f}%  {documents / spent:11,.0f} abstracts/s")
    print(f"  {'all stages, one process':48s} {total:6.2f} s          {documents / total:11,.0f} abstracts/s")


if __name__ == "__main__":
    main()
