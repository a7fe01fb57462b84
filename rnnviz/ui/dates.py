"""Cached calls of the date-translation demo: the shipped encoder–decoder is loaded once per process
(ui.cache.pretrained_model, shared read-only), and each reading of a (text, beam width) is a pure result."""
from __future__ import annotations

import streamlit as st

from rnnviz.lessons import dates as lesson
from rnnviz.ui import cache

MODEL = "dates"


@st.cache_data(max_entries=256, show_spinner=False)
def reading(text: str, width: int, name: str = MODEL) -> lesson.Reading:
    """The encoder's states, greedy and beam search (width) on a prepared, non-empty text."""
    model, _ = cache.pretrained_model(name)
    return lesson.read(model, text, width)


@st.cache_data(max_entries=4, show_spinner=False)
def mc_answer(name: str = MODEL) -> tuple[int, str]:
    model, _ = cache.pretrained_model(name)
    return lesson.mc_answer(model)


@st.cache_data(max_entries=64, show_spinner=False)
def context_pairs(text: str, name: str = MODEL) -> list[lesson.ContextPair]:
    """c of a typed real date against the same date in other forms, and against the next day (the control)."""
    model, _ = cache.pretrained_model(name)
    return lesson.context_pairs(model, text)
