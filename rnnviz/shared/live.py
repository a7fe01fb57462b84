"""Background trainings on a server a class shares: each in a process of its own, a few at once, each
bounded in computing time, memory and wall-clock time, and each owned by the session that started it.

    trainer = live.Trainer(owner_alive=is_connected)           # one per server process
    job = trainer.submit("session-id", work, (cfg,), apply=run.apply, name="memory-lab")
    job.state                  # "queued" (trainer.position(job) says its place), "running", "ended"
    job.stop()                 # the work ends after its current step; job.reason says why it ended
    job.join(timeout), job.alive, job.errors, job.seconds

The work runs in the child process as `work(*args, channel)`: it trains, checks `channel.stopping` at
every step, and calls `channel.send(update)` with what changed (small deltas, a few times a second).
The server applies each update with `apply(update)` under `job.lock`, so a page draws from copies taken
under that lock and never waits for the training.

Why a process, not a thread in the server: Python runs one thread of a process at a time (the GIL).
Training threads inside the server competed with every student's page for that lock, and niceness
lowers a thread's share of the CPU, not of the lock: a red-team run of four long trainings made another
student's page load take 40 s. A child process has its own interpreter, and runs at the lowest priority
Linux has (SCHED_IDLE, and nice +19 where that is missing): it takes the CPU time the server leaves idle,
so the server's reruns keep their pace (bench/bench_memory.py and bench/load.py measure it).

How a child starts: from a fork server (multiprocessing's "forkserver") that imported torch and the
lessons once; a fork of it starts in ~10 ms with nothing of the server's threads or sessions in it.
The first training of a process pays ~2 s to start the fork server (Trainer.warm starts it early).

Bounds, each a setting (environment variables, read when the Trainer is made; docs/DEPLOY.md):
- RNNVIZ_TRAININGS: trainings at once (default one per core); the others wait, first come first served,
  and see their place in the queue.
- RNNVIZ_TRAINING_CPU_SECONDS (default 120): computing time of the whole child, all its threads. At the
  budget the work is asked to stop; the kernel kills the child 15 s later (RLIMIT_CPU).
- RNNVIZ_TRAINING_MEMORY_MB (default 1024): the child's resident memory; over it the work is asked to stop.
- RNNVIZ_TRAINING_NICE (default 19, with SCHED_IDLE): the trainings' priority.
- RNNVIZ_TRAINING_SECONDS (default 300): wall-clock time from start; the server kills the child 15 s
  after a stop it did not obey.
- The owner: when owner_alive(owner) has said False for RNNVIZ_TRAINING_GRACE_SECONDS (default 10: its
  tab was closed or reloaded, not a network blip), the job stops, queued or running; a new job of the
  same owner stops the owner's previous one.
"""
from __future__ import annotations

import multiprocessing
import os
import resource
import threading
import time
import traceback
from dataclasses import dataclass
from itertools import count
from multiprocessing import forkserver
from typing import Any, Callable, Sequence

import torch

NICE = 19                  # the lowest priority: CFS weighs a nice-0 thread ~68× a nice-19 one, so a training
                           # takes the CPU time the server leaves idle and little else
GRACE_SECONDS = 10.0       # a session disconnected this long is gone (a reload's old session, a closed tab)
KILL_AFTER_SECONDS = 15.0  # a child that has not ended this long after being asked is killed
POLL_SECONDS = 0.2         # how often the server's monitor drains updates and checks the bounds
PUBLISH_SECONDS = 0.25     # how often a child sends what changed
PRELOAD = ("torch", "rnnviz.topics.memory.runs")   # imported once by the fork server

# Why a job ended (job.reason).
FINISHED, STOPPED, REPLACED, SESSION_ENDED = "finished", "stopped", "replaced", "session ended"
CPU_BUDGET, MEMORY_BUDGET, TIME_LIMIT, FAILED = "cpu budget", "memory budget", "time limit", "failed"


@dataclass(frozen=True)
class Budget:
    """What one training may use. The defaults keep the worst case the sliders allow (copy memory, T = 200,
    3,000 steps, three cells) to about two minutes of one core."""
    cpu_seconds: float = 120.0
    memory_mb: float = 1024.0
    wall_seconds: float = 300.0

    @classmethod
    def from_env(cls, env=os.environ) -> "Budget":
        d = cls()
        return cls(cpu_seconds=_number(env, "RNNVIZ_TRAINING_CPU_SECONDS", d.cpu_seconds),
                   memory_mb=_number(env, "RNNVIZ_TRAINING_MEMORY_MB", d.memory_mb),
                   wall_seconds=_number(env, "RNNVIZ_TRAINING_SECONDS", d.wall_seconds))


