"""The melody model: a note-level LSTM over the Essen folk songs of German-speaking Europe.

    python -m rnnviz.train melody            # data → train → evaluate → pretrained/melody.safetensors
    python -m rnnviz.train melody --check    # retrain in a temporary folder, compare with the manifest

Data (rnnviz.topics.music.data): about 7,000 monophonic songs, each transposed to C, as (pitch, duration)
notes; a fixed, seeded split by song family (variants of one song stay on one side), 80 / 10 / 10 %.

Training: whole tunes, teacher forcing (the true previous note is the input at every step), the sum of the
pitch and the duration cross-entropies over every note; batches of tunes drawn from the recipe's generator.

Held-out scores, over every note of the test songs after the first (the first note has no "last note"):
pitch accuracy, duration accuracy and the NLL per note (pitch + duration, nats), of the LSTM and of the
two baselines in baselines.py (repeat the last note; bigram). Reproducible: one torch.Generator for the
initial weights and the batches, one thread, a fixed number of steps. `--check` must land within TOLERANCE
of the shipped test pitch accuracy.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, replace

import numpy as np
import torch
from torch import nn

from rnnviz import train
from rnnviz.topics.music import baselines, data as melodies
from rnnviz.topics.music.model import MelodyLSTM

TOLERANCE = 0.01
THREADS = 1           # small tensors: one thread is as fast on the shared machine, and deterministic


@dataclass(frozen=True)
class Recipe:
    kind: str = "lstm"
    pitch_embed: int = 32
    duration_embed: int = 16
    hidden_size: int = 192
    steps: int = 4000
    batch: int = 32               # tunes per step
    max_notes: int = 128          # a longer tune is trained on its first max_notes notes
    lr: float = 3e-3
    clip: float = 1.0
    seed: int = 0
    split_seed: int = melodies.SPLIT_SEED


def ids(model: MelodyLSTM, tunes) -> list[baselines.Ids]:
    return [tuple(x.numpy() for x in model.encode(t.pitches, t.durations)) for t in tunes]


def pad(batch: list[baselines.Ids], limit: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(pitch ids (T, B), duration ids (T, B), mask (T, B)) padded at the end."""
    seqs_p = [torch.as_tensor(p[:limit]) for p, _ in batch]
    seqs_d = [torch.as_tensor(d[:limit]) for _, d in batch]
    p = nn.utils.rnn.pad_sequence(seqs_p)
    mask = nn.utils.rnn.pad_sequence([torch.ones(len(s), dtype=torch.bool) for s in seqs_p])
    return p, nn.utils.rnn.pad_sequence(seqs_d), mask


@torch.no_grad()
def model_scores(model: MelodyLSTM, tunes: list[baselines.Ids], batch: int = 256) -> dict:
    """The LSTM's held-out scores on the same notes as baselines.scores (every note after the first)."""
    model.eval()
    qs, truths = {0: [], 1: []}, {0: [], 1: []}
    for s in range(0, len(tunes), batch):
        part = tunes[s:s + batch]
        p, d, mask = pad(part, 10_000)
        lp, ld = model.logits(p, d)
        for k, (logits, target) in enumerate(((lp, p), (ld, d))):
            prob = torch.softmax(logits.double(), -1)
            for b, t in enumerate(part):
                n = len(t[0])
                qs[k].append(prob[1:n, b].numpy())
                truths[k].append(target[1:n, b].numpy())
    out = {}
    for k, name in ((0, "pitch"), (1, "duration")):
        out.update(baselines.part_scores(np.concatenate(qs[k]), np.concatenate(truths[k]), name))
    out["nll"] = out["pitch_nll"] + out["duration_nll"]
    out["notes"] = int(sum(len(t[0]) - 1 for t in tunes))
    return out


