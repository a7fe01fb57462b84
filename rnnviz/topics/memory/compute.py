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
from rnnviz.topics.memory.modern import MODERN

CELLS = ("rnn", "lstm", "gru")        # the classic three, trained by default
ALL_CELLS = CELLS + MODERN           # ... and the two linear recurrences (modern.py), switched on by hand
GATES_PER_CELL = {"rnn": 1, "lstm": 4, "gru": 3}
LENGTHS = (10, 20, 50, 100)     # the sweep's T
SOLVE_WINDOW = 10               # "solved": the mean of the last 10 training losses is below the task's line
PROBE_EVERY = 10                # ‖∂L/∂h_t‖ every 10 training steps ...
PROBE_BATCH = 16                # ... on the same 16 held-out sequences (one forward, one backward: ~5 %)
MAX_RECOVERIES = 6              # explosions a run recovers from before it gives up
# An explosion: a loss or gradient that is inf/NaN, or a loss above 10× the reference (the larger of the
# first step's loss and the baseline). The weights kept for a recovery are the last whose loss was within
# 2× the reference: the weights just before a blow-up are often already thrown far off.
EXPLODED_ABOVE, SANE_BELOW = 10.0, 2.0
OPTIMIZERS = ("adam", "sgd")
COPY_MEMORY = 10                # copy memory: symbols to remember (tasks.copy_memory's m)
COPY_SYMBOLS = 8
MAP_FLOOR = -12                 # log10 of the smallest share of the gradient the maps tell apart (1e-12)


@dataclass(frozen=True)
class Task:
    name: str
    title: str
    metric: str                  # what the loss is: "MSE" or "cross-entropy"
    baseline_rule: str           # how the baseline is scored, in words
    solved_rule: str

    def length(self, T: int) -> int:
        """L, the number of steps the network reads."""
        return T + 2 * COPY_MEMORY if self.name == "copy" else T

    def baseline(self, T: int) -> float:
        """The loss of a model that remembers nothing (see tasks.py)."""
        if self.name == "adding":
            return 1 / 6                                   # always predict 1: Var(y) = 2 · 1/12
        if self.name == "copy":
            return COPY_MEMORY * math.log(COPY_SYMBOLS) / self.length(T)
        return math.log(len(tasks.TEMPORAL_CLASSES))       # a uniform guess among XX, XY, YX, YY

    def solved_below(self, T: int) -> float:
        return 0.01 if self.name == "adding" else self.baseline(T) / 10


TASKS = {
    "adding": Task("adding", "Adding problem", "MSE", "always answering 1 (the mean of the sum) scores 1/6 ≈ 0.167",
                   "MSE below 0.01 (an answer off by about 0.1 or less)"),
    "copy": Task("copy", "Copy memory", "cross-entropy",
                 "writing blanks, then guessing the 8 symbols at random, scores 10·log 8 / (T + 20)",
                 "cross-entropy below a tenth of the baseline (most symbols recalled)"),
    "temporal_order": Task("temporal_order", "Temporal order", "cross-entropy",
                           "guessing among XX, XY, YX, YY scores log 4 ≈ 1.386",
                           "cross-entropy below a tenth of the baseline (on a typical sequence the right order gets p ≈ 0.87 "
                           "or more: 4^−0.1)"),
}


@dataclass(frozen=True)
class Config:
    task: str = "adding"
    T: int = 50                  # the distance to bridge (copy memory: the delay between reading and writing)
    cells: tuple[str, ...] = CELLS
    steps: int = 800             # the step budget
    lr: float = 1e-2             # the learning rate (constant)
    optimizer: str = "adam"      # "adam" (Kingma & Ba 2015) or plain "sgd", which explosions hit hardest
    clip: float = 1.0            # clip ‖∇θ L‖ at this (Pascanu et al. 2013); 0 = off
    forget_bias: float = 0.0     # the LSTM's b_f = b_if + b_hf at the start (+1: Gers et al. 2000; Jozefowicz et al. 2015)
    seed: int = 0
    hidden: int = 64             # the LSTM's hidden units (and every cell's, unless `match`)
    batch: int = 128
    match: bool = False          # size the RNN and GRU to the LSTM's parameter count

    def __post_init__(self):
        if self.task not in TASKS:
            raise ValueError(f"task must be one of {sorted(TASKS)}; got {self.task!r}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {OPTIMIZERS}; got {self.optimizer!r}")
        if not self.cells or set(self.cells) - set(ALL_CELLS):
            raise ValueError(f"cells must be a non-empty choice of {ALL_CELLS}; got {self.cells!r}")


