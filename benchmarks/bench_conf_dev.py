"""The trained default model on abstracts nobody tuned it for: ../shared/gold/conf_dev_gold.csv.

389 conference abstracts (1987-2025, two annotators), read from ../shared only: they are their
authors', not CC0, so they are never copied into data/. Prints the per-tag rules / model /
combined rows and what the model adds where the rules are silent, as `make run` does for the gold
sets in data/. The model is fitted on no gold (or, if it was trained with --fit-gold, on the gold
of data/, never on this set), so every figure is out-of-sample.

    .venv/bin/python benchmarks/bench_conf_dev.py [--model models/default] [--gold FILE]
"""

from __future__ import annotations

import argparse
import platform
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from taxotag.model.artifacts import load_model, read_manifest  # noqa: E402
from taxotag.evaluation.metrics import format_table  # noqa: E402
from taxotag.taxonomy.loading import load_taxonomy  # noqa: E402
from taxotag.evaluation.gold_runs import evaluate_gold  # noqa: E402

CONF_DEV = "../shared/gold/conf_dev_gold.csv"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taxonomy", default="taxonomy.yaml")
    parser.add_argument("--model", default="models/default")
    parser.add_argument("--gold", default=CONF_DEV)
    args = parser.parse_args(argv)
    taxonomy = load_taxonomy(args.taxonomy)
    model = load_model(args.model, taxonomy)
    fit_gold = read_manifest(args.model).fit_gold
    fitted = [entry.path for entry in fit_gold.files] if fit_gold is not None else []
    evaluation = evaluate_gold(taxonomy, model, args.gold)
    print(f"{args.gold}: {len(evaluation.gold)} abstracts ({platform.machine()}, {date.today()}; model "
          f"{args.model}, fitted on {'the gold of ' + ', '.join(fitted) if fitted else 'weak labels only'})\n")
    print(format_table(evaluation.results))
    print("\nWhat the model adds (its precision / recall on the documents the rules did not tag):\n")
    print(format_table(evaluation.model_where_rules_silent))


if __name__ == "__main__":
    main()
