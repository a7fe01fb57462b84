"""Cached calls of the text-generation demo (pure results: each caller gets its own copy)."""
from __future__ import annotations

import streamlit as st

from rnnviz.lessons import generation
from rnnviz.ui import cache

GREEDY_CHARS = 400       # how far the predict-then-reveal looks for a loop


@st.cache_data(max_entries=64, show_spinner=False)
def generate(name: str, prompt: str, n: int, temperature: float, top_k: int, seed: int) -> generation.Generation:
    """n characters after `prompt` from the shipped model `name`, with every step's distributions."""
    model, _ = cache.pretrained_model(name)
    return generation.sample(model, prompt, n, temperature=temperature, top_k=top_k, seed=seed)


def greedy(name: str, prompt: str) -> generation.Generation:
    """Greedy decoding (top-k = 1: no randomness, so the seed and τ do not matter)."""
    return generate(name, prompt, GREEDY_CHARS, 1.0, 1, 0)
