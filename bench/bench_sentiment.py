"""The sentiment demo (`bench/run.py sentiment`): the model loads once per process, and the page answers a typed
sentence in ≤ 150 ms median (in process, AppTest). Every run types a sentence the page has not read before,
so no cache answers for it: the model reads it afresh and every figure is rebuilt."""
from __future__ import annotations

PAGE = "pages/8_Sentiment.py"
LETTERS = "abcdefghijklmnopqrstuvwxyz"
SENTENCE = "the actors are wonderful , but the story is a dull and tedious mess that goes on far too long"  # 20 words


def run(bench) -> None:
    suffix = lambda i: f"{LETTERS[i % 26]}{LETTERS[i // 26]}"                               # noqa: E731
    bench.demo_bench("Sentiment", PAGE, ("sentiment",), [
        ("new typed sentence, 20 words",
         lambda at, i: at.text_input(key="text").set_value(f"{SENTENCE} {suffix(i)}"), None),
        ("new compared sentence, 20 words",
         lambda at, i: at.text_input(key="other").set_value(f"{suffix(i)} {SENTENCE}"), {"text": SENTENCE}),
    ])
