"""Your series, learned live: a small GRU forecaster (forecast/model.py's Forecaster) trains on the student's
series for a few seconds in a background process (rnnviz/shared/live.py), and the page watches it learn.

    run = start(SeriesConfig(hidden=32, seconds=20), data, trainer, owner)   # returns at once
    view = run.snapshot()             # SeriesProgress: the loss curve, the held-out checks, the status
    model = run.model()               # the weights of the latest check, as a Forecaster (None before one)
    verdict = evaluate(model, data)   # held-out RMSE of the model, one step and free running, vs the baselines

What the model reads (the Forecaster's docstring has the equations): "level" mode reads the values
themselves, "difference" mode the steps x_t − x_{t−1}; either standardised with the mean μ and deviation
σ of the training part alone (the arch), so nothing of the held-out tail leaks into training. "auto"
picks difference when the training part trends (patterns.py: a straight line explains at least half its
variance), else level. When the series has a season of P steps (data.period), the model also reads where
in the season the predicted step falls, sin and cos of 2π(t + 1)/P (cfg.calendar).

Training: teacher forcing, as the Forecasting demo's recipe: random windows of cfg.window steps from the
training part, MSE on ẑ_{t+1} (standardised units) after a short burn-in, Adam, gradient clipping. Why not
train.fit: a live run ends at a time (cfg.seconds), not after a number of steps, so fit's cosine decay
over a known step count has nothing to decay over; the learning rate stays constant. Every cfg.check_every
seconds, and at the end, the held-out one-step RMSE (series units) is measured and the weights are kept:
the page draws both curves as they grow and can look at the model of the latest check.

Seeded by cfg.seed alone (a torch.Generator draws the initial weights and the windows): step k's weights
are the same on every machine run with one thread, only how many steps fit in the time differs.
"""
from __future__ import annotations

import math
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import torch
from torch import nn

from rnnviz import train
from rnnviz.shared import live
from rnnviz.topics.forecast.model import Forecaster
from rnnviz.topics.yourseries import patterns
from rnnviz.topics.yourseries.data import SeriesData, SeriesError
from rnnviz.topics.yourseries.progress import SeriesProgress
from rnnviz.topics.yourseries.verdict import Verdict, evaluate, held_out_rmse  # noqa: F401  (part of this API)

SIZES = (16, 32, 64)                 # the page's choices of hidden units ...
SECONDS = (10, 20, 40)               # ... and of training seconds
MODES = ("auto", "level", "difference")
MAX_HIDDEN, MAX_SECONDS = 256, 90.0  # any config beyond is refused: a training's CPU budget is 120 s (live.py)
BURN_IN = 5                          # the first steps of a window are read, not scored: the state forms there


@dataclass(frozen=True)
class SeriesConfig:
    hidden: int = 32                 # GRU units H
    seconds: float = 20.0            # wall-clock training time; the run stops itself after it
    seed: int = 0                    # initial weights and windows
    mode: str = "auto"               # "auto" | "level" | "difference" (module docstring)
    calendar: bool = True            # read the season's phase when the data has a period
    window: int = 60                 # steps per training window (truncated BPTT length), shortened for short series
    batch: int = 32                  # windows per step
    lr: float = 3e-3                 # Adam, constant
    clip: float = 1.0                # gradient-norm clipping
    check_every: float = 2.0         # seconds between held-out checks
    max_steps: int | None = None     # stop after this many steps as well (tests, scripts); None: the clock alone

    def checked(self) -> "SeriesConfig":
        """Itself, or a SeriesError naming the first setting out of range."""
        ranges = [("hidden", self.hidden, 1, MAX_HIDDEN), ("seconds", self.seconds, 0.01, MAX_SECONDS),
                  ("seed", self.seed, 0, 2 ** 63 - 1), ("window", self.window, 2, 10_000),
                  ("batch", self.batch, 1, 1024), ("lr", self.lr, 1e-6, 1.0), ("clip", self.clip, 1e-6, 1e6),
                  ("check_every", self.check_every, 0.01, 3600.0)]
        if self.max_steps is not None:
            ranges.append(("max_steps", self.max_steps, 0, 10 ** 9))
        for name, value, low, high in ranges:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            if not ok or not low <= value <= high:
                raise SeriesError(f"The setting {name} is {value!r}; it must be a number from {low:g} to {high:g}.")
        if self.mode not in MODES:
            raise SeriesError(f"The setting mode is {self.mode!r}; it must be one of {', '.join(MODES)}.")
        return self


