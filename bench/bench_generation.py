"""The Text generation page answering a typed prompt (goal ≤ 300 ms median, in process, AppTest): each
prompt is new, so the 120 characters are generated afresh every run; and moving the step alone."""
from __future__ import annotations

PAGE = "pages/10_Text_generation.py"
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def run(bench) -> None:
    if not hasattr(bench, "page_rerun"):   # after an AppTest run, sys.modules["__main__"] is the app's script
        import run as bench                 # (so run.py may hand over the wrong module): bench/run.py itself
    bench.page_rerun("Text generation", PAGE, "new typed prompt, 120 chars",
                     lambda at, i: at.text_area(key="prompt").set_value(f"ROMEO.\nBut soft, {LETTERS[i % 26]}"
                                                                        f"{LETTERS[i // 26]}"), 300)
    step = lambda at: next(s for s in at.slider if s.label == "Generated step t")             # noqa: E731
    bench.page_rerun("Text generation", PAGE, "move step t", lambda at, i: step(at).set_value(2 + i), 300)
