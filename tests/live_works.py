"""Small works for tests/shared/test_live.py, in a module of their own: a training process imports its work by
name, so it must live in a module the fork server can import (tests/ is on sys.path under pytest)."""
from __future__ import annotations

import os
import time


def report_and_finish(n: int, channel) -> None:
    """Sends its pid and niceness, then n updates, checking the stop flag as a training does."""
    channel.send({"pid": os.getpid(), "nice": os.nice(0), "policy": os.sched_getscheduler(0)})
    for i in range(n):
        if channel.stopping:
            return
        channel.send({"i": i})


def fail(channel) -> None:
    channel.send({"pid": os.getpid()})
    raise RuntimeError("out of cheese")


def spin(channel) -> None:
    """Busy until asked to stop: a training that would never end on its own."""
    channel.send({"pid": os.getpid()})
    x = 0
    while not channel.stopping:
        x += 1


def hog_memory(mb: int, channel) -> None:
    """Allocates `mb` more megabytes, 10 at a time, checking the stop flag in between, at most 10 MB per
    10 ms: the budget is checked at most every 0.1 s, so the job overshoots it by at most ~100 MB, however
    fast the machine (unpaced, a quiet machine wrote 200 MB between two checks)."""
    channel.send({"pid": os.getpid()})
    kept = []
    for _ in range(mb // 10):
        if channel.stopping:
            return
        kept.append(b"\x01" * (10 * 2 ** 20))          # written, so resident (calloc would not be)
        time.sleep(0.01)
    while not channel.stopping:
        time.sleep(0.01)


def ignore_stop(channel) -> None:
    """Never looks at the stop flag: only the server's kill can end it."""
    channel.send({"pid": os.getpid()})
    while True:
        time.sleep(0.05)
