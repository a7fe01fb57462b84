"""The captioning model: a small CNN encoder and a GRU decoder, trained on generated scenes by teacher forcing.

    python -m rnnviz.train captions            # train → evaluate → pretrained/captions.safetensors
    python -m rnnviz.train captions --check    # retrain in a temporary folder, compare with the manifest

Data (rnnviz.topics.captions.data): every training batch is a fresh set of generated scenes, drawn from one
NumPy generator seeded by the recipe, so the model never sees the same picture twice; no training scene holds
a held-out colour × shape pair (a red triangle, a green square, a blue circle). Two fixed test sets: "seen",
new pictures of the training kind (another seed), and "unseen", scenes that each hold a held-out pair.

Scores, each on both test sets: exact-caption and word accuracy (compute.scores) of greedy decoding and of beam
search (width 3), against two baselines that use no recurrent decoder:
- template: the most common training caption's length, each position filled with its most frequent word;
- nearest picture: the caption of the closest of MEMORY training pictures (pixel distance).

Reproducible: the weights are drawn by torch's default initialisation inside a forked, seeded RNG
(train.seeded_dropout); the scenes by the seeded NumPy generator; one thread; a fixed number of steps.
`--check` must land within TOLERANCE of the shipped exact-caption accuracy on the seen test set.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, replace

import numpy as np
import torch
from torch import nn

from rnnviz import train
from rnnviz.topics.captions import compute, data
from rnnviz.topics.captions.model import BOS, EOS, Captioner

TOLERANCE = 0.03        # a rebuild's seen-test exact-caption accuracy must land within this of the manifest's
THREADS = 1             # small tensors: one thread is as fast on the shared machine, and deterministic
TEST_SIZE = 1000        # pictures per test set
MEMORY = 5000           # training pictures the nearest-picture baseline may copy a caption from
BEAM_WIDTH = 3


@dataclass(frozen=True)
class Recipe:
    channels: int = 16            # the CNN's first layer; then 2× and 2×
    embed_size: int = 32
    hidden_size: int = 128
    steps: int = 2500
    batch: int = 64               # scenes per step, each new
    lr: float = 3e-3
    clip: float = 1.0
    seed: int = 0


def targets(model: Captioner, captions: list[list[str]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Teacher forcing: (y_in (K, B) = <s> y_1..y_{K-1}, y_out (K, B) = y_1..y_K = the words then </s>),
    padded with 0 (<pad>, ignored by the loss)."""
    outs = [torch.tensor(model.encode_words(c) + [model.index[EOS]]) for c in captions]
    ins = [torch.cat([torch.tensor([model.index[BOS]]), o[:-1]]) for o in outs]
    return nn.utils.rnn.pad_sequence(ins), nn.utils.rnn.pad_sequence(outs)


def loss_fn(model: Captioner, inputs, y_out: torch.Tensor) -> torch.Tensor:
    images, y_in = inputs
    logits = model(images, y_in)                                                   # (K, B, V)
    return nn.functional.cross_entropy(logits.flatten(0, 1), y_out.flatten(), ignore_index=0)


def evaluate(model: Captioner, memory: tuple[np.ndarray, list], train_captions: list, log=print) -> dict:
    """{split: {method: {"exact", "word"}}} on the fixed seen and unseen test sets."""
    template = compute.Template.fit(train_captions)
    out = {}
    for split in ("seen", "unseen"):
        images, refs = data.test_set(split, TEST_SIZE)
        out[split] = {
            "greedy": compute.scores(refs, compute.greedy_batch(model, images)),
            "beam": compute.scores(refs, compute.beam_all(model, images, BEAM_WIDTH)),
            "template": compute.scores(refs, template.predict(len(refs))),
            "nearest": compute.scores(refs, compute.nearest_captions(*memory, images)),
        }
        log(f"captions: {split}: " + ", ".join(f"{k} exact {v['exact']:.3f} word {v['word']:.3f}"
                                               for k, v in out[split].items()))
    return out, template


def fit(recipe: Recipe, log=print) -> tuple[Captioner, dict]:
    torch.set_num_threads(THREADS)
    rng = np.random.default_rng(recipe.seed)
    with train.seeded_dropout(recipe.seed):                      # torch's default init, from a seeded fork
        model = Captioner(compute.VOCAB, recipe.channels, recipe.embed_size, recipe.hidden_size)
    val_images, val_refs = data.batch(np.random.default_rng(99), 300)
    history, seen_captions = [], []

    def batch(step):
        images, captions = data.batch(rng, recipe.batch)
        seen_captions.extend(captions)
        y_in, y_out = targets(model, captions)
        return (torch.from_numpy(images), y_in), y_out

    def report(step, info):
        if (step + 1) % 250:
            return
        val = compute.scores(val_refs, compute.greedy_batch(model.eval(), val_images))
        history.append({"step": step + 1, "loss": round(info["loss"], 4), "val_exact": round(val["exact"], 4),
                        "val_word": round(val["word"], 4)})
        log(f"captions: step {step + 1:5d}  loss {info['loss']:.3f}  validation exact {val['exact']:.3f} "
            f"word {val['word']:.3f}")

    start, cpu_start = time.perf_counter(), time.process_time()
    train.fit(model, batch, loss_fn, recipe.steps, recipe.lr, recipe.clip, report)
    minutes = (time.perf_counter() - start) / 60
    cpu_minutes = (time.process_time() - cpu_start) / 60

    memory = data.batch(np.random.default_rng(recipe.seed + 7), MEMORY)
    results, template = evaluate(model, memory, seen_captions, log)
    r4 = lambda x: round(float(x), 4)                                                    # noqa: E731
    metrics = {f"{split}_{method}_{kind}": r4(v[kind]) for split, methods in results.items()
               for method, v in methods.items() for kind in ("exact", "word")}
    info = {
        "arch": {"class": "Captioner", "words": list(model.words), "channels": recipe.channels,
                 "embed_size": recipe.embed_size, "hidden_size": recipe.hidden_size, "image_size": data.SIZE},
        "task": "image → caption (one-to-many: a CNN's vector starts a GRU that writes word by word)",
        "data": {"source": data.SOURCE, "held_out_pairs": [list(p) for p in data.HELD_OUT],
                 "sizes": {"train_scenes": recipe.steps * recipe.batch, "test_seen": TEST_SIZE,
                           "test_unseen": TEST_SIZE, "nearest_memory": MEMORY},
                 "test_seeds": {k: data.SPLIT_SEEDS[k] for k in ("seen", "unseen")},
                 "train_noise_max": data.TRAIN_NOISE},
        "hyper": asdict(recipe),
        "parameters": model.count_parameters(),
        "metrics": metrics,
        "check": {"metric": "seen_greedy_exact", "tolerance": TOLERANCE},
        "baseline": {"template": " ".join(template.words),
                     "kinds": {"template": "the most common training caption length, each position's most "
                                           "frequent training word (never looks at the picture)",
                               "nearest": f"the caption of the nearest of {MEMORY:,} training pictures "
                                          "(Euclidean distance between pixels)"}},
        "beam_width": BEAM_WIDTH,
        "history": history,
        "command": "python -m rnnviz.train captions",
        "minutes": round(minutes, 2),
        "cpu_minutes": round(cpu_minutes, 2),
        "threads": THREADS,
        "torch": torch.__version__,
    }
    return model, info


def build(log=print, **changes) -> tuple[Captioner, dict]:
    """Train by the recipe (fields overridden by `changes`, e.g. steps=20 in a test), evaluate; return the
    model and its manifest entry."""
    return fit(replace(Recipe(), **changes), log=log)


RECIPES = {"captions": build}
