"""The jobs the CLI runs: evaluate a model on gold, tag files, and the whole default run."""

from __future__ import annotations

import itertools
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from . import cache
from .cache import CorpusCache
from .artifacts import (kept_taxonomy_path, load_model, load_model_and_labels, read_manifest, save_model,
                        )
from .corpus import STDIN, STDIN_UNNAMED, ReadReport, read_documents
from .evaluation import (SYSTEMS, evaluate_systems, evaluate_where_rules_silent, unlabelled_counts,
                                 load_gold)
from .fingerprints import file_sha256, json_sha256
from .errors import GoldWithoutTagsError, StdinFormatError, ModelError, OutputWriteError, TaxotagError
from .engines import TaggerSpec, tag_locally, tag_on_dask
from .export import STDOUT, ResumableOutput, StreamedOutput, output_format, refuse_overwriting, write_text
from .model import TagModel
from .report import html_report, markdown_report, model_fingerprint
from .retrain_diff import changed_examples, combined_metrics, compute_diff, format_diff
from .tagging import Predictions, Tagger, held_back, output_columns
from .taxonomy import Taxonomy, load_taxonomy
from .rules import RuleSet, RuleVotes, rule_infos
from .rule_examples import rule_examples, rule_index
from .training import (DEFAULT_CACHE, GOLD_WEIGHT, CorpusFile, LabelledCorpus, corpus_file, fit_full,
                               fit_incremental, fit_with_gold, label_corpus, read_fitted_gold)
from .options import (DEFAULT_CORPUS, DEFAULT_GOLD, DEFAULT_MODEL, DEFAULT_OUT, DEFAULT_SEED_PAPERS,
                      DEFAULT_TAXONOMY)
from .weak_labels import rule_summary

GOLD_LEFT_OUT = "; not evaluated (name gold files with --gold)"


@dataclass
class GoldResult:
    """The evaluation of one gold file."""

    path: str
    results: pd.DataFrame
    ignored_columns: list[str]
    gold: pd.DataFrame
    predictions: Predictions
    model_where_rules_silent: pd.DataFrame
    unevaluated_tags: list[str]  # taxonomy tags the gold file has no column for
    unlabelled: dict[str, int] = field(default_factory=dict)  # blank cells per tag: not labelled yet, skipped

    def column_notes(self) -> list[str]:
        """What the gold file's columns and the taxonomy's tags do not share, one note each."""
        notes = []
        if self.ignored_columns:
            notes.append(f"gold columns not in the taxonomy, ignored: {', '.join(self.ignored_columns)}")
        if self.unevaluated_tags:
            notes.append(f"taxonomy tags with no gold column, not evaluated: {', '.join(self.unevaluated_tags)}")
        if self.unlabelled:
            counts = ", ".join(f"{tag} {count}" for tag, count in self.unlabelled.items())
            notes.append(f"blank cells, not labelled yet, left out of their tag's figures: {counts}")
        return notes


def usable_gold(taxonomy: Taxonomy, gold_paths=None) -> tuple[list[str], list[str]]:
    """The gold files to evaluate on, and a note for each one left out. `gold_paths` None means the
    default files, of which one that has no column for a tag of the taxonomy (a taxonomy of one's
    own) is left out with a note, and one that is not there (outside the demo folder) silently.
    Named files must be readable and share a tag: each is read
    now, so that a mistake in one stops a command before its training, not after."""
    if gold_paths is not None:
        for path in gold_paths:
            load_gold(path, taxonomy.tag_ids)
        return [str(path) for path in gold_paths], []
    usable, notes = [], []
    for path in DEFAULT_GOLD:
        if not Path(path).is_file():
            continue
        try:
            load_gold(path, taxonomy.tag_ids)
        except GoldWithoutTagsError as exc:
            notes.append(f"Note: default gold {exc}{GOLD_LEFT_OUT}")
            continue
        usable.append(path)
    return usable, notes


def evaluate_gold(taxonomy: Taxonomy, model: TagModel, gold_path: str | Path,
                  columns: dict[str, str] | None = None, encoding: str | None = None,
                  probabilities=None) -> GoldResult:
    """Per-tag precision, recall, F1 and support of rules, model and combined on one gold file.
    `probabilities` (rows x tags) replace the model's own for gold it was fitted on: out-of-fold
    scores, so that no figure is in-sample."""
    gold, shared, ignored = load_gold(gold_path, taxonomy.tag_ids, columns, encoding)
    tagger = Tagger(taxonomy, model)
    predictions = tagger.predict(gold["title"].tolist(), gold["abstract"].tolist())
    if probabilities is not None:
        predictions = tagger.decide(predictions.votes, predictions.features, probabilities)
    systems = {name: predictions.system(name) for name in SYSTEMS}
    results = evaluate_systems(gold, systems, taxonomy.tag_ids, shared)
    silent = evaluate_where_rules_silent(gold, systems["rules"], systems["model"], taxonomy.tag_ids, shared)
    unevaluated = [tag for tag in taxonomy.tag_ids if tag not in shared]
    return GoldResult(str(gold_path), results, ignored, gold, predictions, silent, unevaluated,
                      unlabelled_counts(gold, shared))


