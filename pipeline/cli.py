"""The `taxotag` command: parses arguments and calls the library; user mistakes print `Error: ...`."""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
import threading
from pathlib import Path

from . import workflow
from .artifacts import load_model, verify_model
from .corpus import (FORMATS, REQUIRED_COLUMNS, STDIN, ReadReport, check_encoding, find_record,
                             import_listings, read_all, read_documents, require_file, write_jsonl_text)
from .engines import TaggerSpec
from .errors import InputFileError, MissingColumnsError, TaxotagError
from .evaluation import format_table
from .export import (STDOUT, STREAM_FORMATS, check_writable, is_gzip_csv, refuse_overwriting, write_csv,
                             write_text)
from .report import errors_text, gold_errors
from .sampling import SAMPLED_AS, draw_sample
from .tagging import Tagger, held_back_summary
from .training import GOLD_WEIGHT, CorpusFile
from .taxonomy import load_taxonomy

MAX_REPORTED_PROBLEMS = 20
COLUMNS_HINT = "; --columns can name the file's own ones, e.g. --columns abstract=summary"
GOLD_HELP = (f"gold CSV files (default: {' '.join(workflow.DEFAULT_GOLD)}, those that have a column for a "
             "tag of the taxonomy)")
ENCODING_HINT = ("name the file's encoding with --encoding, e.g. --encoding cp1252 for a spreadsheet saved "
                 "as CSV on Windows")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # `kill` is handled like Ctrl-C
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    try:
        _require_default_taxonomy(args)
        return args.handler(args) or 0
    except TaxotagError as exc:
        hint = ""
        if isinstance(exc, MissingColumnsError) and vars(args).get("columns", "") is None:
            hint = f"; try {exc.suggestion}" if exc.suggestion else COLUMNS_HINT
        elif isinstance(exc, InputFileError) and exc.undecodable and vars(args).get("encoding", "") is None:
            hint = f"; {ENCODING_HINT}"
        print(f"Error: {exc}{hint}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted; no output file was replaced.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # standard output was closed early (`taxotag tag ... -o - | head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # (so exiting flushes nothing)
        return 141


def _require_default_taxonomy(args) -> None:
    """The default taxonomy (and model and data) are looked for in the current folder: run outside
    the project folder, say so rather than report a missing file. A command that uses a model and
    was not given --taxonomy uses taxonomy.yaml when the current folder has one, else the copy
    the model folder keeps (args.taxonomy is set to the one chosen)."""
    if "taxonomy" in vars(args) and args.taxonomy is None:  # (a command whose --taxonomy may come from --model)
        if Path(workflow.DEFAULT_TAXONOMY).exists():
            args.taxonomy = workflow.DEFAULT_TAXONOMY
        else:
            kept = workflow.model_taxonomy_path(args.model)
            if kept is None:
                raise TaxotagError(f"{workflow.DEFAULT_TAXONOMY}: not in the current folder ({Path.cwd()}), and "
                                   f"{args.model} keeps no taxonomy; name it with --taxonomy (and the model "
                                   "with --model)")
            args.taxonomy = str(kept)
        return
    taxonomy = vars(args).get("taxonomy_option") or vars(args).get("taxonomy")  # (validate takes either)
    if taxonomy == workflow.DEFAULT_TAXONOMY and not Path(workflow.DEFAULT_TAXONOMY).exists():
        raise TaxotagError(f"{workflow.DEFAULT_TAXONOMY}: not in the current folder ({Path.cwd()}); run taxotag in "
                           "the project folder, or name the files with --taxonomy (and --model)")


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def positive_float(text: str) -> float:
    """An argparse type: a number above 0."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number above 0, got {text!r}")
    return value


def column_names(text: str) -> dict[str, str]:
    """An argparse type: `id=paperId,abstract=summary` -> {"id": "paperId", "abstract": "summary"}."""
    names = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        ours, _, theirs = (side.strip() for side in part.partition("="))
        if ours not in REQUIRED_COLUMNS or not theirs:
            raise argparse.ArgumentTypeError(f"expected id=NAME, title=NAME or abstract=NAME (comma-separated), "
                                             f"got {part!r}")
        names[ours] = theirs
    return names


def encoding_name(text: str) -> str:
    """An argparse type: an encoding Python knows."""
    try:
        return check_encoding(text)
    except TaxotagError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("taxotag")
    except metadata.PackageNotFoundError:  # (run from a source tree that was not installed)
        return "(not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="taxotag", description="Tag research abstracts with an editable taxonomy.")
    parser.add_argument("--version", action="version", version=f"taxotag {_version()}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    def taxonomy_option(sub):
        sub.add_argument("--taxonomy", default=workflow.DEFAULT_TAXONOMY, help="taxonomy file (default: %(default)s)")

    def input_options(sub, what="input"):
        sub.add_argument("--columns", type=column_names, metavar="id=NAME,title=NAME,abstract=NAME",
                         help=f"the {what}'s own names for the id, title or abstract column, e.g. "
                              "id=paperId,abstract=summary (JSONL, JSON, CSV, TSV, Parquet; not needed when "
                              "they differ only in case)")
        sub.add_argument("--encoding", type=encoding_name, metavar="NAME",
                         help=f"the {what}'s text encoding, e.g. cp1252 or latin-1 (default: UTF-8, or "
                              "UTF-16/32 for a file that starts with their byte order mark)")

    def format_option(sub):
        sub.add_argument("--format", choices=list(FORMATS), dest="input_format",
                         help="read the inputs in this format whatever their names (needed for standard "
                              "input, -, which may be gzipped)")

    def corpus_options(sub, purpose, from_model=False):
        if from_model:  # (None: the corpus the model was trained on, see _corpus)
            sub.add_argument("--corpus", help=f"{purpose} (default: the corpus the --model was trained on, "
                                              f"else {workflow.DEFAULT_CORPUS})")
        else:
            sub.add_argument("--corpus", default=workflow.DEFAULT_CORPUS, help=f"{purpose} (default: %(default)s)")
        input_options(sub, "corpus")

    def model_taxonomy_option(sub):
        sub.add_argument("--taxonomy", help=f"taxonomy file (default: {workflow.DEFAULT_TAXONOMY} in the current "
                                            "folder, else the copy the --model folder keeps)")

    def model_options(sub):
        model_taxonomy_option(sub)
        sub.add_argument("--model", default=workflow.DEFAULT_MODEL, help="model folder (default: %(default)s)")
        sub.add_argument("--allow-stale", action="store_true",
                         help="use a model trained with an older taxonomy (its tags must be the same)")

    sub = command("run", cmd_run, "The main job: label the corpus, train, evaluate on gold, tag the seed papers.")
    taxonomy_option(sub)
    sub.add_argument("--corpus", default=workflow.DEFAULT_CORPUS, help="training corpus (default: %(default)s)")
    sub.add_argument("--model", default=workflow.DEFAULT_MODEL, help="where to save the model (default: %(default)s)")
    sub.add_argument("--gold", nargs="+", help=GOLD_HELP)
    sub.add_argument("--papers", default=workflow.DEFAULT_SEED_PAPERS, help="papers to tag (default: %(default)s)")
    sub.add_argument("--out", default=workflow.DEFAULT_OUT, help="output folder (default: %(default)s)")

    for name, handler, text in (
        ("train", cmd_train, "Label a corpus with the rules and train the model on those labels (all tags)."),
        ("retrain", cmd_retrain, "After a taxonomy edit: re-run only changed rules, refit only changed tags, "
                                 "and show what changed."),
    ):
        sub = command(name, handler, text)
        taxonomy_option(sub)
        corpus_options(sub, "training corpus", from_model=name == "retrain")
        sub.add_argument("--model", default=workflow.DEFAULT_MODEL, help="model folder (default: %(default)s)")
        sub.add_argument("--gold", nargs="*", help=GOLD_HELP + "; their precision and recall are kept in the "
                         "manifest (--gold alone: none)")
        if name == "retrain":
            sub.add_argument("--out", default=workflow.DEFAULT_OUT, help="where retrain_diff.md goes")
        else:
            sub.add_argument("--fit-gold", nargs="+", default=[], metavar="GOLD",
                             help="also fit the model on these hand-labelled gold CSVs (a 0/1 column for every "
                                  "tag); a gold file that is also evaluated is scored out-of-fold")
            sub.add_argument("--gold-weight", type=positive_float, default=GOLD_WEIGHT,
                             help="how much one gold abstract weighs against one weakly labelled corpus abstract "
                                  "(default: %(default)g)")

    sub = command("tag", cmd_tag, "Tag abstracts from JSONL, JSON, CSV, TSV, Parquet, BibTeX, RIS, Web of Science, "
                                  "listing text files or Atom / RSS feeds (arXiv's) into a CSV, JSON Lines or "
                                  "Parquet file.")
    sub.add_argument("inputs", nargs="+", metavar="INPUT",
                     help="input files (.jsonl, .json, .csv, .tsv, .parquet, .bib, .ris, .txt, .xml, optionally .gz), "
                          "or - for standard input (with --format)")
    sub.add_argument("-o", "--output", required=True,
                     help="output file: .csv, .jsonl (JSON Lines) or .parquet (.csv.gz, .jsonl.gz to compress it); "
                          "or - for standard output")
    sub.add_argument("--output-format", choices=STREAM_FORMATS, default=None,
                     help="with -o -: write csv (default) or jsonl to standard output")
    sub.add_argument("--with-abstract", action="store_true", help="also write each record's abstract (after its title)")
    sub.add_argument("--errors", help="also write the skipped rows (file, line, problem) to this CSV "
                     "(.csv, or .csv.gz for gzip)")
    sub.add_argument("--chunk-size", type=positive_int, default=2000, help="records per chunk (default: %(default)s)")
    sub.add_argument("--jobs", type=positive_int, default=None, help="worker processes (default: one per core)")
    sub.add_argument("--engine", choices=["local", "dask"], default="local",
                     help="local processes, or a Dask cluster (default: %(default)s)")
    sub.add_argument("--scheduler", help="with --engine dask: a scheduler address such as tcp://host:8786 "
                                         "(default: start a local cluster)")
    sub.add_argument("--resume", action="store_true", help="go on from where an interrupted run stopped")
    format_option(sub)
    input_options(sub)
    model_options(sub)

    sub = command("evaluate", cmd_evaluate, "Per-tag precision, recall, F1 and support on a gold CSV.")
    sub.add_argument("--gold", required=True, help="gold CSV: id, title, abstract and one 0/1 column per tag")
    sub.add_argument("--json", action="store_true", help="print machine-readable JSON")
    sub.add_argument("--show-errors", action="store_true",
                     help="also list the combined system's false positives and false negatives per tag, "
                          "with the model's probability and the tag's rule mentions")
    input_options(sub)
    model_options(sub)

    sub = command("rules", cmd_rules, "One row per rule: coverage, overlaps, conflicts; with --gold, precision; "
                                      "with --show RULE_ID, that rule's matches in context.")
    model_taxonomy_option(sub)
    corpus_options(sub, "corpus for coverage", from_model=True)
    sub.add_argument("--model", default=workflow.DEFAULT_MODEL,
                     help="model folder whose training corpus is the default corpus (default: %(default)s)")
    sub.add_argument("--gold", help="gold CSV for correct / incorrect / empirical precision")
    sub.add_argument("--show", metavar="RULE_ID", help="instead of the table: corpus documents where this rule "
                                                       "fired and where it matched without firing, in context "
                                                       "(with --gold, also its wrong firings there)")
    sub.add_argument("--examples", type=positive_int, default=5, metavar="N", help="documents per list with --show "
                                                                      "(default: %(default)s)")

    sub = command("report", cmd_report, "Write the self-contained HTML evaluation report (out/report.html).")
    sub.add_argument("--gold", nargs="+", help=GOLD_HELP)
    corpus_options(sub, "corpus for rule coverage", from_model=True)
    sub.add_argument("--out", default=workflow.DEFAULT_OUT, help="output folder (default: %(default)s)")
    model_options(sub)

    sub = command("explain", cmd_explain, "Show why one paper got its tags: rule mentions and model terms.")
    sub.add_argument("id", help="the paper's id")
    sub.add_argument("--input", required=True, nargs="+", metavar="FILE",
                     help="the file that holds the paper (or the input files of the `tag` run, in their order)")
    format_option(sub)
    input_options(sub)
    model_options(sub)

    sub = command("sample", cmd_sample, "Draw papers to hand-label as a gold set: per tag, ones the system tags, "
                                        "ones that mention the tag without getting it, ones only the model "
                                        "tags, and some at random.")
    sub.add_argument("inputs", nargs="+", metavar="INPUT", help="the papers to draw from (any format `tag` reads)")
    sub.add_argument("-o", "--output", required=True, help="the labelling sheet: .csv (or .csv.gz)")
    sub.add_argument("--per-stratum", type=positive_int, default=10, metavar="N",
                     help="papers for each tag and stratum (default: %(default)s)")
    sub.add_argument("--random", type=int, default=20, metavar="N", dest="at_random",
                     help="papers drawn at random besides (default: %(default)s)")
    sub.add_argument("--seed", type=int, default=0, help="the same seed draws the same papers (default: %(default)s)")
    sub.add_argument("--exclude", action="append", default=[], metavar="FILE",
                     help="leave out the papers of this file (an earlier sheet, a gold file), by id; "
                          "give it once for each file")
    format_option(sub)
    input_options(sub)
    model_options(sub)

    sub = command("validate", cmd_validate, "Check a taxonomy file and list every problem with its line.")
    sub.add_argument("taxonomy", nargs="?", default=workflow.DEFAULT_TAXONOMY, help="default: %(default)s")
    sub.add_argument("--taxonomy", dest="taxonomy_option", metavar="TAXONOMY",
                     help="the same, named as the other commands name it")

    sub = command("import", cmd_import, "Import papers-listing text files (title line, abstract paragraph).")
    sub.add_argument("inputs", nargs="+", metavar="FILE")
    sub.add_argument("-o", "--output", required=True, help="output .jsonl or .csv (optionally .gz)")
    sub.add_argument("--id-prefix", default="s", help="id prefix, numbered in reading order (default: %(default)s)")
    return parser


def cmd_run(args) -> int:
    check_writable(args.model)  # (before training, not after it)
    check_writable(Path(args.out) / "report.md")
    workflow.run_default(args.taxonomy, args.corpus, args.model, args.gold, args.papers, args.out)
    return 0


def cmd_train(args) -> int:
    taxonomy = load_taxonomy(args.taxonomy)
    check_writable(args.model)
    training = workflow.train(taxonomy, _corpus(args), args.model, args.gold, fit_gold=args.fit_gold,
                              gold_weight=args.gold_weight)
    positives = ", ".join(f"{t} {n}" for t, n in training.weak_positives(taxonomy).items())
    print(f"trained on {len(training.corpus.documents):,} abstracts in {training.seconds:.1f} s "
          f"(weak positives: {positives}) -> {args.model}/")
    held = held_back_summary(training.held_back, taxonomy)
    if held:
        print(f"on the training corpus, {held}")
    if args.fit_gold:  # (the figures that are out-of-fold, which `evaluate` cannot give for this model)
        print(f"also fitted on the gold of {', '.join(args.fit_gold)} (weight {args.gold_weight:g})")
        for evaluation in training.evaluations:
            fitted = " (out-of-fold: the model was fitted on this gold)" if evaluation.path in args.fit_gold else ""
            print(f"\n## {evaluation.path}{fitted}\n\n{format_table(evaluation.results)}")
    for line in training.warnings():
        print(line, file=sys.stderr)
    _print_problems(training.corpus.report, encoding_hint=args.encoding is None)
    return 0


def cmd_retrain(args) -> int:
    check_writable(args.model)
    check_writable(Path(args.out) / "retrain_diff.md")
    training = workflow.retrain(args.taxonomy, _corpus(args), args.model, args.gold, args.out)
    _print_problems(training.corpus.report, encoding_hint=args.encoding is None)
    return 0


def _corpus(args) -> CorpusFile:
    """The --corpus file and how to read it (--columns, --encoding). Without --corpus (where the
    command defaults to it), the corpus the --model was trained on, read as it was then, when that
    file is still there; else the demo corpus."""
    if args.corpus is None:
        recorded = workflow.model_corpus(args.model)
        if recorded is not None:
            args.corpus = str(recorded.path)
            return CorpusFile(recorded.path, args.columns or recorded.columns, args.encoding or recorded.encoding)
        args.corpus = workflow.DEFAULT_CORPUS
    return CorpusFile(args.corpus, args.columns, args.encoding)


def cmd_tag(args) -> int:
    if args.errors:  # (tag_files checks the output itself)
        refuse_overwriting([*args.inputs, args.output], [args.errors])
        is_gzip_csv(args.errors)  # (refuses a name other than .csv or .csv.gz)
        check_writable(args.errors)  # (it is written last)
    taxonomy = load_taxonomy(args.taxonomy)
    verify_model(args.model, taxonomy, allow_stale=args.allow_stale)  # before starting workers
    if args.allow_stale:
        print(f"Warning: --allow-stale: {args.model} may not reflect the current {args.taxonomy}", file=sys.stderr)
    for path in args.inputs:
        if path != STDIN:
            require_file(path)
    spec = TaggerSpec(str(args.taxonomy), str(args.model), args.allow_stale)
    streamed = args.output == STDOUT
    try:
        run = workflow.tag_files(spec, args.inputs, args.output, chunk_size=args.chunk_size, jobs=args.jobs,
                                 engine=args.engine, scheduler=args.scheduler, resume=args.resume,
                                 columns=args.columns, encoding=args.encoding, input_format=args.input_format,
                                 output_as=args.output_format, with_abstract=args.with_abstract)
    except KeyboardInterrupt:
        if streamed:
            print("Interrupted; the rows written so far are on standard output.", file=sys.stderr)
        else:
            print(f"Interrupted; {args.output} was not written. Run the same command with --resume to go on "
                  "from the last complete chunk.", file=sys.stderr)
        return 130
    summary = sys.stderr if streamed else sys.stdout  # (standard output holds the rows)
    rate = run.documents / run.seconds if run.seconds else math.inf
    resumed = f" (resumed after {run.resumed_chunks} chunks)" if run.resumed_chunks else ""
    where = "standard output" if streamed else args.output
    noun = "abstract" if run.documents == 1 else "abstracts"
    print(f"tagged {run.documents:,} {noun} in {run.seconds:.1f} s ({rate:,.0f}/s){resumed} -> {where}",
          file=summary)
    counted = " (in the chunks tagged after resuming)" if run.resumed_chunks else ""
    print(f"documents per tag{counted}: " + ", ".join(f"{tag} {run.tag_counts[tag]:,}" for tag in taxonomy.tag_ids),
          file=summary)
    held = held_back_summary(run.held_back, taxonomy)
    if held:
        print(held + " (their model_tags column has them)", file=summary)
    _print_problems(run.report, encoding_hint=args.encoding is None, errors_option=True)
    if args.errors:
        import pandas as pd

        rows = [{"file": p.path, "line": p.line, "problem": p.message} for p in run.report.problems]
        write_csv(args.errors, pd.DataFrame(rows, columns=["file", "line", "problem"]))
    return 0


def _print_problems(report: ReadReport, encoding_hint: bool = False, errors_option: bool = False) -> None:
    """The skipped records on stderr; with `encoding_hint`, how to read a file that is not UTF-8, and
    with `errors_option`, that --errors lists them all."""
    if not report.problems:
        return
    print(f"skipped {len(report.problems)} record(s):", file=sys.stderr)
    for problem in report.problems[:MAX_REPORTED_PROBLEMS]:
        print(f"  {problem}", file=sys.stderr)
    if len(report.problems) > MAX_REPORTED_PROBLEMS:
        more = " (use --errors FILE)" if errors_option else ""
        print(f"  ... and {len(report.problems) - MAX_REPORTED_PROBLEMS} more{more}", file=sys.stderr)
    if encoding_hint and report.undecodable:
        print(f"  not UTF-8? {ENCODING_HINT}", file=sys.stderr)


def cmd_evaluate(args) -> int:
    taxonomy = load_taxonomy(args.taxonomy)
    model = load_model(args.model, taxonomy, allow_stale=args.allow_stale)
    evaluation = workflow.evaluate_gold(taxonomy, model, args.gold, args.columns, args.encoding)
    fitted = workflow.fitted_on(args.model, args.gold)
    if fitted:
        print(f"Note: {fitted}", file=sys.stderr)
    if args.json:
        result = _evaluation_json(evaluation)
        if args.show_errors:
            tagger = Tagger(taxonomy, model)
            result["errors"] = {tag: gold_errors(evaluation, tagger, tag) for tag in taxonomy.tag_ids
                                if tag in evaluation.gold.columns}
        print(json.dumps(result, indent=2))
        return 0
    print(f"{args.gold}: {len(evaluation.gold)} abstracts\n")
    print(format_table(evaluation.results))
    notes = evaluation.column_notes()
    if notes:
        print("\n" + "\n".join(notes))
    if args.show_errors:
        print("\nErrors of the combined system:\n")
        print(errors_text(evaluation, Tagger(taxonomy, model)))
    return 0


def _evaluation_json(evaluation) -> dict:
    tags: dict = {}
    for _, row in evaluation.results.iterrows():
        metrics = {key: _json_number(row[key]) for key in ("precision", "recall", "f1", "support", "tp", "fp", "fn")}
        tags.setdefault(row["tag"], {})[row["system"]] = metrics
    return {"gold": evaluation.path, "documents": len(evaluation.gold),
            "ignored_columns": evaluation.ignored_columns, "unevaluated_tags": evaluation.unevaluated_tags,
            "tags": tags}


def _json_number(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value) if float(value).is_integer() and not isinstance(value, float) else float(value)


def cmd_rules(args) -> int:
    taxonomy = load_taxonomy(args.taxonomy)
    if args.show:
        print(workflow.show_rule(taxonomy, _corpus(args), args.show, args.examples, args.gold))
        return 0
    table = workflow.rule_analysis(taxonomy, _corpus(args), [args.gold] if args.gold else [])
    print(f"rules on {args.corpus}" + (f"; precision on {args.gold}" if args.gold else ""))
    print(_rules_text(table))
    print(RULES_LEGEND + (RULES_GOLD_LEGEND if args.gold else ""))
    return 0


RULES_LEGEND = """
coverage: share of corpus abstracts where the rule fired; passing: where it matched but did not fire
(a passing mention, or not where / as often as the rule asks); overlaps: where it fired with another
rule; conflicts: where it fired and a rule of another tag fired too; sole_voter: abstracts where it
is the only rule of its tag that fired (a count; with a weight below the tag's min_score, a rule
firing alone gives no tag)."""
RULES_GOLD_LEGEND = """
correct / incorrect: gold abstracts where it fired and the gold label of its tag is 1 / 0;
precision: correct / (correct + incorrect), with its 95% Wilson interval."""


def cmd_report(args) -> int:
    check_writable(Path(args.out) / "report.html")
    path = workflow.report(args.taxonomy, args.model, args.gold, _corpus(args), args.out, args.allow_stale)
    print(f"report -> {path}")
    return 0


def _rules_text(table) -> str:
    shown = table.copy()
    for column in ("coverage", "passing", "overlaps", "conflicts"):
        shown[column] = (shown[column] * 100).map(lambda v: f"{v:.2f}%")
    if "precision" in shown:
        shown["precision"] = [
            "n/a" if math.isnan(p) else f"{p:.2f} [{lo:.2f}, {hi:.2f}]"
            for p, lo, hi in zip(shown["precision"], shown["precision_low"], shown["precision_high"])
        ]
        shown = shown.drop(columns=["precision_low", "precision_high"])
        for column in ("correct", "incorrect"):
            shown[column] = shown[column].astype("Int64")
    return shown.to_string(index=False)


def cmd_explain(args) -> int:
    taxonomy = load_taxonomy(args.taxonomy)
    model = load_model(args.model, taxonomy, allow_stale=args.allow_stale)
    match = find_record(args.input, args.id, args.columns, args.encoding, args.input_format)
    if match.empty:
        raise TaxotagError(f"{', '.join(args.input)}: no record with id {args.id!r}")
    tagger = Tagger(taxonomy, model)
    predictions = tagger.predict(match["title"].tolist(), match["abstract"].tolist())
    print(explain_text(tagger, predictions, match.iloc[0]))
    return 0


def explain_text(tagger: Tagger, predictions, record) -> str:
    """A readable account of one paper's rule mentions, model scores and tags."""
    votes, tag_ids = predictions.votes, tagger.taxonomy.tag_ids
    lines = [f"{record['id']}: {record['title']}",
             f"tags: {';'.join(t for t, on in zip(tag_ids, predictions.combined[0]) if on) or '(none)'}", ""]
    for j, (tag_id, reason) in enumerate(zip(tag_ids, tagger.decisions(predictions, 0))):
        state = "GIVEN" if predictions.combined[0, j] else "not given"
        lines.append(f"{tag_id}: {state} (score {predictions.scores[0, j]:.3f}): {reason}")
        for mention in votes.tag_mentions(0, tag_id):
            lines.append(f"    rule {votes.rules[mention.rule].id}: {mention.describe()}")
        terms = tagger.model.top_features(predictions.features[0], j, 5)
        if terms:
            lines.append(f"    model terms: {', '.join(terms)}")
    return "\n".join(lines)


def cmd_sample(args) -> int:
    refuse_overwriting(args.inputs, [args.output])
    is_gzip_csv(args.output)  # (refuses a name other than .csv or .csv.gz)
    if args.at_random < 0:
        raise TaxotagError(f"--random {args.at_random}: give 0 or more")
    taxonomy = load_taxonomy(args.taxonomy)
    tagger = Tagger(taxonomy, load_model(args.model, taxonomy, allow_stale=args.allow_stale))
    exclude = frozenset(id_ for path in args.exclude for id_ in read_all(path, report=ReadReport())["id"])
    report = ReadReport()
    frames = (frame for path in args.inputs
              for frame in read_documents(path, report=report, columns=args.columns, encoding=args.encoding,
                                          input_format=args.input_format))
    sheet = draw_sample(tagger, frames, args.per_stratum, args.at_random, args.seed, exclude)
    write_csv(args.output, sheet)
    left_out = f", {len(exclude):,} ids left out" if exclude else ""
    print(f"drew {len(sheet)} of {report.records:,} papers{left_out} -> {args.output}")
    print(f"label each tag column 1 or 0, then: taxotag evaluate --gold {args.output}")
    print(f"(the {SAMPLED_AS} column says why each paper was drawn; hide it while labelling)")
    _print_problems(report, encoding_hint=True)
    return 0


def cmd_validate(args) -> int:
    named = args.taxonomy != workflow.DEFAULT_TAXONOMY
    if named and args.taxonomy_option and args.taxonomy != args.taxonomy_option:
        raise TaxotagError(f"two taxonomy files named ({args.taxonomy}, {args.taxonomy_option}); name one")
    path = args.taxonomy_option or args.taxonomy
    taxonomy = load_taxonomy(path)
    rules = sum(len(tag.rules) for tag in taxonomy.tags)
    print(f"{path}: OK ({len(taxonomy.tags)} tags, {rules} rules)")
    return 0


IMPORT_FORMATS = (".jsonl", ".jsonl.gz", ".csv", ".csv.gz")


def cmd_import(args) -> int:
    refuse_overwriting(args.inputs, [args.output])
    output = Path(args.output)
    if not output.name.lower().endswith(IMPORT_FORMATS):
        raise TaxotagError(f"{output}: name the output .jsonl or .csv (or .jsonl.gz, .csv.gz to compress it)")
    frame, report = import_listings(args.inputs, id_prefix=args.id_prefix)
    if output.name.lower().endswith((".csv", ".csv.gz")):
        write_csv(output, frame)
    else:
        write_text(output, write_jsonl_text(frame))
    print(f"imported {len(frame)} papers from {len(args.inputs)} file(s) -> {output}")
    _print_problems(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
