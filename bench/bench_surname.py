"""The surname demo (`bench/run.py surname`): the model loads once per process, and the page answers a typed
name in ≤ 150 ms median (in process, AppTest). Every run types a name the page has not read before, so no
cache answers for it: the model and the baseline read it afresh."""
from __future__ import annotations

PAGE = "pages/9_Surname_language.py"
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def run(bench) -> None:
    suffix = lambda i: f"{LETTERS[i % 26]}{LETTERS[i // 26]}"                               # noqa: E731
    bench.demo_bench("Surname → language", PAGE, ("surname",), [
        ("new typed name, 10 letters",
         lambda at, i: at.text_input(key="name").set_value(f"Kowals{suffix(i)}ki"), None),
        ("new name + bigram chart, 10 letters",
         lambda at, i: at.text_input(key="name").set_value(f"Schmi{suffix(i)}dtz"), {"both": "true"}),
    ])
