"""Your text (`python -m bench.run yourtext`): does a live training on a pasted text learn something a table
of character pairs cannot, in the time a class waits, and what does the page's loop cost over a bare one?

Goals (issue 24):
  char LSTM, 128 units, first 100 kB of Shakespeare: held-out bpc below the text's bigram baseline
  within 60 s of training, in a training process as the page runs it (1 thread) ........ ≤ 60 s
  the training loop (train_here: curve, checkpoints) vs a bare torch loop (the same model, batches,
  optimizer and steps; no checkpoints), alternately, median of 4 ............................ ≤ 1.3×
"""
from __future__ import annotations

import statistics
import time
from dataclasses import replace

import torch
from torch import nn

from rnnviz.shared import live
from rnnviz.shared.char_recipe import lm_loss
from rnnviz.topics.yourtext import data, learn, measure

SHAKESPEARE = "Shakespeare (100 kB)"


def bench_beats_bigram(bench) -> None:
    """One run of 60 s in a real training process (live.Trainer: one thread, the lowest priority)."""
    text = data.read_text(data.example(SHAKESPEARE))
    bigram = text.baselines["bigram"]
    cfg = learn.TextConfig(cell="lstm", hidden=128, seconds=60.0)
    run = learn.start(cfg, text, live.Trainer(slots=1))
    run.job.join()
    snap = run.snapshot()
    print(f"  {SHAKESPEARE}: {len(text.text):,} characters, alphabet {len(text.alphabet)}, held out "
          f"{text.n_held_out:,}; baselines: uniform {text.baselines['uniform']:.2f}, unigram "
          f"{text.baselines['unigram']:.2f}, bigram {bigram:.2f} bpc")
    print(f"  the run: {snap.status} ({run.job.reason}), {snap.steps:,} steps in {snap.seconds:.1f} s "
          f"({1000 * snap.seconds / max(snap.steps, 1):.1f} ms a step, checkpoints included), "
          f"CPU {run.job.cpu_seconds:.1f} s, peak {run.job.peak_mb:.0f} MB" + "".join(f"; {e}" for e in run.job.errors))
    for c in snap.checkpoints:
        print(f"    step {c.step:5,d}  {c.seconds:5.1f} s  held-out {c.val_bpc:.3f} bpc  training {c.train_bpc:.3f}")
    below = next((c for c in snap.checkpoints if c.val_bpc < bigram), None)
    ok = below is not None and below.seconds <= 60
    bench.line("Your text: LSTM 128 on Shakespeare 100 kB below its bigram (held-out)",
               f"{below.seconds:.1f} s, step {below.step:,}" if below else "never", "≤ 60 s", ok)
    if below is not None:
        print(f"  its sample then ({below.val_bpc:.2f} bpc):\n" + _indent(below.sample))
    last = snap.checkpoints[-1]
    print(f"  its sample at the end ({last.seconds:.0f} s, {last.val_bpc:.2f} bpc, bigram {bigram:.2f}):\n"
          + _indent(last.sample))


def _indent(sample: str) -> str:
    return "\n".join("    | " + line for line in sample.split("\n"))


def bare_loop(cfg: learn.TextConfig, text: data.TextData, steps: int) -> float:
    """The same steps with nothing around them: the model and init, the windows (learn.batch), the loss,
    clipping and Adam; no curve, no checkpoints, no clock. Seconds."""
    train_ids = text.ids()[:text.n_train]
    model = learn.new_model(cfg, text.alphabet)
    params = list(model.parameters())
    opt = torch.optim.Adam(params, lr=cfg.lr)
    t0 = time.perf_counter()
    for step in range(steps):
        inputs, targets = learn.batch(cfg, train_ids, step)
        loss = lm_loss(model, inputs, targets)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(params, cfg.clip)
        opt.step()
    return time.perf_counter() - t0


def our_loop(cfg: learn.TextConfig, text: data.TextData, steps: int) -> float:
    t0 = time.perf_counter()
    p = learn.train_here(replace(cfg, max_steps=steps, seconds=learn.MAX_SECONDS), text)
    assert p.steps == steps, p.status
    return time.perf_counter() - t0


def bench_loop_ratio(bench) -> None:
    text = data.read_text(data.example(SHAKESPEARE))
    cfg, steps = learn.TextConfig(cell="lstm", hidden=128), 400           # ~5 s: two checkpoints on the way
    threads = torch.get_num_threads()
    torch.set_num_threads(1)                                               # as in a training process
    try:
        our_loop(cfg, text, 20), bare_loop(cfg, text, 20)                  # warm up
        ours, bare = [], []
        for _ in range(4):                                                 # alternately: drift hits both
            ours.append(our_loop(cfg, text, steps))
            bare.append(bare_loop(cfg, text, steps))
        model = learn.new_model(cfg, text.alphabet).eval()
        held_out = text.ids()[text.n_train:]
        parts = {"held-out bpc": lambda: measure.bpc(model, held_out),
                 "sample": lambda: measure.sample(model, 0),
                 "grad_by_step": lambda: measure.grad_by_step(model, held_out[:cfg.window + 1])}
        costs = {name: statistics.median(_seconds(fn) for _ in range(3)) for name, fn in parts.items()}
    finally:
        torch.set_num_threads(threads)
    a, b = statistics.median(ours), statistics.median(bare)
    bench.line(f"Your text: training loop vs bare torch, LSTM 128, {steps} steps", f"{1000 * a / steps:.2f} vs "
               f"{1000 * b / steps:.2f} ms = {a / b:.2f}×", "≤ 1.3×", a / b <= 1.3)
    print("  a checkpoint's parts (ms): " + ", ".join(f"{k} {1000 * v:.0f}" for k, v in costs.items())
          + f" (training bpc as much again as held-out); every {cfg.checkpoint_seconds:g} s of training")


def _seconds(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run(bench) -> None:
    bench_loop_ratio(bench)
    bench_beats_bigram(bench)


if __name__ == "__main__":
    from bench import run as bench_run

    run(bench_run)
