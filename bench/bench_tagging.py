"""The tagging demo (`bench/run.py tagging`): the two taggers load once per process, and the page answers a
typed sentence in ≤ 150 ms median (in process, AppTest). Every run types a sentence the page has not read
before, so no cache answers for it: both taggers read it afresh."""
from __future__ import annotations

PAGE = "pages/11_Tagging.py"
WORDS = ["boat", "king", "sword", "crown", "night", "ghost", "letter", "castle", "horse", "storm"]


def run(bench) -> None:
    typed = lambda at, text: at.text_input(key="sentence").set_value(text)                  # noqa: E731
    bench.demo_bench("Tagging", PAGE, ("tagger", "tagger_bi"), [
        ("new typed sentence, 12 words",
         lambda at, i: typed(at, f"The old man saw the {WORDS[i % 10]} and the {WORDS[i // 10 % 10]} {i} times "
                                 "by night."), None),
        ("new 40-word sentence, only the tags used",
         lambda at, i: typed(at, f"{i} " + " ".join(f"I can see the {WORDS[(i + k) % 10]} ," for k in range(8))),
         {"tags": "only the tags used"}),
    ])
