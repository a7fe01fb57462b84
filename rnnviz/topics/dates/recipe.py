"""The date model: a character-level GRU encoder–decoder without attention that rewrites a date written in
any of the data's forms as YYYY-MM-DD.

    python -m rnnviz.train dates            # generate → train → evaluate → pretrained/dates.safetensors
    python -m rnnviz.train dates --check    # retrain in a temporary folder, compare with the manifest

Data (rnnviz.topics.dates.data): dates from 1900-01-01 to 2099-12-31. 1,000 validation and 2,000 test dates are
held out whole (a seeded split by date), so every test date is one the model never saw in any form; each
training step draws 128 training dates and a surface form for each (np.random.default_rng(seed)).

Metrics on the held-out test pairs: exact match of the whole answer, greedy and beam search (width 3), and
per-character accuracy. The baseline is stated plainly: it writes, at each of the ten positions, the
character most frequent there in the training answers ("19..-..-.." style: it knows the shape of an ISO
date and nothing about the input). It gets the dashes and the century right about half the time and
essentially never a whole date. Any output is equally frequent in the training data (each date once per
form), so "always write the most frequent output" scores no better than chance (1 in 73,049).

Reproducible: one torch.Generator draws the initial weights and the unknown-symbol dropout, one NumPy
generator the dates and forms; one thread; a fixed number of steps. `--check` must land within
TOLERANCE of the shipped greedy test exact match.
"""
from __future__ import annotations

import collections
import string
import time
from dataclasses import asdict, dataclass, replace

import numpy as np
import torch
from torch import nn

from rnnviz import train
from rnnviz.topics.dates import data as dates
from rnnviz.topics.dates.decoding import beam, encode, greedy_batch
from rnnviz.topics.dates.model import BOS, EOS, Seq2Seq
from rnnviz.shared.layers import PAD, UNK

TOLERANCE = 0.01
THREADS = 1          # tiny tensors: one thread is as fast here on the shared 2-core machine, and deterministic
TARGET = [PAD, BOS, EOS, *string.digits, "-"]


def source_symbols() -> list[str]:
    """PAD, UNK, then every character the data can write, in code-point order."""
    words = [*dates.MONTHS, *dates.WEEKDAYS, "stndrdth"]
    chars = set(string.digits + " ,./-") | {ch for w in words for ch in w + w.upper()}
    return [PAD, UNK, *sorted(chars)]


@dataclass(frozen=True)
class Recipe:
    kind: str = "gru"
    embed_size: int = 32
    hidden_size: int = 128
    steps: int = 4000
    batch: int = 128
    lr: float = 3e-3
    clip: float = 1.0
    unknown_dropout: float = 0.02   # share of input characters replaced by UNK: a character it never saw
                                    # (an emoji on the page) is then read as something it has met
    beam_width: int = 3
    seed: int = 0
    split_seed: int = dates.SPLIT_SEED


