"""Training: one model-agnostic loop, and the recipes that rebuild every shipped model end to end.

    python -m rnnviz.train char_lstm           # data → train → evaluate → pretrained/char_lstm.safetensors
    python -m rnnviz.train char_lstm --check   # retrain into a temporary folder; compare with the manifest

`fit` is the loop: Adam, a cosine learning-rate decay, gradient clipping, and a callback after every
step (it may return False to stop). A recipe fixes everything else (data split, alphabet, model size,
steps, seed), so the same command on the same machine gives the same weights: all randomness comes
from one torch.Generator seeded by the recipe, and the number of threads is fixed.

Bits per character (bpc) is the mean cross-entropy in base 2: −(1/N) Σ log2 p(char_{t+1} | chars ≤ t).
A model that knows nothing about the text pays log2 V ≈ 6.2 bits; one that knows only how common each
character is (unigram) about 4.5; one that also knows the previous character (bigram) about 3.3.
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import functools
import math
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Callable

import torch
from torch import nn

from rnnviz import pretrained, tasks
from rnnviz.shared import shakespeare
from rnnviz.models import UNKNOWN, CharModel, TaskModel

THREADS = 2          # "trained on 2 cores": fixed, so a rerun does the same arithmetic
MIN_COUNT = 20       # characters seen fewer times in training become the unknown symbol
TOLERANCE_BPC = 0.02  # a rebuild must land within this of the manifest's validation bpc


@dataclass
class History:
    loss: list = field(default_factory=list)        # training loss per step (nats per character)
    grad_norm: list = field(default_factory=list)   # ‖∇θ L‖ before clipping, per step
    seconds: float = 0.0


def fit(model: nn.Module, batch: Callable[[int], tuple], loss_fn: Callable, steps: int, lr: float,
        clip: float = 1.0, on_step: Callable | None = None) -> History:
    """Train `model` for `steps` steps on batch(step) → (inputs, targets); returns the History."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    # cosine decay from lr to lr/10: big steps early, fine ones at the end
    schedule = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps)))
    history, start = History(), time.perf_counter()
    model.train()
    for step in range(steps):
        inputs, targets = batch(step)
        loss = loss_fn(model, inputs, targets)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        norm = nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        schedule.step()
        history.loss.append(loss.item())
        history.grad_norm.append(norm.item())
        if on_step is not None and on_step(step, {"loss": loss.item(), "grad_norm": norm.item()}) is False:
            break
    history.seconds = time.perf_counter() - start
    model.eval()
    return history


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


# ----------------------------------------------------------------------------- character models

@dataclass(frozen=True)
class CharRecipe:
    kind: str            # "lstm" | "gru"
    hidden_size: int     # chosen so the LSTM and the GRU have about the same number of parameters
    steps: int = 3000
    batch: int = 64      # independent windows per step
    window: int = 100    # characters per window (truncated BPTT length)
    lr: float = 3e-3
    clip: float = 1.0
    seed: int = 0


RECIPES = {
    # LSTM: 4·H·(V+H+2) + (H+1)·V parameters; GRU: 3·H·(V+H+2) + (H+1)·V. H=296 ≈ the LSTM's 256.
    "char_lstm": CharRecipe(kind="lstm", hidden_size=256),
    "char_gru": CharRecipe(kind="gru", hidden_size=296),
}

# Passages for the lessons, found by a phrase in the held-out plays: text the models never trained on.
PASSAGES = {
    "Hamlet: the opening watch": "Scene I. Elsinore. A platform",
    "Hamlet: To be, or not to be": "Ham.\nTo be, or not to be",
    "Macbeth: To-morrow, and to-morrow": "MACBETH.\nShe should have died hereafter",
    "Macbeth: the witches": "SCENE I. An open Place. Thunder",
}
PASSAGE_CHARS = 420


def alphabet(train: str) -> str:
    """UNKNOWN, then every character seen at least MIN_COUNT times in training, in code-point order."""
    counts = collections.Counter(train)
    return UNKNOWN + "".join(sorted(ch for ch, n in counts.items() if n >= MIN_COUNT))


