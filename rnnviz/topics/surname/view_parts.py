"""Cached calls of the surname demo: the shipped model and its bigram baseline, loaded once per process and
shared read-only by every session; a reading per name, cached as a pure result (rnnviz.ui.cache.bounded)."""
from __future__ import annotations

import streamlit as st

from rnnviz.topics.surname import compute as lesson
from rnnviz.ui import cache

MODEL = "surname"


@st.cache_resource(max_entries=1, show_spinner=False)
def baseline(name: str = MODEL) -> lesson.BigramNB:
    """The character-bigram naive Bayes shipped in the model's manifest entry (counts → table), once."""
    _, meta = cache.pretrained_model(name)
    return lesson.BigramNB.from_json(meta["baseline"]["counts"])


# worst entry 0.011 MB (lesson.MAX_LETTERS = 40 letters): the entries' bound holds first (256 × 0.011 = 2.8 MB)
@cache.bounded(max_entries=256, max_bytes=4 * cache.MB)
def reading(text: str, name: str = MODEL) -> lesson.Reading:
    """The model and the baseline on a prepared, non-empty name."""
    model, _ = cache.pretrained_model(name)
    return lesson.read(model, baseline(name), text)
