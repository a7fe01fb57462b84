"""Cached computations shared by the pages; nothing here holds per-user state.

Every cache is bounded by entries AND bytes, so that the server's memory has a ceiling whatever the
students ask (issue 19; docs/DEPLOY.md states it, rnnviz.budget adds it up, `make bench BENCH=server_memory`
measures it). Pure results are kept with `bounded` (rnnviz.memo.Memo: each entry weighed as it is stored,
least recently used out first, one read-only object shared by every caller); st.cache_data bounds only the
number of entries and unpickles a copy on every hit. The comment on each cache gives its worst entry, at the
largest input a page allows (measured by tests/test_cache_budget.py, which also holds every bound here):
the byte budget is what a class needs, the entries' bound then only matters for small results.
"""
from __future__ import annotations

import functools
import warnings
from typing import Callable, TypeVar

import numpy as np
import streamlit as st

from rnnviz import memo
from rnnviz.topics.bptt import compute as bptt_lesson
from rnnviz.topics.lab import compute as lab

MB = memo.MB
R = TypeVar("R")

# A cached result's arrays are read-only (rnnviz.memo.freeze); the lessons hand some of them to torch.as_tensor,
# which only reads them, and torch then warns once per process that it could not guard against writes.
warnings.filterwarnings("ignore", message="The given NumPy array is not writable", category=UserWarning)


def bounded(max_entries: int, max_bytes: int, spinner: str | None = None) -> Callable[[Callable[..., R]], memo.Memo[R]]:
    """Cache a page's pure computation within `max_entries` entries and `max_bytes` bytes (rnnviz.memo);
    `spinner` is shown while a missing result is computed. The result is shared read-only: never change it."""
    def wrap(fn: Callable[..., R]) -> memo.Memo[R]:
        if spinner is None:
            return memo.Memo(fn, max_entries, max_bytes)

        @functools.wraps(fn)
        def with_spinner(*args, **kwargs):
            with st.spinner(spinner):
                return fn(*args, **kwargs)
        return memo.Memo(with_spinner, max_entries, max_bytes)
    return wrap


# worst entry 0.32 MB (T = 300, H = 128, a loss at every step); the defaults (T = 100, H = 32) 0.03 MB
@bounded(max_entries=192, max_bytes=24 * MB)
def _lab_cell(cfg: lab.LabConfig, kind: str) -> lab.CellResult:
    return lab.run_cell(cfg, kind)


def lab_cell(cfg: lab.LabConfig, kind: str) -> lab.CellResult:
    """One cell of the gradient lab, cached on the settings it uses (a preset note's numbers)."""
    return _lab_cell(lab.relevant(cfg, kind), kind)


def lab_run(cfg: lab.LabConfig) -> lab.LabResult:
    """The gradient lab for one configuration, each cell cached on the settings it uses (the config
    is a frozen dataclass, so it is the key): moving the forget-gate bias recomputes the LSTM alone."""
    return lab.run(cfg, cell_runner=_lab_cell)


# worst entry 0.69 MB (LSTM, T = 40, H = 16, 200 training steps): 11 of them; the defaults 0.02 MB
@bounded(max_entries=32, max_bytes=8 * MB, spinner="Training the model and running the backward pass…")
def bptt_lesson_run(cfg: bptt_lesson.LessonConfig) -> bptt_lesson.Lesson:
    """The BPTT lesson for one configuration: seeded training, forward, full BPTT, shares by step and
    by distance. 20–40 ms at the defaults; under a second at the largest (T = 40, H = 16, 200 steps)."""
    return bptt_lesson.run(cfg)


# worst entry 0.014 MB (LSTM, T = 40, H = 16): the entries' bound holds first (64 × 0.014 = 0.9 MB)
@bounded(max_entries=64, max_bytes=1 * MB)
def bptt_truncated(cfg: bptt_lesson.LessonConfig, k: int, scheme: str = "sliding") -> bptt_lesson.Truncation:
    """Truncated BPTT with window k ("sliding" or "chunks") for the lesson of `cfg`."""
    return bptt_lesson.truncated(bptt_lesson_run(cfg), k, scheme)


# ----- the Unfolded-RNN lesson (T ≤ 40, H ≤ 8: each run takes milliseconds; cached all the same, so
# a play tick or a step button never recomputes the sequence)
from rnnviz.topics.unfold import compute as unfold  # noqa: E402


# worst entries (LSTM, T = 40, H = 8): a run 0.023 MB, an intervention 0.046 MB, a reach 0.001 MB
@bounded(max_entries=64, max_bytes=2 * MB)
def unfold_run(cfg: unfold.UnfoldConfig) -> unfold.Unfolded:
    return unfold.run(cfg)


@bounded(max_entries=64, max_bytes=3 * MB)
def unfold_intervene(cfg: unfold.UnfoldConfig, gate: str, step: int, unit: int, value: float) -> unfold.Intervention:
    return unfold.intervene(cfg, gate, step, unit, value)


@bounded(max_entries=64, max_bytes=1 * MB)
def unfold_first_input(cfg: unfold.UnfoldConfig) -> unfold.Reach:
    return unfold.first_input_effect(cfg)


