"""Cached computations shared by the pages. st.cache_data keeps pure results (each caller gets its own
copy); nothing here holds per-user state."""
from __future__ import annotations

import numpy as np
import streamlit as st

from rnnviz.lessons import bptt_lesson, lab


@st.cache_data(max_entries=192, show_spinner=False)
def _lab_cell(cfg: lab.LabConfig, kind: str) -> lab.CellResult:
    return lab.run_cell(cfg, kind)


def lab_cell(cfg: lab.LabConfig, kind: str) -> lab.CellResult:
    """One cell of the gradient lab, cached on the settings it uses (a preset note's numbers)."""
    return _lab_cell(lab.relevant(cfg, kind), kind)


def lab_run(cfg: lab.LabConfig) -> lab.LabResult:
    """The gradient lab for one configuration, each cell cached on the settings it uses (the config
    is a frozen dataclass, so it is the key): moving the forget-gate bias recomputes the LSTM alone."""
    return lab.run(cfg, cell_runner=_lab_cell)


@st.cache_data(max_entries=32, show_spinner="Training the model and running the backward pass…")
def bptt_lesson_run(cfg: bptt_lesson.LessonConfig) -> bptt_lesson.Lesson:
    """The BPTT lesson for one configuration: seeded training, forward, full BPTT, shares by step and
    by distance. 20–40 ms at the defaults; under a second at the largest (T = 40, H = 16, 200 steps)."""
    return bptt_lesson.run(cfg)


@st.cache_data(max_entries=64, show_spinner=False)
def bptt_truncated(cfg: bptt_lesson.LessonConfig, k: int, scheme: str = "sliding") -> bptt_lesson.Truncation:
    """Truncated BPTT with window k ("sliding" or "chunks") for the lesson of `cfg`."""
    return bptt_lesson.truncated(bptt_lesson_run(cfg), k, scheme)


# ----- the Unfolded-RNN lesson (T ≤ 40, H ≤ 8: each run takes milliseconds; cached all the same, so
# a play tick or a step button never recomputes the sequence)
from rnnviz.lessons import unfold  # noqa: E402


@st.cache_data(max_entries=64, show_spinner=False)
def unfold_run(cfg: unfold.UnfoldConfig) -> unfold.Unfolded:
    return unfold.run(cfg)


@st.cache_data(max_entries=64, show_spinner=False)
def unfold_intervene(cfg: unfold.UnfoldConfig, gate: str, step: int, unit: int, value: float) -> unfold.Intervention:
    return unfold.intervene(cfg, gate, step, unit, value)


@st.cache_data(max_entries=64, show_spinner=False)
def unfold_first_input(cfg: unfold.UnfoldConfig) -> unfold.Reach:
    return unfold.first_input_effect(cfg)


@st.cache_data(show_spinner=False)
def home_figures():
    """The Home page's two figures: they depend on nothing, so they are built once per process."""
    from rnnviz.figures import home

    return home.sequence_examples(), home.unrolled(5)


# ----- the trained character models (LSTM inside, GRU vs LSTM) -------------------------------------
from rnnviz import pretrained  # noqa: E402
from rnnviz.lessons import charlm  # noqa: E402


@st.cache_resource(show_spinner="Loading the trained model…")
def char_model(name: str):
    """(model, transparent cell, manifest entry), loaded and checked once per process and shared
    read-only by every session. Raises FileNotFoundError / pretrained.IntegrityError / KeyError with a
    message for the page (exceptions are not cached, so a repaired file loads on the next run)."""
    model, meta = pretrained.load(name)
    return model, charlm.transparent(model), meta


@st.cache_data(max_entries=48, show_spinner=False)
def char_reading(name: str, text: str, clamps: tuple = ()) -> charlm.Reading:
    """A model's reading of a (prepared, non-empty) text, optionally with gate clamps."""
    model, cell, _ = char_model(name)
    return charlm.read(model, text, cell=cell, clamps=clamps)


@st.cache_data(max_entries=64, show_spinner=False)
def char_generate(name: str, prompt: str, n: int, temperature: float, seed: int) -> str:
    """n characters sampled after `prompt` (seeded: the same settings give the same text)."""
    model, _, _ = char_model(name)
    return charlm.generate(model, prompt, n, temperature=temperature, seed=seed)


@st.cache_data(max_entries=64, show_spinner=False)
def char_clamped(name: str, text: str, gate: str, unit: int, value: float, start: int) -> charlm.Reading:
    """The reading with `gate` of `unit` held at `value` from step `start` (0-based) to the end. Keyed on
    these few numbers: hashing the equivalent tuple of one Clamp per step cost more than the reading."""
    model, cell, _ = char_model(name)
    return charlm.read(model, text, cell=cell, clamps=charlm.clamp_from(gate, unit, value, start, len(text)))


@st.cache_data(max_entries=64, show_spinner=False)
def char_best_unit(name: str, text: str, feature: str, quantity: str = "cell state") -> tuple[int, float]:
    """The unit whose `quantity` (see charlm.Reading.quantity) correlates most with one of
    neurons.features(text), and its Pearson r: a small result, so a page can ask on every run."""
    from rnnviz.lessons import neurons

    r = char_reading(name, text, ())
    corr = neurons.correlations(r.quantity(quantity), neurons.features(text)[feature])
    if np.all(np.isnan(corr)):
        return -1, float("nan")
    unit = int(np.nanargmax(np.abs(corr)))
    return unit, float(corr[unit])


@st.cache_resource(show_spinner="Loading the trained model…")
def pretrained_model(name: str):
    """(model, manifest entry) of any shipped model (pretrained.load: sha256 first, eval mode), loaded once
    per process and shared read-only by every session. Exceptions are not cached: a repaired file loads
    on the next run."""
    return pretrained.load(name)


# ----- the Memory lab: how long a training step takes on this machine (measured once per process and
# setting that changes it; T does not: a step's time is a line in T, memory.Pace)
from rnnviz.lessons import memory  # noqa: E402


@st.cache_data(max_entries=32, show_spinner="Timing a training step on this computer…")
def memory_pace(task: str, kind: str, hidden: int, batch: int) -> memory.Pace:
    """memory.measure_pace: a few training steps of one cell, timed here (a few hundred ms at most)."""
    return memory.measure_pace(task, kind, hidden, batch)


def memory_paces(cfg: memory.Config) -> dict[str, memory.Pace]:
    """The pace of each of cfg's cells at its own hidden size (Equal parameter counts changes it)."""
    return {k: memory_pace(cfg.task, k, memory.hidden_size(cfg, k), cfg.batch) for k in cfg.cells}
