"""Cached calls of the forecasting demo: each shipped model and its series (from the manifest entry) are loaded
once per process and shared read-only; the one-step pass, the horizon curves and each origin's forecast are
pure results, cached by their few numbers."""
from __future__ import annotations

import numpy as np
import streamlit as st

from rnnviz.topics.forecast import compute as lesson
from rnnviz.ui import cache

MODELS = ("sunspots", "co2")


@st.cache_resource(max_entries=len(MODELS), show_spinner=False)
def series(name: str) -> lesson.Series:
    _, meta = cache.pretrained_model(name)
    return lesson.Series.from_meta(meta)


# worst entries: 0.005 MB each (the whole series, horizons up to 120): the entries' bounds hold first
@cache.bounded(max_entries=4, max_bytes=1 * cache.MB)
def one_step(name: str) -> np.ndarray:
    model, _ = cache.pretrained_model(name)
    return lesson.one_step(model, series(name).values)


@cache.bounded(max_entries=8, max_bytes=1 * cache.MB)
def curve(name: str, max_horizon: int) -> lesson.Curve:
    model, _ = cache.pretrained_model(name)
    return lesson.horizon_curve(model, series(name), max_horizon)


@cache.bounded(max_entries=256, max_bytes=2 * cache.MB)
def forecast(name: str, origin: int, horizon: int) -> lesson.Forecast:
    model, _ = cache.pretrained_model(name)
    return lesson.forecast(model, series(name), origin, horizon)


def answer(name: str) -> tuple[int, str]:
    model, _ = cache.pretrained_model(name)
    return lesson.answer(model, series(name))
