"""The video model: a convolutional GRU (model.VideoGRU) that names a clip's motion after every frame
(many-to-one, read after every frame).

    python -m rnnviz.train video             # generate → train → evaluate → pretrained/video.safetensors
    python -m rnnviz.train video --check     # retrain in a temporary folder, compare with the manifest

Data (rnnviz.topics.video.data): generated clips, FRAMES frames of a bar moving right / left / up / down or
turning clockwise / anticlockwise; fresh clips every training step from the recipe's generator (there is no
fixed training set to memorise); validation and test clips from their own seeds, balanced (1 / 6 each).

Loss on EVERY frame: the cross-entropy of the verdict after frame t, averaged over t = 1..T. The model is
asked after every frame for the clip's motion, so its verdict after frame t is its best guess from frames
1..t, which is what the page shows; after frame 1 the best guess is 1 in 6 each (one frame cannot tell).
The held-out accuracy is the verdict after the last frame.

Baselines, on the same test clips:
- single frame: the same CNN with a read-out and no memory (model.SingleFrame), trained on single frames of
  the same kind of clips (each frame one example, labelled with its clip's motion), scored on every frame of
  the test clips; by the data's design it can only guess;
- majority: always the motion most often drawn in training.

Reproducible: one torch.Generator seeded by the recipe draws the weights and every batch; one thread; fixed
steps. `--check` must land within TOLERANCE of the shipped test accuracy.
"""
from __future__ import annotations

import collections
import math
import time
from dataclasses import asdict, dataclass, replace

import numpy as np
import torch
from torch import nn

from rnnviz import train
from rnnviz.topics.video import compute, data, recipe_gunpoint
from rnnviz.topics.video.model import SingleFrame, VideoGRU

TOLERANCE = 0.02
THREADS = 1
INIT = 0.3


@dataclass(frozen=True)
class Recipe:
    maps: int = 8                 # K: the memory's maps (GRU units per pixel)
    steps: int = 600
    batch: int = 32               # clips per step (× FRAMES frames)
    lr: float = 1e-2
    clip: float = 1.0
    baseline_maps: int = 16
    baseline_steps: int = 300     # the single-frame baseline: all one frame can tell is learnt quickly
    seed: int = 0
    test_clips: int = 1800
    val_clips: int = 600


def init(model: nn.Module, gen: torch.Generator) -> None:
    """Every weight and bias U(±INIT), drawn from our generator. torch's default for the convolutions
    (U(±1/√fan_in): ±0.33 for the frame's 3×3, ±0.12 for the memory's 8 × 3×3) left the memory's gates
    nearly linear; ±0.3 for all learnt from the first steps."""
    with torch.no_grad():
        for p in model.parameters():
            p.uniform_(-INIT, INIT, generator=gen)


@torch.inference_mode()
def probs_of(model: nn.Module, x: torch.Tensor, chunk: int = 300) -> np.ndarray:
    """(T, N, C) the verdict after every frame, for the VideoGRU (frames 1..t) or SingleFrame (frame t alone)."""
    model.eval()
    out = []
    for s in range(0, x.shape[1], chunk):
        z = model(x[:, s:s + chunk])
        out.append(torch.softmax((z[0] if isinstance(z, tuple) else z).double(), -1).numpy())
    return np.concatenate(out, 1)


