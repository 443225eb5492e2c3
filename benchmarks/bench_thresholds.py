"""How far each tag's model threshold moves when one weak label changes, on the default corpus.

    python benchmarks/bench_thresholds.py [--corpus data/arxiv_sample.jsonl.gz] [--trials 12]

Labels the corpus with the rules and builds the model's features, then, per tag, removes one
random weak positive at a time and chooses the threshold again from refitted out-of-fold scores,
as training does. A taxonomy edit that relabels a few documents should not move a threshold
(and with it model additions on unrelated documents): this prints how much it does.
"""

import argparse
import platform
import tempfile
from datetime import date

import numpy as np

from taxotag.model.fitting import _out_of_fold, fit_model
from taxotag.model.thresholds import best_threshold
from taxotag.taxonomy.loading import load_taxonomy
from taxotag.training.corpus import label_corpus
from taxotag.options import DEFAULT_CORPUS

REGULARIZATION, FOLDS, SEED = 4.0, 2, 0  # as model.fit_classifiers trains


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=DEFAULT_CORPUS)
    parser.add_argument("--trials", type=int, default=12)
    args = parser.parse_args()
    taxonomy = load_taxonomy("taxonomy.yaml")
    with tempfile.TemporaryDirectory(prefix="taxotag-bench-") as cache:
        corpus = label_corpus(taxonomy, args.corpus, cache_dir=cache, progress=False)
    _, features = fit_model(corpus.masked_texts(), corpus.labels, taxonomy.tag_ids)
    rng = np.random.default_rng(7)
    print(f"{date.today()}, {platform.machine()}, Python {platform.python_version()}, "
          f"{len(corpus.documents):,} abstracts, {args.trials} trials per tag")
    print("| tag | weak positives | threshold | after removing one positive | largest move | sd |")
    print("|---|---:|---:|---|---:|---:|")
    for j, tag in enumerate(taxonomy.tag_ids):
        target = corpus.labels[:, j].astype(int)
        if target.sum() < 5:
            continue
        base = threshold_for(features, target)
        moved = []
        for _ in range(args.trials):
            changed = target.copy()
            changed[rng.choice(np.flatnonzero(changed == 1))] = 0
            moved.append(threshold_for(features, changed))
        largest = max(abs(t - base) for t in moved)
        print(f"| {tag} | {int(target.sum()):,} | {base:.3f} | {min(moved):.3f} to {max(moved):.3f} | "
              f"{largest:.3f} | {np.std(moved):.4f} |", flush=True)


def threshold_for(features, target: np.ndarray) -> float:
    scores = _out_of_fold(features, target, REGULARIZATION, min(FOLDS, int(target.sum())), SEED)
    return best_threshold(target, scores)


if __name__ == "__main__":
    main()