def default_slots(env=os.environ) -> int:
    return int(_number(env, "RNNVIZ_TRAININGS", os.cpu_count() or 1))


def default_nice(env=os.environ) -> int:
    """RNNVIZ_TRAINING_NICE (0–19, default 19). At 19 a training also runs as SCHED_IDLE. The test suite
    sets a lower value: its own workers keep both cores busy, where an idle-class training would starve."""
    return int(min(19, max(0, _number(env, "RNNVIZ_TRAINING_NICE", NICE) if env.get("RNNVIZ_TRAINING_NICE") != "0"
                           else 0)))


def default_grace(env=os.environ) -> float:
    return _number(env, "RNNVIZ_TRAINING_GRACE_SECONDS", GRACE_SECONDS)


def _number(env, name: str, default: float) -> float:
    """A positive number from the environment, or the default (a typo must not lift a bound)."""
    try:
        value = float(env.get(name, default))
    except ValueError:
        return default
    return value if 0 < value < float("inf") else default


# ----------------------------------------------------------------------------- the child's side

class Channel:
    """What the work sees in its process: the stop flag (with the budgets folded in) and a way to send."""

    def __init__(self, conn, stop_event, budget: Budget):
        self._conn, self._stop, self.budget = conn, stop_event, budget
        self._send_lock = threading.Lock()
        self.reason: str | None = None             # why it was asked to stop, when it is the budget's doing
        self._checked = 0.0
        self.peak_mb = 0.0

    @property
    def stopping(self) -> bool:
        """True once the server asked to stop, or a budget ran out (checked at most every 0.1 s)."""
        if self._stop.is_set():
            return True
        now = time.monotonic()
        if now - self._checked > 0.1:
            self._checked = now
            self.peak_mb = max(self.peak_mb, resident_mb())
            if time.process_time() > self.budget.cpu_seconds:
                self.reason = CPU_BUDGET
            elif self.peak_mb > self.budget.memory_mb:
                self.reason = MEMORY_BUDGET
            if self.reason:
                self._stop.set()
        return self._stop.is_set()

    def send(self, update: Any) -> None:
        with self._send_lock:
            self._conn.send(("update", update))

    def run_side_by_side(self, workers: Sequence[Callable[[], None]], publish: Callable[[], Any]) -> None:
        """Run each worker in a thread of this process (they share its cores and its budget) and send
        publish() every PUBLISH_SECONDS until all have ended, then once more. A worker's exception ends
        that worker only and is reported."""
        def run(work):
            _configure()
            try:
                work()
            except Exception:                    # noqa: BLE001 - reported to the page, never raised into it
                self._error()

        threads = [threading.Thread(target=run, args=(w,), daemon=True) for w in workers]
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            for t in threads:
                t.join(PUBLISH_SECONDS / len(threads))
            self.stopping                         # noqa: B018 - checks the budgets even between steps
            self.send(publish())
        self.send(publish())

    def _error(self) -> None:
        with self._send_lock:
            self._conn.send(("error", traceback.format_exc(limit=8).strip().splitlines()[-1]))


def resident_mb() -> float:
    """This process's resident memory now, in MB (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _configure() -> None:
    """The app's per-thread arithmetic settings (runtime.py): one torch thread, subnormals flushed. Not its
    allocator setting, which trades memory for a page's rerun speed: a training's peak memory matters more
    here, and it keeps the allocator's default (measured on the worst case the sliders allow: see DEPLOY.md)."""
    torch.set_flush_denormal(True)
    torch.set_num_threads(1)


def _child(work, args, conn, stop_event, budget: Budget, nice: int, kill_after: float, idle: bool = True) -> None:
    """The child process's main: lower its priority, set the kernel's backstop, run the work, say how it ended."""
    os.nice(nice)
    if idle and hasattr(os, "SCHED_IDLE"):         # Linux: run only when a core would otherwise be idle; the
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))   # work's threads inherit it
    limit = int(budget.cpu_seconds + kill_after) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 5))   # SIGXCPU at the soft limit, SIGKILL at the hard
    _configure()
    channel = Channel(conn, stop_event, budget)
    reason = FINISHED
    try:
        work(*args, channel)
    except Exception:                              # noqa: BLE001
        channel._error()
        reason = FAILED
    if channel.reason:
        reason = channel.reason
    elif stop_event.is_set():
        reason = STOPPED
    with channel._send_lock:
        conn.send(("end", reason, time.process_time(), max(channel.peak_mb, resident_mb())))
    conn.close()


