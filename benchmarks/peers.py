"""The tools people would otherwise reach for, timed on the same abstracts as `taxotag tag` (used
by bench_tag.py), each in one process, and the text-scan floor of the job:

- a row-wise pandas applier of 6 regex labelling functions, one a tag, as Snorkel's
  PandasLFApplier runs them (DataFrame.apply over rows, each function on each row);
- spaCy's PhraseMatcher over `nlp.pipe` (a blank English pipeline), with every phrase of the
  taxonomy's phrase rules;
- scikit-learn's TfidfVectorizer(ngram_range=(1, 2)).transform and predict_proba of 6 logistic
  regressions (one a tag; fitting them is not timed);
- the floor: parse each JSON line, lowercase title and abstract, and scan them once with one RE2
  regex of every phrase (C++ code from end to end but for the loop over lines).
"""

from __future__ import annotations

import json
import re
import time

import numpy as np
import pandas as pd
import re2

REGEX_RULES = {
    "self_supervised": r"self[- ]?supervis",
    "semi_supervised": r"semi[- ]?supervis",
    "weakly_supervised": r"weak(?:ly)?[- ]supervis",
    "weak_to_strong": r"weak[- ]to[- ]strong",
    "distillation": r"distill",
    "clip_style": r"\bclip\b|contrastive language[- ]image",
}
"""One labelling function a tag, as a user would first write them."""

ABSTAIN = -1


def rate(count: int, work) -> float:
    """Abstracts a second of `work()` on `count` abstracts (process time, which the machine's other
    load disturbs less than the wall clock)."""
    started = time.process_time()
    work()
    return count / (time.process_time() - started)


def taxonomy_phrases(taxonomy) -> list[str]:
    return sorted({phrase for tag in taxonomy.tags for rule in tag.rules if rule.kind == "phrase"
                   for phrase in rule.phrases})


def pandas_applier(frame: pd.DataFrame) -> float:
    """Snorkel's PandasLFApplier style: each labelling function on each row (a Series)."""
    functions = []
    for pattern in REGEX_RULES.values():
        compiled = re.compile(pattern, re.IGNORECASE)
        functions.append(lambda row, compiled=compiled: 1 if compiled.search(f"{row.title} {row.abstract}")
                         else ABSTAIN)

    def apply():
        labels = frame.apply(lambda row: [function(row) for function in functions], axis=1)
        return np.array(labels.tolist(), dtype=np.int8)

    return rate(len(frame), apply)


def phrase_matcher(texts: list[str], phrases: list[str]) -> float:
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    matcher.add("phrases", list(nlp.tokenizer.pipe(phrases)))
    return rate(len(texts), lambda: [matcher(doc) for doc in nlp.pipe(texts, batch_size=1000)])


def tfidf_logistic(texts: list[str], labels: np.ndarray) -> float:
    """labels: documents x tags, 0/1 (taxotag's own tags, for something to fit; a tag no document
    has gets one positive so that its regression can be fitted)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(ngram_range=(1, 2)).fit(texts)
    features = vectorizer.transform(texts)
    models = []
    for column in labels.T:
        column = column.copy()
        if column.min() == column.max():
            column[0] = 1 - column[0]
        models.append(LogisticRegression(max_iter=200).fit(features, column))

    def predict():
        transformed = vectorizer.transform(texts)
        return [model.predict_proba(transformed) for model in models]

    return rate(len(texts), predict)


def scan_floor(lines: list[str], phrases: list[str]) -> float:
    options = re2.Options()
    options.max_mem = 64 << 20
    scanner = re2.compile("|".join(re.escape(phrase.lower()) for phrase in phrases), options)

    def scan():
        found = 0
        for line in lines:
            record = json.loads(line)
            text = f"{record['title']}\n\n{record['abstract']}".lower()
            found += sum(1 for _ in scanner.finditer(text.encode("utf-8")))
        return found

    return rate(len(lines), scan)


def peer_rates(lines: list[str], taxonomy, tagger) -> dict[str, float]:
    """Abstracts a second of each peer and of the floor on these JSON lines."""
    frame = pd.DataFrame([json.loads(line) for line in lines])
    texts = [f"{title}\n\n{abstract}" for title, abstract in zip(frame["title"], frame["abstract"])]
    phrases = taxonomy_phrases(taxonomy)
    labels = tagger.predict(frame["title"].tolist(), frame["abstract"].tolist()).combined.astype(np.int8)
    return {
        "row-wise pandas applier of 6 regex rules (Snorkel PandasLFApplier style)": pandas_applier(frame),
        f"spaCy PhraseMatcher over nlp.pipe ({len(phrases)} phrases)": phrase_matcher(texts, phrases),
        "TfidfVectorizer(ngram_range=(1, 2)).transform + predict_proba, 6 tags": tfidf_logistic(texts, labels),
        "text-scan floor: JSON parse, lowercase, one RE2 pass of every phrase": scan_floor(lines, phrases),
    }
