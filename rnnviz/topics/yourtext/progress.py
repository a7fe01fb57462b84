"""What a "Your text" run has done so far, and how it crosses from the training process to the server.

The training process fills a TextProgress; every live.PUBLISH_SECONDS it sends delta(), what changed since
the last one (new curve points and checkpoints, the numbers, the weights when a checkpoint took new ones),
and the server's copy of the same progress takes it with apply() under the job's lock. Tensors cross the
pipe as numpy arrays: plain bytes, where a torch tensor would travel as shared memory the sender must keep.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import torch


@dataclass
class Checkpoint:
    step: int                    # updates done
    seconds: float               # training time so far
    train_bpc: float             # bits per character on (the end of) the training part
    val_bpc: float               # ... and on the held-out part
    sample: str                  # what it writes (measure.sample)
    grad_by_step: np.ndarray     # (window,) ‖∂L/∂h_t‖, t = 1..window, on the first held-out window


@dataclass
class TextProgress:
    status: str = "waiting"      # "waiting" | "training" | "finished" | "stopped"
    steps: int = 0
    seconds: float = 0.0
    curve: list = field(default_factory=list)        # [(step, seconds, train bpc: mean of the last CURVE_EVERY)]
    checkpoints: list = field(default_factory=list)  # [Checkpoint]
    weights: dict | None = None  # the latest checkpoint's state_dict (CPU tensors)
    weights_step: int = -1       # the step those weights are from
    optimizer: dict | None = None  # Adam's state at the end of a run (numpy arrays), for a resume
    skipped: int = 0             # steps not taken: their loss or gradient was not finite

    def best(self) -> "Checkpoint | None":
        """The checkpoint with the lowest held-out bpc. After it, a run that goes on lowering its training
        bpc while the held-out one rises is learning the text by heart (overfitting), not its language."""
        return min(self.checkpoints, key=lambda c: c.val_bpc, default=None)

    def snapshot(self) -> "TextProgress":
        """A copy the training side will not touch (take it under the run's lock)."""
        return replace(self, curve=list(self.curve), checkpoints=list(self.checkpoints),
                       weights=None if self.weights is None else dict(self.weights))

    # The training process sends delta()s; the server's copy of the same progress takes them with apply().
    def delta(self, sent: dict) -> dict:
        """What changed since `sent` (advanced here): new curve points and checkpoints, the numbers, the
        weights when a checkpoint took new ones, and the optimizer's state once a run has ended."""
        d = {name: getattr(self, name)[sent.get(name, 0):] for name in _GROWING}
        sent.update({name: len(getattr(self, name)) for name in _GROWING})
        d.update({name: getattr(self, name) for name in _CHANGING})
        if self.weights is not None and sent.get("weights_step") != self.weights_step:
            d["weights"] = {k: v.numpy() for k, v in self.weights.items()}
            sent["weights_step"] = self.weights_step
        if self.optimizer is not None and not sent.get("optimizer"):
            d["optimizer"], sent["optimizer"] = self.optimizer, True
        return d

    def apply(self, d: dict) -> None:
        for name in _GROWING:
            getattr(self, name).extend(d[name])
        for name in _CHANGING:
            setattr(self, name, d[name])
        if "weights" in d:
            self.weights = {k: torch.from_numpy(v) for k, v in d["weights"].items()}
        if "optimizer" in d:
            self.optimizer = d["optimizer"]


_GROWING = ("curve", "checkpoints")
_CHANGING = ("status", "steps", "seconds", "weights_step", "skipped")


def to_numpy(obj):
    """A state_dict's tensors as numpy arrays (they cross a pipe as plain bytes), the rest as it is."""
    if isinstance(obj, torch.Tensor):
        return obj.detach().numpy().copy()
    if isinstance(obj, dict):
        return {k: to_numpy(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_numpy(v) for v in obj)
    return obj


def to_torch(obj):
    if isinstance(obj, np.ndarray):
        return torch.from_numpy(obj.copy())
    if isinstance(obj, dict):
        return {k: to_torch(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_torch(v) for v in obj)
    return obj
