"""Training: the one loop every model here learns with, and `python -m rnnviz.train NAME` over every recipe.

    python -m rnnviz.train char_lstm           # data → train → evaluate → pretrained/char_lstm.safetensors
    python -m rnnviz.train char_lstm --check   # retrain into a temporary folder; compare with the manifest

`fit` is the loop: Adam (AdamW when there is weight decay), a cosine learning-rate decay from lr to lr/10,
gradient-norm clipping. What differs between models comes in as three callbacks:

    batch(step)                      → (inputs, targets): step's batch, drawn from the recipe's own
                                       generator (token dropout included: drop_tokens)
    loss_fn(model, inputs, targets)  → the scalar loss
    on_step(step, info)              after each update, info = {"loss", "grad_norm"}: log, evaluate now
                                       and then, keep the best weights; returning False stops the loop

A recipe (each topic's recipe.py, and rnnviz/shared/char_recipe.py) fixes everything else (data split,
vocabulary, model size, steps, seed), so the same command on the same machine gives the same weights:
all randomness comes from generators the recipe seeds (and seeded_dropout for nn.Dropout), and the number
of threads is fixed. The Memory lab trains live with a loop of its own (topics/memory/compute.py's
train_cell says why); fit_task (below) trains a memory-task model with this one.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import math
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Callable

import torch
from torch import nn

from rnnviz import pretrained, tasks, topics
from rnnviz.tasks import TaskModel

THREADS = 2          # "trained on 2 cores": fixed, so a rerun does the same arithmetic
UNKNOWN_ID = 1       # index of <unk> in every vocabulary an embedding reads (rnnviz.shared.layers.UNK)


@dataclass
class History:
    loss: list = field(default_factory=list)        # training loss per step
    grad_norm: list = field(default_factory=list)   # ‖∇θ L‖ before clipping, per step
    seconds: float = 0.0


def cosine(steps: int) -> Callable[[int], float]:
    """The learning-rate factor at step s: 1 → 0.1 along half a cosine, big steps early, fine ones at the end."""
    return lambda s: 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps))


def fit(model: nn.Module, batch: Callable[[int], tuple], loss_fn: Callable, steps: int, lr: float,
        clip: float = 1.0, on_step: Callable | None = None, weight_decay: float = 0.0) -> History:
    """Train `model` for `steps` steps on batch(step) → (inputs, targets); returns the History.

    The model is in training mode for every step (on_step may evaluate it: the next step switches back)
    and in eval mode at the end. weight_decay > 0 uses AdamW's decoupled decay."""
    params = list(model.parameters())
    opt = (torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay) if weight_decay
           else torch.optim.Adam(params, lr=lr))
    schedule = torch.optim.lr_scheduler.LambdaLR(opt, cosine(steps))
    history, start = History(), time.perf_counter()
    for step in range(steps):
        model.train()
        inputs, targets = batch(step)
        loss = loss_fn(model, inputs, targets)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        norm = nn.utils.clip_grad_norm_(params, clip)
        opt.step()
        schedule.step()
        history.loss.append(loss.item())
        history.grad_norm.append(norm.item())
        if on_step is not None and on_step(step, {"loss": loss.item(), "grad_norm": norm.item()}) is False:
            break
    history.seconds = time.perf_counter() - start
    model.eval()
    return history


def drop_tokens(ids: torch.Tensor, share: float, gen: torch.Generator) -> torch.Tensor:
    """Token dropout: each token (never padding, index 0) becomes <unk> with probability `share`, drawn
    from `gen`, so a word or letter never seen in training is read as something met there. share = 0 draws
    nothing (the generator's sequence is left as it was)."""
    if not share:
        return ids
    drop = torch.rand(ids.shape, generator=gen) < share
    return ids.masked_fill(drop & (ids > 0), UNKNOWN_ID)


# ----------------------------------------------------------------------------- memory tasks

# task → (input size, output size, read at every step, loss): what the model sees and how it is scored.
TASK_SHAPES = {
    "adding": (2, 1, False, "mse"),                                   # y = the sum of two marked values
    "copy": (10, 9, True, "ce"),                                      # 8 symbols, blank, delimiter → 8 + blank
    "temporal_order": (len(tasks.TEMPORAL_SYMBOLS), len(tasks.TEMPORAL_CLASSES), False, "ce"),
}


