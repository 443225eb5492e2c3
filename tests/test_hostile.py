"""Every file in tests/hostile/ through the real readers, taxonomy loader and CLI.

Documented behaviour: a file that cannot be read at all is an `Error: ...` (exit 1, no output
file); a bad record is skipped and reported with its line; everything else is kept."""

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from taxotag.cli.parser import main
from taxotag.errors import InputFileError, OutputWriteError, TaxonomyError
from taxotag.model.artifacts import load_model, save_model
from taxotag.readers.documents import read_all
from taxotag.readers.records import ReadReport
from taxotag.rules.matching import RuleSet
from taxotag.taxonomy.loading import load_taxonomy
from taxotag.writers.cells import restore_cell
from tests.conftest import ctrl_c_as_in_a_terminal, memory_maps

HOSTILE = Path(__file__).parent / "hostile"


def read(name):
    report = ReadReport()
    frame = read_all(HOSTILE / name, report=report)
    return frame, [(p.line, p.message) for p in report.problems]


@pytest.mark.parametrize("name, ids, skipped", [
    ("broken_line.jsonl", ["h1", "h3"], [(2, "invalid JSON: Invalid control character (column 31)")]),
    ("non_utf8.jsonl", ["h1", "h3"], [(2, "not UTF-8 (byte 26)")]),
    ("non_utf8.csv", ["h1", "h3"], [(3, "not UTF-8")]),
    ("bom.csv", ["h1"], []),
    ("bom.jsonl", ["h1"], []),
    ("nul_bytes.jsonl", ["h1"], []),
    ("nul_bytes.csv", ["h1"], []),
    ("empty_abstracts.jsonl", ["h1", "h3"], [(2, "id 'h2' has neither title nor abstract")]),
    ("duplicate_ids.csv", ["h1", "h2"], [(3, "duplicate id 'h1' (the first one is kept)")]),
    ("missing_fields.jsonl", ["h1", "h2"], [(3, "not a JSON object")]),  # (h1: no abstract key, its title read)
    ("structured_fields.jsonl", ["h1", "h3"], [(2, "title is a JSON array, not text"),  # (h1: an inverted index)
                                               (4, "abstract is a JSON object, not text")]),
    ("broken_records.json", ["h1", "h4"], [(7, "invalid JSON: Expecting value (line 10, column 17)"),
                                           (12, "not UTF-8 (in the record that starts here)")]),
    ("extra_columns.csv", ["h1"], []),
    ("huge_abstract.jsonl.gz", ["h1", "h2"], []),
])
def test_bad_records_are_skipped_and_reported(name, ids, skipped):
    frame, problems = read(name)
    assert frame["id"].tolist() == ids
    assert problems == skipped
    assert not frame["title"].str.contains("\x00").any()


@pytest.mark.parametrize("name, message", [
    ("unbalanced_quote.csv", r"unbalanced_quote.csv, line 3: malformed CSV in the record that starts here"),
    ("missing_columns.csv", r"line 1: missing required column\(s\) title, abstract; found id, name, text"),
    ("duplicate_column.csv", r"line 1: the header names column 'abstract' twice \(columns 3 and 5\)"),
    ("unclosed_array.json", r"unclosed_array.json, line 1: the array that starts here is not closed"),
    ("not_json.json", r"not_json.json, line 1: not a JSON document \(it starts with 'id,title,abstract"),
    ("entity_bomb.xml", r"entity_bomb.xml, line 2: a document type declaration \(<!DOCTYPE feed>\); feeds have none"),
    ("external_entity.xml", r"external_entity.xml, line 2: a document type declaration \(<!DOCTYPE feed>\)"),
    ("broken_feed.xml", r"broken_feed.xml, line 3: not well-formed XML \(mismatched tag\)"),
])
def test_unreadable_files_are_clear_errors(name, message):
    with pytest.raises(InputFileError, match=message):
        read(name)


