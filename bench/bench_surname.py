"""The surname demo (`bench/run.py surname`): the model loads once per process, and the page answers a typed
name in ≤ 300 ms median (in process, AppTest). Every run types a name the page has not read before, so no
cache answers for it: the model and the baseline read it afresh."""
from __future__ import annotations

import time

PAGE = "pages/9_Surname_language.py"
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def run(bench) -> None:
    if not hasattr(bench, "page_rerun"):   # after an AppTest run, sys.modules["__main__"] is the app's script
        import run as bench                 # (so run.py may hand over the wrong module): bench/run.py itself
    from rnnviz import pretrained
    from rnnviz.ui import cache

    t0 = time.perf_counter()
    pretrained.load("surname")
    bench.line("load surname (sha256 + safetensors)", f"{1000 * (time.perf_counter() - t0):.0f} ms", "once", True)
    cache.pretrained_model.clear()
    real, loads = pretrained.load, []

    def counted(*args, **kwargs):
        loads.append(args)
        return real(*args, **kwargs)

    pretrained.load = counted                # count the loads the page's runs below cause
    try:
        bench.page_rerun("Surname → language", PAGE, "new typed name, 10 letters",
                         lambda at, i: at.text_input(key="name").set_value(f"Kowals{LETTERS[i % 26]}{LETTERS[i // 26]}ki"),
                         300)
        bench.page_rerun("Surname → language", PAGE, "new name + bigram chart, 10 letters",
                         lambda at, i: at.text_input(key="name").set_value(f"Schmi{LETTERS[i % 26]}{LETTERS[i // 26]}dtz"),
                         300, query={"both": "true"})
    finally:
        pretrained.load = real
    bench.line("surname model loads during 2 × 21 page runs", f"{len(loads)}", "1", len(loads) == 1)
