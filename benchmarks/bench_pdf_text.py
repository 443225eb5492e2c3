"""How the combined system does on abstracts laid out as text copied from a PDF: lines of at most
--width characters, where a word of 7 letters or more that crosses the margin is broken with a
hyphen (at a random place with at least 3 letters on each side, where TeX would choose a syllable
break). Prints, per gold set, the combined system's precision / recall per tag on the abstracts as
they are and as laid out, and how many documents' tags differ; then, breaking each word of 7
letters or more of the gold abstracts once at a random place (or at one of its hyphens), how many
read back as written.

Run after `make run` (it uses models/default): python benchmarks/bench_pdf_text.py
"""

from __future__ import annotations

import argparse
import platform
import random
import re
from datetime import date

from taxotag.model.artifacts import load_model
from taxotag.evaluation.metrics import score_tags
from taxotag.readers.gold import load_gold
from taxotag.tagging.tagger import Tagger
from taxotag.taxonomy.loading import load_taxonomy
from taxotag.readers.typography import unwrap_lines

GOLD = ("data/seed_gold.csv", "data/arxiv_dev_gold.csv")
BREAKABLE = re.compile(r"[A-Za-z]{7,}")


def pdf_lines(text: str, width: int, rng: random.Random) -> str:
    """`text` in lines of at most `width` characters, long words broken across lines with a hyphen."""
    lines, line = [], ""
    for word in text.split():
        if len(line) + 1 + len(word) <= width or not line:
            line = f"{line} {word}" if line else word
            continue
        room = width - len(line) - 2  # a space and the hyphen
        if BREAKABLE.fullmatch(word) and room >= 3 and len(word) - room >= 3:
            cut = rng.randint(3, min(room, len(word) - 3))
            lines.append(f"{line} {word[:cut]}-")
            line = word[cut:]
        else:
            lines.append(line)
            line = word
    return "\n".join(lines + [line])


def restored_words(texts: list[str], rng: random.Random) -> tuple[int, int]:
    """(words read back as written, words) when each word of 7 letters or more (hyphenated ones
    too) is broken across two lines once, at a letter or at one of its own hyphens."""
    restored = total = 0
    for text in texts:
        for word in re.findall(r"[A-Za-z]{7,}(?:-[A-Za-z]+)*", text):
            cuts = [i for i in range(3, len(word) - 2) if word[i - 1].isalpha() and word[i].isalpha()]
            cuts += [i + 1 for i, character in enumerate(word) if character == "-"]
            cut = rng.choice(cuts)
            broken = f"{word[:cut]}\n{word[cut:]}" if word[cut - 1] == "-" else f"{word[:cut]}-\n{word[cut:]}"
            restored += unwrap_lines(broken) == word
            total += 1
    return restored, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=72)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    taxonomy = load_taxonomy("taxonomy.yaml")
    tagger = Tagger(taxonomy, load_model("models/default"))
    rng = random.Random(args.seed)
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}; "
          f"date: {date.today().isoformat()}; lines of {args.width} characters, seed {args.seed}\n")
    print("| gold | tag | as they are | as laid out |")
    print("|---|---|---|---|")
    for path in GOLD:
        gold, shared, _ = load_gold(path, taxonomy.tag_ids)
        titles = gold["title"].tolist()
        plain = tagger.predict(titles, gold["abstract"].tolist()).system("combined")
        laid_out = tagger.predict(titles, [pdf_lines(a, args.width, rng) for a in gold["abstract"]]).system("combined")
        scores = [score_tags(gold, system, taxonomy.tag_ids, shared) for system in (plain, laid_out)]
        for as_they_are, as_laid_out in zip(*scores):
            cells = [f"{row['precision']:.3f} / {row['recall']:.3f}" for row in (as_they_are, as_laid_out)]
            print(f"| {path.split('/')[-1]} | {as_they_are['tag']} | " + " | ".join(cells) + " |")
        changed = int((plain != laid_out).any(axis=1).sum())
        print(f"| {path.split('/')[-1]} | documents whose tags differ | | {changed} of {len(gold)} |")
        restored, total = restored_words(gold["abstract"].tolist(), rng)
        print(f"| {path.split('/')[-1]} | words broken once, read back as written | | {restored:,} of {total:,} |")


if __name__ == "__main__":
    main()
