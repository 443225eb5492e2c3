"""Build data/arxiv_sample.jsonl.gz, the default training corpus, from the shared arXiv corpus.

Run once by a maintainer (taxotag never reads ../shared at run time):
    python scripts/make_sample.py ../shared/corpus/arxiv_cs_cv_cl_2025_2026.jsonl.gz \
        --exclude data/arxiv_dev_gold.csv -o data/arxiv_sample.jsonl.gz

The sample keeps every abstract that mentions a supervision paradigm (broad keywords, so the
rules see both central uses and passing mentions) up to a cap, plus random other abstracts so
the model also learns what ordinary papers look like. Gold documents are left out.
"""

import argparse
import gzip
import json
import random
import re

PARADIGM_WORDS = re.compile(
    r"self[- ]?supervis|semi[- ]?supervis|weakly[- ]?supervis|weak supervision|pseudo[- ]?label|"
    r"self[- ]training|noisy label|distant(?:ly)? supervis|weak[- ]to[- ]strong|easy[- ]to[- ]hard|"
    r"scalable oversight|distill|\bCLIP\b|SigLIP|language[- ]image|image[- ]text contrastive|"
    r"active learning|masked (?:image|autoencoder)|contrastive",
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--exclude", action="append", default=[], help="CSV whose ids are left out")
    parser.add_argument("--paradigm-cap", type=int, default=8000)
    parser.add_argument("--others", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    import csv

    excluded = set()
    for path in args.exclude:
        with open(path, newline="", encoding="utf-8") as handle:
            excluded.update(row["id"] for row in csv.DictReader(handle))
    paradigm, others = [], []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] in excluded:
                continue
            slim = {key: record[key] for key in ("id", "title", "abstract", "categories", "listing_date")}
            text = slim["title"] + " " + slim["abstract"]
            (paradigm if PARADIGM_WORDS.search(text) else others).append(slim)
    rng = random.Random(args.seed)
    chosen = rng.sample(paradigm, min(args.paradigm_cap, len(paradigm)))
    chosen += rng.sample(others, min(args.others, len(others)))
    chosen.sort(key=lambda record: record["id"])
    with gzip.open(args.output, "wt", encoding="utf-8", compresslevel=9) as handle:
        for record in chosen:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(chosen)} abstracts ({len(paradigm)} mention a paradigm, {len(others)} do not) -> {args.output}")


if __name__ == "__main__":
    main()
