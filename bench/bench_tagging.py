"""The tagging demo (`bench/run.py tagging`): the two taggers load once per process, and the page answers a
typed sentence in ≤ 300 ms median (in process, AppTest). Every run types a sentence the page has not read
before, so no cache answers for it: both taggers read it afresh."""
from __future__ import annotations

import time

PAGE = "pages/11_Tagging.py"
WORDS = ["boat", "king", "sword", "crown", "night", "ghost", "letter", "castle", "horse", "storm"]


def run(bench) -> None:
    if not hasattr(bench, "page_rerun"):   # after an AppTest run, sys.modules["__main__"] is the app's script
        import run as bench                 # (so run.py may hand over the wrong module): bench/run.py itself
    from rnnviz import pretrained
    from rnnviz.ui import cache

    t0 = time.perf_counter()
    pretrained.load("tagger")
    pretrained.load("tagger_bi")
    bench.line("load tagger + tagger_bi (sha256 + safetensors)", f"{1000 * (time.perf_counter() - t0):.0f} ms",
               "once", True)
    cache.pretrained_model.clear()
    real, loads = pretrained.load, []

    def counted(*args, **kwargs):
        loads.append(args)
        return real(*args, **kwargs)

    pretrained.load = counted                # count the loads the page's runs below cause
    try:
        bench.page_rerun("Tagging", PAGE, "new typed sentence, 12 words",
                         lambda at, i: at.text_input(key="sentence").set_value(
                             f"The old man saw the {WORDS[i % 10]} and the {WORDS[i // 10 % 10]} {i} times by night."),
                         300)
        bench.page_rerun("Tagging", PAGE, "new 40-word sentence, only the tags used",
                         lambda at, i: at.text_input(key="sentence").set_value(
                             f"{i} " + " ".join([f"I can see the {WORDS[(i + k) % 10]} ," for k in range(8)])),
                         300, query={"tags": "only the tags used"})
    finally:
        pretrained.load = real
    bench.line("tagger model loads during 2 × 21 page runs", f"{len(loads)}", "2", len(loads) == 2)
