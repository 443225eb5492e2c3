"""Build pipeline/known_words.txt.gz: the words and hyphenated pairs, with how many abstracts use
each, that tell a word broken across lines ("distil-" at a line's end, "lation" on the next, as
text copied from a PDF has it) from a compound broken at its hyphen ("teacher-" / "student").

Run once by a maintainer (taxotag never reads ../shared at run time):
    python scripts/make_words.py ../shared/corpus/arxiv_cs_cv_cl_2025_2026.jsonl.gz \
        -o pipeline/known_words.txt.gz

A word is a run of ASCII letters, lowercased, of 4 letters or more ("self-supervised" gives
"self" and "supervised"); a pair is two neighbouring parts of a hyphenated compound
("state-of-the-art" gives "state-of", "of-the" and "the-art"). Each is kept, with the number of
abstracts (titles included) that use it, when at least --min-df do.
"""

import argparse
import gzip
import json
import re
from collections import Counter

WORD = re.compile(r"[a-z]{4,}")
COMPOUND = re.compile(r"[a-z]+(?:-[a-z]+)+")


def known_terms(text: str) -> set[str]:
    """The words and hyphenated pairs of a lowercased text."""
    terms = set(WORD.findall(text))
    for compound in COMPOUND.findall(text):
        parts = compound.split("-")
        terms.update(f"{left}-{right}" for left, right in zip(parts, parts[1:]))
    return terms


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="JSON Lines (.gz too) with title and abstract")
    parser.add_argument("--min-df", type=int, default=3, help="abstracts a word must appear in")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    opener = gzip.open if args.corpus.endswith(".gz") else open
    document_frequency = Counter()
    with opener(args.corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            text = f"{record.get('title') or ''} {record.get('abstract') or ''}".lower()
            document_frequency.update(known_terms(text))
    words = sorted((word, count) for word, count in document_frequency.items() if count >= args.min_df)
    with gzip.GzipFile(args.output, "wb", mtime=0) as out:  # (mtime 0: the same corpus gives the same bytes)
        out.write("".join(f"{word}\t{count}\n" for word, count in words).encode("ascii"))
    print(f"{len(words):,} words and pairs used by at least {args.min_df} abstracts -> {args.output}")


if __name__ == "__main__":
    main()
