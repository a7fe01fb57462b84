"""Cached calls of the surname demo: the shipped model and its bigram baseline, loaded once per process and
shared read-only by every session; a reading per name, cached as a pure result."""
from __future__ import annotations

import streamlit as st

from rnnviz.lessons import surname as lesson
from rnnviz.ui import cache

MODEL = "surname"


@st.cache_resource(show_spinner=False)
def baseline(name: str = MODEL) -> lesson.BigramNB:
    """The character-bigram naive Bayes shipped in the model's manifest entry (counts → table), once."""
    _, meta = cache.pretrained_model(name)
    return lesson.BigramNB.from_json(meta["baseline"]["counts"])


@st.cache_data(max_entries=256, show_spinner=False)
def reading(text: str, name: str = MODEL) -> lesson.Reading:
    """The model and the baseline on a prepared, non-empty name."""
    model, _ = cache.pretrained_model(name)
    return lesson.read(model, baseline(name), text)