def passages(val: str) -> dict[str, str]:
    out = {}
    for title, phrase in PASSAGES.items():
        at = val.index(phrase)
        start = val.rfind("\n", 0, at) + 1                      # from the start of that line
        end = val.rfind("\n", start, start + PASSAGE_CHARS) + 1  # to the end of a whole line
        out[title] = val[start:end]
    return out


def _lm_loss(model: CharModel, inputs, targets):
    logits, _ = model(inputs)
    return nn.functional.cross_entropy(logits.reshape(-1, model.vocab_size), targets.reshape(-1))


@torch.no_grad()
def bits_per_char(model: CharModel, ids: torch.Tensor, streams: int = 16, chunk: int = 250) -> float:
    """Validation bpc, reading `ids` as `streams` contiguous pieces with the state carried along."""
    n = (len(ids) - 1) // streams
    x = ids[: n * streams].view(streams, n).t()                  # (n, streams)
    y = ids[1: n * streams + 1].view(streams, n).t()
    total, state = 0.0, None
    for s in range(0, n, chunk):
        logits, state = model(x[s:s + chunk], state)
        total += nn.functional.cross_entropy(logits.reshape(-1, model.vocab_size),
                                             y[s:s + chunk].reshape(-1), reduction="sum").item()
    return total / (n * streams) / math.log(2)


def ngram_bpc(train_ids: torch.Tensor, val_ids: torch.Tensor, vocab: int) -> dict[str, float]:
    """Unigram and bigram baselines: counts from training (add-one smoothing), bits on validation."""
    uni = torch.bincount(train_ids, minlength=vocab).double() + 1
    p_uni = uni / uni.sum()
    unigram = -torch.log2(p_uni[val_ids[1:]]).mean().item()
    pairs = torch.bincount(train_ids[:-1] * vocab + train_ids[1:], minlength=vocab * vocab)
    big = pairs.double().view(vocab, vocab) + 1
    p_big = big / big.sum(1, keepdim=True)                        # p(next | previous)
    bigram = -torch.log2(p_big[val_ids[:-1], val_ids[1:]]).mean().item()
    return {"uniform": math.log2(vocab), "unigram": unigram, "bigram": bigram}


def init_parameters(model: nn.Module, gen: torch.Generator) -> None:
    """torch.nn's default init, U(−1/√H, 1/√H), drawn from our own generator (never the global seed)."""
    bound = 1 / math.sqrt(model.hidden_size)
    with torch.no_grad():
        for p in model.parameters():
            p.uniform_(-bound, bound, generator=gen)