def fit(recipe: Recipe, log=print) -> tuple[MelodyLSTM, dict]:
    torch.set_num_threads(THREADS)
    gen = torch.Generator().manual_seed(recipe.seed)
    songs = melodies.tunes()
    pitches, durations = melodies.vocab()
    split = melodies.split(recipe.split_seed, songs)
    model = MelodyLSTM(recipe.kind, pitches, durations, recipe.pitch_embed, recipe.duration_embed, recipe.hidden_size)
    train.init_parameters(model, gen)
    tr, va, te = ids(model, split.train), ids(model, split.validation), ids(model, split.test)
    history = []

    def batch(step):
        pick = torch.randint(0, len(tr), (recipe.batch,), generator=gen).tolist()
        p, d, mask = pad([tr[i] for i in pick], recipe.max_notes)
        return (p, d), mask

    def loss_fn(m, inputs, mask):
        p, d = inputs
        lp, ld = m.logits(p, d)
        ce = nn.functional.cross_entropy
        return (ce(lp[mask], p[mask]) + ce(ld[mask], d[mask]))

    def report(step, info):
        if (step + 1) % 500:
            return
        v = model_scores(model, va)
        history.append({"step": step + 1, "loss": round(info["loss"], 4), "val_nll": round(v["nll"], 4),
                        "val_pitch_accuracy": round(v["pitch_accuracy"], 4)})
        log(f"melody: step {step + 1:5d}  loss {info['loss']:.3f}  validation NLL {v['nll']:.3f}  "
            f"pitch accuracy {v['pitch_accuracy']:.3f}")

    start, cpu_start = time.perf_counter(), time.process_time()
    train.fit(model, batch, loss_fn, recipe.steps, recipe.lr, recipe.clip, report)
    minutes = (time.perf_counter() - start) / 60
    cpu_minutes = (time.process_time() - cpu_start) / 60 / THREADS

    n_p, n_d = len(pitches), len(durations)
    rep, big = baselines.RepeatLast.fit(tr, n_p, n_d), baselines.Bigram.fit(tr, n_p, n_d)
    lstm, rep_s, big_s = model_scores(model, te), baselines.scores(rep.predict, te), baselines.scores(big.predict, te)
    val = model_scores(model, va)
    r4 = lambda x: round(float(x), 4)                                                     # noqa: E731
    metrics = {"test_pitch_accuracy": r4(lstm["pitch_accuracy"]), "test_duration_accuracy": r4(lstm["duration_accuracy"]),
               "test_nll": r4(lstm["nll"]), "test_pitch_nll": r4(lstm["pitch_nll"]),
               "test_duration_nll": r4(lstm["duration_nll"]), "val_nll": r4(val["nll"]),
               "val_pitch_accuracy": r4(val["pitch_accuracy"])}
    for name, s in (("repeat", rep_s), ("bigram", big_s)):
        metrics.update({f"{name}_pitch_accuracy": r4(s["pitch_accuracy"]),
                        f"{name}_duration_accuracy": r4(s["duration_accuracy"]), f"{name}_nll": r4(s["nll"]),
                        f"{name}_pitch_nll": r4(s["pitch_nll"]), f"{name}_duration_nll": r4(s["duration_nll"])})
    metrics["test_notes"] = lstm["notes"]
    info = {
        "arch": model.arch(),
        "task": "next note of a folk melody (pitch and duration), note by note; generation by sampling",
        "data": {"source": melodies.SOURCE, "sha256": melodies.SHA256, "split_seed": recipe.split_seed,
                 "files": list(melodies.FILES), **melodies.counts(),
                 "sizes": {"train": len(tr), "validation": len(va), "test": len(te)},
                 "notes": {"train": int(sum(len(t[0]) for t in tr)), "validation": int(sum(len(t[0]) for t in va)),
                           "test": int(sum(len(t[0]) for t in te))},
                 "families": {"train": len({t.family for t in split.train}),
                              "validation": len({t.family for t in split.validation}),
                              "test": len({t.family for t in split.test})},
                 "transposed": "each song moved so that the key in its K: field is C (a minor song to C minor or "
                               "A minor, as its file notes it)"},
        "hyper": asdict(recipe),
        "parameters": model.count_parameters(),
        "metrics": metrics,
        "check": {"metric": "test_pitch_accuracy", "tolerance": TOLERANCE},
        "baseline": {"repeat": {"share": [r4(x) for x in rep.share]},
                     "kinds": {"repeat": "repeat the last pitch / duration, mixed with the training frequencies: "
                                         "p(x) = a·[x = last] + (1 − a)·q(x), a = the training share of repeats",
                               "bigram": "p(next | last), counted on the training tunes, add-one smoothing; "
                                         "pitch and duration each on their own"}},
        "history": history,
        "command": "python -m rnnviz.train melody",
        "minutes": round(minutes, 2),
        "cpu_minutes_per_core": round(cpu_minutes, 2),
        "threads": THREADS,
        "torch": torch.__version__,
    }
    return model, info


def build(log=print, **changes) -> tuple[MelodyLSTM, dict]:
    """Fetch and parse the data (set-up time only), train by the recipe (fields overridden by `changes`),
    evaluate; return the model and its manifest entry."""
    melodies.fetch()
    return fit(replace(Recipe(), **changes), log=log)


RECIPES = {"melody": build}
