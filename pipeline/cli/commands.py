"""What each `taxotag` command does, once parser.py has parsed its arguments: read the inputs, call
the library's jobs, print their results. Errors are raised as TaxotagError for parser.main to print."""

from __future__ import annotations

import gc
import json
import math
import sys
from pathlib import Path

from ..errors import TaxotagError
from ..evaluation.gold_runs import evaluate_gold, fitted_on
from ..evaluation.metrics import evaluation_json, format_table
from ..evaluation.rule_table import RULES_GOLD_LEGEND, RULES_LEGEND, rules_text
from ..evaluation.sampling import SAMPLED_AS
from ..files import check_writable, refuse_overwriting, write_text
from ..jobs.engines import TaggerSpec
from ..jobs.imports import import_papers
from ..jobs.reports import report, run_default
from ..jobs.rules import rule_analysis, show_rule
from ..jobs.sample import sample_for_labelling
from ..jobs.tag_files import tag_files
from ..jobs.training import model_corpus, model_taxonomy_path, retrain, train
from ..model.artifacts import load_model
from ..options import DEFAULT_CORPUS, DEFAULT_TAXONOMY, ENCODING_HINT, STDIN, STDOUT
from ..readers.documents import find_record, require_file
from ..readers.records import ReadReport
from ..report.gold_errors import errors_text, gold_errors
from ..tagging.explain import explain_text
from ..tagging.tagger import Tagger, held_back_summary
from ..taxonomy.loading import load_taxonomy
from ..training.corpus import CorpusFile
from ..writers.rows import is_gzip_csv, write_csv
from .hints import GOLD_LEFT_OUT_HINT

MAX_REPORTED_PROBLEMS = 20


def require_taxonomy(args) -> None:
    """The default taxonomy (and model and data) are looked for in the current folder: run outside
    the project folder, say so rather than report a missing file. A command that uses a model and
    was not given --taxonomy uses taxonomy.yaml when the current folder has one, else the copy
    the model folder keeps (args.taxonomy is set to the one chosen)."""
    if "taxonomy" in vars(args) and args.taxonomy is None:  # (a command whose --taxonomy may come from --model)
        if Path(DEFAULT_TAXONOMY).exists():
            args.taxonomy = DEFAULT_TAXONOMY
        else:
            kept = model_taxonomy_path(args.model)
            if kept is None:
                raise TaxotagError(f"{DEFAULT_TAXONOMY}: not in the current folder ({Path.cwd()}), and "
                                   f"{args.model} keeps no taxonomy; name it with --taxonomy (and the model "
                                   "with --model)")
            args.taxonomy = str(kept)
        return
    taxonomy = vars(args).get("taxonomy_option") or vars(args).get("taxonomy")  # (validate takes either)
    if taxonomy == DEFAULT_TAXONOMY and not Path(DEFAULT_TAXONOMY).exists():
        raise TaxotagError(f"{DEFAULT_TAXONOMY}: not in the current folder ({Path.cwd()}); run taxotag in "
                           "the project folder, or name the files with --taxonomy (and --model)")


def cmd_run(args) -> int:
    check_writable(args.model)  # (before training, not after it)
    check_writable(Path(args.out) / "report.md")
    taxonomy = load_taxonomy(args.taxonomy)
    print(f"taxonomy {args.taxonomy}: {len(taxonomy.tags)} tags, {sum(len(tag.rules) for tag in taxonomy.tags)} rules")
    print(f"training on {args.corpus} ...", flush=True)
    run = run_default(args.taxonomy, args.corpus, args.model, args.gold, args.papers, args.out)
    training = run.training
    positives = training.weak_positives(taxonomy)
    print(f"trained on {len(training.corpus.documents):,} abstracts in {training.seconds:.1f} s; weak positives: "
          + ", ".join(f"{tag} {count}" for tag, count in positives.items()))
    for line in _warnings(training):
        print(line)
    held = held_back_summary(training.held_back, taxonomy)
    if held:
        print(f"on the training corpus, {held}")
    print(f"model saved to {args.model}/")
    for evaluation in training.evaluations:
        print(f"\n## {evaluation.path} ({len(evaluation.gold)} abstracts)\n")
        print(format_table(evaluation.results))
        print("\nWhat the model adds (its precision / recall on the documents the rules did not tag):\n")
        print(format_table(evaluation.model_where_rules_silent))
        for note in evaluation.column_notes():
            print(f"({note})")
    print(f"\ntagged {run.tagged.documents} seed papers -> {run.tagged_path}")
    print(f"report -> {run.report}, {run.html}")
    print(f"done in {run.seconds:.1f} s")
    return 0