def fitted_on(model_dir, gold_path) -> str | None:
    """What to say when the model was fitted on this very gold file (its figures are then in-sample)."""
    fitted = read_manifest(model_dir).fit_gold
    digest = file_sha256(gold_path)
    for entry in fitted.files if fitted is not None else ():
        if entry.sha256 == digest:
            return (f"the model was fitted on this gold file ({entry.path}), so these figures are "
                    "in-sample; the out-of-fold ones are in the model's manifest (metrics)")
    return None


@dataclass
class TagRun:
    """What a tagging run did."""

    documents: int = 0
    seconds: float = 0.0
    resumed_chunks: int = 0
    report: ReadReport = field(default_factory=ReadReport)
    tag_counts: Counter = field(default_factory=Counter)  # documents given each tag (in this run's chunks)
    held_back: Counter = field(default_factory=Counter)  # documents whose tag the model gave, the policy held back


def tag_files(spec: TaggerSpec, inputs, output: str | Path, chunk_size: int = 2000, jobs: int | None = None,
              engine: str = "local", scheduler: str | None = None, resume: bool = False,
              progress: bool | None = None, columns: dict[str, str] | None = None,
              encoding: str | None = None, input_format: str | None = None,
              output_as: str | None = None, with_abstract: bool = False) -> TagRun:
    """Tag every record of the input files into one CSV, JSON Lines or Parquet file (as its name
    says), written chunk by chunk; the output appears only when complete, and an interrupted run
    can go on with `resume`. `columns` names the inputs' own id, title and abstract columns,
    `encoding` their text encoding and `input_format` their format (see corpus.read_documents).
    An input `-` is standard input, an output `-` standard output (written as it is made, in the
    format `output_as`, CSV by default; neither can be resumed). With `with_abstract`, each row
    has the record's abstract after its title."""
    refuse_overwriting(inputs, [output])
    row_format = output_format(output, output_as)  # (a bad name is refused before any work)
    _check_streams(inputs, output, resume, input_format)
    tagger = spec.tagger()  # (read and verified once, here, for this process and the pool it starts)
    taxonomy = tagger.taxonomy
    run = TagRun()
    fingerprint = _run_fingerprint(inputs, chunk_size, engine, taxonomy, tagger.manifest, columns, encoding, input_format,
                                   with_abstract)
    writer = (StreamedOutput(sys.stdout.buffer, row_format) if str(output) == STDOUT
              else ResumableOutput(output, fingerprint, resume))
    run.resumed_chunks = writer.chunks_done
    started = time.perf_counter()
    sizes = [0 if str(path) == STDIN else Path(path).stat().st_size for path in inputs]
    bar = tqdm(desc="tagging", total=sum(sizes) or None, unit="B", unit_scale=True,
               disable=None if progress is None else not progress)  # (by bytes read: quiet when not a terminal)
    done_bytes = [0]  # the sizes of the inputs read to the end

    def frames():
        for path, size in zip(inputs, sizes):
            run.report.position = None
            yield from read_documents(path, chunk_size, report=run.report, columns=columns, encoding=encoding,
                                      input_format=input_format)
            done_bytes[0] += size

    try:
        chunks = _with_columns(writer, taxonomy, frames(), writer.chunks_done, with_abstract)
        tagged = (tag_on_dask(spec, chunks, scheduler=scheduler, workers=jobs, row_format=writer.row_format)
                  if engine == "dask" else tag_locally(spec, chunks, jobs, writer.row_format))
        for chunk in tagged:
            writer.write_rows(chunk.text)
            run.documents += chunk.rows
            run.tag_counts.update(chunk.tag_counts)
            run.held_back.update(chunk.held_back)
            bar.update(min(done_bytes[0] + _bytes_read(run.report), bar.total or 0) - bar.n)
            bar.set_postfix_str(f"{run.documents:,} abstracts", refresh=False)
        writer.finish(output_columns(taxonomy.tag_ids, [], with_abstract))
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: keep the complete chunks for --resume
        writer.close()
        raise
    except OutputWriteError as exc:  # a full disk: the same
        writer.close()
        if isinstance(writer, StreamedOutput):
            raise
        raise OutputWriteError(f"{exc}; the complete chunks are kept", resumable=True) from None
    except BaseException:  # a bad input or a bug: nothing worth resuming
        writer.discard()
        raise
    finally:
        bar.close()
    run.seconds = time.perf_counter() - started
    return run