# ----------------------------------------------------------------------------- the server's side

class Job:
    """One training as the server sees it. Read its fields under `lock` when they must agree."""

    def __init__(self, ident: int, owner: str, name: str, work, args, apply: Callable[[Any], None]):
        self.ident, self.owner, self.name = ident, owner, name
        self.lock = threading.RLock()
        self.state = "queued"                      # queued | running | ended
        self.reason: str | None = None             # why it ended (FINISHED, STOPPED, CPU_BUDGET, ...)
        self.errors: list[str] = []
        self.cpu_seconds = 0.0                     # the child's computing time, when it ended
        self.peak_mb = 0.0
        self.submitted = time.monotonic()
        self.started: float | None = None
        self.ended: float | None = None
        self._work, self._args, self._apply = work, args, apply
        self._ask: str | None = None               # a stop asked for, and why
        self._asked_at: float | None = None
        self._process = None
        self._conn = None
        self._stop_event = None
        self._done = threading.Event()

    # ----- what a page asks
    @property
    def alive(self) -> bool:
        return not self._done.is_set()

    @property
    def stopping(self) -> bool:
        return self._ask is not None

    @property
    def seconds(self) -> float:
        """Wall-clock seconds of training (0 while queued)."""
        if self.started is None:
            return 0.0
        return (self.ended or time.monotonic()) - self.started

    def stop(self, reason: str = STOPPED) -> None:
        """Ask the work to end after its current step (a queued job simply never starts)."""
        with self.lock:
            if self._ask is None and self.alive:
                self._ask, self._asked_at = reason, time.monotonic()
                if self._stop_event is not None:
                    self._stop_event.set()

    def join(self, timeout: float | None = None) -> bool:
        """Wait until the job has ended (at most `timeout` seconds); True when it has."""
        return self._done.wait(timeout)


