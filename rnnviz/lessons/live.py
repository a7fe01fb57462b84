"""A computation that runs in background threads while a page keeps drawing it: a training run.

    job = Job([work_a, work_b]).start()     # each work(job) runs in its own thread
    with job.lock: ...                      # the workers write their progress under job.lock; readers copy it
    job.stop()                              # asks every worker to end (they poll job.stopping each step)
    job.alive, job.errors, job.join(timeout)

A Job is a plain object: a page keeps it in its session's state (never in a cache or a module global, so
one student's run is nobody else's), and a page that is left and reopened finds it there, running or done.

Each worker thread applies the app's process settings (runtime.configure: one torch thread, subnormals
flushed) and lowers its own scheduling priority by NICE. On Linux nice is per thread: the training then
uses the CPU time that page reruns leave idle, so other students' pages (nice 0) stay responsive while it
trains, and a run on an idle machine is as fast as ever. An exception in a worker ends that worker only;
it is kept in job.errors for the page to show, never raised into a page.
"""
from __future__ import annotations

import os
import threading
import time
import traceback
from typing import Callable, Sequence

from rnnviz import runtime

NICE = 10        # CFS gives a nice-10 thread about a tenth of a core that a nice-0 thread also wants


def lower_priority(nice: int = NICE) -> bool:
    """Raise the calling thread's nice value by `nice` (Linux: per thread). False where not possible."""
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
        return True
    except (AttributeError, OSError):
        return False


class Job:
    """Workers in background threads, one lock for their progress, one stop flag."""

    def __init__(self, workers: Sequence[Callable[["Job"], None]], name: str = "rnnviz-job", nice: int = NICE):
        self.lock = threading.Lock()
        self.errors: list[str] = []
        self.started: float | None = None
        self.ended: float | None = None
        self._stop = threading.Event()
        self._nice = nice
        self._running = len(workers)
        self._threads = [threading.Thread(target=self._run, args=(w,), name=f"{name}-{i}", daemon=True)
                         for i, w in enumerate(workers)]

    def start(self) -> "Job":
        self.started = time.perf_counter()
        for t in self._threads:
            t.start()
        return self

    def _run(self, work: Callable[["Job"], None]) -> None:
        runtime.configure()                       # per thread: the flush-to-zero flag is a CPU register
        if self._nice:
            lower_priority(self._nice)
        try:
            work(self)
        except Exception as e:                    # noqa: BLE001 - shown on the page, never raised into it
            traceback.print_exc()
            with self.lock:
                self.errors.append(f"{type(e).__name__}: {e}")
        finally:
            with self.lock:
                self._running -= 1
                if self._running == 0:
                    self.ended = time.perf_counter()

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    @property
    def alive(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    @property
    def seconds(self) -> float:
        """Wall-clock seconds since start (until the last worker ended)."""
        if self.started is None:
            return 0.0
        return (self.ended or time.perf_counter()) - self.started

    def join(self, timeout: float | None = None) -> bool:
        """Wait for every worker (at most `timeout` seconds in all); True when all have ended."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for t in self._threads:
            t.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return not self.alive
