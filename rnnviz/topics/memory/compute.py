"""The Memory lab: an RNN, an LSTM and a GRU trained live on a long-range memory task, side by side.

Each task (tasks.py) hides what matters far back in a long sequence of noise, so the gradient that would
teach a network to remember it must travel back through many steps. A vanilla RNN's gradient shrinks by a
factor at every step and is gone before it arrives (Bengio, Simard & Frasconi 1994); the LSTM's cell state
and the GRU's update gate give it an additive path that survives (Hochreiter & Schmidhuber 1997).

`train_cell` is the lab's loop for one cell: Adam at a constant learning rate, norm clipping, a fresh
seeded batch every step (the same batches as train.fit_task), and, every PROBE_EVERY steps, ‖∂L/∂h_t‖ for
every time step t on a fixed held-out batch, so the page can draw where the gradient dies as training
goes. A step whose loss or gradient is inf/NaN is not taken: the last good weights come back, the
learning rate halves, and the run goes on (and says so). Everything is seeded by the Config alone; the
training threads may run at any speed and the numbers stay the same.

The settings (cells, tasks, Config, sizes) are in config.py and the verdicts in verdicts.py; both are
importable from here as well.

Shape legend: L steps read (T for adding and temporal order, T + 2m for copy memory), B batch, H hidden.
"""
from __future__ import annotations

import math
import os
import time
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np
import torch
from torch import nn

from rnnviz import bptt, cells, flow, forward, tasks, train
from rnnviz.tasks import TaskModel
from rnnviz.topics.memory import modern
from rnnviz.topics.memory.config import (ALL_CELLS, CELLS, COPY_MEMORY, COPY_SYMBOLS, EXPLODED_ABOVE,  # noqa: F401
                                         GATES_PER_CELL, LENGTHS, MAP_FLOOR, MAX_RECOVERIES, OPTIMIZERS,
                                         PROBE_BATCH, PROBE_EVERY, SANE_BELOW, SOLVE_WINDOW, TASKS, Config, Task,
                                         hidden_size, label, n_parameters)
from rnnviz.topics.memory.modern import MODERN  # noqa: F401
from rnnviz.topics.memory.verdicts import first_solver, recovery_text, summary, verdict  # noqa: F401

def make_model(cfg: Config, kind: str) -> TaskModel:
    """A fresh model: torch's default init from a generator seeded by cfg.seed, then the forget-gate bias."""
    n_in, n_out, every_step, _ = train.TASK_SHAPES[cfg.task]
    model = TaskModel(kind, n_in, hidden_size(cfg, kind), n_out, every_step)
    train.init_parameters(model, torch.Generator().manual_seed(int(cfg.seed)))
    modern.prepare(model)
    if kind == "lstm":                     # gate order i, f, g, o: the forget rows are block 1
        H = model.hidden_size
        with torch.no_grad():
            model.rnn.bias_ih_l0[H:2 * H] = cfg.forget_bias
            model.rnn.bias_hh_l0[H:2 * H] = 0.0
    return model


def batch(cfg: Config, step: int, n: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Training step `step`'s batch, as train.fit_task draws it; step < 0 gives held-out batches."""
    seed = int(cfg.seed) * 1_000_003 + step if step >= 0 else 2 ** 40 + int(cfg.seed) * 1_000 - step
    kw = {"memory": COPY_MEMORY, "n_symbols": COPY_SYMBOLS} if cfg.task == "copy" else {}
    return tasks.TASKS[cfg.task](cfg.T, n=n or cfg.batch, seed=seed, **kw)


def loss_of(task: str, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """MSE for adding; the mean cross-entropy per prediction otherwise (as train.fit_task scores it)."""
    if train.TASK_SHAPES[task][3] == "mse":
        return nn.functional.mse_loss(out, y)
    return nn.functional.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))


# ----------------------------------------------------------------------------- ‖∂L/∂h_t‖ during training

