"""The GunPoint model: a GRU that reads where the hand is, frame by frame, and names the motion after every frame.

    python -m rnnviz.train video_gunpoint            # (rnnviz.topics.video.recipe lists it)
    python -m rnnviz.train video_gunpoint --check

Data (rnnviz.topics.video.gunpoint): the UCR archive's own split, 50 training clips and 150 test clips of 150
frames; no validation part (50 clips are few): a fixed number of steps, chosen once, not by the test clips.
Each step reads all 50 training clips with fresh noise (σ = NOISE) added to every frame, drawn from the
recipe's generator: the clips are few, the noise keeps the GRU from learning them by heart.

Loss on every frame, as for the generated clips: the verdict after frame t is the model's best guess from
frames 1..t. The held-out accuracy is the verdict after frame 150.

Baselines, on the same test clips:
- single frame: for each frame t, the best threshold on the hand's position at frame t alone (a decision stump
  fitted on the training clips); scored at every frame, and at the frame where it did best in training. Unlike
  the generated clips, GunPoint's single frames do tell something: the hand is lower at some moments of a gun
  draw (it goes to the holster). Real data is not designed to hide the answer.
- majority: always the motion of most training clips.
"""
from __future__ import annotations

import collections
import time
from dataclasses import asdict, dataclass, replace

import numpy as np
import torch
from torch import nn

from rnnviz import train
from rnnviz.topics.video import compute, gunpoint
from rnnviz.topics.video.model import SeriesGRU

TOLERANCE = 0.03        # 150 test clips: one clip is 0.0067
THREADS = 1


@dataclass(frozen=True)
class Recipe:
    hidden_size: int = 32
    steps: int = 800
    noise: float = 0.1
    lr: float = 1e-2
    clip: float = 1.0
    seed: int = 0


def stumps(x: np.ndarray, y: np.ndarray) -> list[tuple[float, int, float]]:
    """Per frame t, the decision stump on x[:, t] that names the most training clips right: (threshold, sign,
    training accuracy); it says class 1 when sign · (x_t − threshold) > 0."""
    out = []
    for v in x.T:
        best = (0.0, 1, -1.0)
        cuts = np.unique(v)
        cuts = np.concatenate([[cuts[0] - 1], (cuts[1:] + cuts[:-1]) / 2, [cuts[-1] + 1]])
        for thr in cuts:
            for sign in (1, -1):
                acc = float(((sign * (v - thr) > 0).astype(int) == y).mean())
                if acc > best[2]:
                    best = (float(thr), sign, acc)
        out.append(best)
    return out


def stump_accuracy(rules: list[tuple[float, int, float]], x: np.ndarray, y: np.ndarray) -> list[float]:
    return [float(((s * (x[:, t] - thr) > 0).astype(int) == y).mean()) for t, (thr, s, _) in enumerate(rules)]


@torch.inference_mode()
def probs_of(model: SeriesGRU, x: np.ndarray) -> np.ndarray:
    """(T, N, C) the verdict after every frame; x (N, T)."""
    model.eval()
    logits, _ = model(torch.as_tensor(np.array(x)).T)
    return torch.softmax(logits.double(), -1).numpy()


def fit(recipe: Recipe, log=print) -> tuple[SeriesGRU, dict]:
    torch.set_num_threads(THREADS)
    gen = torch.Generator().manual_seed(recipe.seed)
    classes = list(gunpoint.CLASSES)
    x, y = gunpoint.split("train")
    xt, yt = gunpoint.split("test")
    X, Y = torch.as_tensor(np.array(x)).T, torch.as_tensor(np.array(y))                    # (T, N), (N,)
    model = SeriesGRU(classes, recipe.hidden_size)
    train.init_parameters(model, gen)
    history = []

    def batch(step):
        return X + recipe.noise * torch.randn(X.shape, generator=gen), Y

    def loss_fn(m, inputs, targets):
        logits, _ = m(inputs)                                                              # (T, N, C)
        return nn.functional.cross_entropy(logits.reshape(-1, len(classes)), targets.repeat(inputs.shape[0]))

    def report(step, info):
        if (step + 1) % 200 == 0:
            acc = float((probs_of(model, x)[-1].argmax(1) == y).mean())
            history.append({"step": step + 1, "loss": round(info["loss"], 4), "train_accuracy": round(acc, 4)})
            log(f"video_gunpoint: step {step + 1:4d}  loss {info['loss']:.3f}  training accuracy {acc:.3f}")

    start = time.perf_counter()
    train.fit(model, batch, loss_fn, recipe.steps, recipe.lr, recipe.clip, report)
    minutes = (time.perf_counter() - start) / 60

    p = probs_of(model, xt)
    gru = compute.scores(yt, p[-1].argmax(1), len(classes))
    by_frame = [float((p[t].argmax(1) == yt).mean()) for t in range(len(p))]
    rules = stumps(x, y)
    single = stump_accuracy(rules, xt, yt)
    best_t = int(np.argmax([r[2] for r in rules]))
    majority = collections.Counter(y.tolist()).most_common(1)[0][0]
    sure = compute.sure_from_batch(p)
    r4 = lambda v: round(float(v), 4)                                                     # noqa: E731
    metrics = {"test_accuracy": r4(gru["accuracy"]),
               "single_frame_accuracy": r4(np.mean(single)),
               "single_frame_best_accuracy": r4(single[best_t]),
               "majority_accuracy": r4((yt == majority).mean()),
               "chance_accuracy": 0.5,
               "train_accuracy": r4((probs_of(model, x)[-1].argmax(1) == y).mean()),
               "sure_share": r4((sure > 0).mean())}
    info = {
        "arch": model.arch(),
        "task": "GunPoint: name the hand's motion (gun-draw or point) after every frame of its tracked X position",
        "data": {"source": gunpoint.SOURCE, "sha256": gunpoint.SHA256, "frames": gunpoint.FRAMES, "motions": classes,
                 "sizes": {"train": len(y), "test": len(yt)}, "majority_motion": classes[majority],
                 "test_counts": np.bincount(yt, minlength=len(classes)).tolist()},
        "hyper": asdict(recipe),
        "parameters": model.count_parameters(),
        "metrics": metrics,
        "check": {"metric": "test_accuracy", "tolerance": TOLERANCE},
        "evaluation": {"test_support": gru["support"], "per_motion": [r4(v) for v in gru["per_motion"]],
                       "confusion": gru["confusion"], "accuracy_by_frame": [r4(v) for v in by_frame],
                       "single_frame_by_frame": [r4(v) for v in single], "single_frame_best_frame": best_t + 1,
                       "threshold": compute.THRESHOLD,
                       "sure_from_counts": {str(k): int(v) for k, v in sorted(collections.Counter(sure.tolist()).items())}},
        "baseline": {"kind": "per frame, a decision stump on the hand's position at that frame alone, fitted on the "
                             "training clips"},
        "loss": "cross-entropy of the verdict after every frame, averaged over the frames",
        "history": history,
        "command": "python -m rnnviz.train video_gunpoint",
        "minutes": round(minutes, 2),
        "threads": THREADS,
        "torch": torch.__version__,
    }
    return model, info


def build(log=print, **changes) -> tuple[SeriesGRU, dict]:
    """Fetch the data (set-up time only), train by the recipe (fields overridden by `changes`), evaluate."""
    gunpoint.fetch()
    return fit(replace(Recipe(), **changes), log=log)
