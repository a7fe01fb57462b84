"""bench/browser.py's machinery, on its yardstick page only (the figures and their goals are `make bench
BENCH=browser`; no timing is asserted here): it finds the slider by its key, each key press starts a run that
it sees finish on the websocket, the page redraws, and what it reads are measurements."""
from __future__ import annotations

import math

from bench import browser as bench
from kit import ROOT
from kit import browser as kb
from kit.server import serve


def test_browser_bench_measures_the_yardstick_page(browser, playwright_instance):
    with serve(ROOT, command=bench.BARE_PAGE) as bare:
        ctx = kb.new_context(browser, bench.PROFILE, playwright_instance)
        try:
            tab = bench.Tab(ctx)
            tab.open(bare.url)
            (control,) = bench.choose(tab, "")                  # no table row: the first visible slider
            assert control[:3] == ("n", "slider", "sidebar")
            before = tab.finished
            runs = tab.measure(control, 2)
            assert tab.finished - before == 2, "each press: one script run, seen to finish"
            assert tab.page.locator('[class~="st-key-n"] input').input_value() == "52"     # 50, moved twice
            assert tab.page.locator('[data-testid="stPlotlyChart"] svg text', has_text="52 points").count()
            for r in runs:
                assert math.isfinite(r["settle"]) and r["settle"] > 0, r
                assert math.isfinite(r["busy"]) and r["busy"] >= 0 and r["n"] >= 0, r
        finally:
            ctx.close()
