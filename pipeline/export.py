"""Write outputs safely: never half-written (temporary file + rename), resumable when long, and
CSV cells that cannot run as spreadsheet formulas (OWASP CSV-injection guidance: prefix a risky
cell with a single quote)."""

from __future__ import annotations

import contextlib
import csv
import glob
import gzip
import io
import json
import math
import os
import tempfile
from pathlib import Path

import pandas as pd

from .errors import OutputNameError, OutputWriteError, TaxotagError
from .formats import OUTPUT_NAMES, output_format_of
from .options import STDOUT

try:
    import fcntl
except ImportError:  # not POSIX: runs writing the same output are not kept apart
    fcntl = None

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

"""The output name that stands for standard output (and, as an input, standard input: no file)."""


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
def writing_beside(target: str | Path):
    """An OSError inside (the folder of `target` missing and impossible to create, not a folder,
    read-only; the disk full) as an OutputWriteError naming `target`."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or f"{exc}: is the disk full?"  # (numpy: "N requested and M written")
        raise OutputWriteError(f"{target}: cannot write there ({reason})") from None


def check_writable(target: str | Path) -> None:
    """Before any long work: make the folder of `target` and create and remove a file in it, so
    that an output that cannot be written is refused at once (a TaxotagError), not at the end."""
    target = Path(target)
    with writing_beside(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, probe = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".probe", dir=target.parent)
        os.close(descriptor)
        os.unlink(probe)


@contextlib.contextmanager
def atomic_path(target: str | Path, mode: str = "w", encoding: str | None = "utf-8", newline=None):
    """Open a temporary file beside `target`; on success it replaces `target`, on error it is removed."""
    target = Path(target)
    with writing_beside(target):  # (the temporary file is removed first)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle_fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        os.close(handle_fd)
        try:
            os.chmod(temporary, 0o666 & ~current_umask())  # mkstemp makes it private; outputs are ordinary files
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


def refuse_overwriting(inputs, outputs) -> None:
    """Raise before any work when an output would replace an input, or another output, of the same
    run (`-`, standard input or output, is no file)."""
    taken: list[Path] = [Path(path) for path in inputs if str(path) != STDOUT]
    for output in [Path(path) for path in outputs if str(path) != STDOUT]:
        for other in taken:
            if _same_file(output, other):
                raise TaxotagError(f"{output}: is the same file as {other}; an output must not replace "
                                   "an input or another output of the same command")
        taken.append(output)


def _same_file(first: Path, second: Path) -> bool:
    if first.resolve() == second.resolve():
        return True
    try:
        return os.path.samefile(first, second)  # hard links
    except OSError:  # one of them does not exist yet
        return False


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_text(target: str | Path, newline=None):
    """atomic_path for UTF-8 text, gzip-compressed when the name of `target` ends with `.gz`."""
    if not Path(target).name.lower().endswith(".gz"):
        with atomic_path(target, newline=newline) as handle:
            yield handle
        return
    with atomic_path(target, mode="wb") as raw, \
            gzip.GzipFile(Path(target).name, "wb", fileobj=raw, mtime=0) as packed, \
            io.TextIOWrapper(packed, encoding="utf-8", newline=newline) as handle:
        yield handle


def write_text(target: str | Path, text: str) -> Path:
    """`text` in `target` (gzip-compressed for a `.gz` name), replaced only once complete."""
    with atomic_text(target) as handle:
        handle.write(text)
    return Path(target)


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """neutralise_cell on every cell, a column at a time."""
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if values.dtype.kind in "biufcmM":  # numbers and dates never start a formula
            continue
        try:
            risky = values.str.startswith(FORMULA_STARTS, na=False).astype(bool)
        except AttributeError:  # no strings in this column
            continue
        if risky.any():
            frame[column] = values.astype(object).where(~risky, "'" + values[risky].astype(str))
    return frame


def csv_rows(frame: pd.DataFrame, columns: list[str]) -> str:
    """A frame's rows as CSV text in the given columns (a missing one is empty), every cell
    neutralised and a list or object written as JSON. CRLF line ends (RFC 4180): any field holding
    a CR or an LF is then quoted."""
    rows = neutralise_frame(_structured_as_json(frame.reindex(columns=columns, fill_value="")))
    return rows.to_csv(header=False, index=False, lineterminator="\r\n")


def _structured_as_json(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with each list or object cell (a JSON record's categories) as its JSON text."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object:  # (not Series.map, which would make 2025 next to a gap 2025.0)
            frame[column] = pd.Series([json_if_structured(v) for v in frame[column]], index=frame.index,
                                      dtype=object)
    return frame


def json_if_structured(value):
    """A list or object as its JSON text; any other value as it is."""
    if isinstance(value, (list, dict, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


TAG_LISTS = ("tags", "model_tags")
"""The output columns that hold tag ids joined by ";" in CSV, and a list in JSON Lines and Parquet."""


def jsonl_rows(frame: pd.DataFrame) -> str:
    """A `tag` output frame's rows as JSON Lines: `tags` and `model_tags` as lists of tag ids, scores as numbers,
    and the passed-through columns as the input gave them (a column a record lacked, left out)."""
    lines = []
    lists = [column for column in TAG_LISTS if column in frame.columns]
    for record in frame.to_dict(orient="records"):
        record = {key: value for key, value in record.items() if not _is_gap(value)}
        for column in lists:
            record[column] = record[column].split(";") if record.get(column) else []
        try:
            line = json.dumps(record, ensure_ascii=False, default=str, allow_nan=False)
        except ValueError:  # an infinity or NaN, which JSON cannot hold: null instead
            line = json.dumps(_finite(record), ensure_ascii=False, default=str)
        lines.append(line + "\n")
    return "".join(lines)


def _is_gap(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _finite(value):
    """`value` with every infinite or NaN number inside it as None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value