def test_unreadable_file_leaves_no_output(capsys, tmp_path, taxonomy, trained_model_dir):
    out = tmp_path / "out.csv"
    code = main(["tag", str(HOSTILE / "unbalanced_quote.csv"), "-o", str(out),
                 "--model", str(trained_model_dir), "--taxonomy", taxonomy.path])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("Error: ") and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_huge_abstract_and_formulas_are_tagged_safely(capsys, tmp_path, taxonomy, trained_model_dir):
    out = tmp_path / "out.csv"
    for name in ("huge_abstract.jsonl.gz", "huge_wrapped_abstract.jsonl.gz", "formula_injection.jsonl",
                 "extra_columns.csv"):
        assert main(["tag", str(HOSTILE / name), "-o", str(out), "--model", str(trained_model_dir),
                     "--taxonomy", taxonomy.path]) == 0
        frame = pd.read_csv(out, dtype=str, keep_default_na=False)
        cells = frame.to_numpy().ravel()
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
        if name == "formula_injection.jsonl":
            assert [restore_cell(t) for t in frame["title"]] == [
                '=HYPERLINK("http://x")', "+SUM(A1)", "-2+3", "@cmd", "Tabbed"]  # the reader strips surrounding white space
            assert restore_cell(frame.loc[0, "id"]) == "=1+1"
        if name == "extra_columns.csv":
            assert frame.loc[0, "year"] == "2025" and frame.loc[0, "venue"] == "'=cmd|calc"
        if name == "huge_wrapped_abstract.jsonl.gz":  # 7 MB in 70,000 lines, a line of a million letters
            assert frame["tags"].tolist() == ["self_supervised", "distillation"]  # "distil-" + line break + "lation"
    capsys.readouterr()


@pytest.mark.parametrize("name, message", [
    ("alias_bomb.yaml", "refusing a possible alias bomb"),
    ("backreference_regex.yaml", r"tag 'evil', rule 1 \(regex '\(a\)\\1'\): invalid regex: invalid escape sequence"),
    ("python_object.yaml", "could not determine a constructor"),
])
def test_hostile_taxonomies_are_refused(name, message):
    started = time.perf_counter()
    with pytest.raises(TaxonomyError, match=message):
        load_taxonomy(HOSTILE / name)
    assert time.perf_counter() - started < 5  # refused, not expanded


def test_catastrophic_regex_cannot_hang_tagging():
    """RE2 matches in linear time, so `(a+)+$` on a long run of a's ending in b returns at once."""
    ruleset = RuleSet(load_taxonomy(HOSTILE / "catastrophic_regex.yaml"))
    votes = ruleset.apply(["t"], ["a" * 200_000 + "b"])
    assert votes.matrix.tolist() == [[-1]]
    assert ruleset.apply(["t"], ["x aaaa"]).matrix.tolist() == [[1]]


def _big_input(path: Path, copies: int) -> Path:
    import gzip

    from tests.conftest import ROOT

    with gzip.open(ROOT / "data" / "arxiv_sample.jsonl.gz", "rt") as source:
        lines = [next(source) for _ in range(1000)]
    with open(path, "w") as out:
        for copy in range(copies):
            out.writelines(line.replace('"id": "', f'"id": "c{copy}-', 1) for line in lines)
    return path


@pytest.fixture(scope="module")
def big_run(tmp_path_factory, taxonomy, trained_model_dir):
    """An input of 12,000 real abstracts and its output from an uninterrupted run."""
    folder = tmp_path_factory.mktemp("big")
    source = _big_input(folder / "big.jsonl", 12)
    reference = folder / "out.csv"
    assert main(["tag", str(source), "-o", str(reference), "--chunk-size", "500", "--jobs", "2",
                 "--model", str(trained_model_dir), "--taxonomy", taxonomy.path]) == 0
    return source, reference