def _inputs(model: Seq2Seq, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    seqs = [model.encode_text(t) for t in texts]
    return nn.utils.rnn.pad_sequence(seqs), torch.tensor([len(s) for s in seqs])


def _targets(model: Seq2Seq, answers: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    """(y_in (K, B) = <s> y_1..y_{K-1}, y_out (K, B) = y_1..y_K </s>): every answer has ten characters."""
    y = torch.tensor([[model.target_index[ch] for ch in a] + [model.target_index[EOS]] for a in answers]).T
    bos = torch.full((1, len(answers)), model.target_index[BOS])
    return torch.cat([bos, y[:-1]]), y


def majority_answer(answers: list[str]) -> str:
    """At each of the ten positions, the character most frequent there in `answers` (ties: lowest)."""
    return "".join(min(collections.Counter(col).items(), key=lambda kv: (-kv[1], kv[0]))[0] for col in zip(*answers))


def scores(predicted: list[str], truth: list[str]) -> dict[str, float]:
    """Exact match and per-character accuracy (over the ten positions; a short answer misses the rest)."""
    exact = np.mean([p == t for p, t in zip(predicted, truth)])
    chars = np.mean([sum(a == b for a, b in zip(p, t)) / len(t) for p, t in zip(predicted, truth)])
    return {"exact": float(exact), "char": float(chars)}


def fit(recipe: Recipe, log=print) -> tuple[Seq2Seq, dict]:
    torch.set_num_threads(THREADS)
    gen, rng = torch.Generator().manual_seed(recipe.seed), np.random.default_rng(recipe.seed)
    split = dates.split(recipe.split_seed)
    model = Seq2Seq(recipe.kind, source_symbols(), TARGET, recipe.embed_size, recipe.hidden_size)
    train.init_parameters(model, gen)
    val = dates.held_out("validation", recipe.split_seed)
    history = []

    def batch(step):
        days = split.train[rng.integers(len(split.train), size=recipe.batch)]
        pairs = dates.pairs(days, rng)
        ids, lengths = _inputs(model, [p[0] for p in pairs])
        ids = train.drop_tokens(ids, recipe.unknown_dropout, gen)
        y_in, y_out = _targets(model, [p[1] for p in pairs])
        return (ids, lengths, y_in), y_out

    def loss_fn(m, inputs, y_out):
        logits = m(*inputs)                                                      # (K, B, V), teacher forcing
        return nn.functional.cross_entropy(logits.flatten(0, 1), y_out.flatten())

    def report(step, info):
        if (step + 1) % 500 == 0:
            model.eval()
            v = scores(greedy_batch(model, [p[0] for p in val]), [p[1] for p in val])
            history.append({"step": step + 1, "loss": round(info["loss"], 4), "val_exact": round(v["exact"], 4)})
            log(f"dates: step {step + 1:5d}  loss {info['loss']:.4f}  validation exact match {v['exact']:.3f}")

    start, cpu_start = time.perf_counter(), time.process_time()
    train.fit(model, batch, loss_fn, recipe.steps, recipe.lr, recipe.clip, report)
    minutes = (time.perf_counter() - start) / 60
    cpu_minutes = (time.process_time() - cpu_start) / 60 / THREADS
    return model, evaluate(model, recipe, history, minutes, cpu_minutes)


def evaluate(model: Seq2Seq, recipe: Recipe, history: list, minutes: float, cpu_minutes: float) -> dict:
    test = dates.held_out("test", recipe.split_seed)
    texts, truth = [p[0] for p in test], [p[1] for p in test]
    greedy_out = greedy_batch(model, texts)
    beam_out = [beam(model, encode(model, t), recipe.beam_width).text for t in texts]
    g, b = scores(greedy_out, truth), scores(beam_out, truth)
    train_answers = [dates.iso(dates.date_at(k)) for k in dates.split(recipe.split_seed).train]
    majority = majority_answer(train_answers)
    base = scores([majority] * len(truth), truth)
    invalid = sum(dates.check_iso(o).problem is not None for o in greedy_out)
    by_form = {}
    for part in ("order", "month", "day", "weekday", "case"):
        groups = collections.defaultdict(list)
        for (_, _, style), out, t in zip(test, greedy_out, truth):
            groups[getattr(style, part)].append(out == t)
        by_form[part] = {k: {"exact": round(float(np.mean(v)), 4), "n": len(v)} for k, v in sorted(groups.items())}
    mistakes = [{"input": x, "truth": t, "greedy": o} for x, t, o in zip(texts, truth, greedy_out) if o != t][:40]
    r4 = lambda x: round(float(x), 4)                                                   # noqa: E731
    metrics = {
        "test_exact_greedy": r4(g["exact"]), "test_exact_beam": r4(b["exact"]),
        "test_char_accuracy": r4(g["char"]),
        "majority_exact": r4(base["exact"]), "majority_char_accuracy": r4(base["char"]),
        "chance_exact": 1 / dates.DAYS,
        "test_invalid_dates": invalid,
        "val_exact_greedy": history[-1]["val_exact"] if history else None,
    }
    return {
        "arch": {"class": "Seq2Seq", "kind": recipe.kind, "source": model.source, "target": model.target,
                 "embed_size": recipe.embed_size, "hidden_size": recipe.hidden_size},
        "task": "date translation: a date in any of the data's forms → YYYY-MM-DD (encoder–decoder, no attention)",
        "data": {"source": dates.SOURCE, "sha256": None, "split_seed": recipe.split_seed,
                 "range": f"{dates.FIRST.isoformat()} to {dates.LAST.isoformat()}",
                 "sizes": {"train_dates": int(len(dates.split(recipe.split_seed).train)),
                           **{k: v for k, v in dates.HELD_OUT.items()}},
                 "pairs_seen": recipe.steps * recipe.batch},
        "hyper": asdict(recipe),
        "parameters": model.count_parameters(),
        "metrics": metrics,
        "check": {"metric": "test_exact_greedy", "tolerance": TOLERANCE},
        "baseline": {"kind": "per-position majority: at each of the ten positions the character most frequent "
                             "there in the training answers; it ignores the input", "answer": majority},
        "evaluation": {"by_form": by_form, "mistakes": mistakes},
        "history": history,
        "command": "python -m rnnviz.train dates",
        "minutes": round(minutes, 2),
        "cpu_minutes_per_core": round(cpu_minutes, 2),
        "threads": THREADS,
        "torch": torch.__version__,
    }


def build(log=print, **changes) -> tuple[Seq2Seq, dict]:
    """Train by the recipe (fields overridden by `changes`, e.g. steps=50 in a test), evaluate; return the
    model and its manifest entry. Nothing to fetch: the pairs are generated."""
    dates.fetch()
    return fit(replace(Recipe(), **changes), log=log)


RECIPES = {"dates": build}
