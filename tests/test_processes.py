"""Tests of taxotag.processes."""

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from taxotag.processes import effective_jobs, interrupts_held, start_worker
from tests.conftest import ctrl_c_as_in_a_terminal


def test_an_interrupt_in_a_held_block_arrives_when_it_ends():
    """What keeps Ctrl-C out of the middle of ProcessPoolExecutor.submit."""
    received = []
    previous = signal.signal(signal.SIGTERM, lambda *_: received.append("SIGTERM"))
    try:
        with interrupts_held():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.2)
            assert received == []
        for _ in range(100):
            if received:
                break
            time.sleep(0.01)
        assert received == ["SIGTERM"]
    finally:
        signal.signal(signal.SIGTERM, previous)


BLOCKED_START = """
import multiprocessing, os, signal, threading
from taxotag.processes import ctrl_c_blocked_in_new_processes

def child_mask(queue):
    queue.put(sorted(signal.pthread_sigmask(signal.SIG_BLOCK, [])))

def start_a_process(masks):  # as Dask's IO loop thread starts the workers of a LocalCluster
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=child_mask, args=(queue,))
    process.start()
    masks.append(queue.get())
    process.join()

if __name__ == "__main__":
    masks = []
    try:
        with ctrl_c_blocked_in_new_processes():
            thread = threading.Thread(target=start_a_process, args=(masks,))
            thread.start()
            thread.join()
            os.kill(os.getpid(), signal.SIGINT)
            print("held", flush=True)
        print("lost")
    except KeyboardInterrupt:
        print("arrived", masks == [[signal.SIGINT]])
"""


def test_processes_started_while_ctrl_c_is_blocked_never_see_it_and_this_one_gets_it_after(tmp_path):
    """A process started in the block (by a thread, as Dask starts its workers, and as the first
    process, which starts multiprocessing's resource tracker) keeps SIGINT blocked; the Ctrl-C
    that came during the block arrives when it ends (before, SIGINT was ignored and it was lost)."""
    script = tmp_path / "blocked_start.py"  # (a file: a spawned process imports its functions from it)
    script.write_text(BLOCKED_START)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
                          preexec_fn=ctrl_c_as_in_a_terminal)
    assert (done.stdout, done.stderr) == ("held\narrived True\n", "")


def _signal_handlers():
    return signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)


def test_a_pool_worker_leaves_ctrl_c_to_the_main_process_and_dies_of_sigterm():
    with ProcessPoolExecutor(1, initializer=start_worker, initargs=(os.getpid(),)) as pool:
        assert pool.submit(_signal_handlers).result() == (signal.SIG_IGN, signal.SIG_DFL)


def test_jobs_count_processes_and_none_or_minus_one_means_every_core():
    cores = len(os.sched_getaffinity(0))
    assert effective_jobs(None) == effective_jobs(-1) == cores
    assert effective_jobs(3) == 3
    assert effective_jobs(0) == 1