def label(kind: str) -> str:
    """How the page names a cell: RNN, LSTM, GRU, minGRU, Selective."""
    return modern.LABEL.get(kind, kind.upper())


def n_parameters(kind: str, task: str, hidden: int) -> int:
    """One recurrent layer, G·H·(I + H + 2) (minGRU and the selective layer: modern.layer_parameters), plus
    the read-out, (H + 1)·O."""
    n_in, n_out, _, _ = train.TASK_SHAPES[task]
    layer = (modern.layer_parameters(kind, n_in, hidden) if kind in MODERN
             else GATES_PER_CELL[kind] * hidden * (n_in + hidden + 2))
    return layer + (hidden + 1) * n_out


def hidden_size(cfg: Config, kind: str) -> int:
    """cfg.hidden, or with cfg.match the H whose parameter count is closest to the LSTM's at cfg.hidden
    (minGRU and the selective layer keep cfg.hidden: with no H×H matrix they would need dozens of times
    more units to match it)."""
    if not cfg.match or kind == "lstm" or kind in MODERN:
        return cfg.hidden
    target = n_parameters("lstm", cfg.task, cfg.hidden)
    return min(range(1, 8 * cfg.hidden), key=lambda h: abs(n_parameters(kind, cfg.task, h) - target))


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


def recovery_text(r: Recovery) -> str:
    what = f"the loss reached {r.value:.3g}" if r.what == "loss" else f"the gradient's norm was {r.value:.3g}"
    return (f"Step {r.step}: {what}. Its update was not taken; the weights of step {r.restored} came back "
            f"and the learning rate halved to {r.lr:.3g}.")


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


# ----------------------------------------------------------------------------- verdicts

def verdict(p: Progress) -> str:
    """One line a student reads: 'LSTM solved at step 430 (4.1 s)', 'RNN stayed at the baseline'."""
    name, task = label(p.kind), TASKS[p.task]
    base, last = task.baseline(p.T), p.recent()
    fixes = (f"; recovered from {len(p.recoveries)} explosion{'s' * (len(p.recoveries) > 1)}"
             if p.recoveries else "")
    if p.status == "solved":
        return f"{name} solved at step {p.solved_at} ({p.solved_seconds:.1f} s){fixes}"
    if p.status == "waiting":
        return f"{name}: waiting to start"
    if p.status == "gave up":
        return f"{name} kept exploding: stopped after {len(p.recoveries)} recoveries at step {p.steps}"
    if p.status == "stopped" and p.steps == 0:
        return f"{name} was stopped before its first step"
    if not math.isfinite(last):
        return f"{name}: no finite loss yet{fixes}"
    where = (f"ended above the baseline ({last:.3g} vs {base:.3g})" if last > 1.5 * base else
             f"stayed at the baseline ({last:.3g} vs {base:.3g})" if last > 0.7 * base else
             f"learned part of it: {last:.3g}, {last / base:.0%} of the baseline")
    if p.status == "training":
        return f"{name} at step {p.steps}: {where.replace('stayed', 'still').replace('ended', 'now')}{fixes}"
    ended = {"budget": f"after all {p.steps} steps", "stopped": f"when stopped at step {p.steps}"}[p.status]
    return f"{name} {where} {ended}{fixes}"


def summary(progress: dict[str, Progress]) -> str:
    """The lab's verdict in one sentence, solved cells first (fewest steps first)."""
    done = sorted(progress.values(), key=lambda p: (p.solved_at is None, p.solved_at or 0, ALL_CELLS.index(p.kind)))
    return "; ".join(verdict(p) for p in done) + "."


def first_solver(progress: dict[str, Progress]) -> str | None:
    """The cell that solved in the fewest steps (None if none did)."""
    solved = [p for p in progress.values() if p.solved_at is not None]
    return min(solved, key=lambda p: (p.solved_at, ALL_CELLS.index(p.kind))).kind if solved else None
