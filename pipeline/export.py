"""Write outputs safely: never half-written (temporary file + rename) and CSV cells that cannot run
as spreadsheet formulas (OWASP CSV-injection guidance: prefix a risky cell with a single quote)."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from pathlib import Path

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    """A string that a spreadsheet would run as a formula gets a leading `'`; others pass as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore_cell(value):
    """Undo neutralise_cell (for reading back an exported CSV)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


@contextlib.contextmanager
def atomic_path(target: str | Path, mode: str = "w", encoding: str | None = "utf-8", newline=None):
    """Open a temporary file beside `target`; on success it replaces `target`, on error it is removed."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle_fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(handle_fd)
    os.chmod(temporary, 0o666 & ~current_umask())  # mkstemp makes it private; outputs are ordinary files
    try:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": newline}
        with open(temporary, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(target: str | Path, text: str) -> Path:
    with atomic_path(target) as handle:
        handle.write(text)
    return Path(target)


class CsvWriter:
    """Append DataFrame chunks to a CSV as they come; the file appears complete or not at all."""

    def __init__(self, handle):
        # CRLF line ends (RFC 4180): the writer then quotes any field holding a CR or an LF
        self._writer = csv.writer(handle, lineterminator="\r\n")
        self._columns: list[str] | None = None

    def write(self, frame: pd.DataFrame) -> None:
        if self._columns is None:
            self._columns = list(frame.columns)
            self._writer.writerow([neutralise_cell(str(c)) for c in self._columns])
        for row in frame[self._columns].itertuples(index=False, name=None):
            self._writer.writerow([neutralise_cell(value) for value in row])


def write_csv(target: str | Path, frame: pd.DataFrame) -> Path:
    with atomic_path(target, newline="") as handle:
        CsvWriter(handle).write(frame)
    return Path(target)


def csv_text(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    CsvWriter(buffer).write(frame)
    return buffer.getvalue()