def output_format(target: str | Path, asked: str | None = None) -> str:
    """The format of a `tag` output: the one `asked` for standard output (default CSV), else the
    one its name says (.csv or .jsonl, optionally .gz, or .parquet); a TaxotagError for another
    name, or for a name that says another format than `asked`."""
    if str(target) == STDOUT:
        if asked == "parquet":
            raise OutputNameError("-: Parquet cannot be written to standard output (its file ends with the "
                                  "schema); name a .parquet file")
        return asked or "csv"
    named = output_format_of(target)
    if named is None:
        raise OutputNameError(f"{target}: name the output {OUTPUT_NAMES}; its name says its format")
    if asked is not None and asked != named:
        raise OutputNameError(f"{target}: the output format asked for is {asked} but the name says {named}; "
                              f"name it .{asked}")
    return named


def output_rows(row_format: str, frame: pd.DataFrame, columns: list[str]) -> str:
    """A `tag` output chunk as text: CSV rows in `columns` (the first chunk's: a CSV has one
    header), or JSON Lines, in which every record has its own keys."""
    return csv_rows(frame, columns) if row_format == "csv" else jsonl_rows(frame)


class RowWriter:
    """Append rows to a CSV or JSON Lines text handle as they come; the columns are the first
    chunk's (a CSV's header row; JSON Lines has none)."""

    def __init__(self, handle, columns: list[str] | None = None, row_format: str = "csv"):
        self._handle = handle
        self.columns = columns
        self.row_format = row_format

    def start(self, columns: list[str]) -> None:
        """Write the header row (of a CSV)."""
        self.columns = list(columns)
        if self.row_format == "csv":
            header = io.StringIO()
            csv.writer(header, lineterminator="\r\n").writerow([neutralise_cell(str(c)) for c in self.columns])
            self._handle.write(header.getvalue())

    def write(self, frame: pd.DataFrame) -> None:
        if self.columns is None:
            self.start(list(frame.columns))
        self._handle.write(output_rows(self.row_format, frame, self.columns))

    def write_rows(self, text: str) -> None:
        """Append rows already made by output_rows(self.row_format, frame, self.columns)."""
        self._handle.write(text)


def write_csv(target: str | Path, frame: pd.DataFrame) -> Path:
    """`frame` as CSV in `target` (`.csv`, or `.csv.gz` for gzip), replaced only once complete."""
    is_gzip_csv(target)  # (refuses any other name)
    with atomic_text(target, newline="") as handle:
        RowWriter(handle).write(frame)
    return Path(target)


