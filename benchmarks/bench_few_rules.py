"""Which combination policy pays for a taxonomy with few rules: one phrase rule per tag.

A new user's first taxonomy names each tag's paradigm once ("self-supervised", "distillation")
and leaves the rest to the model. This trains such a taxonomy of the six core tags on the
13,000 embedded abstracts and scores it, under each `policy.model_adds`, on the two gold sets in
data/ and, when it is there, ../shared/gold/conf_dev_gold.csv (the policy needs no retraining).
It prints macro-F1 over the six tags per gold set and policy, and the default taxonomy's row
for comparison.

    .venv/bin/python benchmarks/bench_few_rules.py [--corpus data/arxiv_sample.jsonl.gz]
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from taxotag.taxonomy.loading import parse_taxonomy  # noqa: E402
from taxotag.evaluation.gold_runs import evaluate_gold
from taxotag.jobs.training import train  # noqa: E402

POLICIES = ("never", "with_strong_mention", "with_mention", "always")
GOLD = ("data/seed_gold.csv", "data/arxiv_dev_gold.csv", "../shared/gold/conf_dev_gold.csv")
FEW_RULES = """
policy: {model_adds: %s}
tags:
  - {id: self_supervised, name: Self-supervised, description: d, rules: [{phrase: [self-supervised]}]}
  - {id: semi_supervised, name: Semi-supervised, description: d, rules: [{phrase: [semi-supervised]}]}
  - {id: weakly_supervised, name: Weakly supervised, description: d, rules: [{phrase: [weakly supervised]}]}
  - {id: weak_to_strong, name: Weak-to-strong, description: d, rules: [{phrase: [weak-to-strong]}]}
  - {id: distillation, name: Distillation, description: d, rules: [{phrase: [knowledge distillation]}]}
  - {id: clip_style, name: CLIP-style, description: d, rules: [{phrase: [CLIP]}]}
"""


def macro_f1(taxonomy, model, path: str) -> float:
    results = evaluate_gold(taxonomy, model, path).results
    return float(results[(results.tag == "macro") & (results.system == "combined")].iloc[0].f1)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="data/arxiv_sample.jsonl.gz")
    args = parser.parse_args(argv)
    gold = [path for path in GOLD if Path(path).is_file()]
    print(f"few rules (one phrase a tag) vs the default taxonomy, trained on {args.corpus} "
          f"({platform.machine()}, {date.today()}); combined macro-F1 over the six tags\n")
    print("| taxonomy | policy | " + " | ".join(Path(path).name for path in gold) + " | mean |")
    print("|---|---|" + "---:|" * (len(gold) + 1))
    with tempfile.TemporaryDirectory() as folder:
        for name, make in (("one phrase a tag", lambda policy: parse_taxonomy(FEW_RULES % policy, "few.yaml")),
                           ("default", lambda policy: _default_with(policy))):
            model = train(make("with_strong_mention"), args.corpus, Path(folder) / name, gold_paths=[],
                          cache_dir=Path(folder) / "cache", progress=False).model
            for policy in POLICIES:
                scores = [macro_f1(make(policy), model, path) for path in gold]
                cells = " | ".join(f"{score:.3f}" for score in scores)
                print(f"| {name} | {policy} | {cells} | {sum(scores) / len(scores):.3f} |")


def _default_with(policy: str):
    """The default taxonomy with another policy (read as text, so that nothing else changes)."""
    text = Path("taxonomy.yaml").read_text("utf-8").replace("model_adds: with_strong_mention", f"model_adds: {policy}")
    return parse_taxonomy(text, "taxonomy.yaml")


if __name__ == "__main__":
    main()
