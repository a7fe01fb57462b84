"""The attention topic's two models: one character-level GRU encoder–decoder reading number words, trained
twice by the same recipe, once plain (the decoder gets only c = h_T) and once with additive attention.

    python -m rnnviz.train numbers_plain              # generate → train → evaluate → pretrained/numbers_plain.safetensors
    python -m rnnviz.train numbers_attention          # the same with attention
    python -m rnnviz.train numbers_attention --check  # retrain in a temporary folder, compare with the manifest

Data (rnnviz.topics.attention.data): numbers 0–999,999 in words → digits. 1,000 validation and 4,000 test
numbers (from 100 up, drawn per digit count: data.HELD_PER_DIGITS) are held out whole, never seen in
training in any phrasing. Each training step draws `batch` numbers (the digit count uniform over 1..6) and a
phrasing for each from np.random.default_rng(seed); the torch.Generator draws the initial weights and the
unknown-character dropout. Both models see the very same pairs in the same order.

Metrics on the held-out test pairs, overall and per input-length bin (data.BINS): exact match of the whole
number (greedy decoding). Two baselines, computed on the same pairs: the per-position majority (the likeliest
digit at each place, for the likeliest length: blind to the input), and word-by-word copying (each number word
→ its digits, "hundred", "thousand" and "and" dropped: right exactly when no place needs a written zero,
"three hundred twelve" → 312, wrong for "three hundred five" → 35).

Reproducible: one thread, a fixed number of steps; `--check` must land within TOLERANCE of the shipped test
exact match.
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
from rnnviz.shared.layers import PAD, UNK
from rnnviz.topics.attention import data
from rnnviz.topics.attention.model import BOS, EOS, NumberReader, greedy

TOLERANCE = 0.02
THREADS = 1
TARGET = [PAD, BOS, EOS, *string.digits]
NAMES = {"none": "numbers_plain", "additive": "numbers_attention"}


def source_symbols() -> list[str]:
    """PAD, UNK, then every character the data can write (lower-case letters, space, "-", ","), sorted."""
    chars = set(" -,") | {ch for w in (*data.ONES, *data.TENS, "hundred", "thousand", "and") for ch in w}
    return [PAD, UNK, *sorted(chars)]


@dataclass(frozen=True)
class Recipe:
    attention: str = "additive"
    embed_size: int = 32
    hidden_size: int = 64
    steps: int = 2000
    batch: int = 128
    lr: float = 3e-3
    clip: float = 1.0
    unknown_dropout: float = 0.01
    seed: int = 0
    split_seed: int = data.SPLIT_SEED


def _inputs(model: NumberReader, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    seqs = [model.encode_text(t) for t in texts]
    return nn.utils.rnn.pad_sequence(seqs), torch.tensor([len(s) for s in seqs])


def _targets(model: NumberReader, answers: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    """(y_in (K, B) = <s> y_1..y_{K-1}, y_out (K, B) = y_1..y_K </s>, padded with 0, ignored by the loss)."""
    rows = [torch.tensor([model.target_index[ch] for ch in a] + [model.target_index[EOS]]) for a in answers]
    y_out = nn.utils.rnn.pad_sequence(rows)                                          # (K, B)
    bos = torch.full((1, len(answers)), model.target_index[BOS])
    return torch.cat([bos, y_out[:-1]]), y_out


def majority_answer(answers: list[str]) -> str:
    """The likeliest length among `answers`, then at each place the likeliest digit there (ties: lowest)."""
    length = min(collections.Counter(map(len, answers)).items(), key=lambda kv: (-kv[1], kv[0]))[0]
    cols = zip(*[a for a in answers if len(a) == length])
    return "".join(min(collections.Counter(c).items(), key=lambda kv: (-kv[1], kv[0]))[0] for c in cols)


def word_copy(text: str) -> str:
    """The copying baseline: each number word → its digits, in order; "hundred", "thousand", "and" dropped."""
    out = []
    for w in text.replace("-", " ").replace(",", " ").split():
        if w in data.ONES:
            out.append(str(data.ONES.index(w)))
        elif w in data.TENS:
            out.append(str(10 * data.TENS.index(w)))
    joined, merged = out, []
    for d in joined:                                  # "twenty one" → 21, not 201: a ten takes the next unit
        if merged and merged[-1].endswith("0") and len(merged[-1]) == 2 and len(d) == 1:
            merged[-1] = merged[-1][0] + d
        else:
            merged.append(d)
    return "".join(merged)


def by_length(texts: list[str], predicted: list[str], truth: list[str]) -> list[dict]:
    """Exact match per input-length bin: [{"bin": "1–20", "lo", "hi", "n", "exact"}] in BINS order."""
    groups = collections.defaultdict(list)
    for t, p, y in zip(texts, predicted, truth):
        groups[data.length_bin(len(t))].append(p == y)
    return [{"bin": data.bin_label(i), "lo": lo, "hi": hi, "n": len(groups[i]),
             "exact": round(float(np.mean(groups[i])), 4) if groups[i] else None}
            for i, (lo, hi) in enumerate(data.BINS)]


def exact(predicted: list[str], truth: list[str]) -> float:
    return float(np.mean([p == t for p, t in zip(predicted, truth)]))


def fit(recipe: Recipe, log=print) -> tuple[NumberReader, dict]:
    torch.set_num_threads(THREADS)
    gen, rng = torch.Generator().manual_seed(recipe.seed), np.random.default_rng(recipe.seed)
    split = data.split(recipe.split_seed)
    model = NumberReader(recipe.attention, source_symbols(), TARGET, recipe.embed_size, recipe.hidden_size)
    train.init_parameters(model, gen)
    val = data.held_out("validation", recipe.split_seed)
    name, history = NAMES[recipe.attention], []

    def batch(step):
        pairs = data.pairs(data.draw_numbers(rng, recipe.batch, split.held), rng)
        ids, lengths = _inputs(model, [p[0] for p in pairs])
        ids = train.drop_tokens(ids, recipe.unknown_dropout, gen)
        y_in, y_out = _targets(model, [p[1] for p in pairs])
        return (ids, lengths, y_in), y_out

    def loss_fn(m, inputs, y_out):
        logits = m(*inputs)                                                        # (K, B, V)
        return nn.functional.cross_entropy(logits.flatten(0, 1), y_out.flatten(), ignore_index=0)

    def report(step, info):
        if (step + 1) % 500 == 0 or step + 1 == recipe.steps:
            model.eval()
            v = exact(greedy(model, [p[0] for p in val]).texts, [p[1] for p in val])
            history.append({"step": step + 1, "loss": round(info["loss"], 4), "val_exact": round(v, 4)})
            log(f"{name}: step {step + 1:5d}  loss {info['loss']:.4f}  validation exact match {v:.3f}")

    start, cpu_start = time.perf_counter(), time.process_time()
    train.fit(model, batch, loss_fn, recipe.steps, recipe.lr, recipe.clip, report)
    minutes = (time.perf_counter() - start) / 60
    cpu_minutes = (time.process_time() - cpu_start) / 60 / THREADS
    return model, evaluate(model, recipe, history, minutes, cpu_minutes)


def evaluate(model: NumberReader, recipe: Recipe, history: list, minutes: float, cpu_minutes: float) -> dict:
    test = data.held_out("test", recipe.split_seed)
    texts, truth = [p[0] for p in test], [p[1] for p in test]
    out = []
    for s in range(0, len(texts), 500):
        out += greedy(model, texts[s:s + 500]).texts
    split = data.split(recipe.split_seed)
    train_answers = [data.digits(n) for n in data.draw_numbers(np.random.default_rng(recipe.seed + 99), 20_000, split.held)]
    majority = majority_answer(train_answers)
    copied = [word_copy(t) for t in texts]
    lengths = [len(t) for t in texts]
    r4 = lambda x: round(float(x), 4)                                                   # noqa: E731
    metrics = {
        "test_exact": r4(exact(out, truth)),
        "majority_exact": r4(exact([majority] * len(truth), truth)),
        "word_copy_exact": r4(exact(copied, truth)),
        "val_exact": history[-1]["val_exact"] if history else None,
    }
    mistakes = [{"input": x, "truth": t, "greedy": o} for x, t, o in zip(texts, truth, out) if o != t][:40]
    kind = "additive attention (Bahdanau et al. 2015)" if recipe.attention == "additive" else "no attention: c = h_T"
    return {
        "arch": {"class": "NumberReader", "attention": recipe.attention, "source": model.source,
                 "target": model.target, "embed_size": recipe.embed_size, "hidden_size": recipe.hidden_size},
        "task": f"number words → digits (encoder–decoder, {kind})",
        "data": {"source": data.SOURCE, "sha256": None, "split_seed": recipe.split_seed,
                 "range": f"0 to {data.LIMIT - 1:,}", "sizes": dict(data.HELD_OUT),
                 "test_lengths": {"min": min(lengths), "max": max(lengths)},
                 "pairs_seen": recipe.steps * recipe.batch},
        "hyper": asdict(recipe),
        "parameters": model.count_parameters(),
        "metrics": metrics,
        "check": {"metric": "test_exact", "tolerance": TOLERANCE},
        "baseline": {"majority": {"kind": "the likeliest length, then the likeliest digit at each place, in training "
                                           "answers; it ignores the input", "answer": majority},
                     "word_copy": {"kind": "each number word → its digits in order; hundred, thousand, and dropped"}},
        "evaluation": {"by_length": by_length(texts, out, truth),
                       "baseline_by_length": {"majority": by_length(texts, [majority] * len(truth), truth),
                                              "word_copy": by_length(texts, copied, truth)},
                       "mistakes": mistakes},
        "history": history,
        "command": f"python -m rnnviz.train {NAMES[recipe.attention]}",
        "minutes": round(minutes, 2),
        "cpu_minutes_per_core": round(cpu_minutes, 2),
        "threads": THREADS,
        "torch": torch.__version__,
    }


def build_plain(log=print, **changes) -> tuple[NumberReader, dict]:
    """The plain encoder–decoder (fields overridden by `changes`, e.g. steps=20 in a test)."""
    data.fetch()
    return fit(replace(Recipe(attention="none"), **changes), log=log)


def build_attention(log=print, **changes) -> tuple[NumberReader, dict]:
    """The same with additive attention."""
    data.fetch()
    return fit(replace(Recipe(attention="additive"), **changes), log=log)


RECIPES = {"numbers_plain": build_plain, "numbers_attention": build_attention}
