"""Your text, live: a character model learns a student's text in a training process, checkpoint by checkpoint.

    run = start(TextConfig(cell="lstm", hidden=128, seconds=30), data, trainer, owner)   # returns at once
    view = run.snapshot()          # TextProgress: the curve, the checkpoints (bpc, a sample, ‖∂L/∂h_t‖)
    model = run.model()            # the latest checkpoint's weights as a CharModel (eval mode), or None
    more = start(cfg, data, trainer, owner, resume=run)    # go on from where `run` ended

The loop (`_train`) is the one code path: text_work runs it in the training process (rnnviz.shared.live:
one thread, lowest priority, bounded) and sends what changed a few times a second; train_here runs it in
this process (the bench and the tests).

Each step: `batch` windows of `window` + 1 characters from random places in the training part (truncated
backpropagation through time: the gradient flows back at most `window` steps), the mean cross-entropy of
every next-character prediction, one backward pass, the gradient norm clipped to `clip` (a rare huge
gradient then moves the weights no more than a normal one), and one Adam step at a constant learning rate
(a run is cut by the clock, so there is no known end for a schedule to decay towards). Step k's windows
come from a generator seeded by (seed, k): a resumed run draws exactly what an unbroken run would.

Every `checkpoint_seconds` (and before the first step and at the end) the run measures the model
(measure.py): held-out and training bpc, a sample, ‖∂L/∂h_t‖ on a held-out window; and keeps its weights.

Measured (bench/bench_yourtext.py, an LSTM of 128 units on the first 100 kB of Shakespeare, in a training
process, one thread, 12.9 ms a step): held-out 3.31 bpc at 3 s, already below the text's bigram (3.56);
its best, 2.41, from 24 to 36 s; then the held-out bpc rises again (2.60 at 60 s) while the training bpc
goes on falling (1.53): 90 kB read a hundred times over is being learned by heart. TextProgress.best()
names the checkpoint where that turn came.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import torch
from torch import nn

from rnnviz import train
from rnnviz.shared import live
from rnnviz.shared.char_model import CharModel
from rnnviz.shared.char_recipe import lm_loss
from rnnviz.topics.yourtext import measure
from rnnviz.topics.yourtext.data import MIN_HELD_OUT, TextData
from rnnviz.topics.yourtext.progress import Checkpoint, TextProgress, to_numpy, to_torch

CELLS = ("lstm", "gru", "rnn")
SIZES = (32, 64, 128, 192)
SECONDS = (15, 30, 60)
CURVE_EVERY = 10             # a point of the training curve every this many steps: their mean loss
MAX_SECONDS = 600.0          # a run's own bound (the trainer's budgets bound it too)


class ConfigError(ValueError):
    """A setting or a resume that cannot work; str() is the plain-text message."""


@dataclass(frozen=True)
class TextConfig:
    cell: str = "lstm"           # "lstm" | "gru" | "rnn" (tanh)
    hidden: int = 128            # hidden units H
    seconds: float = 30.0        # training time of this run (a resumed run: this much more)
    seed: int = 0                # the initial weights, every step's windows and the samples' dice
    lr: float = 3e-3             # Adam's learning rate (constant)
    window: int = 64             # characters per window: how far back the gradient flows (truncated BPTT)
    batch: int = 32              # windows per step
    clip: float = 1.0            # largest gradient norm
    checkpoint_seconds: float = 3.0
    max_steps: int | None = None  # stop after this many steps of this run as well (tests and the bench)

    def __post_init__(self):
        if self.cell not in CELLS:
            raise ConfigError(f"The cell must be one of {', '.join(CELLS)}; got {self.cell!r}.")
        if not 1 <= self.hidden <= 1024:
            raise ConfigError(f"The hidden size must be 1 to 1,024 units; got {self.hidden}.")
        if not 0 < self.seconds <= MAX_SECONDS:
            raise ConfigError(f"The training time must be above 0 and at most {MAX_SECONDS:.0f} s; got {self.seconds}.")
        if not 2 <= self.window < MIN_HELD_OUT:     # every text holds a held-out window of this length
            raise ConfigError(f"The window must be 2 to {MIN_HELD_OUT - 1} characters; got {self.window}.")
        if not (self.batch >= 1 and self.lr > 0 and self.clip > 0 and self.checkpoint_seconds > 0):
            raise ConfigError("The batch, learning rate, clipping norm and checkpoint interval must be positive.")


@dataclass
class TextRun:
    config: TextConfig
    data: TextData
    progress: TextProgress
    job: live.Job | None = None
    _model: CharModel | None = field(default=None, repr=False)
    _model_step: int = field(default=-1, repr=False)

    def apply(self, update: dict) -> None:
        """An update from the training process; live calls it under job.lock."""
        self.progress.apply(update)

    def snapshot(self) -> TextProgress:
        """A copy safe to draw; once the job has ended, a run it never finished reads "stopped"."""
        with self.job.lock:
            copy = self.progress.snapshot()
            if not self.job.alive and copy.status in ("waiting", "training"):
                copy.status = "stopped"
        return copy

    def model(self) -> CharModel | None:
        """The latest checkpoint's weights in a CharModel (eval mode); built once per checkpoint."""
        with self.job.lock:
            weights, step = self.progress.weights, self.progress.weights_step
        if weights is None:
            return None
        if self._model is None or self._model_step != step:
            model = char_model(self.config.cell, self.data.alphabet, self.config.hidden)
            model.load_state_dict(weights)
            self._model, self._model_step = model.eval(), step
        return self._model


