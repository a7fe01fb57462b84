"""The Memory lab's live runs: a comparison of the chosen cells at one length, and a sweep over lengths.

Both train in background threads (live.Job), one thread per cell, so the cells advance side by side on
the machine's cores while the page redraws from snapshots taken under the job's lock. Measured at the
defaults (bench/bench_memory.py, seeds 0-2, 2 cores): side by side the LSTM reached the line after
5.8-6.6 s and the whole comparison took 6.1 s (median); the LSTM alone needs 3.2-4.8 s, but one cell
after another the class would wait for all three in turn, about 12 s, and see one curve at a time.

    run = start_comparison(memory.Config())        # returns at once; run.job trains
    view = run.snapshot()                           # {cell: Progress}, copies safe to draw
    sweep = start_sweep(memory.Config(), (10, 20, 50, 100))
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from rnnviz.lessons import live, memory, memory_inside
from rnnviz.lessons.memory import Config, Progress


@dataclass
class Comparison:
    config: Config
    progress: dict[str, Progress]
    job: live.Job
    inside: memory_inside.Inside | None = None      # the look inside the trained LSTM, once asked for

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
            return {k: p.snapshot() for k, p in self.progress.items()}

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


def _fraction(progress) -> float:
    progress = list(progress)
    return sum(1.0 if p.finished else p.steps / p.budget for p in progress) / max(len(progress), 1)


def start_comparison(cfg: Config) -> Comparison:
    """Train every cell of cfg.cells at once, one thread each; returns while they train."""
    progress = {kind: memory.new_progress(cfg, kind) for kind in cfg.cells}

    def worker(kind):
        def work(job: live.Job) -> None:
            memory.train_cell(cfg, kind, progress[kind], job.lock, lambda: job.stopping, job.started)
        return work

    job = live.Job([worker(kind) for kind in cfg.cells], name="memory-lab")
    return Comparison(cfg, progress, job.start())


# ----------------------------------------------------------------------------- the sweep over lengths

@dataclass
class Sweep:
    config: Config                                   # every setting but T
    lengths: tuple[int, ...]
    job: live.Job
    results: dict[tuple[str, int], Progress] = field(default_factory=dict)   # finished (cell, T) runs
    current: dict[str, Progress] = field(default_factory=dict)               # each cell's run in progress

    def snapshot(self) -> tuple[dict[tuple[str, int], Progress], dict[str, Progress]]:
        with self.job.lock:
            return ({k: p.snapshot() for k, p in self.results.items()},
                    {k: p.snapshot() for k, p in self.current.items()})

    def fraction(self) -> float:
        """Share of all (cell, T) runs done, the ones in progress counted by their steps."""
        with self.job.lock:
            total = len(self.config.cells) * len(self.lengths)
            partial = sum(0.0 if p.finished else p.steps / p.budget for p in self.current.values())
            return min(1.0, (len(self.results) + partial) / total)


def start_sweep(cfg: Config, lengths=memory.LENGTHS) -> Sweep:
    """For each cell (one thread each), train a fresh model at every length in turn, shortest first.
    The gradient probe is left out: the sweep asks only which cell solves which length, and when."""
    lengths = tuple(sorted(set(int(T) for T in lengths)))

    def worker(kind):
        def work(job: live.Job) -> None:
            for T in lengths:
                if job.stopping:
                    return
                at = replace(cfg, T=T)
                p = memory.new_progress(at, kind)
                with job.lock:
                    sweep.current[kind] = p
                memory.train_cell(at, kind, p, job.lock, lambda: job.stopping, probe=False)
                with job.lock:
                    p.model = None                   # a sweep keeps numbers only
                    sweep.results[(kind, T)] = p
                    del sweep.current[kind]
        return work

    sweep = Sweep(cfg, lengths, live.Job([worker(kind) for kind in cfg.cells], name="memory-sweep"))
    sweep.job.start()
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
            parts.append(f"{kind.upper()} solved T = {_and(solved)}" if solved
                         else f"{kind.upper()} solved none of T = {_and([str(c.T) for c in mine])}")
    return "; ".join(parts) + "." if parts else ""