def hidden_grad_norms(model: TaskModel, task: str, x: torch.Tensor, y: torch.Tensor) -> np.ndarray:
    """‖∂L/∂h_t‖ for t = 1..L of the task loss, in float64: the transparent cell with the model's weights
    runs forward (forward.py), the read-out gives ℓ_t = ∂L_t/∂h_t, and one hand-written backward pass
    (bptt.py, held to autograd by its tests) carries it back through time. The same numbers as
    flow.hidden_grad_norms(cells.from_torch(model.rnn), x, loss), at half its cost. minGRU and the selective
    layer: modern.hidden_grad_norms (their recurrence run backwards)."""
    if model.kind in MODERN:
        return modern.hidden_grad_norms(model, lambda out, target: loss_of(task, out, target), x, y)
    cell = cells.from_torch(model.rnn).double()
    with torch.inference_mode():
        trace = forward.unroll(cell, x.double())                              # (L, B, H)
    h = trace.h.clone().requires_grad_()
    head = model.head
    out = nn.functional.linear(h if model.every_step else h[-1], head.weight.double(), head.bias.double())
    (local,) = torch.autograd.grad(loss_of(task, out, y if y.dtype == torch.long else y.double()), h)
    with torch.inference_mode():
        return flow.step_norms(bptt.backward(cell, trace, local).dh.numpy())


def probe_shares(p: "Progress") -> np.ndarray:
    """(probes, L) log10 of each step's ‖∂L/∂h_t‖ as a share of the largest at that probe (0: the largest;
    MAP_FLOOR or below: floored there); NaN where a norm was 0 or not finite. What the maps draw."""
    z = np.array(p.probe, dtype=float).reshape(len(p.probe), -1)           # (probes, L)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.log10(z / np.nanmax(np.where(np.isfinite(z), z, np.nan), axis=1, keepdims=True))
    return np.where(np.isfinite(share), np.maximum(share, MAP_FLOOR), np.nan)


def gradient_reach(p: "Progress", rows: tuple[int, int]) -> list[tuple[int, float]]:
    """[(training step, log10 share)] at the first and the last probe: the median over time steps
    rows[0] … rows[1] (1-based) of probe_shares, i.e. how much of the gradient reaches the steps that
    hold what must be remembered, before and after training. [] before the first probe."""
    if not p.probe:
        return []
    share = probe_shares(p)[:, rows[0] - 1:rows[1]]
    picks = [0, len(p.probe) - 1] if len(p.probe) > 1 else [0]
    out = []
    for k in picks:
        finite = share[k][np.isfinite(share[k])]
        out.append((int(p.probe_steps[k]), float(np.median(finite)) if finite.size else math.nan))
    return out


# ----------------------------------------------------------------------------- one cell's training run

@dataclass
class Recovery:
    step: int                    # the step whose loss exploded (its update is not taken)
    value: float                 # that loss (inf/NaN, or huge), or the gradient norm if only it was inf/NaN
    what: str                    # "loss" or "gradient"
    restored: int                # the step whose weights came back: the last with a sane loss and gradient
    lr: float                    # the learning rate from then on


@dataclass
class Progress:
    """What one cell's run has done so far; its training thread appends, the page reads a snapshot."""
    kind: str
    task: str
    T: int
    hidden: int
    parameters: int
    budget: int
    status: str = "waiting"      # waiting | training | solved | budget | stopped | gave up
    loss: list = field(default_factory=list)            # per step (inf/NaN where the step exploded)
    grad_norm: list = field(default_factory=list)       # ‖∇θ L‖ before clipping, per step
    probe_steps: list = field(default_factory=list)     # the training steps probed ...
    probe: list = field(default_factory=list)           # ... and ‖∂L/∂h_t‖ there, (L,) each
    recoveries: list = field(default_factory=list)
    solved_at: int | None = None                        # the step (1-based count) that crossed the line
    solved_seconds: float | None = None
    seconds: float = 0.0         # wall clock since the run started (what the class waits for)
    cpu_seconds: float = 0.0     # this cell's own computing time
    model: TaskModel | None = None                      # the weights, once the run ends

    @property
    def steps(self) -> int:
        return len(self.loss)

    @property
    def finished(self) -> bool:
        return self.status not in ("waiting", "training")

    def recent(self) -> float:
        """The mean of the last SOLVE_WINDOW finite losses (NaN before any)."""
        good = [v for v in self.loss[-SOLVE_WINDOW:] if math.isfinite(v)]
        return sum(good) / len(good) if good else math.nan

    def snapshot(self) -> "Progress":
        """A copy whose lists the training thread will not touch again (take it under the run's lock)."""
        return replace(self, loss=list(self.loss), grad_norm=list(self.grad_norm), probe_steps=list(self.probe_steps),
                       probe=list(self.probe), recoveries=list(self.recoveries))

    # A run trains in a process of its own (live.py): there, delta() says what changed since the last
    # call; the server's copy of the same Progress takes it with apply(). The lists only ever grow.
    def delta(self, sent: dict[str, int]) -> dict:
        """The new list items since `sent` ({list name: items already sent}, advanced here) and every field
        that changes, plus the final weights once the run has ended. Take it under the run's lock."""
        d = {name: getattr(self, name)[sent.get(name, 0):] for name in _GROWING}
        sent.update({name: len(getattr(self, name)) for name in _GROWING})
        d.update({name: getattr(self, name) for name in _CHANGING})
        if self.model is not None and not sent.get("model"):
            d["weights"] = {k: v.detach().numpy().copy() for k, v in self.model.state_dict().items()}
            sent["model"] = 1
        return d

    def apply(self, d: dict, cfg: "Config | None" = None) -> None:
        """Take a delta() of the same run; with `cfg`, its final weights become a model again."""
        for name in _GROWING:
            getattr(self, name).extend(d[name])
        for name in _CHANGING:
            setattr(self, name, d[name])
        if "weights" in d and cfg is not None:
            model = make_model(replace(cfg, T=self.T), self.kind)
            model.load_state_dict({k: torch.from_numpy(v) for k, v in d["weights"].items()})
            self.model = model.eval()