def _warnings(training) -> list[str]:
    """The training's warnings, then its notes on default gold left out, with what to type."""
    return training.warnings() + [note + GOLD_LEFT_OUT_HINT for note in training.gold_notes]


def cmd_train(args) -> int:
    taxonomy = load_taxonomy(args.taxonomy)
    check_writable(args.model)
    training = train(taxonomy, _corpus(args), args.model, args.gold, fit_gold=args.fit_gold,
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
    for line in _warnings(training):
        print(line, file=sys.stderr)
    _print_problems(training.corpus.report, encoding_hint=args.encoding is None)
    return 0


def cmd_retrain(args) -> int:
    check_writable(args.model)
    check_writable(Path(args.out) / "retrain_diff.md")
    training = retrain(args.taxonomy, _corpus(args), args.model, args.gold, args.out)
    print(f"retrained {args.model}/ on {len(training.corpus.documents):,} abstracts")
    for line in _warnings(training):
        print(line)
    print(training.diff_text)
    examples = " and examples of changed documents" if training.examples else ""
    print(f"diff{examples} -> {training.diff_path}")
    _print_problems(training.corpus.report, encoding_hint=args.encoding is None)
    return 0


def _corpus(args) -> CorpusFile:
    """The --corpus file and how to read it (--columns, --encoding). Without --corpus (where the
    command defaults to it), the corpus the --model was trained on, read as it was then, when that
    file is still there; else the demo corpus."""
    if args.corpus is None:
        recorded = model_corpus(args.model)
        if recorded is not None:
            args.corpus = str(recorded.path)
            return CorpusFile(recorded.path, args.columns or recorded.columns, args.encoding or recorded.encoding)
        args.corpus = DEFAULT_CORPUS
    return CorpusFile(args.corpus, args.columns, args.encoding)


def cmd_tag(args) -> int:
    if args.errors:  # (tag_files checks the output itself)
        refuse_overwriting([*args.inputs, args.output], [args.errors])
        is_gzip_csv(args.errors)  # (refuses a name other than .csv or .csv.gz)
        check_writable(args.errors)  # (it is written last)
    spec = TaggerSpec(str(args.taxonomy), str(args.model), args.allow_stale)
    taxonomy = spec.tagger().taxonomy  # (the taxonomy read and the model verified once, before any work)
    gc.freeze()  # (what lives now, the modules and the tagger, lives to the end: the collector need not walk it)
    if args.allow_stale:
        print(f"Warning: --allow-stale: {args.model} may not reflect the current {args.taxonomy}", file=sys.stderr)
    for path in args.inputs:
        if path != STDIN:
            require_file(path)
    streamed = args.output == STDOUT
    try:
        run = tag_files(spec, args.inputs, args.output, chunk_size=args.chunk_size, jobs=args.jobs,
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
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    if report.title_only:
        print(f"title only: {report.title_only:,} record(s) have no abstract (missing or empty); their title "
              "alone is read", file=sys.stderr)
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
    evaluation = evaluate_gold(taxonomy, model, args.gold, args.columns, args.encoding)
    fitted = fitted_on(args.model, args.gold)
    if fitted:
        print(f"Note: {fitted}", file=sys.stderr)
    if args.json:
        result = evaluation_json(evaluation)
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


def cmd_rules(args) -> int:
    taxonomy = load_taxonomy(args.taxonomy)
    if args.show:
        print(show_rule(taxonomy, _corpus(args), args.show, args.examples, args.gold))
        return 0
    table = rule_analysis(taxonomy, _corpus(args), [args.gold] if args.gold else [])
    print(f"rules on {args.corpus}" + (f"; precision on {args.gold}" if args.gold else ""))
    print(rules_text(table))
    print(RULES_LEGEND + (RULES_GOLD_LEGEND if args.gold else ""))
    return 0


def cmd_report(args) -> int:
    check_writable(Path(args.out) / "report.html")
    written = report(args.taxonomy, args.model, args.gold, _corpus(args), args.out, args.allow_stale)
    for note in written.gold_notes:
        print(note + GOLD_LEFT_OUT_HINT)
    print(f"report -> {written.path}")
    return 0


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


def cmd_sample(args) -> int:
    if args.at_random < 0:
        raise TaxotagError(f"--random {args.at_random}: give 0 or more")
    spec = TaggerSpec(args.taxonomy, args.model, allow_stale=args.allow_stale)
    drawn = sample_for_labelling(spec, args.inputs, args.output, args.per_stratum, args.at_random, args.seed,
                                 args.exclude, args.columns, args.encoding, args.input_format)
    left_out = f", {drawn.excluded:,} ids left out" if drawn.excluded else ""
    print(f"drew {len(drawn.sheet)} of {drawn.report.records:,} papers{left_out} -> {drawn.path}")
    print(f"label each tag column 1 or 0, then: taxotag evaluate --gold {drawn.path}")
    print(f"(the {SAMPLED_AS} column says why each paper was drawn; hide it while labelling)")
    _print_problems(drawn.report, encoding_hint=True)
    return 0


def cmd_validate(args) -> int:
    named = args.taxonomy != DEFAULT_TAXONOMY
    if named and args.taxonomy_option and args.taxonomy != args.taxonomy_option:
        raise TaxotagError(f"two taxonomy files named ({args.taxonomy}, {args.taxonomy_option}); name one")
    path = args.taxonomy_option or args.taxonomy
    taxonomy = load_taxonomy(path)
    rules = sum(len(tag.rules) for tag in taxonomy.tags)
    print(f"{path}: OK ({len(taxonomy.tags)} tags, {rules} rules)")
    return 0


STARTER = Path(__file__).parent / "starter"
"""The files `init` copies: taxonomy.yaml and README.md."""


def cmd_init(args) -> int:
    folder = Path(args.folder)
    if folder.exists() and not folder.is_dir():
        raise TaxotagError(f"{folder}: is a file, not a folder")
    taken = [name for name in ("taxonomy.yaml", "README.md") if (folder / name).exists()]
    if "taxonomy.yaml" in taken:
        raise TaxotagError(f"{folder / 'taxonomy.yaml'}: already there; init does not replace a taxonomy "
                           "(name another folder)")
    for name in ("data", "models"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    for name in ("taxonomy.yaml", "README.md"):
        if name not in taken:
            write_text(folder / name, (STARTER / name).read_text("utf-8"))
    kept = " (its README.md was kept)" if taken else ""
    print(f"made {folder}/: taxonomy.yaml (two example tags), README.md, data/, models/{kept}")
    print(f"next: cd {folder}; put your abstracts in data/; taxotag validate; "
          "taxotag train --corpus data/YOUR_FILE; taxotag tag NEW_FILE -o tagged.csv (README.md has more)")
    return 0


def cmd_import(args) -> int:
    imported = import_papers(args.inputs, args.output, id_prefix=args.id_prefix)
    print(f"imported {len(imported.papers)} papers from {len(args.inputs)} file(s) -> {imported.path}")
    _print_problems(imported.report)
    return 0
