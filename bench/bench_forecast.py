"""The forecasting demo (`bench/run.py forecast`): each model loads once per process, and the page answers a
slider move in ≤ 300 ms median (in process, AppTest; the page's own goal is the 150 ms of every lesson). Every
run moves to a horizon or origin the page has not drawn before, so no cache answers for the forecast."""
from __future__ import annotations

import time

PAGE = "pages/13_Forecasting.py"


def run(bench) -> None:
    if not hasattr(bench, "page_rerun"):   # after an AppTest run, sys.modules["__main__"] is the app's script
        import run as bench                 # (so run.py may hand over the wrong module): bench/run.py itself
    from rnnviz import pretrained
    from rnnviz.ui import cache

    for name in ("sunspots", "co2"):
        t0 = time.perf_counter()
        pretrained.load(name)
        bench.line(f"load {name} (sha256 + safetensors)", f"{1000 * (time.perf_counter() - t0):.0f} ms", "once", True)
    cache.pretrained_model.clear()
    real, loads = pretrained.load, []

    def counted(*args, **kwargs):
        loads.append(args)
        return real(*args, **kwargs)

    pretrained.load = counted                # count the loads the page's runs below cause
    try:
        bench.page_rerun("Forecasting", PAGE, "sunspots, move the horizon",
                         lambda at, i: at.slider(key="years").set_value(1 + i), 300)
        bench.page_rerun("Forecasting", PAGE, "co2, move the origin (60 months)",
                         lambda at, i: at.slider(key="from").set_value(1960 + 2 * i), 300,
                         query={"series": "co2", "months": "60"})
    finally:
        pretrained.load = real
    bench.line("forecast model loads during 2 × 21 page runs", f"{len(loads)}", "2", len(loads) == 2)
