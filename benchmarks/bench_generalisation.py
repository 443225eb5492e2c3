"""Leave-one-set-out: which model adds recall on wording the rules never saw?

Three hand-labelled gold sets: data/seed_gold.csv, data/arxiv_dev_gold.csv and
../shared/gold/conf_dev_gold.csv (389 conference abstracts, 1987-2025; read from ../shared only,
never copied into data/). For each set in turn, whatever a variant fits on gold is fitted on the
other two and scored on this one, so no figure is in-sample. Per variant it prints macro-F1 of the
model alone and of rules + model combined on each held-out set, and their mean; with --detail, the
per-tag rows of one variant.

Variants (each on top of the same rules and the same weak labels of --corpus):
- weak:          today's model: TF-IDF + logistic regression on weak labels, triggers masked;
- dropout:       each trigger masked with probability 0.5 instead of always;
- self_train:    two rounds of adding the corpus documents the model is surest of as positives;
- conf_corpus:   --extra-corpus (the conference corpus) added to the weak-label training set;
- svd:           the TF-IDF features plus 200 TruncatedSVD dimensions learnt on the corpus;
- gold:          weak labels plus the two other gold sets, weighted --gold-weight;
- gold+svd:      both.
Each is combined with the rules by the policies with_strong_mention and confident (the model adds
a tag on its probability alone, above a cut-off chosen out-of-fold on the training gold).

    python benchmarks/bench_generalisation.py [--variants weak gold] [--detail gold]
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from taxotag.evaluation.metrics import evaluate_systems
from taxotag.readers.gold import load_gold  # noqa: E402
from taxotag.model.fitting import fit_model
from taxotag.model.tag_model import mask_mentions  # noqa: E402
from taxotag.rules.matching import RuleSet
from taxotag.rules.votes import document_text  # noqa: E402
from taxotag.tagging.tagger import Tagger  # noqa: E402
from taxotag.taxonomy.loading import load_taxonomy  # noqa: E402
from taxotag.training.corpus import label_corpus  # noqa: E402
from taxotag.rules.labels import resolve_labels  # noqa: E402

GOLD_SETS = {"seed": "data/seed_gold.csv", "arxiv": "data/arxiv_dev_gold.csv",
             "conf": "../shared/gold/conf_dev_gold.csv"}
POLICIES = ("with_strong_mention", "with_mention", "always", "confident", "mention_tuned")
VARIANTS = ("weak", "dropout", "self_train", "conf_corpus", "svd", "gold", "gold+svd", "gold_only")


def classifier(C=4.0):
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(C=C, class_weight="balanced", solver="liblinear", dual=True, tol=1e-2,
                              max_iter=1000, random_state=0)


class GoldSet:
    def __init__(self, name, path, taxonomy):
        self.name = name
        self.frame, self.tags, _ = load_gold(path, taxonomy.tag_ids)
        self.votes = RuleSet(taxonomy).apply(self.frame.title.tolist(), self.frame.abstract.tolist())
        texts = [document_text(t, a) for t, a in zip(self.frame.title, self.frame.abstract)]
        self.masked = [mask_mentions(text, m) for text, m in zip(texts, self.votes.mentions)]
        self.rules = resolve_labels(taxonomy, self.votes)
        self.labels = self.frame[taxonomy.tag_ids].to_numpy().astype(int)


def dropout_texts(texts, mentions, rate, seed=0):
    rng = np.random.default_rng(seed)
    return [mask_mentions(t, [m for m in ms if rng.random() < rate]) for t, ms in zip(texts, mentions)]


def fit_probabilities(X, Y, weights, X_test, C=4.0):
    """documents x tags probabilities of X_test from one classifier per tag fitted on (X, Y, weights)."""
    out = np.zeros((X_test.shape[0], Y.shape[1]))
    for j in range(Y.shape[1]):
        if Y[:, j].sum() < 5:
            continue
        model = classifier(C).fit(X, Y[:, j], sample_weight=weights)
        out[:, j] = model.predict_proba(X_test)[:, 1]
    return out


def out_of_fold(X, Y, weights, rows, folds=5, C=4.0):
    """Probabilities for the gold `rows` of X, each from a fit without its fold."""
    out = np.zeros((len(rows), Y.shape[1]))
    order = np.random.default_rng(0).permutation(len(rows)) % folds
    for k in range(folds):
        keep = np.ones(X.shape[0], bool)
        keep[rows[order == k]] = False
        out[order == k] = fit_probabilities(X[keep], Y[keep], weights[keep], X[rows[order == k]], C)
    return out


def best_cut(truth, scores, base):
    """The cut-off (0.5 .. 0.99) at which adding scores >= cut to `base` gives the best F1 on truth."""
    best, best_f1 = 1.01, -1
    for cut in np.arange(0.5, 1.0, 0.02):
        guess = base | (scores >= cut)
        tp, fp, fn = (guess & truth).sum(), (guess & ~truth).sum(), (~guess & truth).sum()
        f1 = 2 * tp / max(2 * tp + fp + fn, 1)
        if f1 > best_f1 + 1e-9:
            best, best_f1 = cut, f1
    return best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taxonomy", default="taxonomy.yaml")
    parser.add_argument("--corpus", default="data/arxiv_sample.jsonl.gz")
    parser.add_argument("--extra-corpus", default="../shared/corpus/conferences_1987_2025.jsonl.gz")
    parser.add_argument("--extra-size", type=int, default=13000)
    parser.add_argument("--gold-weight", type=float, default=10.0)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--detail", choices=VARIANTS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    taxonomy = load_taxonomy(args.taxonomy)
    tag_ids = taxonomy.tag_ids
    corpus = label_corpus(taxonomy, args.corpus, cache_dir="models/.cache", progress=False)
    golds = {name: GoldSet(name, path, taxonomy) for name, path in GOLD_SETS.items()}
    texts = corpus.texts()
    masked = corpus.masked_texts()
    weak = corpus.labels.astype(int)
    print(f"corpus {args.corpus}: {len(texts)} abstracts; weak positives {corpus.positives(tag_ids)}")

    extra = None
    if "conf_corpus" in args.variants:
        sample = extra_sample(args.extra_corpus, args.extra_size)
        path = Path("models/.cache/extra_sample.jsonl")
        path.write_text("".join(json.dumps(r) + "\n" for r in sample))
        extra = label_corpus(taxonomy, path, cache_dir="models/.cache", progress=False)

    tagger_for_mentions = None
    results, details = [], {}
    for variant in args.variants:
        base_texts, labels = masked, weak
        if variant == "dropout":
            base_texts = dropout_texts(texts, corpus.votes.mentions, 0.5)
        if variant == "conf_corpus":
            base_texts = masked + extra.masked_texts()
            labels = np.vstack([weak, extra.labels.astype(int)])
        model, X_corpus = fit_model(base_texts, labels, tag_ids)
        if tagger_for_mentions is None:
            tagger_for_mentions = Tagger(taxonomy, model)
        X_gold = {name: model.transform(g.masked) for name, g in golds.items()}
        if variant == "gold_only":  # the words as they stand, triggers and all, fitted on gold alone
            X_gold = {name: model.transform([document_text(t, a) for t, a in zip(g.frame.title, g.frame.abstract)])
                      for name, g in golds.items()}
        if variant in ("svd", "gold+svd"):
            from sklearn.decomposition import TruncatedSVD
            svd = TruncatedSVD(200, random_state=0).fit(X_corpus)
            scale = 1.0
            X_corpus = sparse.hstack([X_corpus, scale * svd.transform(X_corpus)]).tocsr()
            X_gold = {n: sparse.hstack([x, scale * svd.transform(x)]).tocsr() for n, x in X_gold.items()}
        if variant == "self_train":
            labels = labels.copy()
            for _ in range(2):
                probabilities = fit_probabilities(X_corpus, labels, np.ones(len(labels)), X_corpus)
                labels = labels | (probabilities >= 0.9)
        for held_out, test in golds.items():
            train_sets = [g for n, g in golds.items() if n != held_out]
            use_gold = variant.startswith("gold")
            if variant == "gold_only":
                X = sparse.vstack([X_gold[g.name] for g in train_sets]).tocsr()
                Y = np.vstack([g.labels for g in train_sets])
                w = np.ones(len(Y))
                labels = np.zeros((0, len(tag_ids)), int)
            elif use_gold:
                X = sparse.vstack([X_corpus] + [X_gold[g.name] for g in train_sets]).tocsr()
                Y = np.vstack([labels] + [g.labels for g in train_sets])
                w = np.concatenate([np.ones(len(labels))] + [np.full(len(g.labels), args.gold_weight)
                                                             for g in train_sets])
            else:
                X, Y, w = X_corpus, labels, np.ones(len(labels))
            probabilities = fit_probabilities(X, Y, w, X_gold[held_out])
            # cut-offs for the `confident` policy, out-of-fold on the training gold
            if use_gold:
                rows = np.arange(len(labels), X.shape[0])
                train_probabilities = out_of_fold(X, Y, w, rows)
            else:
                train_probabilities = np.vstack([fit_probabilities(X, Y, w, X_gold[g.name]) for g in train_sets])
            train_truth = np.vstack([g.labels for g in train_sets]).astype(bool)
            train_rules = np.vstack([g.rules for g in train_sets])
            cuts = np.array([best_cut(train_truth[:, j], train_probabilities[:, j], train_rules[:, j])
                             for j in range(len(tag_ids))])
            train_mentioned = np.vstack([tagger_for_mentions.mentioned(g.votes) for g in train_sets])
            mention_cuts = np.array([best_cut(train_truth[:, j], train_probabilities[:, j] * train_mentioned[:, j],
                                              train_rules[:, j]) for j in range(len(tag_ids))])
            thresholds = model.thresholds
            model_positive = probabilities >= (0.5 if variant == "gold_only" else thresholds)
            strong = tagger_for_mentions.mentioned(test.votes, strong_only=True)
            mentioned = tagger_for_mentions.mentioned(test.votes)
            systems = {
                "rules": test.rules,
                "model": resolve_labels(taxonomy, _no_votes(test.votes), also_positive=model_positive),
                "with_strong_mention": resolve_labels(taxonomy, test.votes, also_positive=model_positive & strong),
                "with_mention": resolve_labels(taxonomy, test.votes, also_positive=model_positive & mentioned),
                "always": resolve_labels(taxonomy, test.votes, also_positive=model_positive),
                "confident": resolve_labels(taxonomy, test.votes, also_positive=probabilities >= cuts),
                "mention_tuned": resolve_labels(taxonomy, test.votes,
                                                also_positive=(probabilities >= mention_cuts) & mentioned),
            }
            table = evaluate_systems(test.frame, {k: v.astype(int) for k, v in systems.items()}, tag_ids, test.tags)
            macro = table[table.tag == "macro"].set_index("system")["f1"]
            results.append({"variant": variant, "held_out": held_out, **macro.to_dict()})
            if variant == args.detail:
                details[held_out] = table
        print(f"  {variant}: {time.perf_counter() - started:.0f} s", flush=True)
    frame = pd.DataFrame(results)
    print(f"\nLeave-one-set-out macro-F1 ({platform.machine()}, {date.today()}; taxonomy {args.taxonomy}, "
          f"corpus {args.corpus}, gold weight {args.gold_weight:g})\n")
    columns = ["rules", "model", *POLICIES]
    print("| variant | held out | " + " | ".join(columns) + " |")
    print("|---|---|" + "---:|" * len(columns))
    for row in frame.to_dict("records"):
        print(f"| {row['variant']} | {row['held_out']} | " + " | ".join(f"{row[c]:.3f}" for c in columns) + " |")
    means = frame.groupby("variant", sort=False)[columns].mean()
    print("\nmean of the three held-out sets:\n")
    print(means.round(3).to_string())
    for held_out, table in details.items():
        print(f"\n{args.detail}, held out {held_out}:")
        print(table[["system", "tag", "precision", "recall", "f1", "support"]].round(3).to_string(index=False))


def _no_votes(votes):
    from taxotag.rules.votes import RuleVotes
    return RuleVotes(rules=votes.rules, matrix=np.full_like(votes.matrix, -1), mentions=votes.mentions)


def extra_sample(path, size, seed=0):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(records), size=min(size, len(records)), replace=False)
    return [{"id": records[i]["id"], "title": records[i]["title"], "abstract": records[i]["abstract"]}
            for i in sorted(chosen)]


if __name__ == "__main__":
    main()
