"""The Memory lab's live runs: a comparison of the chosen cells at one length, and a sweep over lengths.

Each run is one training job (live.py): a process of its own, bounded in time and memory, owned by the
student's session. Inside it, one thread per cell, so the cells advance side by side on the machine's
cores; the process sends what changed a few times a second, and the server's copy of the run (the
objects below) takes it, so the page redraws from snapshots taken under the job's lock. Measured at the
defaults (bench/bench_memory.py, seeds 0-2, 2 cores): side by side the LSTM reached the line after
5.8-6.6 s and the whole comparison took 6.1 s (median); the LSTM alone needs 3.2-4.8 s, but one cell
after another the class would wait for all three in turn, about 12 s, and see one curve at a time.

    run = start_comparison(memory.Config(), trainer, owner)   # returns at once; run.job trains
    view = run.snapshot()                                     # {cell: Progress}, copies safe to draw
    sweep = start_sweep(memory.Config(), trainer, owner, (10, 20, 50, 100))

Without a trainer (scripts, tests, the bench) a run gets a trainer of its own with one slot.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field, replace

from rnnviz.shared import live
from rnnviz.topics.memory import compute as memory
from rnnviz.topics.memory import inside as memory_inside
from rnnviz.topics.memory.compute import Config, Progress


@dataclass
class Comparison:
    config: Config
    progress: dict[str, Progress]
    job: live.Job | None = None
    inside: memory_inside.Inside | None = None      # the look inside the trained LSTM, once asked for

    def apply(self, update: dict) -> None:
        """An update from the training process ({cell: Progress.delta}); called under the job's lock."""
        for kind, d in update.items():
            self.progress[kind].apply(d, self.config)

    def look_inside(self) -> memory_inside.Inside | None:
        """The trained LSTM on held-out sequences (computed once); None while training or without an LSTM."""
        p = self.progress.get("lstm")
        if self.job.alive or p is None or p.model is None:
            return None
        if self.inside is None:
            self.inside = memory_inside.look_inside(p.model, self.config)
        return self.inside

    def snapshot(self) -> dict[str, Progress]:
        with self.job.lock:
            return {k: _settled(p, self.job) for k, p in self.progress.items()}

    def fraction(self) -> float:
        """How much of the budget is done, 0..1 (a finished cell counts as done)."""
        with self.job.lock:
            return _fraction(self.progress.values())

    def seconds_left(self) -> float | None:
        """At most this many seconds to go: every unfinished cell runs its whole budget at its pace so far
        (the cells run side by side, so the slowest decides). None before the first steps."""
        with self.job.lock:
            waits = [(p.budget - p.steps) * p.seconds / p.steps for p in self.progress.values()
                     if not p.finished and p.steps >= 5]
            if any(not p.finished and p.steps < 5 for p in self.progress.values()):
                return None
        return max(waits, default=0.0)


def _settled(p: Progress, job: live.Job) -> Progress:
    """A copy of p to draw; once the job has ended, a cell it never finished (stopped in the queue, or its
    process ended early) reads "stopped" rather than "waiting" or "training"."""
    copy = p.snapshot()
    if not job.alive and not copy.finished:
        copy.status = "stopped"
    return copy


def _fraction(progress) -> float:
    progress = list(progress)
    return sum(1.0 if p.finished else p.steps / p.budget for p in progress) / max(len(progress), 1)


def comparison_work(cfg: Config, channel: live.Channel) -> None:
    """In the training process: every cell of cfg.cells at once, one thread each."""
    progress = {kind: memory.new_progress(cfg, kind) for kind in cfg.cells}
    lock, start, sent = threading.Lock(), time.perf_counter(), {kind: {} for kind in cfg.cells}

    def worker(kind):
        return lambda: memory.train_cell(cfg, kind, progress[kind], lock, lambda: channel.stopping, start)

    def publish() -> dict:
        with lock:
            return {kind: p.delta(sent[kind]) for kind, p in progress.items()}

    channel.run_side_by_side([worker(kind) for kind in cfg.cells], publish)


def start_comparison(cfg: Config, trainer: live.Trainer | None = None, owner: str = "") -> Comparison:
    """Queue the comparison as one training job; returns at once (run.job says queued or running)."""
    run = Comparison(cfg, {kind: memory.new_progress(cfg, kind) for kind in cfg.cells})
    run.job = (trainer or live.Trainer(slots=1)).submit(owner, comparison_work, (cfg,), run.apply, "memory-lab")
    return run


# ----------------------------------------------------------------------------- the sweep over lengths

