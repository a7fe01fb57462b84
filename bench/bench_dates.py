"""The date-translation demo (`bench/run.py dates`): the model loads once per process, and the page answers a
typed date in ≤ 300 ms median (in process, AppTest) with beam search at the default width (3), and at width 8.
Every run types a date the page has not read before, so no cache answers for it."""
from __future__ import annotations

import time

PAGE = "pages/12_Date_translation.py"
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")


def run(bench) -> None:
    if not hasattr(bench, "page_rerun"):   # after an AppTest run, sys.modules["__main__"] is the app's script
        import run as bench                 # (so run.py may hand over the wrong module): bench/run.py itself
    from rnnviz import pretrained
    from rnnviz.lessons import dates as lesson

    t0 = time.perf_counter()
    model, _ = pretrained.load("dates")
    bench.line("load dates (sha256 + safetensors)", f"{1000 * (time.perf_counter() - t0):.0f} ms", "once", True)
    ms = bench.timed(lambda: lesson.read(model, "Saturday, November 21st 2026", 3), repeat=20)
    bench.line("dates: encode + greedy + beam (width 3), 28 characters", f"{sorted(ms)[len(ms) // 2]:.1f} ms",
               "-", True)
    typed = lambda at, i: at.text_input(key="date").set_value(f"{MONTHS[i % 12]} {1 + i % 28}, {1950 + i}")  # noqa: E731
    bench.page_rerun("Date translation", PAGE, "new typed date, beam width 3", typed, 300)
    bench.page_rerun("Date translation", PAGE, "new typed date, beam width 8", typed, 300, query={"width": "8"})
