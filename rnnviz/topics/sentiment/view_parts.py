"""Cached calls of the sentiment demo: the shipped model is loaded once per process (ui.cache.pretrained_model,
shared read-only by every session); readings, the negation check and the presets are cached pure results."""
from __future__ import annotations

from rnnviz.topics.sentiment import compute as lesson
from rnnviz.ui import cache

MODEL = "sentiment"


# worst entry 0.063 MB (lesson.MAX_WORDS = 60 words); a sentence of 10 words ~0.01 MB
@cache.bounded(max_entries=256, max_bytes=4 * cache.MB)
def reading(words: tuple[str, ...], name: str = MODEL) -> lesson.Reading:
    """The model's reading of prepared, non-empty words: p(positive) and h_t after every word."""
    model, _ = cache.pretrained_model(name)
    return lesson.read(model, list(words))


@cache.bounded(max_entries=4, max_bytes=1 * cache.MB)            # 0.0003 MB
def negation(name: str = MODEL) -> list[lesson.Pair]:
    """Does "not" turn the verdict? Each pair of lesson.NEGATIONS, read by the model."""
    model, _ = cache.pretrained_model(name)
    return lesson.negation(model)


@cache.bounded(max_entries=4, max_bytes=1 * cache.MB)            # 0.001 MB
def presets(name: str = MODEL) -> list[tuple[str, dict, str]]:
    """The "What to try" buttons with notes computed from the model."""
    model, meta = cache.pretrained_model(name)
    return lesson.presets(model, meta.get("examples", {}))


# ----- the same recipe without the made-up "not WORD" examples, read beside the shipped model
from rnnviz.topics.sentiment import negation as _negation  # noqa: E402

PLAIN = "sentiment_no_not"


@cache.bounded(max_entries=1, max_bytes=1 * cache.MB)            # one table of 8 rows
def negation_rows() -> list[_negation.Row]:
    """Both models on every pair of lesson.NEGATIONS, with each negation's training counts."""
    model, meta = cache.pretrained_model(MODEL)
    plain, plain_meta = cache.pretrained_model(PLAIN)
    return _negation.compare(model, meta, plain, plain_meta)


@cache.bounded(max_entries=1, max_bytes=1 * cache.MB)            # a number and a sentence
def negation_answer() -> tuple[int, str]:
    """The predict-then-reveal's answer, from both models."""
    model, _ = cache.pretrained_model(MODEL)
    plain, _ = cache.pretrained_model(PLAIN)
    return _negation.answer(model, plain)