@st.cache_data(max_entries=1, show_spinner=False)      # plotly figures, 0.02 MB: a copy for each caller
def home_figures():
    """The Home page's two figures: they depend on nothing, so they are built once per process."""
    from rnnviz.topics.home import figures as home

    return home.sequence_examples(), home.unrolled(5)


# ----- the trained character models (LSTM inside, GRU vs LSTM) -------------------------------------
from rnnviz import pretrained  # noqa: E402
from rnnviz.shared import charlm  # noqa: E402


# Models: one entry per shipped model at most (pretrained/manifest.json lists 9; a name not in it raises, and
# exceptions are not cached), loaded once and counted in the server's baseline (rnnviz.budget).
@st.cache_resource(max_entries=16, show_spinner="Loading the trained model…")
def char_model(name: str):
    """(model, transparent cell, manifest entry), loaded and checked once per process and shared
    read-only by every session. Raises FileNotFoundError / pretrained.IntegrityError / KeyError with a
    message for the page (exceptions are not cached, so a repaired file loads on the next run)."""
    model, meta = pretrained.load(name)
    return model, charlm.transparent(model), meta


# A reading keeps six (T, H) float64 arrays: worst entry 12.9 MB (the LSTM, H = 256, T = 1,000 characters,
# charlm.MAX_CHARS), the GRU's 10.1 MB; a 400-character passage 4–5 MB, a line of 100 characters 1.0–1.3 MB.
# 128 MB hold the eight passage readings (both models, 36 MB) and 7 more texts of the longest kind, or ~80
# lines. A miss costs 20–130 ms.
@bounded(max_entries=128, max_bytes=128 * MB)
def char_reading(name: str, text: str, clamps: tuple = ()) -> charlm.Reading:
    """A model's reading of a (prepared, non-empty) text, optionally with gate clamps."""
    model, cell, _ = char_model(name)
    return charlm.read(model, text, cell=cell, clamps=clamps)


# worst entry: 600 characters of text, 0.001 MB
@bounded(max_entries=64, max_bytes=1 * MB)
def char_generate(name: str, prompt: str, n: int, temperature: float, seed: int) -> str:
    """n characters sampled after `prompt` (seeded: the same settings give the same text)."""
    model, _, _ = char_model(name)
    return charlm.generate(model, prompt, n, temperature=temperature, seed=seed)


# worst entry 12.9 MB, as char_reading's (a reading with one unit's gate held): 32 MB hold 2 of the longest
# texts or 6 passages; each view's clamp is its own key (a student stepping through t hits it), a miss costs 20–50 ms
@bounded(max_entries=64, max_bytes=32 * MB)
def char_clamped(name: str, text: str, gate: str, unit: int, value: float, start: int) -> charlm.Reading:
    """The reading with `gate` of `unit` held at `value` from step `start` (0-based) to the end. Keyed on
    these few numbers: hashing the equivalent tuple of one Clamp per step cost more than the reading."""
    model, cell, _ = char_model(name)
    return charlm.read(model, text, cell=cell, clamps=charlm.clamp_from(gate, unit, value, start, len(text)))


# worst entry: a unit and a number, 0.0001 MB
@bounded(max_entries=64, max_bytes=1 * MB)
def char_best_unit(name: str, text: str, feature: str, quantity: str = "cell state") -> tuple[int, float]:
    """The unit whose `quantity` (see charlm.Reading.quantity) correlates most with one of
    neurons.features(text), and its Pearson r: a small result, so a page can ask on every run."""
    from rnnviz.topics.lstm_inside import neurons

    r = char_reading(name, text, ())
    corr = neurons.correlations(r.quantity(quantity), neurons.features(text)[feature])
    if np.all(np.isnan(corr)):
        return -1, float("nan")
    unit = int(np.nanargmax(np.abs(corr)))
    return unit, float(corr[unit])


@st.cache_resource(max_entries=16, show_spinner="Loading the trained model…")
def pretrained_model(name: str):
    """(model, manifest entry) of any shipped model (pretrained.load: sha256 first, eval mode), loaded once
    per process and shared read-only by every session. Exceptions are not cached: a repaired file loads
    on the next run."""
    return pretrained.load(name)


# ----- the Memory lab: how long a training step takes on this machine (measured once per process and
# setting that changes it; T does not: a step's time is a line in T, memory.Pace)
from rnnviz.topics.memory import compute as memory  # noqa: E402


@bounded(max_entries=32, max_bytes=1 * MB)                       # a few numbers per entry
def memory_pace(task: str, kind: str, hidden: int, batch: int) -> memory.Pace:
    """memory.measure_pace: a few training steps of one cell, timed here (a few hundred ms at most)."""
    return memory.measure_pace(task, kind, hidden, batch)


def memory_paces(cfg: memory.Config) -> dict[str, memory.Pace]:
    """The pace of each of cfg's cells at its own hidden size (Equal parameter counts changes it)."""
    return {k: memory_pace(cfg.task, k, memory.hidden_size(cfg, k), cfg.batch) for k in cfg.cells}
