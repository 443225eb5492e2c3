"""The `report` and `run` jobs: the HTML report of a saved model, and the whole default run."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from ..evaluation.gold_runs import evaluate_gold, usable_gold
from ..evaluation.rule_table import rule_table
from ..files import write_text
from ..model.artifacts import load_model
from ..model.tag_model import TagModel
from ..options import DEFAULT_CORPUS, DEFAULT_MODEL, DEFAULT_OUT, DEFAULT_SEED_PAPERS, DEFAULT_TAXONOMY
from ..report.html import html_report
from ..report.markdown import markdown_report
from ..rules.votes import RuleVotes
from ..tagging.tagger import Tagger
from ..taxonomy.loading import load_taxonomy
from ..taxonomy.schema import Taxonomy
from ..training.corpus import DEFAULT_CACHE, label_corpus
from .engines import TaggerSpec
from .tag_files import TagRun, tag_files
from .training import Training, corpus_predictions, train


def write_html_report(taxonomy: Taxonomy, model: TagModel, model_dir, evaluations, corpus_votes: RuleVotes,
                      out_path, corpus_tags=None) -> Path:
    """out/report.html for a trained model, its evaluations and its training corpus's votes (and,
    in `corpus_tags`, the corpus documents and the predictions on them, for a report without gold)."""
    table = rule_table(taxonomy, corpus_votes, [e.path for e in evaluations])
    return write_text(out_path, html_report(taxonomy, model_dir, evaluations, Tagger(taxonomy, model), table,
                                            corpus_tags))


@dataclass
class Report:
    """What `report` wrote, and the default gold files it left out (usable_gold)."""

    path: Path
    gold_notes: list[str]


def report(taxonomy_path=DEFAULT_TAXONOMY, model_dir=DEFAULT_MODEL, gold_paths=None,
           corpus=DEFAULT_CORPUS, out_dir=DEFAULT_OUT, allow_stale: bool = False,
           cache_dir=DEFAULT_CACHE) -> Report:
    """Evaluate the saved model on the gold files (None: the default ones that fit the taxonomy)
    and write out/report.html."""
    taxonomy = load_taxonomy(taxonomy_path)
    model = load_model(model_dir, taxonomy, allow_stale=allow_stale)
    gold_paths, notes = usable_gold(taxonomy, gold_paths)
    evaluations = [evaluate_gold(taxonomy, model, path) for path in gold_paths]
    labelled = label_corpus(taxonomy, corpus, cache_dir=cache_dir, progress=False)
    corpus_tags = None
    if not evaluations:  # (without gold, the report shows what the tagger does on the corpus instead)
        corpus_tags = (labelled.documents, corpus_predictions(Tagger(taxonomy, model), labelled, cache_dir))
    path = write_html_report(taxonomy, model, model_dir, evaluations, labelled.votes, Path(out_dir) / "report.html",
                             corpus_tags)
    return Report(path, notes)


@dataclass
class DefaultRun:
    """What the main job did: the training, the seed papers tagged, the reports written."""

    training: Training
    tagged: TagRun
    tagged_path: Path
    report: Path
    html: Path
    seconds: float


def run_default(taxonomy_path=DEFAULT_TAXONOMY, corpus=DEFAULT_CORPUS, model_dir=DEFAULT_MODEL,
                gold_paths=None, seed_papers=DEFAULT_SEED_PAPERS, out_dir=DEFAULT_OUT,
                progress: bool | None = None) -> DefaultRun:
    """The main job: label the corpus, train, evaluate on gold, tag the seed papers, write a report."""
    started = time.perf_counter()
    taxonomy = load_taxonomy(taxonomy_path)
    training = train(taxonomy, corpus, model_dir, gold_paths, progress=progress)
    out_dir = Path(out_dir)
    tagged = out_dir / "tagged.csv"
    run = tag_files(TaggerSpec(str(taxonomy_path), str(model_dir)), [seed_papers], tagged, jobs=1, progress=progress)
    report_path = write_text(out_dir / "report.md", markdown_report(taxonomy, model_dir, training.evaluations,
                                                                    training.weak_positives(taxonomy),
                                                                    len(training.corpus.documents)))
    html_path = write_html_report(taxonomy, training.model, model_dir, training.evaluations, training.corpus.votes,
                                  out_dir / "report.html")
    return DefaultRun(training, run, tagged, report_path, html_path, time.perf_counter() - started)
