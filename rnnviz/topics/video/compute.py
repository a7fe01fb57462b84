"""The video activity demo's computations: a clip composed from the page's settings, the GRU's verdict after
every frame, and the frame from which it is sure.

    clip = data.compose("right", speed=1.0, noise=0.1, frames=12, seed=0)    # (T, S, S)
    r = watch(model, clip)              # Watch: probs (T, C) after every frame, leaders, sure_from
    sure_from(probs, THRESHOLD)         # the first frame from which one motion stays at ≥ 90 % to the end

Shape legend: T frames, B clips, S pixels a side, C motions. Arrays are numpy float64.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from rnnviz.topics.video import data, gunpoint

THRESHOLD = 0.9                 # "sure": the leading motion's probability at least this, to the clip's end
MAX_FRAMES = 24                 # the longest clip the page composes (the model trained on data.FRAMES)
MIN_FRAMES = 1
SPEED_MAX, NOISE_MAX = 3.0, 0.8
MAX_SEED = 9999
GUNPOINT_TEST = 150             # GunPoint's test clips: the page picks one by number


@dataclass(frozen=True)
class Settings:
    """A clip as the page composes it, every value checked and clamped (messages() says what changed)."""
    motion: str
    speed: float
    noise: float
    frames: int
    seed: int
    notes: tuple[str, ...] = ()

    def messages(self) -> list[str]:
        return list(self.notes)


def settings(motion: str, speed, noise, frames, seed) -> Settings:
    """The page's values made safe: an unknown motion becomes the first, numbers that are not finite become
    the defaults, the rest is clamped to the page's ranges; each change noted in plain words."""
    notes = []
    if motion not in data.MOTIONS:
        notes.append(f"“{motion}” is not one of the motions ({', '.join(data.MOTIONS)}): showing {data.MOTIONS[0]}.")
        motion = data.MOTIONS[0]

    def number(name, value, lo, hi, default, whole=False):
        try:
            x = float(value)
        except (TypeError, ValueError):
            x = math.nan
        if not math.isfinite(x):
            notes.append(f"The {name} must be a number: using {default}.")
            return default
        y = min(max(x, lo), hi)
        y = int(round(y)) if whole else y
        if y != x:
            notes.append(f"The {name} goes from {lo} to {hi}: using {y}.")
        return y

    return Settings(motion, number("speed", speed, 0.0, SPEED_MAX, 1.0), number("noise", noise, 0.0, NOISE_MAX, 0.1),
                    number("number of frames", frames, MIN_FRAMES, MAX_FRAMES, 12, whole=True),
                    number("clip number", seed, 0, MAX_SEED, 0, whole=True), tuple(notes))


def sure_from(probs: np.ndarray, threshold: float = THRESHOLD) -> int | None:
    """The first frame t (1-based) from which the same motion leads with p ≥ threshold at every frame to
    the end, or None when the last frame is not that sure. probs: (T, C)."""
    lead = probs.argmax(1)
    ok = probs.max(1) >= threshold
    if not ok[-1]:
        return None
    t = len(probs) - 1
    while t > 0 and ok[t - 1] and lead[t - 1] == lead[-1]:
        t -= 1
    return t + 1


def sure_from_batch(probs: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """sure_from for every clip of probs (T, B, C): (B,) frames, 0 where never sure at the end."""
    return np.array([sure_from(probs[:, b]) or 0 for b in range(probs.shape[1])])


@torch.inference_mode()
def model_steps(model, clips: torch.Tensor) -> np.ndarray:
    """The verdict after every frame, softmax(logits_t): clips (T, B, S, S) → (T, B, C), or (T, S, S) → (T, C);
    GunPoint's series (T, B) → (T, B, C)."""
    one = clips.dim() == 3
    logits, _ = model(clips[:, None] if one else clips)                          # (T, B, C)
    p = torch.softmax(logits.double(), -1).numpy()
    return p[:, 0] if one else p


class Verdicts:
    """What a model made of one clip, after every frame: needs probs (T, C), classes and truth."""
    probs: np.ndarray
    classes: tuple[str, ...]

    @property
    def leaders(self) -> list[str]:
        return [self.classes[i] for i in self.probs.argmax(1)]

    @property
    def final(self) -> tuple[str, float]:
        k = int(self.probs[-1].argmax())
        return self.classes[k], float(self.probs[-1, k])

    @property
    def sure(self) -> int | None:
        return sure_from(self.probs)

    @property
    def right(self) -> bool:
        return self.final[0] == self.truth


@dataclass(frozen=True)
class Watch(Verdicts):
    """A generated clip and the model's verdict after each of its frames."""
    settings: Settings
    clip: np.ndarray             # (T, S, S) the frames, in [0, 1]
    probs: np.ndarray            # (T, C) p(motion | frames 1..t)
    classes: tuple[str, ...]

    @property
    def truth(self) -> str:
        return self.settings.motion


@dataclass(frozen=True)
class SeriesWatch(Verdicts):
    """A GunPoint test clip (the hand's X position per frame) and the model's verdict after each frame."""
    index: int
    values: np.ndarray           # (T,) the tracked position, standardised
    probs: np.ndarray            # (T, C)
    classes: tuple[str, ...]
    truth: str


def watch_series(model, index: int) -> SeriesWatch:
    """GunPoint's test clip `index` (0-based, clamped by the page) read by its model, frame by frame."""
    x, y = gunpoint.split("test")
    values = np.array(x[index], dtype=np.float64)
    probs = model_steps(model, torch.tensor(x[index:index + 1]).T)[:, 0]                 # (T, C)
    return SeriesWatch(index, values, probs, tuple(model.classes), gunpoint.CLASSES[int(y[index])])


def watch(model, s: Settings) -> Watch:
    """Compose the clip of `s` and read it with the model, frame by frame."""
    clip = data.compose(s.motion, s.speed, s.noise, s.frames, s.seed)              # (T, S, S)
    return Watch(s, clip.numpy().astype(np.float64), model_steps(model, clip), tuple(model.classes))


@torch.inference_mode()
def memory(model, clip: np.ndarray) -> np.ndarray:
    """The convolutional GRU's memory h_t after every frame of one clip (T, S, S): (T, K, S, S), in (−1, 1)."""
    _, hs = model(torch.tensor(np.array(clip), dtype=torch.float32)[:, None])               # (T, 1, K, S, S)
    return hs[:, 0].double().numpy()


def scores(truth: np.ndarray, guess: np.ndarray, n_classes: int) -> dict:
    """Accuracy, per-motion accuracy and the confusion matrix (row: the true motion, column: the guess)."""
    m = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(m, (np.asarray(truth), np.asarray(guess)), 1)
    support = m.sum(1)
    return {"accuracy": float(np.trace(m) / max(m.sum(), 1)),
            "per_motion": [float(x) for x in np.diag(m) / np.maximum(support, 1)],
            "confusion": m.tolist(), "support": support.tolist()}