def csv_text(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    RowWriter(buffer).write(frame)
    return buffer.getvalue()


def is_gzip_csv(target: str | Path) -> bool:
    """Whether an output CSV name asks for gzip (`.csv.gz`); a TaxotagError for a name that is
    neither `.csv` nor `.csv.gz`, as the output is CSV whatever its name says."""
    name = Path(target).name.lower()
    if not name.endswith((".csv", ".csv.gz")):
        raise OutputNameError(f"{target}: the output is CSV; name it .csv (or .csv.gz to compress it)")
    return name.endswith(".gz")


class _GzipMembers:
    """Writes each piece of text as its own gzip member: the file stays a valid gzip file after
    every write, and can be cut back to any write's end (gzip readers join the members)."""

    def __init__(self, handle):
        self._handle = handle
        self.closed = False

    def write(self, text: str) -> None:
        # level 1: on 60,000 abstracts, 11.2 MB -> 4.6 MB at no measurable cost in speed (level 6:
        # 3.8 MB, but 1.7 s more in the main process, which every chunk passes through)
        self._handle.write(gzip.compress(text.encode("utf-8"), compresslevel=1, mtime=0))

    def flush(self) -> None:
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()
        self.closed = True


class StreamedOutput:
    """The `tag` output (CSV or JSON Lines) written to a binary stream (standard output) chunk by
    chunk, as UTF-8; the same methods as ResumableOutput, but nothing to rename and nothing to resume."""

    chunks_done = 0

    def __init__(self, stream, row_format: str = "csv"):
        self._stream = stream
        self._writer = RowWriter(self, row_format=row_format)
        self.row_format = row_format

    @property
    def columns(self) -> list[str] | None:
        return self._writer.columns

    def write(self, text: str) -> None:  # (what RowWriter writes to)
        self._stream.write(text.encode("utf-8"))

    def start(self, columns: list[str]) -> None:
        self._writer.start(columns)

    def write_rows(self, text: str) -> None:
        self._writer.write_rows(text)
        self._stream.flush()

    def finish(self, empty_columns: list[str]) -> None:
        if self._writer.columns is None:
            self._writer.start(empty_columns)
        self._stream.flush()

    def close(self) -> None:
        """(The rows written so far stay written.)"""

    discard = close


class ResumableOutput:
    """The `tag` output written chunk by chunk to `.NAME.partial` beside the target, renamed when
    complete: CSV or JSON Lines as the target's name says (see output_format), gzip-compressed,
    one gzip member a chunk, when it ends with `.gz`. A Parquet output is written there as gzipped
    JSON Lines and converted when complete (see parquet_output).

    After every chunk, `.NAME.progress.json` records how many chunks and bytes are done. If the
    run is interrupted, both stay, and a run with `resume=True` and the same `fingerprint`
    (inputs, options, model) truncates the partial file to the last complete chunk and goes on
    from there. The target itself is only ever replaced by a complete file. While one run writes
    it, another run for the same target is refused (see _lock_partial).
    """

    def __init__(self, target: str | Path, fingerprint: str, resume: bool = False):
        self.output_format = output_format(target)
        self.row_format = "jsonl" if self.output_format == "parquet" else self.output_format
        compressed = Path(target).name.lower().endswith(".gz") or self.output_format == "parquet"
        self.target = Path(target)
        self.partial = self.target.with_name(f".{self.target.name}.partial")
        self.progress = self.target.with_name(f".{self.target.name}.progress.json")
        self.fingerprint = fingerprint
        with writing_beside(self.target):
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self._lock: int | None = _lock_partial(self.partial, self.target)
        try:
            self._remove_stale_progress_writes()
            self.chunks_done, size, columns = 0, 0, None
            state = self._saved_state() if resume else None
            if state is not None:
                self.chunks_done, size, columns = state["chunks"], state["bytes"], state["columns"]
            self._handle = os.fdopen(os.dup(self._lock), "r+b")
            self._handle.truncate(size)
            self._handle.seek(size)
            self._text = (_GzipMembers(self._handle) if compressed
                          else io.TextIOWrapper(self._handle, encoding="utf-8", newline="", write_through=True))
            self._writer = RowWriter(self._text, columns, self.row_format)
        except BaseException:
            self._unlock()
            raise

    @property
    def columns(self) -> list[str] | None:
        return self._writer.columns

    def start(self, columns: list[str]) -> None:
        """Write the header row (before the first chunk)."""
        with writing_beside(self.target):
            self._writer.start(columns)

    def _remove_stale_progress_writes(self) -> None:
        """A run killed with SIGKILL while it replaced the progress file leaves that write's
        temporary file behind (see atomic_path); nothing else names files this way."""
        for leftover in self.target.parent.glob(f".{glob.escape(self.progress.name)}.*.partial"):
            leftover.unlink(missing_ok=True)

    def _saved_state(self) -> dict | None:
        try:
            state = json.loads(self.progress.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if (not isinstance(state, dict) or state.get("fingerprint") != self.fingerprint
                or not self.partial.is_file() or self.partial.stat().st_size < state.get("bytes", -1)):
            return None
        return state

    def write_rows(self, text: str) -> None:
        """Append one chunk's rows, made by output_rows(self.row_format, frame, self.columns), and
        record the chunk as done (an OutputWriteError when the disk is full: the chunks done before
        stay, for `--resume`)."""
        with writing_beside(self.target):
            self._writer.write_rows(text)
            self._chunk_done()

    def _chunk_done(self) -> None:
        self._text.flush()
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self.chunks_done += 1
        state = {"fingerprint": self.fingerprint, "chunks": self.chunks_done, "bytes": self._handle.tell(),
                 "columns": self._writer.columns}
        with atomic_path(self.progress) as handle:
            json.dump(state, handle)

    def finish(self, empty_columns: list[str]) -> None:
        """Rename the complete file into place (a Parquet output: convert it) and forget the progress."""
        with writing_beside(self.target):
            if self._writer.columns is None:
                self._writer.start(empty_columns)
            self._text.flush()
            os.fsync(self._handle.fileno())
            self._text.close()
            if self.output_format == "parquet":  # (interrupted here, the spool stays for --resume)
                from .parquet_output import spool_to_parquet

                with atomic_path(self.target, mode="wb") as handle:
                    spool_to_parquet(self.partial, handle, self._writer.columns)
                self.partial.unlink()
            else:
                os.chmod(self.partial, 0o666 & ~current_umask())
                os.replace(self.partial, self.target)
        self.progress.unlink(missing_ok=True)
        self._unlock()

    def close(self) -> None:
        """Stop writing but keep the partial file and the progress, for `--resume`."""
        self._close_text()
        self._unlock()

    def discard(self) -> None:
        """Stop writing and remove the partial file and the progress."""
        self._close_text()
        self.partial.unlink(missing_ok=True)
        self.progress.unlink(missing_ok=True)
        self._unlock()

    def _close_text(self) -> None:
        if not self._text.closed:
            with contextlib.suppress(OSError):  # (after a failed write, flushing fails again; resuming cuts it)
                self._text.close()

    def _unlock(self) -> None:
        """Let another run write the target (last, once the files are as they should stay)."""
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


def _lock_partial(partial: Path, target: Path) -> int:
    """A descriptor of `partial` (created if missing, not truncated) that holds an exclusive lock
    on it until it is closed or the process ends. Two runs writing the same output at once would
    mix their rows in one partial file, and the first to finish would rename it away from the
    other; the second run is refused instead."""
    while True:
        descriptor = os.open(partial, os.O_RDWR | os.O_CREAT, 0o666)
        if fcntl is None:
            return descriptor
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise TaxotagError(f"{target}: another taxotag run is writing it; wait until that run ends, "
                               "or write to another file") from None
        try:
            if os.path.samestat(os.fstat(descriptor), os.stat(partial)):
                return descriptor
        except FileNotFoundError:
            pass
        os.close(descriptor)  # the run that held it renamed or removed it meanwhile: lock the new one