def _bytes_read(report: ReadReport) -> int:
    """How far the reader is in the file it reads (0 when it cannot say: standard input, Parquet,
    or a file it has closed)."""
    try:
        return report.position() if report.position is not None else 0
    except (ValueError, OSError):
        return 0


def _with_columns(writer: ResumableOutput | StreamedOutput, taxonomy: Taxonomy, chunks, skip: int,
                  with_abstract: bool = False):
    """(chunk, output columns) after the first `skip` chunks; the first chunk's columns (or those
    of the run being resumed) are the output's, and its header is written before the chunk is tagged."""
    for frame in itertools.islice(chunks, skip, None):
        if writer.columns is None:
            writer.start(output_columns(taxonomy.tag_ids, frame.columns, with_abstract))
        yield frame, writer.columns


def _check_streams(inputs, output, resume: bool, input_format: str | None) -> None:
    """Before any work: standard input (`-`) needs a format and is read once, and neither it nor
    standard output can be resumed."""
    names = [str(path) for path in inputs]
    if STDIN in names and input_format is None:
        raise StdinFormatError(STDIN_UNNAMED)
    if names.count(STDIN) > 1:
        raise TaxotagError("-: standard input can be read only once; name it once among the inputs")
    if resume and (STDIN in names or str(output) == STDOUT):
        raise TaxotagError("a run reading standard input or writing standard output (-) cannot be resumed; "
                           "name files instead")


def _run_fingerprint(inputs, chunk_size: int, engine: str, taxonomy: Taxonomy, manifest,
                     columns: dict[str, str] | None = None, encoding: str | None = None,
                     input_format: str | None = None, with_abstract: bool = False) -> str:
    """Identifies a tagging run, so that --resume only continues the same run."""
    files = []
    for path in inputs:
        stat = Path(path).stat() if Path(path).exists() else None
        files.append([str(Path(path).resolve()), stat.st_size if stat else None, stat.st_mtime_ns if stat else None])
    payload = [files, chunk_size, engine, taxonomy.fingerprint(), model_fingerprint(manifest), columns or {},
               encoding] + ([input_format] if input_format else [])  # (unchanged for runs without --format)
    if with_abstract:
        payload.append("with abstract")
    return json_sha256(payload)


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
        """One line a tag the model could not learn (too few weak positives) and a default gold
        file left out."""
        return [f"Warning: {tag}: {note}" for tag, note in self.model.notes.items()] + self.gold_notes


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


def rule_analysis(taxonomy: Taxonomy, corpus_path, gold_paths=(), cache_dir=DEFAULT_CACHE,
                  progress: bool | None = None) -> pd.DataFrame:
    """rule_table for a corpus file (its votes from the cache where they are there)."""
    corpus = label_corpus(taxonomy, corpus_path, cache_dir=cache_dir, progress=progress)
    return rule_table(taxonomy, corpus.votes, gold_paths)


def show_rule(taxonomy: Taxonomy, corpus_path, rule_id: str, count: int = 5, gold_path=None,
              cache_dir=DEFAULT_CACHE, progress: bool | None = None) -> str:
    """rule_examples of one rule on a corpus file and, with `gold_path`, its wrong firings there."""
    rule_index([info.id for info in rule_infos(taxonomy)], rule_id)  # an unknown rule fails before any work
    corpus = label_corpus(taxonomy, corpus_path, cache_dir=cache_dir, progress=progress)
    gold = _gold_votes(taxonomy, [gold_path]) if gold_path else None
    return rule_examples(corpus.votes, corpus.documents, rule_id, count, gold)


def rule_table(taxonomy: Taxonomy, corpus_votes: RuleVotes, gold_paths=()) -> pd.DataFrame:
    """One row a rule: coverage, passing, overlaps, conflicts on the corpus; with gold files,
    correct / incorrect / empirical precision on all of them together."""
    table = rule_summary(corpus_votes)
    if gold_paths:
        votes, gold = _gold_votes(taxonomy, gold_paths)
        on_gold = rule_summary(votes, gold)
        columns = [c for c in ("correct", "incorrect", "precision", "precision_low", "precision_high") if c in on_gold]
        table = table.merge(on_gold[["rule", *columns]], on="rule", how="left")
    return table


def _gold_votes(taxonomy: Taxonomy, gold_paths) -> tuple[RuleVotes, pd.DataFrame]:
    """The rules' votes on the gold files and the gold labels, files joined (a tag column one file
    lacks is 0 for its rows)."""
    gold = pd.concat([load_gold(path, taxonomy.tag_ids)[0] for path in gold_paths], ignore_index=True).fillna(0)
    return RuleSet(taxonomy).apply(gold["title"].tolist(), gold["abstract"].tolist()), gold


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
