"""The Text generation demo (`bench/run.py generation`): the model loads once per process, and the page answers
a typed prompt in ≤ 150 ms median (in process, AppTest): each prompt is new, so the 120 characters are
generated afresh every run; and moving the step alone."""
from __future__ import annotations

PAGE = "pages/10_Text_generation.py"
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def run(bench) -> None:
    step = lambda at: next(s for s in at.slider if s.label == "Generated step t")             # noqa: E731
    bench.demo_bench("Text generation", PAGE, ("char_lstm",), [
        ("new typed prompt, 120 chars",
         lambda at, i: at.text_area(key="prompt").set_value(f"ROMEO.\nBut soft, {LETTERS[i % 26]}{LETTERS[i // 26]}"),
         None),
        ("move step t", lambda at, i: step(at).set_value(2 + i), None),
    ])