def decide_mode(cfg: SeriesConfig, values: np.ndarray, n_train: int) -> tuple[str, str]:
    """(mode, why in plain text) for the training part values[:n_train]."""
    r2 = patterns.trend_r2(values[:n_train])
    if cfg.mode != "auto":
        return cfg.mode, f"{cfg.mode}: chosen by hand (a straight line explains {r2:.0%} of the training part's variance)."
    if r2 >= patterns.TREND_R2:
        return "difference", (f"difference: a straight line explains {r2:.0%} of the training part's variance, so "
                              "the series trends and its later values lie where training never was; the model reads "
                              "and predicts the steps from one value to the next, which stay in range.")
    return "level", (f"level: a straight line explains only {r2:.0%} of the training part's variance (the series "
                     f"does not trend: below {patterns.TREND_R2:.0%}), so the model reads the values themselves.")


def plan(cfg: SeriesConfig, values: np.ndarray, n_train: int, period: int) -> tuple[dict, str]:
    """(the Forecaster's from_arch dict, why this mode). μ and σ of what the model reads, from the training
    part alone. σ = 0 (a constant training part, or a straight line's equal steps) is read as 1: nothing to
    scale, and the mean alone then predicts it."""
    mode, why = decide_mode(cfg, values, n_train)
    probe = Forecaster("gru", 1, mode)                                 # offset 0, scale 1: encode gives g(x)
    g = probe.encode(torch.as_tensor(values[:n_train], dtype=torch.float64)).numpy()
    offset, scale = float(g.mean()), float(g.std(ddof=1)) if len(g) > 1 else 0.0
    if not (math.isfinite(scale) and scale > 0):
        scale = 1.0
    arch = {"class": "Forecaster", "kind": "gru", "hidden_size": int(cfg.hidden), "mode": mode, "transform": "none",
            "offset": offset, "scale": scale, "period": int(period) if cfg.calendar else 0, "phase0": 0}
    return arch, why


def payload_of(data: SeriesData) -> dict:
    """What the training process needs of the data (not its labels): the values, the split, the season."""
    return {"values": np.asarray(data.values, dtype=np.float64), "n_train": int(data.n_train),
            "period": int(data.period)}


def new_progress(cfg: SeriesConfig, payload: dict) -> SeriesProgress:
    arch, why = plan(cfg, payload["values"], payload["n_train"], payload["period"])
    return SeriesProgress(arch=arch, why=why)


