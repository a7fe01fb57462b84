"""Cached calls of the text-generation demo (pure results, shared read-only: rnnviz.ui.cache.bounded)."""
from __future__ import annotations

from rnnviz.topics.generation import compute as generation
from rnnviz.ui import cache

GREEDY_CHARS = 400       # how far the predict-then-reveal looks for a loop


# Every step's four (N, V) distributions: worst entry 0.95 MB (N = generation.MAX_NEW = 400, a 1,000-character
# prompt); the default 120 characters 0.3 MB. 16 MB hold 16 of the longest or ~50 of the default.
@cache.bounded(max_entries=128, max_bytes=16 * cache.MB)
def generate(name: str, prompt: str, n: int, temperature: float, top_k: int, seed: int) -> generation.Generation:
    """n characters after `prompt` from the shipped model `name`, with every step's distributions."""
    model, _ = cache.pretrained_model(name)
    return generation.sample(model, prompt, n, temperature=temperature, top_k=top_k, seed=seed)


def greedy(name: str, prompt: str) -> generation.Generation:
    """Greedy decoding (top-k = 1: no randomness, so the seed and τ do not matter)."""
    return generate(name, prompt, GREEDY_CHARS, 1.0, 1, 0)