def fit_task(task: str, cell: str = "lstm", seq_len: int = 50, steps: int = 600, seed: int = 0,
             on_step: Callable | None = None, hidden_size: int = 64, batch: int = 128, lr: float = 1e-2,
             clip: float = 1.0) -> History:
    """Train a fresh TaskModel (tasks.TASKS[task], cell "rnn" | "lstm" | "gru") on new batches every step.

    Everything is seeded from `seed` alone: the weights from one torch.Generator, step k's batch from
    the task's own generator seeded with (seed, k). Returns the History (loss per step: MSE for
    "adding", mean cross-entropy per prediction otherwise). The baselines to beat are in tasks.py:
    1/6 for the adding problem, log 4 for temporal order, m·log(8)/L for copy memory.
    """
    if task not in TASK_SHAPES:
        raise ValueError(f"task must be one of {sorted(TASK_SHAPES)}; got {task!r}")
    n_in, n_out, every_step, scoring = TASK_SHAPES[task]
    model = TaskModel(cell, n_in, hidden_size, n_out, every_step)
    init_parameters(model, torch.Generator().manual_seed(int(seed)))
    torch.set_flush_denormal(True)         # a vanishing RNN gradient crawls through subnormals otherwise

    def batch_at(step):
        return tasks.TASKS[task](seq_len, n=batch, seed=int(seed) * 1_000_003 + step)

    def loss_fn(m, x, y):
        out = m(x)
        if scoring == "mse":
            return nn.functional.mse_loss(out, y)
        return nn.functional.cross_entropy(out.reshape(-1, n_out), y.reshape(-1))

    return fit(model, batch_at, loss_fn, steps, lr, clip=clip, on_step=on_step)


def init_parameters(model: nn.Module, gen: torch.Generator) -> None:
    """torch.nn's default init, U(−1/√H, 1/√H), drawn from our own generator (never the global seed)."""
    bound = 1 / math.sqrt(model.hidden_size)
    with torch.no_grad():
        for p in model.parameters():
            p.uniform_(-bound, bound, generator=gen)


@contextlib.contextmanager
def seeded_dropout(seed: int):
    """nn.Dropout takes no generator: it draws from torch's global one. A training command forks that
    global state, seeds it, and restores it on the way out, so the run's dropout masks are reproducible
    and nothing outside the run sees the seed (the app itself never trains with dropout)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


# The shared recipes, besides each topic's recipe.py: the character models several topics load.
SHARED_RECIPES = ("rnnviz.shared.char_recipe",)


def recipe_modules() -> dict[str, object]:
    """{model name: module} for every recipe: the topics' (rnnviz/topics/*/recipe.py) and the shared ones.
    Each module has RECIPES = {name: build(log) -> (model, info)}; `info` is the manifest entry without
    file and sha256, with info["check"] = {"metric": key in info["metrics"], "tolerance": float}: how
    close a rebuild must land (`--check`). Found when asked: a recipe imports this module for fit."""
    modules = [*topics.submodules("recipe").values(), *map(importlib.import_module, SHARED_RECIPES)]
    return {name: module for module in modules for name in getattr(module, "RECIPES", {})}


def all_recipes() -> dict[str, Callable]:
    """{model name: build(log) -> (model, info)}: every model `python -m rnnviz.train NAME` can rebuild."""
    return {name: module.RECIPES[name] for name, module in sorted(recipe_modules().items())}


def main(argv=None) -> int:
    recipes = all_recipes()
    parser = argparse.ArgumentParser(prog="python -m rnnviz.train", description=__doc__.split("\n")[0])
    parser.add_argument("name", choices=sorted(recipes))
    parser.add_argument("--check", action="store_true",
                        help="retrain into a temporary folder and compare with the shipped manifest")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    model, info = recipes[args.name](functools.partial(print, flush=True))
    info.setdefault("minutes", round((time.perf_counter() - start) / 60, 2))
    check = info.get("check", {})
    metric, tolerance = check.get("metric"), check.get("tolerance")
    m = info["metrics"]
    print(f"{args.name}: {info.get('parameters', 0):,} parameters, {info['minutes']:.1f} min; "
          + ", ".join(f"{k} {v}" for k, v in m.items()))
    if args.check:
        meta = pretrained.meta(args.name)
        shipped = meta["metrics"][metric]
        with tempfile.TemporaryDirectory() as tmp:
            digest = pretrained.save(args.name, model, info, root=tmp)["sha256"]
        gap = abs(m[metric] - shipped)
        ok = gap <= tolerance
        print(f"check: rebuilt {metric} {m[metric]:.4f} vs shipped {shipped:.4f}, |Δ| = {gap:.4f} "
              f"({'within' if ok else 'OUTSIDE'} the tolerance {tolerance})")
        # the metric decides; identical bytes say more (same data, same arithmetic, same order of draws)
        print(f"check: sha256 {digest[:12]}… "
              + ("identical to the shipped weights" if digest == meta["sha256"] else
                 f"differs from the shipped {meta['sha256'][:12]}…"))
        if digest != meta["sha256"] and "rebuild" in meta:
            print(f"check: the manifest says why: {meta['rebuild']}")
        return 0 if ok else 1
    entry = pretrained.save(args.name, model, info)
    print(f"wrote pretrained/{entry['file']} ({entry['bytes']:,} bytes, sha256 {entry['sha256'][:12]}…)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
