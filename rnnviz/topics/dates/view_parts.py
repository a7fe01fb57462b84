"""Cached calls of the date-translation demo: the shipped encoder–decoder is loaded once per process
(ui.cache.pretrained_model, shared read-only), and each reading of a (text, beam width) is a pure result."""
from __future__ import annotations

from rnnviz.topics.dates import compute as lesson
from rnnviz.ui import cache

MODEL = "dates"


# worst entry 0.115 MB (lesson.MAX_CHARS = 60 characters, beam width 8); a typed date of ~20 characters ~0.04 MB
@cache.bounded(max_entries=256, max_bytes=8 * cache.MB)
def reading(text: str, width: int, name: str = MODEL) -> lesson.Reading:
    """The encoder's states, greedy and beam search (width) on a prepared, non-empty text."""
    model, _ = cache.pretrained_model(name)
    return lesson.read(model, text, width)


@cache.bounded(max_entries=4, max_bytes=1 * cache.MB)            # a number and a sentence
def mc_answer(name: str = MODEL) -> tuple[int, str]:
    model, _ = cache.pretrained_model(name)
    return lesson.mc_answer(model)


@cache.bounded(max_entries=64, max_bytes=2 * cache.MB)           # a few context vectors per date
def context_pairs(text: str, name: str = MODEL) -> list[lesson.ContextPair]:
    """c of a typed real date against the same date in other forms, and against the next day (the control)."""
    model, _ = cache.pretrained_model(name)
    return lesson.context_pairs(model, text)
