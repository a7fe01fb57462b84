"""The date-translation demo (`bench/run.py dates`): the model loads once per process, and the page answers a
typed date in ≤ 150 ms median (in process, AppTest) with beam search at the default width (3), and at width 8.
Every run types a date the page has not read before, so no cache answers for it."""
from __future__ import annotations

PAGE = "pages/12_Date_translation.py"
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")


def run(bench) -> None:
    from rnnviz import pretrained
    from rnnviz.topics.dates import compute as lesson

    model, _ = pretrained.load("dates")
    ms = bench.timed(lambda: lesson.read(model, "Saturday, November 21st 2026", 3), repeat=20)
    bench.line("dates: encode + greedy + beam (width 3), 28 characters", f"{sorted(ms)[len(ms) // 2]:.1f} ms",
               "-", True)
    typed = lambda at, i: at.text_input(key="date").set_value(f"{MONTHS[i % 12]} {1 + i % 28}, {1950 + i}")  # noqa: E731
    bench.demo_bench("Date translation", PAGE, ("dates",), [
        ("new typed date, beam width 3", typed, None),
        ("new typed date, beam width 8", typed, {"width": "8"}),
    ])
