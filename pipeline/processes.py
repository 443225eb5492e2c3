"""Worker processes that behave under Ctrl-C, `kill` and `kill -9`: the tagging pool and the
training fits (joblib) start their workers with start_worker, the tagging pool submits its tasks
with interrupts held, and a local Dask cluster starts with Ctrl-C blocked."""

from __future__ import annotations

import gc
import os
import signal
import threading
import time
from contextlib import contextmanager
from multiprocessing import resource_tracker

INTERRUPTS = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def interrupts_held():
    """Hold Ctrl-C and SIGTERM back until the block ends, then deliver them. An interrupt in the
    middle of ProcessPoolExecutor.submit can leave a task registered but never queued, and the pool
    then waits for it forever when it shuts down. (Python runs signal handlers in the main thread
    whichever thread the signal reaches, so the handlers are swapped, not the thread's signal mask.)"""
    if threading.current_thread() is not threading.main_thread():  # only there do handlers run
        yield
        return
    arrived: list[int] = []
    before = {number: signal.signal(number, lambda number, frame: arrived.append(number)) for number in INTERRUPTS}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
        for number in arrived:
            signal.raise_signal(number)


@contextmanager
def ctrl_c_blocked_in_new_processes():
    """Start processes that never see Ctrl-C, for those that take no initializer: SIGINT is blocked
    in this thread while the block runs, and the threads and processes started in it keep it
    blocked (a signal mask is inherited, across exec too), so a terminal's Ctrl-C reaches only this
    process, which stops them. A Ctrl-C while the block runs waits and arrives when it ends.
    (Ignoring SIGINT instead, as processes also inherit, would lose that Ctrl-C.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    resource_tracker.ensure_running()  # (the thread that first starts it unblocks SIGINT afterwards)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def start_worker(main_pid: int) -> None:
    """A pool worker's first step. Ctrl-C reaches every process of the run. It is for the main
    process, which stops the pool; a worker that took it too would break the pool (a traceback, or
    a hang: the pool waits for the other worker to exit, which waits to send its result). SIGTERM,
    whose handler a fork copies from the main process, ends a worker at once, as the pool expects.
    And a worker ends when the main process is gone (`kill -9`), instead of waiting forever.

    The objects a worker starts with (the modules; in a forked one, the tagger too) live as long as
    it does: frozen (gc.freeze), the garbage collector never walks them again, nor writes to their
    memory, which a fork shares with the main process until either writes to it (tagging 8%
    faster, 2026-12-07)."""
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_exit_without, args=(main_pid,), daemon=True).start()


def _exit_without(main_pid: int, every: float = 0.5) -> None:
    """End this process once its parent is no longer `main_pid` (it died and the process was re-parented)."""
    while os.getppid() == main_pid:
        time.sleep(every)
    os._exit(1)


def effective_jobs(n_jobs: int | None) -> int:
    """`n_jobs` as a count of processes: None or -1 means every core."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores if n_jobs in (None, -1) else max(1, n_jobs)
