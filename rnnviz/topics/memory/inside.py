"""A look inside the Memory lab's trained LSTM: does it open its input gate where the task marks what to
remember, and hold its cell state until it needs it?

The trained nn.LSTM's weights load into the transparent cell (cells.from_torch), which reads held-out
sequences and keeps every gate. A unit that remembers writes i_t ⊙ g_t into its cell state at the marked
steps and little elsewhere, and keeps its forget gate near 1 in between, so that c_t, whose only change
per step is c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t, carries what was written (Hochreiter & Schmidhuber 1997).

Shape legend: L steps read, N held-out sequences, H hidden units, k units shown.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from rnnviz import cells, forward, tasks
from rnnviz.topics.memory import compute as memory
from rnnviz.topics.memory.compute import Config

HELD_OUT = 256          # sequences the units are ranked on
SHOWN = 3               # units drawn


@dataclass
class Inside:
    task: str
    marks: list[int]             # the marked steps of the example drawn (0-based)
    hold: tuple[int, int]        # [start, end) of the steps it must hold across (0-based)
    labels: list[str]            # what the network reads at each step (short text)
    values: np.ndarray | None    # (L,) the adding problem's values, else None
    units: list[int]             # the units shown, best writer first
    input_gate: np.ndarray       # (L, k) i_t of those units on the example
    forget_gate: np.ndarray      # (L, k) f_t
    cell: np.ndarray             # (L, k) c_t
    # per unit shown (k,), means over the held-out sequences:
    i_at_marks: np.ndarray       # i_t at the marks
    i_elsewhere: np.ndarray      # i_t at every other step
    f_between: np.ndarray        # f_t across the hold
    kept: np.ndarray             # Π f_t across the hold: the share of what was written that survives it
    target: str                  # the example's answer, and the model's
    answer: str


def marks_and_hold(task: str, x: torch.Tensor, T: int) -> tuple[list[list[int]], list[tuple[int, int]]]:
    """Per sequence of x (L, N, I): the marked steps (what must be remembered) and the stretch to hold it
    across: adding and temporal order from the first mark to the second; copy memory from the last
    symbol to the delimiter."""
    if task == "copy":
        m = memory.COPY_MEMORY
        return [list(range(m))] * x.shape[1], [(m, m + T - 1)] * x.shape[1]
    if task == "adding":
        flags = x[..., 1] == 1                                            # (L, N)
    else:
        first = tasks.TEMPORAL_SYMBOLS.index("X")
        flags = x[..., first:first + 2].sum(-1) == 1                      # X or Y
    marks = [torch.nonzero(flags[:, n]).flatten().tolist() for n in range(x.shape[1])]
    return marks, [(mk[0] + 1, mk[-1]) for mk in marks]


def first_marks(cfg: Config) -> tuple[int, int]:
    """(earliest, latest) 1-based time step at which the first thing to remember sits (copy memory: all
    its symbols), over the probe's own held-out sequences, the ones the gradient maps are measured on:
    the rows of the maps that must receive the gradient for the network to learn to keep it."""
    x, _ = memory.batch(cfg, -1, memory.PROBE_BATCH)
    marks, _ = marks_and_hold(cfg.task, x, cfg.T)
    if cfg.task == "copy":
        return marks[0][0] + 1, marks[0][-1] + 1
    firsts = [mk[0] + 1 for mk in marks if mk]
    return min(firsts), max(firsts)


def _labels(task: str, x: torch.Tensor) -> tuple[list[str], np.ndarray | None]:
    """What one sequence (L, I) says at each step, as a student would read it."""
    if task == "adding":
        return [f"{v:.2f}{' ◆' if m else ''}" for v, m in x.tolist()], x[:, 0].numpy().copy()
    if task == "copy":
        names = [str(s + 1) for s in range(memory.COPY_SYMBOLS)] + ["·", "▶"]    # symbols, blank, delimiter
    else:
        names = list(tasks.TEMPORAL_SYMBOLS)
    return [names[i] for i in x.argmax(-1).tolist()], None


def example_index(task: str, x: torch.Tensor, marks: list[list[int]], T: int) -> int:
    """The held-out sequence to draw: for the adding problem the first whose two marked values are both
    at least 0.3 and at least T/4 steps apart (a tiny value or two neighbouring marks show little), else 0."""
    if task == "adding":
        for n, mk in enumerate(marks):
            if len(mk) == 2 and mk[1] - mk[0] >= T / 4 and float(x[mk, n, 0].min()) >= 0.3:
                return n
    return 0


def look_inside(model, cfg: Config, example: int | None = None) -> Inside:
    """Rank the trained LSTM's units by what they write at the marks AND keep across the hold, |i_t ⊙ g_t|
    at the marks times Π f_s across the hold, averaged over HELD_OUT held-out sequences; trace the best
    SHOWN of them on one held-out example."""
    if model.kind != "lstm":
        raise ValueError("the look inside reads an LSTM's gates")
    x, y = memory.batch(cfg, -2, HELD_OUT)                                # held out: never trained on
    cell = cells.from_torch(model.rnn)
    with torch.inference_mode():
        trace = forward.unroll(cell, x)                                   # gates (L, N, H)
        out = model.head(trace.h if model.every_step else trace.h[-1])
    i, f, g = (trace.gates[k].numpy() for k in ("input", "forget", "cell"))
    c = trace.c.numpy()
    marks, holds = marks_and_hold(cfg.task, x, cfg.T)
    example = example_index(cfg.task, x, marks, cfg.T) if example is None else example
    at = np.zeros(i.shape[:2], bool)                                      # (L, N) marked steps
    held = np.zeros(i.shape[:2], bool)                                    # (L, N) steps to hold across
    kept = np.ones(i.shape[1:])                                           # (N, H) Π f_s across the hold
    for n, (mk, (a, b)) in enumerate(zip(marks, holds)):
        at[mk, n] = True
        held[a:b, n] = True
        kept[n] = np.prod(f[a:b, n].astype(np.float64), axis=0)
    wrote = np.abs(i * g)                                                 # (L, N, H) what each step adds to c
    written = np.stack([wrote[mk, n].mean(0) for n, mk in enumerate(marks)])    # (N, H) at the marks
    score = (written * kept).mean(0)                                      # (H,) written there AND kept
    units = [int(u) for u in np.argsort(-score)[:SHOWN]]
    i_u, f_u = i[..., units], f[..., units]
    labels, values = _labels(cfg.task, x[:, example])
    return Inside(
        task=cfg.task, marks=marks[example], hold=holds[example], labels=labels, values=values, units=units,
        input_gate=i_u[:, example], forget_gate=f_u[:, example], cell=c[:, example, units],
        i_at_marks=i_u[at].mean(0), i_elsewhere=i_u[~at].mean(0),
        f_between=f_u[held].mean(0) if held.any() else np.full(len(units), np.nan), kept=kept[:, units].mean(0),
        target=_answer(cfg.task, y, example), answer=_answer(cfg.task, out, example, predicted=True))


def _answer(task: str, y: torch.Tensor, n: int, predicted: bool = False) -> str:
    if task == "adding":
        return f"{float(y[n, 0]):.3f}"
    if task == "temporal_order":
        return tasks.TEMPORAL_CLASSES[int(y[n].argmax()) if predicted else int(y[n])]
    recall = slice(-memory.COPY_MEMORY, None)
    seq = y[recall, n].argmax(-1) if predicted else y[recall, n]
    return " ".join(str(int(s) + 1) if int(s) < memory.COPY_SYMBOLS else "·" for s in seq)


WRITES_BY, KEEPS = 0.2, 0.5     # a unit remembers when its input gate is 0.2 more open at the marks, and it keeps half


def explain(r: Inside) -> str:
    """What the numbers say (markdown): the best unit in a sentence or two, the others in brief."""
    u, a, b, f, k = r.units[0], r.i_at_marks[0], r.i_elsewhere[0], r.f_between[0], r.kept[0]
    writes, keeps = a - b >= WRITES_BY, k >= KEEPS
    gates = (f"its input gate averages **{a:.2f}** at the marks and **{b:.2f}** at the other steps; across the "
             f"stretch it must remember over, its forget gate averages **{f:.3f}**, and the product of those "
             f"forget gates keeps **{k:.0%}** of what it wrote")
    if writes and keeps:
        text = f"Unit {u} writes where it should and holds it: {gates}."
    else:
        missing = ("it neither opens its input gate at the marks more than elsewhere nor holds on"
                   if not writes and not keeps else "it does not open its input gate at the marks more than elsewhere"
                   if not writes else "it forgets what it wrote before it is needed")
        text = (f"No unit remembers yet. The one that comes closest, unit {u}: {gates}. So {missing}: this LSTM "
                "has not learnt the task.")
    others = "; ".join(f"unit {v}: i {x:.2f} vs {y:.2f}, keeps {z:.0%}"
                       for v, x, y, z in zip(r.units[1:], r.i_at_marks[1:], r.i_elsewhere[1:], r.kept[1:]))
    return text + (f" The next: {others}." if others else "") + f" (Means over {HELD_OUT} held-out sequences.)"
