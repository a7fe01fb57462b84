"""The cache every page's computations go through (`bounded`), and the cached calls several topics share: the
shipped models, loaded once, and the character models' readings. Nothing here holds per-user state, and
nothing here knows a topic: a topic's own cached calls live with it (rnnviz/topics/<topic>/view_parts.py),
decorated with `bounded` from here.

Every cache is bounded by entries AND bytes, so that the server's memory has a ceiling whatever the
students ask (issue 19; docs/DEPLOY.md states it, rnnviz.budget adds it up, `make bench BENCH=server_memory`
measures it). Pure results are kept with `bounded` (rnnviz.memo.Memo: each entry weighed as it is stored,
least recently used out first, one read-only object shared by every caller); st.cache_data bounds only the
number of entries and unpickles a copy on every hit. The comment on each cache gives its worst entry, at the
largest input a page allows (measured by tests/ui/test_cache_budget.py, which also holds every bound here):
the byte budget is what a class needs, the entries' bound then only matters for small results.
"""
from __future__ import annotations

import functools
import warnings
from typing import Callable, TypeVar

import streamlit as st

from rnnviz import memo, pretrained
from rnnviz.shared import charlm
from rnnviz.ui import yours

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


# ----- the trained character models (LSTM inside, GRU vs LSTM) -------------------------------------
# Models: one entry per shipped model at most (pretrained/manifest.json lists 9; a name not in it raises, and
# exceptions are not cached), loaded once and counted in the server's baseline (rnnviz.budget).
def char_model(name: str):
    """(model, transparent cell, manifest entry) of a shipped model, or of the student's own (a "yours:…" name:
    ui.yours, this session's model from the Your text page)."""
    return yours.char_model(name) if yours.is_own(name) else shipped_char_model(name)


@st.cache_resource(max_entries=16, show_spinner="Loading the trained model…")
def shipped_char_model(name: str):
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


# ----- any shipped model (the demos) ----------------------------------------------------------------
@st.cache_resource(max_entries=16, show_spinner="Loading the trained model…")
def pretrained_model(name: str):
    """(model, manifest entry) of any shipped model (pretrained.load: sha256 first, eval mode), loaded once
    per process and shared read-only by every session. Exceptions are not cached: a repaired file loads
    on the next run."""
    return pretrained.load(name)
