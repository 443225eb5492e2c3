"""The `tag` job: every record of the input files tagged into one output, chunk by chunk,
resumable, on the local pool or a Dask cluster."""

from __future__ import annotations

import itertools
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ..errors import OutputWriteError, StdinFormatError, TaxotagError
from ..files import refuse_overwriting
from ..fingerprints import json_sha256
from ..model.manifest import model_fingerprint
from ..options import STDIN, STDOUT
from ..readers.documents import STDIN_UNNAMED, read_documents
from ..readers.records import ReadReport
from ..tagging.columns import output_columns
from ..taxonomy.schema import Taxonomy
from ..writers.outputs import ResumableOutput, StreamedOutput
from ..writers.rows import output_format
from .engines import TaggerSpec, tag_locally, tag_on_dask


@dataclass
class TagRun:
    """What a tagging run did."""

    documents: int = 0
    seconds: float = 0.0
    resumed_chunks: int = 0
    report: ReadReport = field(default_factory=ReadReport)
    tag_counts: Counter = field(default_factory=Counter)  # documents given each tag (in this run's chunks)
    held_back: Counter = field(default_factory=Counter)  # documents whose tag the model gave, the policy held back


def tag_files(spec: TaggerSpec, inputs, output: str | Path, chunk_size: int = 2000, jobs: int | None = None,
              engine: str = "local", scheduler: str | None = None, resume: bool = False,
              progress: bool | None = None, columns: dict[str, str] | None = None,
              encoding: str | None = None, input_format: str | None = None,
              output_as: str | None = None, with_abstract: bool = False) -> TagRun:
    """Tag every record of the input files into one CSV, JSON Lines or Parquet file (as its name
    says), written chunk by chunk; the output appears only when complete, and an interrupted run
    can go on with `resume`. `columns` names the inputs' own id, title and abstract columns,
    `encoding` their text encoding and `input_format` their format (see corpus.read_documents).
    An input `-` is standard input, an output `-` standard output (written as it is made, in the
    format `output_as`, CSV by default; neither can be resumed). With `with_abstract`, each row
    has the record's abstract after its title."""
    refuse_overwriting(inputs, [output])
    row_format = output_format(output, output_as)  # (a bad name is refused before any work)
    _check_streams(inputs, output, resume, input_format)
    tagger = spec.tagger()  # (read and verified once, here, for this process and the pool it starts)
    taxonomy = tagger.taxonomy
    run = TagRun()
    fingerprint = _run_fingerprint(inputs, chunk_size, engine, taxonomy, tagger.manifest, columns, encoding, input_format,
                                   with_abstract)
    writer = (StreamedOutput(sys.stdout.buffer, row_format) if str(output) == STDOUT
              else ResumableOutput(output, fingerprint, resume))
    run.resumed_chunks = writer.chunks_done
    started = time.perf_counter()
    sizes = [0 if str(path) == STDIN else Path(path).stat().st_size for path in inputs]
    bar = tqdm(desc="tagging", total=sum(sizes) or None, unit="B", unit_scale=True,
               disable=None if progress is None else not progress)  # (by bytes read: quiet when not a terminal)
    done_bytes = [0]  # the sizes of the inputs read to the end

    def frames():
        for path, size in zip(inputs, sizes):
            run.report.position = None
            yield from read_documents(path, chunk_size, report=run.report, columns=columns, encoding=encoding,
                                      input_format=input_format)
            done_bytes[0] += size

    try:
        chunks = _with_columns(writer, taxonomy, frames(), writer.chunks_done, with_abstract)
        tagged = (tag_on_dask(spec, chunks, scheduler=scheduler, workers=jobs, row_format=writer.row_format)
                  if engine == "dask" else tag_locally(spec, chunks, jobs, writer.row_format))
        for chunk in tagged:
            writer.write_rows(chunk.text)
            run.documents += chunk.rows
            run.tag_counts.update(chunk.tag_counts)
            run.held_back.update(chunk.held_back)
            bar.update(min(done_bytes[0] + _bytes_read(run.report), bar.total or 0) - bar.n)
            bar.set_postfix_str(f"{run.documents:,} abstracts", refresh=False)
        writer.finish(output_columns(taxonomy.tag_ids, [], with_abstract))
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: keep the complete chunks for --resume
        writer.close()
        raise
    except OutputWriteError as exc:  # a full disk: the same
        writer.close()
        if isinstance(writer, StreamedOutput):
            raise
        raise OutputWriteError(f"{exc}; the complete chunks are kept", resumable=True) from None
    except BaseException:  # a bad input or a bug: nothing worth resuming
        writer.discard()
        raise
    finally:
        bar.close()
    run.seconds = time.perf_counter() - started
    return run


def _bytes_read(report: ReadReport) -> int:
    """How far the reader is in the file it reads (0 when it cannot say: standard input, Parquet,
    or a file it has closed)."""
    try:
        return report.position() if report.position is not None else 0
    except (ValueError, OSError):
        return 0


def _with_columns(writer: ResumableOutput | StreamedOutput, taxonomy: Taxonomy, chunks, skip: int,
                  with_abstract: bool = False):
    """(chunk, output columns) after the first `skip` chunks; the first chunk's columns (or those
    of the run being resumed) are the output's, and its header is written before the chunk is tagged."""
    for frame in itertools.islice(chunks, skip, None):
        if writer.columns is None:
            writer.start(output_columns(taxonomy.tag_ids, frame.columns, with_abstract))
        yield frame, writer.columns


def _check_streams(inputs, output, resume: bool, input_format: str | None) -> None:
    """Before any work: standard input (`-`) needs a format and is read once, and neither it nor
    standard output can be resumed."""
    names = [str(path) for path in inputs]
    if STDIN in names and input_format is None:
        raise StdinFormatError(STDIN_UNNAMED)
    if names.count(STDIN) > 1:
        raise TaxotagError("-: standard input can be read only once; name it once among the inputs")
    if resume and (STDIN in names or str(output) == STDOUT):
        raise TaxotagError("a run reading standard input or writing standard output (-) cannot be resumed; "
                           "name files instead")


def _run_fingerprint(inputs, chunk_size: int, engine: str, taxonomy: Taxonomy, manifest,
                     columns: dict[str, str] | None = None, encoding: str | None = None,
                     input_format: str | None = None, with_abstract: bool = False) -> str:
    """Identifies a tagging run, so that --resume only continues the same run."""
    files = []
    for path in inputs:
        stat = Path(path).stat() if Path(path).exists() else None
        files.append([str(Path(path).resolve()), stat.st_size if stat else None, stat.st_mtime_ns if stat else None])
    payload = [files, chunk_size, engine, taxonomy.fingerprint(), model_fingerprint(manifest), columns or {},
               encoding] + ([input_format] if input_format else [])  # (unchanged for runs without --format)
    if with_abstract:
        payload.append("with abstract")
    return json_sha256(payload)
