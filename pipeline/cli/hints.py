"""What to type: the CLI's hint after each library error that a command option or another
command mends. The library says what is wrong (pipeline.errors); only this module names flags."""

from __future__ import annotations

import shlex

from ..errors import (InputFileError, MissingColumnsError, ModelFormatError, NoModelError, OutputWriteError,
                      SchedulerError, StaleModelError, StdinFormatError, WebOfScienceTabError)
from ..formats import STDIN_FORMAT_NAMES
from ..options import ENCODING_HINT

GOLD_LEFT_OUT_HINT = " (name gold files with --gold)"
"""After a note that a default gold file was left out (usable_gold)."""
COLUMNS_EXAMPLE = "--columns can name the file's own ones, e.g. --columns abstract=summary"


def columns_option(columns: dict[str, str]) -> str:
    """`--columns id=EID,abstract='Abstract Note'`: the option that names these columns."""
    return "--columns " + shlex.quote(",".join(f"{ours}={theirs}" for ours, theirs in columns.items()))


def hint(exc: Exception, options: dict) -> str:
    """`; what to type` after an error's message, or '' (`options`: the command's parsed arguments;
    an option the user gave already is not suggested again)."""
    if isinstance(exc, StaleModelError):
        if exc.usable and not options.get("allow_stale"):
            return "; run `taxotag retrain`, or pass --allow-stale to use it anyway"
        return "; run `taxotag retrain` (--allow-stale cannot help when tags were added or removed)"
    if isinstance(exc, NoModelError):
        return "; run `taxotag run` or `taxotag train` first"
    if isinstance(exc, ModelFormatError):
        return "; run `taxotag train` to make a model with this version of taxotag"
    if isinstance(exc, StdinFormatError):
        return f"; name it with --format ({', '.join(STDIN_FORMAT_NAMES[:-1])} or {STDIN_FORMAT_NAMES[-1]})"
    if isinstance(exc, WebOfScienceTabError):
        return ", or read this one with --format tsv --columns id=UT,title=TI,abstract=AB"
    if isinstance(exc, OutputWriteError) and exc.resumable:
        return ": make room and run the same command with --resume"
    if isinstance(exc, SchedulerError):
        return "; give --scheduler as tcp://HOST:PORT of a running scheduler"
    if isinstance(exc, MissingColumnsError) and options.get("columns", "") is None:
        return f"; try {columns_option(exc.suggested)}" if exc.suggested else f"; {COLUMNS_EXAMPLE}"
    if isinstance(exc, InputFileError) and exc.undecodable and options.get("encoding", "") is None:
        return f"; {ENCODING_HINT}"
    return ""
