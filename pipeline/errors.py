"""Error classes a user of taxotag can see; the CLI prints them as `Error: ...`."""


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
    """An output cannot be written: its folder is missing or read-only, or the disk is full."""


class InputFileError(TaxotagError):
    """An input file cannot be read at all (missing, unknown format, missing columns);
    `undecodable` when that is because some of its lines are not in the encoding it was read in."""

    def __init__(self, message: str, undecodable: bool = False):
        super().__init__(message)
        self.undecodable = undecodable


class MissingColumnsError(InputFileError):
    """An input file lacks the id, title or abstract column; `suggestion` is a --columns option
    naming the file's own columns when they have names that exports use (the CLI shows it)."""

    def __init__(self, message: str, suggestion: str = ""):
        super().__init__(message)
        self.suggestion = suggestion


class GoldWithoutTagsError(InputFileError):
    """A gold file has no column for any tag of the taxonomy (it was labelled for another one)."""


class ModelError(TaxotagError):
    """A saved model is missing, tampered with, or does not fit the current taxonomy."""


class StaleModelError(ModelError):
    """The model was trained with another version of the taxonomy."""
