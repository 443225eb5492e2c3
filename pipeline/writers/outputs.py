"""The output of a long `tag` run: written chunk by chunk to a partial file that becomes the
output only when complete, resumable after an interruption, locked against a second run; or
streamed to standard output."""

from __future__ import annotations

import contextlib
import glob
import gzip
import io
import json
import os
from pathlib import Path

from ..errors import TaxotagError
from ..files import atomic_path, current_umask, writing_beside
from .rows import RowWriter, output_format

try:
    import fcntl
except ImportError:  # not POSIX: runs writing the same output are not kept apart
    fcntl = None


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
                from .parquet import spool_to_parquet

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
