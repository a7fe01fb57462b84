"""The servers' processes, measured through /proc (Linux; no psutil): memory, CPU time, threads.

The process tree and the training processes come from tests/kit/server.py (the launcher's side of the same
servers); here is what bench/load.py and bench/bench_server_memory.py measure of them.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from kit.server import tree, trainings


def status_kb(pid: int, field_name: str) -> int:
    """A field of /proc/<pid>/status in kB (VmRSS: resident now, VmHWM: the kernel's own peak); 0 if gone."""
    try:
        for row in Path(f"/proc/{pid}/status").read_text().splitlines():
            if row.startswith(field_name + ":"):
                return int(row.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process (all its threads), from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of a server and every process below it (its trainings included)."""
    return sum(cpu_seconds(p) for p in tree(pid))


def pss_kb(pid: int) -> int:
    """A process's proportional set size (shared pages split among their sharers), else its RSS: the
    trainings are forks of one fork server and share torch's pages, which an RSS sum would count N times."""
    try:
        for row in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if row.startswith("Pss:"):
                return int(row.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return status_kb(pid, "VmRSS")


def threads(pid: int) -> int:
    return len(list(Path(f"/proc/{pid}/task").glob("*")))


class MemoryWatch:
    """Samples the memory of the servers' process trees twice a second (psutil-free: /proc): the sum of
    their proportional set sizes (the machine's memory they take, each shared page counted once), the
    server process's own resident set, and how many trainings run; reads their CPU time too, so the report
    can say how many cores the server used."""

    def __init__(self, pids: list[int]):
        self.pids, self.peak, self._stop = pids, 0, threading.Event()
        self.server_peak, self.trainings_peak = 0, 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> int:
        return 1024 * sum(pss_kb(p) for pid in self.pids for p in tree(pid))

    def server_now(self) -> int:
        return 1024 * sum(status_kb(pid, "VmRSS") for pid in self.pids)

    def hwm(self) -> int:
        """The kernel's own peak of each server (VmHWM), summed over the replicas."""
        return 1024 * sum(status_kb(pid, "VmHWM") for pid in self.pids)

    def cpu(self) -> float:
        return sum(tree_cpu_seconds(pid) for pid in self.pids)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.peak = max(self.peak, self.now())
            self.server_peak = max(self.server_peak, self.server_now())
            self.trainings_peak = max(self.trainings_peak, sum(len(trainings(pid)) for pid in self.pids))

    def __enter__(self):
        self.peak = self.now()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.now())
