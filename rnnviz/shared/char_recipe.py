"""The character models' recipe: an LSTM and a GRU of about the same size learn Shakespeare one character at
a time (LSTM inside, GRU vs LSTM and Text generation load them).

    python -m rnnviz.train char_lstm           # data → train → evaluate → pretrained/char_lstm.safetensors
    python -m rnnviz.train char_gru --check    # retrain in a temporary folder, compare with the manifest

Data (rnnviz.shared.shakespeare): 40 works for training, Hamlet and Macbeth held out whole. Each step reads
`batch` windows of `window` characters from random places in the training text (truncated BPTT), with
train.fit's loop. The metric is bits per character (bpc) on the held-out plays, the mean cross-entropy in
base 2: −(1/N) Σ log2 p(char_{t+1} | chars ≤ t). A model that knows nothing about the text pays log2 V ≈ 6.2
bits; one that knows only how common each character is (unigram) about 4.5; one that also knows the
previous character (bigram) about 3.3.

Reproducible: one torch.Generator seeded by the recipe draws the initial weights and the windows; the
number of threads is fixed (train.THREADS). `--check` must land within TOLERANCE_BPC of the shipped bpc.
"""
from __future__ import annotations

import collections
import functools
import math
import time
from dataclasses import asdict, dataclass, replace
from typing import Callable

import torch
from torch import nn

from rnnviz import train
from rnnviz.shared import shakespeare
from rnnviz.shared.char_model import UNKNOWN, CharModel

MIN_COUNT = 20       # characters seen fewer times in training become the unknown symbol
TOLERANCE_BPC = 0.02  # a rebuild must land within this of the manifest's validation bpc


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


RECIPE_OF = {
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


def alphabet(train_text: str) -> str:
    """UNKNOWN, then every character seen at least MIN_COUNT times in training, in code-point order."""
    counts = collections.Counter(train_text)
    return UNKNOWN + "".join(sorted(ch for ch, n in counts.items() if n >= MIN_COUNT))


def passages(val: str) -> dict[str, str]:
    out = {}
    for title, phrase in PASSAGES.items():
        at = val.index(phrase)
        start = val.rfind("\n", 0, at) + 1                      # from the start of that line
        end = val.rfind("\n", start, start + PASSAGE_CHARS) + 1  # to the end of a whole line
        out[title] = val[start:end]
    return out


def lm_loss(model: CharModel, inputs, targets):
    """Mean cross-entropy (nats) of the next-character logits: train.fit's loss_fn for a character model."""
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


def train_char(name: str, on_step: Callable | None = None, log=functools.partial(print, flush=True),
               **changes) -> tuple[CharModel, dict]:
    """Run recipe `name` (fields overridden by `changes`, e.g. steps=20 in a test); return model and entry."""
    recipe = replace(RECIPE_OF[name], **changes)
    torch.set_num_threads(train.THREADS)
    gen = torch.Generator().manual_seed(recipe.seed)
    train_text, val = shakespeare.split()
    model = CharModel(recipe.kind, alphabet(train_text), recipe.hidden_size)
    train.init_parameters(model, gen)
    train_ids, val_ids = model.encode(train_text), model.encode(val)
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
    history = train.fit(model, batch, lm_loss, recipe.steps, recipe.lr, recipe.clip, report)
    metrics = {"val_bpc": round(bits_per_char(model, val_ids), 4),
               "train_bpc": round(bits_per_char(model, train_ids[:300_000]), 4),
               **{f"{k}_bpc": round(v, 4) for k, v in ngram_bpc(train_ids, val_ids, model.vocab_size).items()}}
    minutes = (time.perf_counter() - start) / 60
    # CPU time over the thread count: the wall time this takes on 2 cores of its own (a busy machine
    # stretches the wall clock, not this).
    cpu_minutes = (time.process_time() - cpu_start) / 60 / train.THREADS
    info = {
        "arch": {"class": "CharModel", "kind": recipe.kind, "alphabet": model.alphabet,
                 "hidden_size": recipe.hidden_size},
        "task": "next-character prediction (character-level language model)",
        "data": {"source": shakespeare.SOURCE, "sha256": shakespeare.SHA256,
                 "train": f"{len(train_text):,} characters (40 works)",
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
        "threads": train.THREADS,
        "torch": torch.__version__,
        "passages": passages(val),
    }
    return model, info


def build(name: str, log=print) -> tuple[CharModel, dict]:
    """`python -m rnnviz.train NAME`: fetch the text (set-up time only), train, evaluate; the manifest entry."""
    shakespeare.fetch()
    model, info = train_char(name, log=log)
    info["check"] = {"metric": "val_bpc", "tolerance": TOLERANCE_BPC}
    return model, info


RECIPES = {name: functools.partial(build, name) for name in RECIPE_OF}