def _group_ends(group: int, within: float = 10.0) -> bool:
    """Whether every process of the group exits within `within` seconds."""
    deadline = time.time() + within
    while _live_processes_in_group(group):
        if time.time() > deadline:
            return False
        time.sleep(0.1)
    return True


def _kill_group(group: int) -> None:
    """Whatever is left of a run that hung or left workers behind, so that the suite goes on."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)


def _live_processes_in_group(group: int) -> list[int]:
    """The processes of a process group that have not exited (zombies left unreaped do not count)."""
    live = []
    for entry in Path("/proc").iterdir():
        try:
            state, _, process_group = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue
        if int(process_group) == group and state != "Z":
            live.append(int(entry.name))
    return live


@pytest.mark.parametrize("how, engine, name", [("SIGKILL", "local", "out.csv"), ("SIGTERM", "local", "out.csv"),
                                               ("Ctrl-C", "local", "out.csv"), ("Ctrl-C", "dask", "out.csv"),
                                               ("SIGKILL", "local", "out.jsonl.gz"), ("SIGTERM", "local", "out.parquet")])
def test_killed_run_keeps_the_old_output_and_resumes(tmp_path, tmp_path_factory, taxonomy, trained_model_dir, big_run,
                                                     how, engine, name):
    """Ctrl-C in a terminal reaches the workers too: SIGINT to the whole process group."""
    source, reference = big_run
    out = tmp_path / name
    out.write_text("id,tags\nold,\n")
    command = [sys.executable, "-m", "taxotag", "tag", str(source), "-o", str(out), "--chunk-size", "500",
               "--jobs", "2", "--engine", engine, "--model", str(trained_model_dir), "--taxonomy", taxonomy.path]
    if name != reference.name:  # (an uninterrupted run in that format)
        reference = tmp_path_factory.mktemp("reference") / name
        subprocess.run([str(reference) if part == str(out) else part for part in command], check=True,
                       capture_output=True, timeout=300)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                               preexec_fn=ctrl_c_as_in_a_terminal)
    progress = tmp_path / f".{name}.progress.json"
    deadline = time.time() + 120
    while not progress.exists():
        assert process.poll() is None and time.time() < deadline, "the run ended before it could be killed"
        time.sleep(0.05)
    if how == "Ctrl-C":
        os.killpg(process.pid, signal.SIGINT)
    else:
        os.kill(process.pid, getattr(signal, how))
    try:
        _, stderr = process.communicate(timeout=120)
        assert _group_ends(process.pid), f"a worker outlived the run: {stderr.decode()}"
    finally:
        _kill_group(process.pid)
    assert out.read_text() == "id,tags\nold,\n", stderr.decode()
    if how != "SIGKILL":
        assert process.returncode == 130, stderr.decode()
        assert stderr.decode().splitlines() == [  # (nothing else: no traceback, no log lines of Dask workers)
            f"Interrupted; {out} was not written. Run the same command with --resume to go on from the last "
            "complete chunk."]
    done = subprocess.run(command + ["--resume"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "resumed after" in done.stdout
    assert out.read_bytes() == reference.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_killed_training_leaves_no_worker_behind(tmp_path, taxonomy, small_corpus):
    """The fits run in joblib (loky) workers, which outlived a `kill -9` of `taxotag train`."""
    model = tmp_path / "model"
    command = [sys.executable, "-m", "taxotag", "train", "--corpus", str(small_corpus), "--model", str(model),
               "--taxonomy", taxonomy.path]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.time() + 120
    while not any(b"loky" in _command_line(pid) for pid in _live_processes_in_group(process.pid)):
        assert process.poll() is None and time.time() < deadline, "training ended before its workers started"
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    try:
        assert _group_ends(process.pid), "a worker outlived the run"
    finally:
        _kill_group(process.pid)
    assert not model.exists()


def _command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


@pytest.mark.parametrize("moment", ["imports", "cluster start"])
def test_ctrl_c_while_the_command_starts_ends_it_with_one_line(tmp_path, taxonomy, trained_model_dir, big_run, moment):
    """Ctrl-C (to the process group, as a terminal sends it) while the libraries load (once numpy
    is), or once the local Dask cluster has started its first worker process: exit 130, one line,
    no process left (before: a traceback of the imports, or an ImportError from numpy's; a Ctrl-C
    lost while the cluster started, so that the run went on to the end)."""
    source, _ = big_run
    out = tmp_path / "out.csv"
    command = [sys.executable, "-c", "import sys; from taxotag.cli.entry import main; sys.exit(main())",
               "tag", str(source), "-o", str(out), "--engine", "dask", "--jobs", "2",
               "--model", str(trained_model_dir), "--taxonomy", taxonomy.path]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                               preexec_fn=ctrl_c_as_in_a_terminal)
    if moment == "imports":  # numpy is loaded: the entry point has started importing the command line
        deadline = time.time() + 60
        while b"_multiarray_umath" not in memory_maps(process.pid):
            assert process.poll() is None and time.time() < deadline, "numpy was never loaded"
            time.sleep(0.005)
    else:
        deadline = time.time() + 60
        while not any(b"spawn_main" in _command_line(pid) for pid in _live_processes_in_group(process.pid)):
            assert process.poll() is None and time.time() < deadline, "no worker process started"
            time.sleep(0.01)
    os.killpg(process.pid, signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=120)
        assert _group_ends(process.pid), "a worker outlived the run"
    finally:
        _kill_group(process.pid)
    lines = stderr.decode().splitlines()
    assert process.returncode == 130, lines
    assert len(lines) == 1 and lines[0].startswith("Interrupted"), lines
    assert not out.exists()


def _file_size_limit(limit: int):
    """For a subprocess: files may not grow past `limit` bytes; a write past it fails with EFBIG
    (SIGXFSZ ignored), as on a full disk."""
    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return limited


def test_a_write_that_fails_keeps_the_complete_chunks_and_resumes(tmp_path, taxonomy, trained_model_dir, big_run):
    """A write of the output that fails (a full disk; here a file size limit) is one line, keeps the
    complete chunks, and --resume then gives the output of an uninterrupted run."""
    source, reference = big_run
    out = tmp_path / "out.csv"
    command = [sys.executable, "-m", "taxotag", "tag", str(source), "-o", str(out), "--chunk-size", "500",
               "--jobs", "2", "--model", str(trained_model_dir), "--taxonomy", taxonomy.path]
    limit = reference.stat().st_size // 3
    failed = subprocess.run(command, capture_output=True, text=True, timeout=300, preexec_fn=_file_size_limit(limit))
    assert failed.returncode == 1 and failed.stdout == ""
    assert failed.stderr.strip().splitlines()[-1] == (
        f"Error: {out}: cannot write there (File too large); the complete chunks are kept: make room and run "
        "the same command with --resume")
    assert "Traceback" not in failed.stderr and not out.exists()
    done = subprocess.run(command + ["--resume"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "resumed after" in done.stdout, done.stderr
    assert out.read_bytes() == reference.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_model_write_that_fails_leaves_the_old_model(tmp_path, taxonomy, trained_model_dir):
    """Saving a model whose files cannot be written (a full disk; here a real file size limit on
    this process while it saves) keeps the model that was there and leaves no staging folder."""
    model_dir = tmp_path / "model"
    shutil.copytree(trained_model_dir, model_dir)
    before = {path.name: path.read_bytes() for path in model_dir.iterdir()}
    model = load_model(model_dir, taxonomy)
    limit = max(len(content) for content in before.values()) // 2
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        with pytest.raises(OutputWriteError, match=r"model: cannot write there \(.* written: is the disk full\?\)$"):
            save_model(model, model_dir, taxonomy)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert {path.name: path.read_bytes() for path in model_dir.iterdir()} == before
    assert [path.name for path in tmp_path.iterdir()] == ["model"]