@dataclass
class Sweep:
    config: Config                                   # every setting but T
    lengths: tuple[int, ...]
    runs: dict[tuple[str, int], Progress]            # every (cell, T): waiting, training or finished
    job: live.Job | None = None

    def apply(self, update: dict) -> None:
        for key, d in update.items():
            self.runs[key].apply(d)                  # a sweep keeps numbers only, no weights

    def snapshot(self) -> tuple[dict[tuple[str, int], Progress], dict[str, Progress]]:
        """(the finished (cell, T) runs, each cell's run in progress), copies safe to draw."""
        with self.job.lock:
            return ({k: p.snapshot() for k, p in self.runs.items() if p.finished},
                    {k[0]: p.snapshot() for k, p in self.runs.items() if p.status == "training" and self.job.alive})

    def fraction(self) -> float:
        """Share of all (cell, T) runs done, the ones in progress counted by their steps."""
        with self.job.lock:
            return min(1.0, _fraction(self.runs.values()))


def sweep_work(cfg: Config, lengths: tuple[int, ...], channel: live.Channel) -> None:
    """In the training process: for each cell (one thread each), a fresh model at every length in turn,
    shortest first. The gradient probe is left out: the sweep asks only which cell solves which length."""
    runs = {(kind, T): memory.new_progress(replace(cfg, T=T), kind) for kind in cfg.cells for T in lengths}
    lock, sent = threading.Lock(), {key: {} for key in runs}

    def worker(kind):
        def work() -> None:
            for T in lengths:
                if channel.stopping:
                    return
                p = runs[(kind, T)]
                memory.train_cell(replace(cfg, T=T), kind, p, lock, lambda: channel.stopping, probe=False)
                with lock:
                    p.model = None                   # a sweep keeps numbers only
        return work

    def publish() -> dict:
        with lock:
            return {key: p.delta(sent[key]) for key, p in runs.items()}

    channel.run_side_by_side([worker(kind) for kind in cfg.cells], publish)


def start_sweep(cfg: Config, trainer: live.Trainer | None = None, owner: str = "",
                lengths=memory.LENGTHS) -> Sweep:
    """Queue the sweep as one training job; returns at once."""
    lengths = tuple(sorted(set(int(T) for T in lengths)))
    runs = {(kind, T): memory.new_progress(replace(cfg, T=T), kind) for kind in cfg.cells for T in lengths}
    sweep = Sweep(cfg, lengths, runs)
    sweep.job = (trainer or live.Trainer(slots=1)).submit(owner, sweep_work, (cfg, lengths), sweep.apply,
                                                          "memory-sweep")
    return sweep


@dataclass
class SweepCell:
    """One square of the sweep's chart."""
    kind: str
    T: int
    parameters: int
    status: str                  # solved | budget | stopped | gave up | running | waiting
    solved_at: int | None
    seconds: float
    last: float                  # the mean of the last training losses
    baseline: float

    @property
    def relative(self) -> float:
        """The last loss as a share of the baseline (1: learned nothing; NaN: no finite loss)."""
        return self.last / self.baseline if math.isfinite(self.last) else math.nan


def sweep_table(cfg: Config, lengths, results: dict, current: dict) -> list[SweepCell]:
    """Every (cell, T) square, finished, running or waiting, in cell order then length order."""
    task, out = memory.TASKS[cfg.task], []
    for kind in cfg.cells:
        for T in lengths:
            p = results.get((kind, T)) or (current.get(kind) if current.get(kind) and current[kind].T == T else None)
            at = replace(cfg, T=T)
            H = memory.hidden_size(at, kind)
            if p is None:
                out.append(SweepCell(kind, T, memory.n_parameters(kind, cfg.task, H), "waiting", None, 0.0,
                                     math.nan, task.baseline(T)))
                continue
            status = "running" if not p.finished else p.status
            out.append(SweepCell(kind, T, p.parameters, status, p.solved_at, p.solved_seconds or p.seconds,
                                 p.recent(), task.baseline(T)))
    return out


def _and(items: list[str]) -> str:
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1]


def sweep_summary(cells: list[SweepCell]) -> str:
    """'LSTM solved T = 10, 20, 50 and 100; RNN solved T = 10.' over the finished squares."""
    parts = []
    for kind in dict.fromkeys(c.kind for c in cells):
        mine = [c for c in cells if c.kind == kind and c.status not in ("waiting", "running")]
        if mine:
            solved = [str(c.T) for c in mine if c.status == "solved"]
            parts.append(f"{memory.label(kind)} solved T = {_and(solved)}" if solved
                         else f"{memory.label(kind)} solved none of T = {_and([str(c.T) for c in mine])}")
    return "; ".join(parts) + "." if parts else ""