def _train(cfg: SeriesConfig, payload: dict, p: SeriesProgress, lock, stop: Callable[[], bool],
           on_check: Callable[[SeriesProgress], None] | None = None) -> None:
    """The loop (module docstring), writing into `p` under `lock`."""
    values, n_train = payload["values"], payload["n_train"]
    gen = torch.Generator().manual_seed(int(cfg.seed))
    model = Forecaster.from_arch(p.arch)
    train.init_parameters(model, gen)
    z_all = model.encode(torch.as_tensor(values[:n_train], dtype=torch.float32))   # (n_train − first,)
    window = min(cfg.window, len(z_all) - 1)
    burn_in = min(BURN_IN, window // 4)
    params = list(model.parameters())
    opt = torch.optim.Adam(params, lr=cfg.lr)
    start = time.perf_counter()
    last_check, step = start, 0

    def check() -> None:
        model.eval()
        rmse = held_out_rmse(model, values, n_train)
        weights = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
        with lock:
            best = p.best()
            p.checks.append((step, time.perf_counter() - start, rmse))
            p.weights = weights
            if best is None or rmse < best[2]:
                p.best_weights = weights
        if on_check is not None:
            on_check(p)
        model.train()

    with lock:
        p.status = "training"
    model.train()
    while True:
        if stop():
            status = "stopped"
            break
        if time.perf_counter() - start >= cfg.seconds or (cfg.max_steps is not None and step >= cfg.max_steps):
            status = "finished"
            break
        starts = torch.randint(0, len(z_all) - window, (cfg.batch,), generator=gen)
        idx = starts[None, :] + torch.arange(window + 1)[:, None]                # (W + 1, B) positions in z_all
        z_next, _ = model(z_all[idx[:-1]], idx[:-1] + model.first)              # (W, B): ẑ_{t+1} after each z_t
        loss = nn.functional.mse_loss(z_next[burn_in:], z_all[idx[1:]][burn_in:])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        value = loss.item()
        if not math.isfinite(value):          # the weights of the last check stay: they were sane
            status = "diverged"
            break
        nn.utils.clip_grad_norm_(params, cfg.clip)
        opt.step()
        step += 1
        now = time.perf_counter()
        with lock:
            p.curve.append((step, now - start, value))
            p.steps, p.seconds = step, now - start
        if now - last_check >= cfg.check_every:
            check()
            last_check = time.perf_counter()
    if status != "diverged" and step > 0 and (not p.checks or p.checks[-1][0] != step):
        check()
    with lock:
        p.status, p.seconds = status, time.perf_counter() - start
    model.eval()


def train_here(cfg: SeriesConfig, data: SeriesData, on_check: Callable[[SeriesProgress], None] | None = None,
               stop: Callable[[], bool] = lambda: False) -> SeriesProgress:
    """The same loop in this process and thread (scripts, tests, the bench); returns the final progress."""
    payload = payload_of(data)
    p = new_progress(cfg.checked(), payload)
    _train(cfg, payload, p, nullcontext(), stop, on_check)
    return p


def series_work(cfg: SeriesConfig, payload: dict, channel: live.Channel) -> None:
    """In the training process: the loop in a thread, what changed sent every live.PUBLISH_SECONDS."""
    p, lock, sent = new_progress(cfg, payload), threading.Lock(), {}

    def publish() -> dict:
        with lock:
            return p.delta(sent)

    channel.run_side_by_side([lambda: _train(cfg, payload, p, lock, lambda: channel.stopping)], publish)


@dataclass
class SeriesRun:
    config: SeriesConfig
    data: SeriesData
    progress: SeriesProgress
    job: live.Job | None = None
    _models: dict = field(default_factory=dict, repr=False)   # {best: (the weights dict, its Forecaster)}

    def apply(self, update: dict) -> None:
        """An update from the training process (SeriesProgress.delta); called under the job's lock."""
        self.progress.apply(update)

    def snapshot(self) -> SeriesProgress:
        """A copy to draw. Once the job has ended, a run its process never finished (stopped in the queue,
        killed at a budget, failed) reads "stopped" or "failed" rather than "waiting" or "training"."""
        with self.job.lock:
            copy = self.progress.snapshot()
            if not self.job.alive and not copy.finished:
                copy.status = "failed" if self.job.reason == live.FAILED else "stopped"
        return copy

    def model(self, best: bool = False) -> Forecaster | None:
        """The latest check's weights (best=True: those of the check with the lowest held-out RMSE) as a
        Forecaster in eval mode, rebuilt only when new weights came. None before the first check."""
        with self.job.lock:
            weights = self.progress.best_weights if best else self.progress.weights
            arch = self.progress.arch
        if weights is None:
            return None
        if self._models.get(best, (None, None))[0] is not weights:     # new weights arrive as a new dict
            model = Forecaster.from_arch(arch)
            model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()})
            self._models[best] = (weights, model.eval())
        return self._models[best][1]


def start(cfg: SeriesConfig, data: SeriesData, trainer: live.Trainer | None = None, owner: str = "") -> SeriesRun:
    """Queue the training as one job (a new job of the same owner stops the previous one); returns at once.
    Without a trainer (scripts, tests) the run gets a trainer of its own with one slot."""
    if not isinstance(data, SeriesData):
        raise SeriesError(f"Expected the series read by read_csv, got {type(data).__name__}.")
    payload = payload_of(data)
    run = SeriesRun(cfg.checked(), data, new_progress(cfg, payload))
    run.job = (trainer or live.Trainer(slots=1)).submit(owner, series_work, (cfg, payload), run.apply, "your-series")
    return run