_GROWING = ("loss", "grad_norm", "probe_steps", "probe", "recoveries")
_CHANGING = ("status", "solved_at", "solved_seconds", "seconds", "cpu_seconds")


def new_progress(cfg: Config, kind: str) -> Progress:
    H = hidden_size(cfg, kind)
    return Progress(kind, cfg.task, cfg.T, H, n_parameters(kind, cfg.task, H), cfg.steps)


def optimizer(cfg: Config, params, lr: float) -> torch.optim.Optimizer:
    return (torch.optim.Adam if cfg.optimizer == "adam" else torch.optim.SGD)(params, lr=lr)


def train_cell(cfg: Config, kind: str, progress: Progress | None = None, lock=None,
               should_stop: Callable[[], bool] = lambda: False, started: float | None = None,
               probe: bool = True) -> Progress:
    """Train `kind` on cfg's task until it is solved, the budget ends or should_stop() says so, writing
    each step into `progress` (under `lock`). Returns the progress, with the final model.

    An explosion (see EXPLODED_ABOVE): that step's update is not taken, the last sane weights come back,
    the learning rate halves and the optimizer starts afresh (its running averages saw the blow-up).

    Why not train.fit, the loop every shipped model uses: this one must skip an update after it has seen
    the loss and gradient, put weights back and rebuild the optimizer mid-run, measure ‖∂L/∂h_t‖ *before*
    a step, offer SGD, keep the learning rate constant (the page compares cells, not schedules) and publish
    every step under a lock for the page's live view. As callbacks of fit these would be most of fit; its
    batches and losses are drawn and scored as fit_task's are (batch, loss_of): both learn the same task."""
    p = progress or new_progress(cfg, kind)
    lock = lock or nullcontext()
    start, cpu0 = started or time.perf_counter(), time.thread_time()
    model = make_model(cfg, kind)
    params = list(model.parameters())
    good, good_step = [q.detach().clone() for q in params], 1        # the last sane weights, and their step
    lr = cfg.lr
    opt = optimizer(cfg, params, lr)
    max_norm = cfg.clip if cfg.clip > 0 else math.inf                # inf: measure the norm, never rescale
    probe_x, probe_y = batch(cfg, -1, PROBE_BATCH)
    task = TASKS[cfg.task]
    line, reference = task.solved_below(cfg.T), task.baseline(cfg.T)
    with lock:
        p.status = "training"
    model.train()
    for step in range(cfg.steps):
        if should_stop():
            with lock:
                p.status = "stopped"
            break
        norms = hidden_grad_norms(model, cfg.task, probe_x, probe_y) if probe and step % PROBE_EVERY == 0 else None
        x, y = batch(cfg, step)
        loss = loss_of(cfg.task, model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        norm = nn.utils.clip_grad_norm_(params, max_norm).item()    # the norm before clipping
        value = loss.item()
        if step == 0 and math.isfinite(value):
            reference = max(reference, value)
        bad = ("loss" if not math.isfinite(value) or value > EXPLODED_ABOVE * reference else
               "gradient" if not math.isfinite(norm) else None)
        with torch.no_grad():
            if bad is None:
                if value <= SANE_BELOW * reference:      # sane: remember these weights
                    for g, q in zip(good, params):
                        g.copy_(q)
                    good_step = step + 1
                opt.step()
            else:                                        # exploded: back to the last sane weights
                for g, q in zip(good, params):
                    q.copy_(g)
        if bad is not None:
            lr /= 2
            opt = optimizer(cfg, params, lr)
        with lock:
            p.loss.append(value)
            p.grad_norm.append(norm)
            if norms is not None:
                p.probe_steps.append(step)              # updates done before the probe
                p.probe.append(norms)
            if bad is not None:
                p.recoveries.append(Recovery(step + 1, value if bad == "loss" else norm, bad, good_step, lr))
            p.seconds = time.perf_counter() - start
            p.cpu_seconds = time.thread_time() - cpu0
            if bad is None and len(p.loss) >= SOLVE_WINDOW and p.recent() < line:
                p.solved_at, p.solved_seconds, p.status = step + 1, p.seconds, "solved"
            elif len(p.recoveries) > MAX_RECOVERIES:
                p.status = "gave up"
        if p.status in ("solved", "gave up"):
            break
    model.eval()
    with lock:
        if p.status == "training":
            p.status = "budget"
        p.model = model
        p.seconds = time.perf_counter() - start
        p.cpu_seconds = time.thread_time() - cpu0
    return p


# ----------------------------------------------------------------------------- how long a run takes

PACE_LENGTHS = (10, 50)         # a training step is timed at these lengths, and its time drawn as a line in L
PACE_REPEATS = 3                # the median of this many steps at each length, after one to warm up


@dataclass(frozen=True)
class Pace:
    """How long one of the lab's training steps takes on this machine: `fixed` + `per_step` · L seconds
    for a sequence of L steps. A recurrent layer reads its L steps one after another, so the time grows
    in proportion to L; `fixed` is what does not (the optimizer, clipping, the read-out)."""
    fixed: float
    per_step: float

    def step(self, L: int) -> float:
        return self.fixed + self.per_step * L


def measure_pace(task: str, kind: str, hidden: int, batch_size: int = 128) -> Pace:
    """Time the lab's training step (a new batch, forward, backward, clipping, Adam, and a 1/PROBE_EVERY
    share of the gradient probe) for one cell, here and now, single-threaded as a training process runs it,
    at the two PACE_LENGTHS; the line through them is the Pace. A few hundred milliseconds at most.
    Timed in this thread's own CPU time, not by the clock: on a machine busy with other work the clock
    counts the waits too, and the pace is what the step itself costs."""
    times = []
    for T in PACE_LENGTHS:
        cfg = Config(task=task, T=T, cells=(kind,), hidden=hidden, batch=batch_size)
        model = make_model(cfg, kind)
        opt = optimizer(cfg, list(model.parameters()), cfg.lr)
        probe_x, probe_y = batch(cfg, -1, PROBE_BATCH)
        L = TASKS[task].length(T)
        runs = []
        for step in range(PACE_REPEATS + 1):
            t0 = time.thread_time()
            x, y = batch(cfg, step)
            loss = loss_of(task, model(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
            opt.step()
            t1 = time.thread_time()
            hidden_grad_norms(model, task, probe_x, probe_y)
            runs.append((t1 - t0) + (time.thread_time() - t1) / PROBE_EVERY)
        times.append((L, float(np.median(runs[1:]))))
    (L1, t1), (L2, t2) = times
    per_step = max((t2 - t1) / (L2 - L1), 0.0)
    return Pace(fixed=max(t1 - per_step * L1, 0.0), per_step=per_step)     # timing noise: never below 0


@dataclass(frozen=True)
class Estimate:
    """How long a run takes if no cell is solved early: each cell's whole budget at its Pace."""
    each: dict[str, float]       # seconds each cell needs, on a core of its own
    cores: int                   # cores the cells share (they run side by side, one thread each)

    @property
    def cpu(self) -> float:
        """Computing time of all cells together (what a training's CPU budget counts)."""
        return sum(self.each.values())

    @property
    def wall(self) -> float:
        """Seconds until every cell has ended: the slowest cell, or all the work spread over the cores,
        whichever is longer (three cells on two cores share them)."""
        if not self.each:
            return 0.0
        return max(max(self.each.values()), self.cpu / max(1, min(self.cores, len(self.each))))


def cores() -> int:
    """The cores this process may run on (a training's cells share them)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                       # not Linux
        return os.cpu_count() or 1


def estimate(cfg: Config, paces: dict[str, Pace], cores: int, lengths: tuple[int, ...] | None = None) -> Estimate:
    """The run of cfg.cells (all of cfg.steps, at T = cfg.T, or at each of `lengths` in turn as the sweep
    trains them), at the measured paces, on `cores` cores."""
    task = TASKS[cfg.task]
    lengths = lengths or (cfg.T,)
    each = {k: sum(cfg.steps * paces[k].step(task.length(T)) for T in lengths) for k in cfg.cells}
    return Estimate(each, max(1, int(cores)))


