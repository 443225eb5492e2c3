"""The `taxotag` command line: the parser, and the one place where a user's mistake becomes
`Error: ...`. The commands themselves are in commands.py, which imports the libraries; it is
loaded only once a command runs, so that `taxotag --help` answers at once."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from importlib import import_module

from ..errors import TaxotagError
from ..formats import INPUT_FORMAT_NAMES, INPUT_LABELS, INPUT_SUFFIXES, OUTPUT_FORMATS, OUTPUT_NAMES, STREAM_FORMATS
from ..options import (DEFAULT_CORPUS, DEFAULT_GOLD, DEFAULT_MODEL, DEFAULT_OUT, DEFAULT_SEED_PAPERS, DEFAULT_TAXONOMY,
                       GOLD_WEIGHT, REQUIRED_COLUMNS, check_encoding)
from ..processes import interrupts_held
from .hints import hint

GOLD_HELP = (f"gold CSV files (default: {' '.join(DEFAULT_GOLD)}, those that have a column for a "
             "tag of the taxonomy)")


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
        with interrupts_held():  # (a Ctrl-C while the libraries load arrives once they have, not mid-import)
            commands = import_module(".commands", __package__)  # (they load here, not for --help)
        commands.require_taxonomy(args)
        return getattr(commands, args.handler)(args) or 0
    except TaxotagError as exc:
        print(f"Error: {exc}{hint(exc, vars(args))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted; no output file was replaced.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # standard output was closed early (`taxotag tag ... -o - | head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # (so exiting flushes nothing)
        return 141


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

    def command(name: str, handler: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)  # (a function of commands.py, by name)
        return sub

    def taxonomy_option(sub):
        sub.add_argument("--taxonomy", default=DEFAULT_TAXONOMY, help="taxonomy file (default: %(default)s)")

    def input_options(sub, what="input"):
        sub.add_argument("--columns", type=column_names, metavar="id=NAME,title=NAME,abstract=NAME",
                         help=f"the {what}'s own names for the id, title or abstract column, e.g. "
                              "id=paperId,abstract=summary (JSONL, JSON, CSV, TSV, Parquet; not needed when "
                              "they differ only in case)")
        sub.add_argument("--encoding", type=encoding_name, metavar="NAME",
                         help=f"the {what}'s text encoding, e.g. cp1252 or latin-1 (default: UTF-8, or "
                              "UTF-16/32 for a file that starts with their byte order mark)")

    def format_option(sub):
        sub.add_argument("--format", choices=INPUT_FORMAT_NAMES, dest="input_format",
                         help="read the inputs in this format whatever their names (needed for standard "
                              "input, -, which may be gzipped)")

    def corpus_options(sub, purpose, from_model=False):
        if from_model:  # (None: the corpus the model was trained on, see _corpus)
            sub.add_argument("--corpus", help=f"{purpose} (default: the corpus the --model was trained on, "
                                              f"else {DEFAULT_CORPUS})")
        else:
            sub.add_argument("--corpus", default=DEFAULT_CORPUS, help=f"{purpose} (default: %(default)s)")
        input_options(sub, "corpus")

    def model_taxonomy_option(sub):
        sub.add_argument("--taxonomy", help=f"taxonomy file (default: {DEFAULT_TAXONOMY} in the current "
                                            "folder, else the copy the --model folder keeps)")

    def model_options(sub):
        model_taxonomy_option(sub)
        sub.add_argument("--model", default=DEFAULT_MODEL, help="model folder (default: %(default)s)")
        sub.add_argument("--allow-stale", action="store_true",
                         help="use a model trained with an older taxonomy (its tags must be the same)")

    sub = command("run", "cmd_run", "The main job: label the corpus, train, evaluate on gold, tag the seed papers.")
    taxonomy_option(sub)
    sub.add_argument("--corpus", default=DEFAULT_CORPUS, help="training corpus (default: %(default)s)")
    sub.add_argument("--model", default=DEFAULT_MODEL, help="where to save the model (default: %(default)s)")
    sub.add_argument("--gold", nargs="+", help=GOLD_HELP)
    sub.add_argument("--papers", default=DEFAULT_SEED_PAPERS, help="papers to tag (default: %(default)s)")
    sub.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: %(default)s)")

    for name, handler, text in (
        ("train", "cmd_train", "Label a corpus with the rules and train the model on those labels (all tags)."),
        ("retrain", "cmd_retrain", "After a taxonomy edit: re-run only changed rules, refit only changed tags, "
                                 "and show what changed."),
    ):
        sub = command(name, handler, text)
        taxonomy_option(sub)
        corpus_options(sub, "training corpus", from_model=name == "retrain")
        sub.add_argument("--model", default=DEFAULT_MODEL, help="model folder (default: %(default)s)")
        sub.add_argument("--gold", nargs="*", help=GOLD_HELP + "; their precision and recall are kept in the "
                         "manifest (--gold alone: none)")
        if name == "retrain":
            sub.add_argument("--out", default=DEFAULT_OUT, help="where retrain_diff.md goes")
        else:
            sub.add_argument("--fit-gold", nargs="+", default=[], metavar="GOLD",
                             help="also fit the model on these hand-labelled gold CSVs (a 0/1 column for every "
                                  "tag); a gold file that is also evaluated is scored out-of-fold")
            sub.add_argument("--gold-weight", type=positive_float, default=GOLD_WEIGHT,
                             help="how much one gold abstract weighs against one weakly labelled corpus abstract "
                                  "(default: %(default)g)")

    sub = command("tag", "cmd_tag", f"Tag abstracts from {INPUT_LABELS} into a "
                                  f"{', '.join(f.label for f in OUTPUT_FORMATS[:-1])} or {OUTPUT_FORMATS[-1].label} file.")
    sub.add_argument("inputs", nargs="+", metavar="INPUT",
                     help=f"input files ({INPUT_SUFFIXES}, optionally .gz), "
                          "or - for standard input (with --format)")
    sub.add_argument("-o", "--output", required=True,
                     help=f"output file: {OUTPUT_NAMES}; or - for standard output")
    sub.add_argument("--output-format", choices=STREAM_FORMATS, default=None,
                     help=f"with -o -: write {' or '.join(STREAM_FORMATS)} (default: {STREAM_FORMATS[0]}) to standard output")
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

    sub = command("evaluate", "cmd_evaluate", "Per-tag precision, recall, F1 and support on a gold CSV.")
    sub.add_argument("--gold", required=True, help="gold CSV: id, title, abstract and one 0/1 column per tag")
    sub.add_argument("--json", action="store_true", help="print machine-readable JSON")
    sub.add_argument("--show-errors", action="store_true",
                     help="also list the combined system's false positives and false negatives per tag, "
                          "with the model's probability and the tag's rule mentions")
    input_options(sub)
    model_options(sub)

    sub = command("rules", "cmd_rules", "One row per rule: coverage, overlaps, conflicts; with --gold, precision; "
                                      "with --show RULE_ID, that rule's matches in context.")
    model_taxonomy_option(sub)
    corpus_options(sub, "corpus for coverage", from_model=True)
    sub.add_argument("--model", default=DEFAULT_MODEL,
                     help="model folder whose training corpus is the default corpus (default: %(default)s)")
    sub.add_argument("--gold", help="gold CSV for correct / incorrect / empirical precision")
    sub.add_argument("--show", metavar="RULE_ID", help="instead of the table: corpus documents where this rule "
                                                       "fired and where it matched without firing, in context "
                                                       "(with --gold, also its wrong firings there)")
    sub.add_argument("--examples", type=positive_int, default=5, metavar="N", help="documents per list with --show "
                                                                      "(default: %(default)s)")

    sub = command("report", "cmd_report", "Write the self-contained HTML evaluation report (out/report.html).")
    sub.add_argument("--gold", nargs="+", help=GOLD_HELP)
    corpus_options(sub, "corpus for rule coverage", from_model=True)
    sub.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    model_options(sub)

    sub = command("explain", "cmd_explain", "Show why one paper got its tags: rule mentions and model terms.")
    sub.add_argument("id", help="the paper's id")
    sub.add_argument("--input", required=True, nargs="+", metavar="FILE",
                     help="the file that holds the paper (or the input files of the `tag` run, in their order)")
    format_option(sub)
    input_options(sub)
    model_options(sub)

    sub = command("sample", "cmd_sample", "Draw papers to hand-label as a gold set: per tag, ones the system tags, "
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

    sub = command("validate", "cmd_validate", "Check a taxonomy file and list every problem with its line.")
    sub.add_argument("taxonomy", nargs="?", default=DEFAULT_TAXONOMY, help="default: %(default)s")
    sub.add_argument("--taxonomy", dest="taxonomy_option", metavar="TAXONOMY",
                     help="the same, named as the other commands name it")

    sub = command("init", "cmd_init", "Start a project of one's own: a commented starter taxonomy, a note on the "
                                      "next commands, and the data/ and models/ folders.")
    sub.add_argument("folder", help="the project folder (made if missing; an existing taxonomy.yaml in it is kept)")

    sub = command("import", "cmd_import", "Import papers into one JSONL or CSV file: papers-listing text files "
                                          "(title line, abstract paragraph; duplicate titles merged), or any "
                                          "format `tag` reads, by the file's name.")
    sub.add_argument("inputs", nargs="+", metavar="FILE")
    sub.add_argument("-o", "--output", required=True, help="output .jsonl or .csv (optionally .gz)")
    sub.add_argument("--id-prefix", default="s", help="id prefix, numbered in reading order (default: %(default)s)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