class Trainer:
    """The server's trainings: a queue, `slots` children at once, the bounds, and a monitor thread that
    applies updates and enforces the bounds every POLL_SECONDS (it runs while there are jobs)."""

    def __init__(self, slots: int | None = None, budget: Budget | None = None,
                 owner_alive: Callable[[str], bool] = lambda owner: True, nice: int | None = None,
                 grace: float | None = None, kill_after: float = KILL_AFTER_SECONDS):
        self.slots = max(1, int(slots or default_slots()))
        self.budget = budget or Budget.from_env()
        self.owner_alive, self.nice = owner_alive, default_nice() if nice is None else nice
        self.grace = default_grace() if grace is None else grace
        self.kill_after = kill_after
        self._jobs: list[Job] = []                 # queued and running, in order of submission
        self._lock = threading.Lock()
        self._ids = count(1)
        self._monitor: threading.Thread | None = None
        self._gone_since: dict[str, float] = {}    # owner → when it was first seen gone

    # ----- what a page does
    def submit(self, owner: str, work: Callable, args: tuple, apply: Callable[[Any], None],
               name: str = "training") -> Job:
        """Queue `work(*args, channel)` for `owner`; the owner's previous job, if any, is stopped."""
        job = Job(next(self._ids), owner, name, work, args, apply)
        with self._lock:
            for old in self._jobs:
                if old.owner == owner and owner:
                    old.stop(REPLACED)
            self._jobs.append(job)
            if self._monitor is None or not self._monitor.is_alive():
                self._monitor = threading.Thread(target=self._watch, name="rnnviz-trainer", daemon=True)
                self._monitor.start()
        return job

    def position(self, job: Job) -> int | None:
        """1 for the next to start, 2 for the one after ...; None when it is not waiting."""
        with self._lock:
            queued = [j for j in self._jobs if j.state == "queued"]
        return queued.index(job) + 1 if job in queued else None

    def running(self) -> int:
        with self._lock:
            return sum(j.state == "running" for j in self._jobs)

    def jobs(self) -> list[Job]:
        with self._lock:
            return list(self._jobs)

    def warm(self) -> None:
        """Start the fork server now (in the background), so the first training starts at once."""
        threading.Thread(target=_context, name="rnnviz-forkserver", daemon=True).start()

    def stop_all(self, wait: float = 30.0) -> None:
        for job in self.jobs():
            job.stop()
        deadline = time.monotonic() + wait
        for job in self.jobs():
            job.join(max(0.0, deadline - time.monotonic()))

    # ----- the monitor
    def _watch(self) -> None:
        while True:
            try:
                self.poll()
            except Exception:                      # noqa: BLE001 - the monitor must outlive any one job's trouble
                traceback.print_exc()
            with self._lock:
                if not self._jobs:
                    self._monitor = None
                    return
            time.sleep(POLL_SECONDS)

    def poll(self) -> None:
        """One round: owners, updates, ends, bounds, then start what fits."""
        now = time.monotonic()
        for job in self.jobs():
            if job.owner and not self._owner_alive(job.owner, now):
                job.stop(SESSION_ENDED)
            if job.state == "running":
                self._drain(job)
                self._enforce(job, now)
            elif job.state == "queued" and job.stopping:
                self._end(job, job._ask)
        with self._lock:
            self._jobs = [j for j in self._jobs if j.state != "ended"]
            waiting = [j for j in self._jobs if j.state == "queued"]
            free = self.slots - sum(j.state == "running" for j in self._jobs)
        for job in waiting[:max(0, free)]:
            self._start(job)

    def _owner_alive(self, owner: str, now: float) -> bool:
        try:
            alive = self.owner_alive(owner)
        except Exception:                          # noqa: BLE001 - when it cannot be told, keep the job
            alive = True
        if alive:
            self._gone_since.pop(owner, None)
            return True
        return now - self._gone_since.setdefault(owner, now) < self.grace

    def _start(self, job: Job) -> None:
        ctx = _context()
        receive, send = ctx.Pipe(duplex=False)
        with job.lock:
            job._stop_event = ctx.Event()
            job._conn = receive
            job._process = ctx.Process(target=_child, name=f"rnnviz-{job.name}-{job.ident}", daemon=True,
                                       args=(job._work, job._args, send, job._stop_event, self.budget, self.nice,
                                             self.kill_after, self.nice >= NICE))
            job._process.start()
            send.close()                           # the child holds the only writing end: its death is EOF here
            job.state, job.started = "running", time.monotonic()

    def _drain(self, job: Job) -> None:
        """Apply every update the child has sent so far; notice its end."""
        conn = job._conn
        try:
            while conn.poll(0):
                message = conn.recv()
                kind = message[0]
                with job.lock:
                    if kind == "update":
                        job._apply(message[1])
                    elif kind == "error":
                        job.errors.append(message[1])
                    elif kind == "end":
                        _, reason, job.cpu_seconds, job.peak_mb = message
                        job.reason = job._ask if reason == STOPPED and job._ask else reason
        except (EOFError, OSError):                # the child is gone (it ended, or was killed)
            self._end(job)

    def _enforce(self, job: Job, now: float) -> None:
        if job.state != "running":
            return
        if now - job.started > self.budget.wall_seconds:
            job.stop(TIME_LIMIT)
        if job._asked_at is not None and now - job._asked_at > self.kill_after and job._process.is_alive():
            job._process.kill()                    # it did not obey: the drain sees EOF next round

    def _end(self, job: Job, reason: str | None = None) -> None:
        with job.lock:
            if job.state == "ended":
                return
            if job._process is not None:
                job._process.join(5)
                if job._process.is_alive():
                    job._process.kill()
                    job._process.join(5)
                code = job._process.exitcode
                job._conn.close()
                if job.reason is None:             # no "end" message: the child was killed
                    job.reason = job._ask or (CPU_BUDGET if code in (-24, -9) else FAILED)
                    if job.reason == FAILED:
                        job.errors.append(f"the training process ended with code {code}")
                job._process.close()
            else:
                job.reason = reason or STOPPED
            job.state, job.ended = "ended", time.monotonic()
        job._done.set()


def _context():
    """The fork server's context, its preloads set (the first call starts it: ~2 s, once per process).
    Where there is no fork server (Windows), a spawned child imports what it needs itself."""
    try:
        ctx = multiprocessing.get_context("forkserver")
    except ValueError:                             # pragma: no cover - not on Linux
        return multiprocessing.get_context("spawn")
    ctx.set_forkserver_preload(list(PRELOAD))
    forkserver.ensure_running()
    return ctx
