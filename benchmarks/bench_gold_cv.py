"""Would a decision fitted on the hand-labelled gold sets beat the taxonomy's combined decision?

Pools both gold sets (481 abstracts) and, per tag, fits a logistic regression on gold labels with
10-fold stratified cross-validation (repeated over --repeats seeds; every document is scored by a
classifier that never saw it), then prints precision / recall per gold set next to the combined
system's. Three learners, each given what the trained tagger knows about a document:

- counts:  per rule of the tag, its central mentions in the title, claim sentences and body and
           its passing mentions (log counts), the model's logit, and the combined decisions of
           every tag (a stacked combiner);
- context: the words within 6 of each of the tag's rule mentions, marked left or right, with the
           rule, where the mention stands and whether it is passing, plus the combined decision;
           documents without a mention keep the combined decision;
- text:    TF-IDF words and bigrams of title and abstract alone (a classifier of the gold labels).

Run after `make run` (it uses models/default): python benchmarks/bench_gold_cv.py
"""

from __future__ import annotations

import argparse
import platform
import re
from datetime import date

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from taxotag.model.artifacts import load_model
from taxotag.readers.gold import load_gold
from taxotag.rules.votes import document_text
from taxotag.tagging.tagger import Tagger
from taxotag.taxonomy.loading import load_taxonomy

GOLD = ("data/seed_gold.csv", "data/arxiv_dev_gold.csv")
WINDOW = 6


def count_features(predictions, tag: str, j: int) -> sparse.csr_matrix:
    votes = predictions.votes
    counts = np.zeros((len(votes), len(votes.rules), 4))
    for i, mentions in enumerate(votes.mentions):
        for m in mentions:
            counts[i, m.rule, 3 if m.passing else 0 if m.in_title else 1 if m.in_claim else 2] += 1
    own = [r for r, info in enumerate(votes.rules) if tag in info.voted_tags]
    p = np.clip(predictions.probabilities[:, j], 1e-4, 1 - 1e-4)
    combined = predictions.system("combined")
    return sparse.csr_matrix(np.column_stack([np.log1p(counts[:, own].reshape(len(votes), -1)),
                                              np.log(p / (1 - p)), combined]))


def context_words(predictions, texts: list[str], tag: str) -> list[str]:
    votes, documents = predictions.votes, []
    for i, text in enumerate(texts):
        words = []
        for m in votes.tag_mentions(i, tag):
            rule = votes.rules[m.rule].id
            where = "T" if m.in_title else "C" if m.in_claim else "B"
            words += [f"L_{w}" for w in re.findall(r"\w+", text[max(0, m.start - 80):m.start].lower())[-WINDOW:]]
            words += [f"R_{w}" for w in re.findall(r"\w+", text[m.end:m.end + 80].lower())[:WINDOW]]
            words += [f"AT_{where}", f"RULE_{rule}", f"RULE_{rule}_{where}"] + (["PASSING"] if m.passing else [])
        documents.append(" ".join(words))
    return documents


def cross_validated(features, target: np.ndarray, repeats: int, keep: np.ndarray | None = None,
                    fallback: np.ndarray | None = None, **params) -> np.ndarray:
    """repeats x documents: each document's 0/1 decision by a classifier fitted on the other folds."""
    decided = np.zeros((repeats, len(target)), dtype=bool)
    for seed in range(repeats):
        for train, held_out in StratifiedKFold(10, shuffle=True, random_state=seed).split(np.zeros(len(target)), target):
            classifier = LogisticRegression(max_iter=3000, **params).fit(features[train], target[train])
            decided[seed, held_out] = classifier.predict_proba(features[held_out])[:, 1] >= 0.5
            if keep is not None:
                decided[seed, held_out] = np.where(keep[held_out], decided[seed, held_out], fallback[held_out])
    return decided


def precision_recall(truth: np.ndarray, decided: np.ndarray) -> np.ndarray:
    tp, fp, fn = (truth & decided).sum(), (~truth & decided).sum(), (truth & ~decided).sum()
    return np.array([tp / max(tp + fp, 1), tp / max(tp + fn, 1)])


def cell(precision_and_recall: np.ndarray) -> str:
    return "{:.3f}/{:.3f}".format(*precision_and_recall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="10-fold CV repeated with this many seeds")
    args = parser.parse_args()
    taxonomy = load_taxonomy("taxonomy.yaml")
    tagger = Tagger(taxonomy, load_model("models/default"))
    gold = pd.concat([load_gold(path, taxonomy.tag_ids)[0].assign(source=path) for path in GOLD], ignore_index=True)
    predictions = tagger.predict(gold["title"].tolist(), gold["abstract"].tolist())
    texts = [document_text(t, a) for t, a in zip(gold["title"], gold["abstract"])]
    combined = predictions.system("combined").astype(bool)
    tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, stop_words="english").fit_transform(texts)

    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}; "
          f"date: {date.today().isoformat()}")
    print(f"P/R per gold set, 10-fold CV over {len(gold)} pooled gold abstracts, mean of {args.repeats} seeds\n")
    print("| tag | gold | combined | counts | context | text |")
    print("|---|---|---|---|---|---|")
    for j, tag in enumerate(taxonomy.tag_ids):
        truth = gold[tag].to_numpy().astype(bool)
        contexts = context_words(predictions, texts, tag)
        mentioned = np.array([bool(c) for c in contexts])
        context = sparse.hstack([CountVectorizer(token_pattern=r"\S+", binary=True, min_df=2).fit_transform(contexts),
                                 sparse.csr_matrix(combined[:, [j]].astype(float))]).tocsr()
        learners = {
            "counts": cross_validated(count_features(predictions, tag, j), truth, args.repeats, C=1.0),
            "context": cross_validated(context, truth, args.repeats, keep=mentioned, fallback=combined[:, j], C=1.0),
            "text": cross_validated(tfidf, truth, args.repeats, C=10.0, class_weight="balanced"),
        }
        for path in GOLD:
            rows = (gold["source"] == path).to_numpy()
            cells = [cell(precision_recall(truth[rows], combined[rows, j]))]
            for decided in learners.values():
                cells.append(cell(np.mean([precision_recall(truth[rows], d[rows]) for d in decided], axis=0)))
            print(f"| {tag} | {path.split('/')[-1]} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