def start(cfg: TextConfig, data: TextData, trainer: live.Trainer | None = None, owner: str = "",
          resume: TextRun | None = None) -> TextRun:
    """Queue a training of `data` as one job; returns at once (run.job: queued or running). With `resume`,
    it goes on from that run's last weights and Adam state, its steps and curve continuing."""
    before = None
    if resume is not None:
        _check_resume(cfg, data, resume.config, resume.data)
        if resume.job is not None and resume.job.alive:
            raise ConfigError("The run to continue is still training: wait for it to end, or stop it first.")
        before = resume.snapshot()
        if before.weights is None:
            raise ConfigError("The run to continue has no weights yet (it never reached its first checkpoint): "
                              "start a new run instead.")
    payload = _payload(data, before)
    run = TextRun(cfg, data, _initial(payload, before))
    run.job = (trainer or live.Trainer(slots=1)).submit(owner, text_work, (cfg, payload), run.apply, "your-text")
    return run


def text_work(cfg: TextConfig, payload: dict, channel: live.Channel) -> None:
    """In the training process: the loop, sending what changed every live.PUBLISH_SECONDS and at the end."""
    progress, sent = _initial(payload, None), {}
    _train(cfg, payload, progress, lambda: channel.stopping, lambda: channel.send(progress.delta(sent)))


def train_here(cfg: TextConfig, data: TextData, on_checkpoint: Callable[[Checkpoint], object] | None = None,
               stop: Callable[[], bool] = lambda: False, resume: TextProgress | None = None) -> TextProgress:
    """The same loop in this process (its thread settings as they are); returns the whole progress."""
    payload = _payload(data, resume)
    progress = _initial(payload, resume)
    return _train(cfg, payload, progress, stop, lambda: None, on_checkpoint)


# ----------------------------------------------------------------------------- the loop


