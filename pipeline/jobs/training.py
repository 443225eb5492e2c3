"""The `train` and `retrain` jobs: label the corpus, fit (every tag, or the ones an edit changed),
evaluate on gold, save."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ..errors import ModelError
from ..evaluation.gold_runs import evaluate_gold, usable_gold
from ..files import write_text
from ..model.artifacts import kept_taxonomy_path, load_model_and_labels, read_manifest, save_model
from ..model.tag_model import TagModel
from ..options import DEFAULT_CORPUS, DEFAULT_MODEL, DEFAULT_OUT, DEFAULT_TAXONOMY, GOLD_WEIGHT
from ..report.retrain_diff import changed_examples, combined_metrics, compute_diff, format_diff
from ..tagging.tagger import Predictions, Tagger, held_back
from ..taxonomy.loading import load_taxonomy
from ..taxonomy.schema import Taxonomy
from ..training import cache
from ..training.cache import CorpusCache
from ..training.corpus import DEFAULT_CACHE, CorpusFile, LabelledCorpus, corpus_file, label_corpus
from ..training.fits import fit_full, fit_incremental, fit_with_gold, read_fitted_gold


@dataclass
class Training:
    """What a train or retrain did."""

    model: TagModel
    corpus: LabelledCorpus
    evaluations: list
    refitted: list[str]
    diff: list[dict]
    seconds: float
    examples: str = ""  # Markdown: corpus documents whose weak labels changed (retrain_diff.changed_examples)
    gold_notes: list[str] = field(default_factory=list)  # default gold files left out (usable_gold)
    held_back: dict[str, int] = field(default_factory=dict)  # training documents per tag the policy held back
    diff_text: str = ""  # (retrain) the Markdown table of what changed
    diff_path: Path | None = None  # (retrain) where it was written, with examples of changed documents

    def weak_positives(self, taxonomy: Taxonomy) -> dict[str, int]:
        return self.corpus.positives(taxonomy.tag_ids)

    def warnings(self) -> list[str]:
        """One line a tag the model could not learn (too few weak positives)."""
        return [f"Warning: {tag}: {note}" for tag, note in self.model.notes.items()]


def train(taxonomy: Taxonomy, corpus_path, model_dir, gold_paths=(), incremental: bool = False,
          cache_dir=DEFAULT_CACHE, progress: bool | None = None, fit_gold=(),
          gold_weight: float = GOLD_WEIGHT) -> Training:
    """Label the corpus, fit (all tags, or with `incremental` only the changed ones, if the old
    model was trained on the same corpus by the same feature code), evaluate on gold and save.
    The old model stays in place until the new one is completely written. `corpus_path` is a
    path, or a CorpusFile for a corpus with its own column names or encoding; `gold_paths` None
    means the default gold files that fit the taxonomy (usable_gold). With `fit_gold` (gold
    files), the model is fitted on their labels too, weighted `gold_weight` (always a full fit),
    and a gold file it was fitted on is evaluated on out-of-fold scores (fit_with_gold)."""
    started = time.perf_counter()
    gold_paths, gold_notes = usable_gold(taxonomy, gold_paths)
    fitted_gold = read_fitted_gold(taxonomy, fit_gold) if fit_gold else None
    old = _previous_model(model_dir) if incremental and fitted_gold is None else None
    corpus = label_corpus(taxonomy, corpus_path, cache_dir=cache_dir, progress=progress)
    stage = tqdm(total=3, bar_format="training, step {n}/{total}: {desc}",
                 disable=None if progress is None else not progress)  # (quiet when not a terminal)
    stage.set_description_str(f"fitting {len(taxonomy.tag_ids)} tags on {len(corpus.documents):,} abstracts")
    same_corpus = old is not None and old["manifest"].corpus.sha256 == corpus.sha256
    if same_corpus and old["manifest"].features_version == cache.features_version():
        model, refitted = fit_incremental(taxonomy, corpus, old["model"], old["labels"], cache_dir)
    else:
        model, refitted = fit_full(taxonomy, corpus, cache_dir), list(taxonomy.tag_ids)
    out_of_fold = {}
    if fitted_gold is not None:
        model, scores = fit_with_gold(taxonomy, corpus, model, fitted_gold, gold_weight, out_of_fold=True)
        rows_of = fitted_gold.documents["path"].to_numpy()
        out_of_fold = {str(Path(path).resolve()): scores[rows_of == path] for path in fitted_gold.paths}
    stage.update(1)
    stage.set_description_str(f"evaluating on {len(gold_paths)} gold file(s)")
    evaluations = [evaluate_gold(taxonomy, model, path, probabilities=out_of_fold.get(str(Path(path).resolve())))
                   for path in gold_paths]
    stage.update(1)
    stage.set_description_str(f"saving the model to {model_dir}")
    metrics = combined_metrics(evaluations)
    save_model(model, model_dir, taxonomy, weak_labels=corpus.labels, extra={
        "features_version": cache.features_version(),
        "corpus": {**corpus_file(corpus_path).describe(), "sha256": corpus.sha256, "documents": len(corpus.documents),
                   "weak_positives": corpus.positives(taxonomy.tag_ids)},
        "metrics": metrics,
        **({"fit_gold": fitted_gold.describe(gold_weight)} if fitted_gold is not None else {}),
    })
    stage.update(1)
    stage.close()
    old_labels = old["labels"] if old else None
    diff = compute_diff(taxonomy.tag_ids, corpus.labels, old_labels,
                        old["manifest"].metrics if old else {}, metrics, same_corpus)
    examples = (changed_examples(taxonomy.tag_ids, corpus.labels, old_labels, corpus.documents, corpus.votes)
                if same_corpus else "")
    return Training(model, corpus, evaluations, refitted, diff, time.perf_counter() - started, examples, gold_notes,
                    corpus_held_back(taxonomy, model, corpus, cache_dir))


def corpus_held_back(taxonomy: Taxonomy, model: TagModel, corpus: LabelledCorpus, cache_dir=None) -> dict[str, int]:
    """Per tag, the training documents that the model gives the tag (its probability reaches the
    threshold) and the policy does not let it add: what `tag` would hold back on such text."""
    predictions = corpus_predictions(Tagger(taxonomy, model), corpus, cache_dir)
    return dict(zip(taxonomy.tag_ids, map(int, held_back(predictions).sum(axis=0))))


def corpus_predictions(tagger: Tagger, corpus: LabelledCorpus, cache_dir=None) -> Predictions:
    """The tagger's predictions on a labelled corpus, from its rule votes; the features come from
    the cache a fit on this corpus wrote, when it is there and current, else they are computed."""
    model = tagger.model
    cached = CorpusCache(cache_dir, corpus.sha256).load_features(model.vocabulary_sha()) if cache_dir else None
    keys_match = cached is not None and cached[1] == corpus.mask_keys()
    features = cached[0] if keys_match else model.transform(corpus.masked_texts())
    return tagger.decide(corpus.votes, features, model.predict_proba(features))


def model_taxonomy_path(model_dir) -> Path | None:
    """The taxonomy copy a model folder keeps (checked against its manifest), or None when there is
    no model there or it was saved without one."""
    try:
        return kept_taxonomy_path(model_dir)
    except ModelError:
        return None


def model_corpus(model_dir) -> CorpusFile | None:
    """The corpus a model was trained on, as the manifest records it (its path made absolute when
    it was trained), or None when there is no model or that file is gone."""
    try:
        recorded = read_manifest(model_dir).corpus
    except ModelError:
        return None
    path = recorded.resolved or recorded.path
    if not path or not Path(path).is_file():
        return None
    return CorpusFile(path, recorded.columns, recorded.encoding)


def _previous_model(model_dir) -> dict | None:
    """The model being replaced, its manifest and weak labels, or None if there is no usable one."""
    try:
        manifest, model, labels = load_model_and_labels(model_dir)
        return {"manifest": manifest, "model": model, "labels": labels}
    except ModelError:
        return None


def retrain(taxonomy_path=DEFAULT_TAXONOMY, corpus=DEFAULT_CORPUS, model_dir=DEFAULT_MODEL,
            gold_paths=None, out_dir=DEFAULT_OUT, progress: bool | None = None) -> Training:
    """Relabel and retrain after a taxonomy edit, and write what changed to out/retrain_diff.md
    (the Training's `diff_path`)."""
    taxonomy = load_taxonomy(taxonomy_path)
    training = train(taxonomy, corpus, model_dir, gold_paths, incremental=True, progress=progress)
    text = format_diff(training.diff, training.refitted, training.corpus.rules_run, training.seconds)
    examples = f"\n{training.examples}" if training.examples else ""
    training.diff_text = text
    training.diff_path = write_text(Path(out_dir) / "retrain_diff.md", "# taxotag retrain diff\n\n" + text + examples)
    return training
