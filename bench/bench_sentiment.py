"""The sentiment demo (`bench/run.py sentiment`): the model loads once per process, and the page answers a typed
sentence in ≤ 300 ms median (in process, AppTest). Every run types a sentence the page has not read before,
so no cache answers for it: the model reads it afresh and every figure is rebuilt."""
from __future__ import annotations

import time

PAGE = "pages/8_Sentiment.py"
LETTERS = "abcdefghijklmnopqrstuvwxyz"
SENTENCE = "the actors are wonderful , but the story is a dull and tedious mess that goes on far too long"  # 20 words


def run(bench) -> None:
    if not hasattr(bench, "page_rerun"):   # after an AppTest run, sys.modules["__main__"] is the app's script
        import run as bench                 # (so run.py may hand over the wrong module): bench/run.py itself
    from rnnviz import pretrained
    from rnnviz.ui import cache

    t0 = time.perf_counter()
    pretrained.load("sentiment")
    bench.line("load sentiment (sha256 + safetensors)", f"{1000 * (time.perf_counter() - t0):.0f} ms", "once", True)
    cache.pretrained_model.clear()
    real, loads = pretrained.load, []

    def counted(*args, **kwargs):
        loads.append(args)
        return real(*args, **kwargs)

    pretrained.load = counted                # count the loads the page's runs below cause
    try:
        bench.page_rerun("Sentiment", PAGE, "new typed sentence, 20 words",
                         lambda at, i: at.text_input(key="text").set_value(
                             f"{SENTENCE} {LETTERS[i % 26]}{LETTERS[i // 26]}"), 300)
        bench.page_rerun("Sentiment", PAGE, "new compared sentence, 20 words",
                         lambda at, i: at.text_input(key="other").set_value(
                             f"{LETTERS[i % 26]}{LETTERS[i // 26]} {SENTENCE}"), 300, query={"text": SENTENCE})
    finally:
        pretrained.load = real
    bench.line("sentiment model loads during 2 × 21 page runs", f"{len(loads)}", "1", len(loads) == 1)
