"""Write files safely: never half-written (a temporary file beside the target, then a rename),
never over an input, and with the permissions a plain `open` would give."""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import tempfile
from pathlib import Path

from .errors import OutputWriteError, TaxotagError
from .options import STDOUT


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
