"""The errors a user of taxotag can see. Each says what is wrong in the library's words; the CLI
(cli/hints.py) adds what to type, so that a Python caller is never told to pass a flag."""


class TaxotagError(Exception):
    """Base class for every error caused by the user's input rather than a bug."""


class TaxonomyError(TaxotagError):
    """The taxonomy file is malformed; the message lists every problem with its line."""

    def __init__(self, path, problems):
        self.path = str(path)
        self.problems = list(problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{self.path}: {count} {noun} in the taxonomy:\n{lines}")


class OutputWriteError(TaxotagError):
    """An output cannot be written: its folder is missing or read-only, or the disk is full;
    `resumable` when a tagging run kept its complete chunks, so that the same run can go on."""

    def __init__(self, message: str, resumable: bool = False):
        super().__init__(message)
        self.resumable = resumable


class OutputNameError(TaxotagError):
    """An output's name does not say a format taxotag writes there, or says another one than asked."""


class InputFileError(TaxotagError):
    """An input file cannot be read at all (missing, unknown format, missing columns);
    `undecodable` when that is because some of its lines are not in the encoding it was read in."""

    def __init__(self, message: str, undecodable: bool = False):
        super().__init__(message)
        self.undecodable = undecodable


class StdinFormatError(InputFileError):
    """Standard input was given without saying its format (nothing names it)."""


class MissingColumnsError(InputFileError):
    """An input file lacks the id, title or abstract column; `suggested` ({ours: the file's}) names
    the file's own columns that exports use for them, when it has such columns."""

    def __init__(self, message: str, suggested: dict[str, str] | None = None):
        super().__init__(message)
        self.suggested = dict(suggested or {})


class WebOfScienceTabError(InputFileError):
    """A Web of Science tab-delimited export given as a .txt listing: it reads as TSV with its own
    column names (UT, TI, AB), or export it as plain text."""


class GoldWithoutTagsError(InputFileError):
    """A gold file has no column for any tag of the taxonomy (it was labelled for another one)."""


class SchedulerError(TaxotagError):
    """A Dask scheduler address that cannot be reached or is malformed."""


class ModelError(TaxotagError):
    """A saved model is missing, tampered with, or does not fit the current taxonomy."""


class NoModelError(ModelError):
    """There is no trained model in the folder."""


class ModelFormatError(ModelError):
    """The model was saved by a version of taxotag whose format this one does not read."""


class StaleModelError(ModelError):
    """The model was trained with another version of the taxonomy: `changes` lists the tags added,
    removed and edited; `usable` says whether the model could still be used as it is (no tag was
    added or removed)."""

    def __init__(self, message: str, changes: dict[str, list[str]], usable: bool):
        super().__init__(message)
        self.changes = changes
        self.usable = usable