def train_char(name: str, on_step: Callable | None = None, log=functools.partial(print, flush=True),
               **changes) -> tuple[CharModel, dict]:
    """Run recipe `name` (fields overridden by `changes`, e.g. steps=20 in a test); return model and entry."""
    recipe = replace(RECIPES[name], **changes)
    torch.set_num_threads(THREADS)
    gen = torch.Generator().manual_seed(recipe.seed)
    train, val = shakespeare.split()
    model = CharModel(recipe.kind, alphabet(train), recipe.hidden_size)
    init_parameters(model, gen)
    train_ids, val_ids = model.encode(train), model.encode(val)
    width = recipe.window + 1

    def batch(step):
        starts = torch.randint(0, len(train_ids) - width, (recipe.batch,), generator=gen)
        windows = torch.stack([train_ids[s:s + width] for s in starts.tolist()], 1)  # (W+1, B)
        return windows[:-1], windows[1:]

    def report(step, info):
        if step % 250 == 0 or step == recipe.steps - 1:
            log(f"{name}: step {step:5d}  loss {info['loss'] / math.log(2):.3f} bpc  "
                f"‖g‖ {info['grad_norm']:.2f}")
        return on_step(step, info) if on_step is not None else None

    start, cpu_start = time.perf_counter(), time.process_time()
    history = fit(model, batch, _lm_loss, recipe.steps, recipe.lr, recipe.clip, report)
    metrics = {"val_bpc": round(bits_per_char(model, val_ids), 4),
               "train_bpc": round(bits_per_char(model, train_ids[:300_000]), 4),
               **{f"{k}_bpc": round(v, 4) for k, v in ngram_bpc(train_ids, val_ids, model.vocab_size).items()}}
    minutes = (time.perf_counter() - start) / 60
    # CPU time over the thread count: the wall time this takes on 2 cores of its own (a busy machine
    # stretches the wall clock, not this).
    cpu_minutes = (time.process_time() - cpu_start) / 60 / THREADS
    info = {
        "arch": {"class": "CharModel", "kind": recipe.kind, "alphabet": model.alphabet,
                 "hidden_size": recipe.hidden_size},
        "task": "next-character prediction (character-level language model)",
        "data": {"source": shakespeare.SOURCE, "sha256": shakespeare.SHA256,
                 "train": f"{len(train):,} characters (40 works)",
                 "validation": f"{len(val):,} characters: {', '.join(shakespeare.VALIDATION)} (held out whole)",
                 "unknown_in_train": int((train_ids == 0).sum())},
        "hyper": asdict(recipe),
        "parameters": model.count_parameters(),
        "metrics": metrics,
        "tolerance_bpc": TOLERANCE_BPC,
        "final_train_loss_bpc": round(sum(history.loss[-100:]) / len(history.loss[-100:]) / math.log(2), 4),
        "command": f"python -m rnnviz.train {name}",
        "minutes": round(minutes, 2),
        "cpu_minutes_per_core": round(cpu_minutes, 2),
        "threads": THREADS,
        "torch": torch.__version__,
        "passages": passages(val),
    }
    return model, info


@contextlib.contextmanager
def seeded_dropout(seed: int):
    """nn.Dropout takes no generator: it draws from torch's global one. A training command forks that
    global state, seeds it, and restores it on the way out, so the run's dropout masks are reproducible
    and nothing outside the run sees the seed (the app itself never trains with dropout)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def recipe_modules() -> dict[str, object]:
    """{model name: module} for the topics' recipes (rnnviz/topics/*/recipe.py). Each module has
    RECIPES = {name: build(log) -> (model, info)}; `info` is the manifest entry without file and sha256,
    with info["check"] = {"metric": key in info["metrics"], "tolerance": float}: how close a rebuild
    must land (`--check`)."""
    from rnnviz import topics

    out = {}
    for module in topics.submodules("recipe").values():
        out.update({name: module for name in getattr(module, "RECIPES", {})})
    return out


def _char_recipe(name: str, log) -> tuple[nn.Module, dict]:
    shakespeare.fetch()
    model, info = train_char(name, log=log)
    info["check"] = {"metric": "val_bpc", "tolerance": TOLERANCE_BPC}
    return model, info


def all_recipes() -> dict[str, Callable]:
    """{model name: build(log) -> (model, info)}: every model `python -m rnnviz.train NAME` can rebuild."""
    out = {name: functools.partial(_char_recipe, name) for name in RECIPES}
    for name, module in recipe_modules().items():
        out[name] = module.RECIPES[name]
    return out


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
        shipped = pretrained.meta(args.name)["metrics"][metric]
        with tempfile.TemporaryDirectory() as tmp:
            pretrained.save(args.name, model, info, root=tmp)
        gap = abs(m[metric] - shipped)
        ok = gap <= tolerance
        print(f"check: rebuilt {metric} {m[metric]:.4f} vs shipped {shipped:.4f}, |Δ| = {gap:.4f} "
              f"({'within' if ok else 'OUTSIDE'} the tolerance {tolerance})")
        return 0 if ok else 1
    entry = pretrained.save(args.name, model, info)
    print(f"wrote pretrained/{entry['file']} ({entry['bytes']:,} bytes, sha256 {entry['sha256'][:12]}…)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