def fit(recipe: Recipe, log=print) -> tuple[VideoGRU, dict]:
    torch.set_num_threads(THREADS)
    gen = torch.Generator().manual_seed(recipe.seed)
    classes = list(data.MOTIONS)
    model = VideoGRU(classes, data.SIZE, recipe.maps)
    init(model, gen)
    xv, yv = data.validation(recipe.val_clips)
    drawn = collections.Counter()
    history = []

    def batch(step):
        x, y = data.clips(recipe.batch, gen=gen)
        drawn.update(y.tolist())
        return x, y

    def loss_fn(m, x, y):
        logits, _ = m(x)                                                          # (T, B, C)
        return nn.functional.cross_entropy(logits.reshape(-1, len(classes)), y.repeat(x.shape[0]))

    def report(step, info):
        if (step + 1) % 100:
            return
        acc = float((probs_of(model, xv)[-1].argmax(1) == yv.numpy()).mean())
        history.append({"step": step + 1, "loss": round(info["loss"], 4), "val_accuracy": round(acc, 4)})
        log(f"video: step {step + 1:5d}  loss {info['loss']:.3f}  validation accuracy (last frame) {acc:.3f}")

    start, cpu_start = time.perf_counter(), time.process_time()
    train.fit(model, batch, loss_fn, recipe.steps, recipe.lr, recipe.clip, report)

    # the single-frame baseline: every frame of a clip is one example, with its clip's motion
    single = SingleFrame(classes, data.SIZE, recipe.baseline_maps)
    init(single, gen)

    def frame_batch(step):
        x, y = data.clips(recipe.batch, gen=gen)
        return x, y.repeat(x.shape[0])

    def frame_loss(m, x, y):
        return nn.functional.cross_entropy(m(x).reshape(-1, len(classes)), y)

    train.fit(single, frame_batch, frame_loss, recipe.baseline_steps, recipe.lr, recipe.clip)
    minutes = (time.perf_counter() - start) / 60
    cpu_minutes = (time.process_time() - cpu_start) / 60 / THREADS

    xt, yt = data.held_out(recipe.test_clips)
    truth = yt.numpy()
    p = probs_of(model, xt)                                                       # (T, N, C)
    q = probs_of(single, xt)
    gru = compute.scores(truth, p[-1].argmax(1), len(classes))
    by_frame = [float((p[t].argmax(1) == truth).mean()) for t in range(len(p))]
    single_by_frame = [float((q[t].argmax(1) == truth).mean()) for t in range(len(q))]
    single_all = compute.scores(np.tile(truth, len(q)), q.argmax(2).reshape(-1), len(classes))
    majority = drawn.most_common(1)[0][0]
    sure = compute.sure_from_batch(p)
    val_acc = float((probs_of(model, xv)[-1].argmax(1) == yv.numpy()).mean())
    r4 = lambda x: round(float(x), 4)                                             # noqa: E731
    metrics = {
        "test_accuracy": r4(gru["accuracy"]),
        "single_frame_accuracy": r4(single_all["accuracy"]),
        "single_frame_last_accuracy": r4(single_by_frame[-1]),
        "majority_accuracy": r4(float((truth == majority).mean())),
        "chance_accuracy": r4(1 / len(classes)),
        "val_accuracy": r4(val_acc),
        "sure_share": r4((sure > 0).mean()),
        "sure_median_frame": float(np.median(sure[sure > 0])) if (sure > 0).any() else None,
    }
    info = {
        "arch": model.arch(),
        "task": "video activity: name a clip's motion after every frame (many-to-one, read after every frame)",
        "data": {"source": data.SOURCE, "size": data.SIZE, "frames": data.FRAMES, "motions": classes,
                 "speed": list(data.SPEED), "noise": list(data.NOISE), "half_length": list(data.HALF_LENGTH),
                 "dots": data.DOTS, "sizes": {"train_clips_drawn": recipe.steps * recipe.batch,
                                              "validation": recipe.val_clips, "test": recipe.test_clips},
                 "seeds": {"validation": data.VAL_SEED, "test": data.TEST_SEED}, "majority_motion": classes[majority]},
        "hyper": asdict(recipe),
        "parameters": model.count_parameters(),
        "baseline_parameters": sum(q.numel() for q in single.parameters()),
        "metrics": metrics,
        "check": {"metric": "test_accuracy", "tolerance": TOLERANCE},
        "evaluation": {"test_support": gru["support"], "per_motion": [r4(x) for x in gru["per_motion"]],
                       "confusion": gru["confusion"], "accuracy_by_frame": [r4(x) for x in by_frame],
                       "single_frame_by_frame": [r4(x) for x in single_by_frame],
                       "single_frame_per_motion": [r4(x) for x in single_all["per_motion"]],
                       "threshold": compute.THRESHOLD,
                       "sure_from_counts": {str(k): int(v) for k, v in sorted(collections.Counter(sure.tolist()).items())}},
        "loss": "cross-entropy of the verdict after every frame, averaged over the frames",
        "history": history,
        "command": "python -m rnnviz.train video",
        "minutes": round(minutes, 2),
        "cpu_minutes_per_core": round(cpu_minutes, 2),
        "threads": THREADS,
        "torch": torch.__version__,
    }
    return model, info


def build(log=print, **changes) -> tuple[VideoGRU, dict]:
    """Train by the recipe (fields overridden by `changes`, e.g. steps=20 in a test), evaluate; return the
    model and its manifest entry. The data is generated: nothing to fetch."""
    return fit(replace(Recipe(), **changes), log=log)


RECIPES = {"video": build, "video_gunpoint": recipe_gunpoint.build}     # GunPoint: recipe_gunpoint.py