def batch(cfg: TextConfig, train_ids: torch.Tensor, step: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Step `step`'s windows: (inputs, targets), each (window, batch) long, targets one character later."""
    gen = torch.Generator().manual_seed(int(cfg.seed) * 1_000_003 + step)
    starts = torch.randint(0, len(train_ids) - cfg.window, (cfg.batch,), generator=gen)       # (B,)
    windows = train_ids[starts[None, :] + torch.arange(cfg.window + 1)[:, None]]              # (W+1, B)
    return windows[:-1], windows[1:]


def char_model(kind: str, alphabet: str, hidden: int) -> CharModel:
    """A CharModel of any of CELLS (the vanilla RNN: tanh)."""
    return CharModel(kind, alphabet, hidden)


def new_model(cfg: TextConfig, alphabet: str) -> CharModel:
    """torch's default init, U(−1/√H, 1/√H), from a generator seeded by cfg.seed."""
    model = char_model(cfg.cell, alphabet, cfg.hidden)
    train.init_parameters(model, torch.Generator().manual_seed(int(cfg.seed)))
    return model


def _train(cfg: TextConfig, payload: dict, progress: TextProgress, stop: Callable[[], bool],
           publish: Callable[[], None], on_checkpoint: Callable | None = None) -> TextProgress:
    ids = torch.from_numpy(payload["codes"].astype(np.int64))
    n_train = payload["n_train"]
    train_ids, val_ids = ids[:n_train], ids[n_train:]
    train_eval = train_ids[-min(len(val_ids), measure.EVAL_CHARS):]      # as much training text as held-out
    model = new_model(cfg, payload["alphabet"])
    params = list(model.parameters())
    opt = torch.optim.Adam(params, lr=cfg.lr)
    resumed = payload.get("resume")
    if resumed:
        model.load_state_dict({k: torch.from_numpy(v) for k, v in resumed["weights"].items()})
        if resumed["optimizer"] is not None:
            opt.load_state_dict(to_torch(resumed["optimizer"]))
            for group in opt.param_groups:                     # this run's learning rate, not the last one's
                group["lr"] = cfg.lr

    first, offset, recent = progress.steps, progress.seconds, []
    clock = time.perf_counter()
    last_publish = last_checkpoint = clock

    def checkpoint(now: float) -> None:
        model.eval()
        point = Checkpoint(progress.steps, offset + now - clock, measure.bpc(model, train_eval),
                           measure.bpc(model, val_ids), measure.sample(model, cfg.seed),
                           measure.grad_by_step(model, val_ids[:cfg.window + 1]))
        model.train()
        progress.checkpoints.append(point)
        progress.weights = {k: v.detach().clone() for k, v in model.state_dict().items()}
        progress.weights_step = progress.steps
        if on_checkpoint is not None:
            on_checkpoint(point)

    progress.status = "training"
    if not resumed:
        checkpoint(clock)                                      # the untrained model: what knowing nothing writes
        publish()
    model.train()
    while True:
        now = time.perf_counter()
        if stop():
            progress.status = "stopped"
            break
        if now - clock >= cfg.seconds or (cfg.max_steps is not None and progress.steps - first >= cfg.max_steps):
            progress.status = "finished"
            break
        inputs, targets = batch(cfg, train_ids, progress.steps)
        loss = lm_loss(model, inputs, targets)                # mean cross-entropy, nats
        opt.zero_grad(set_to_none=True)
        loss.backward()
        norm = nn.utils.clip_grad_norm_(params, cfg.clip)
        value = loss.item()
        if math.isfinite(value) and math.isfinite(norm.item()):
            opt.step()
            recent.append(value)
        else:                                                  # never seen here; a step like it is not taken
            progress.skipped += 1
        progress.steps += 1
        now = time.perf_counter()
        progress.seconds = offset + now - clock
        if progress.steps % CURVE_EVERY == 0 and recent:
            progress.curve.append((progress.steps, progress.seconds, sum(recent) / len(recent) / math.log(2)))
            recent.clear()
        if now - last_checkpoint >= cfg.checkpoint_seconds:
            checkpoint(now)
            last_checkpoint = now
        if now - last_publish >= live.PUBLISH_SECONDS:
            publish()
            last_publish = now
    if progress.weights_step != progress.steps:
        checkpoint(time.perf_counter())
    progress.seconds = max(progress.seconds, offset + time.perf_counter() - clock)
    progress.optimizer = to_numpy(opt.state_dict())
    model.eval()
    publish()
    return progress


# ----------------------------------------------------------------------------- what crosses the process boundary


def _check_resume(cfg: TextConfig, data: TextData, old_cfg: TextConfig, old_data: TextData) -> None:
    if data.sha256 != old_data.sha256:
        raise ConfigError("The text has changed since that run (its fingerprint differs): a model can only go "
                          "on learning the text it started with. Start a new run for the new text.")
    if (cfg.cell, cfg.hidden) != (old_cfg.cell, old_cfg.hidden):
        raise ConfigError(f"That run trained a {old_cfg.cell.upper()} of {old_cfg.hidden} units; going on needs "
                          f"the same cell and size (asked: {cfg.cell.upper()} of {cfg.hidden}). Start a new run "
                          "to change them.")


def _payload(data: TextData, before: TextProgress | None) -> dict:
    """What the training process needs, small and picklable: the text as uint8 ids (V ≤ 201), the split,
    the alphabet, and for a resume the weights and Adam's state as numpy arrays."""
    payload = {"codes": data.codes, "n_train": data.n_train, "alphabet": data.alphabet, "sha256": data.sha256}
    if before is not None:
        # from the last checkpoint: its weights, and the steps that made them (all of them, unless the
        # process was killed between its last checkpoint and its end; then no Adam state either)
        payload["resume"] = {"weights": {k: v.numpy() for k, v in before.weights.items()},
                             "optimizer": before.optimizer if before.weights_step == before.steps else None,
                             "steps": before.weights_step, "seconds": before.seconds}
    return payload


def _initial(payload: dict, before: TextProgress | None) -> TextProgress:
    """The progress a run starts from: empty, or for a resume the steps and seconds so far (and, on the
    side that keeps them, the curve, checkpoints and weights before)."""
    resumed = payload.get("resume")
    if resumed is None:
        return TextProgress()
    if before is None:                         # the training process: it sends only what is new
        return TextProgress(steps=resumed["steps"], seconds=resumed["seconds"], weights_step=resumed["steps"])
    return TextProgress(steps=resumed["steps"], seconds=resumed["seconds"], curve=list(before.curve),
                        checkpoints=list(before.checkpoints), weights=before.weights,
                        weights_step=before.weights_step)
