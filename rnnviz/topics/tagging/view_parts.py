"""Cached calls of the tagging demo: the two shipped taggers are loaded once per process (ui.cache) and shared
read-only by every session; a reading of a sentence by both is a pure result, cached by its words."""
from __future__ import annotations

from rnnviz.topics.tagging import compute as lesson
from rnnviz.ui import cache

UNI, BI = "tagger", "tagger_bi"


# worst entry 0.009 MB (lesson.MAX_WORDS = 40 tokens): the entries' bound holds first (256 × 0.009 = 2.3 MB)
@cache.bounded(max_entries=256, max_bytes=4 * cache.MB)
def reading(words: tuple[str, ...]) -> lesson.Reading:
    """Both taggers on a prepared, non-empty sentence."""
    uni, _ = cache.pretrained_model(UNI)
    bi, _ = cache.pretrained_model(BI)
    return lesson.read(uni, bi, list(words))


@cache.bounded(max_entries=128, max_bytes=1 * cache.MB)          # one sentence per entry
def ahead_note(words: tuple[str, ...]) -> str | None:
    """What reading ahead did where the taggers disagree: the bidirectional tagger on the sentence cut after
    each such word, against the whole sentence."""
    uni, _ = cache.pretrained_model(UNI)
    bi, _ = cache.pretrained_model(BI)
    return lesson.ahead_note(bi, lesson.read(uni, bi, list(words)))
