"""Tests of taxotag.cli.entry."""

import os
import signal
import subprocess
import sys
import time

from tests.conftest import memory_maps


def test_a_command_started_with_ctrl_c_ignored_keeps_ignoring_it(taxonomy):
    """A shell without job control starts a background job with SIGINT ignored, so that the
    terminal's Ctrl-C leaves it alone; the entry point used to catch it while the libraries loaded."""
    command = [sys.executable, "-c", "import sys; from taxotag.cli.entry import main; sys.exit(main())",
               "validate", taxonomy.path]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    deadline = time.time() + 60
    while b"_multiarray_umath" not in memory_maps(process.pid):
        assert process.poll() is None and time.time() < deadline, "numpy was never loaded"
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert (process.returncode, stderr.decode()) == (0, "")
    assert stdout.decode().startswith(f"{taxonomy.path}: OK")


def test_the_entry_point_returns_the_commands_exit_code(taxonomy, tmp_path):
    command = [sys.executable, "-c", "import sys; from taxotag.cli.entry import main; sys.exit(main())"]
    ok = subprocess.run(command + ["validate", taxonomy.path], capture_output=True, text=True, timeout=120)
    assert (ok.returncode, ok.stderr) == (0, "")
    broken = tmp_path / "broken.yaml"
    broken.write_text("tags: [")
    failed = subprocess.run(command + ["validate", str(broken)], capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1 and failed.stderr.startswith(f"Error: {broken}")
