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


def test_the_report_judges_the_timed_moves_against_the_blocks_around_the_page(capsys):
    """A page's ratio is its timed median over the yardstick blocks just before and after it; its first move
    (the one after opening) is printed against the yardstick's own first moves, and not judged."""
    F = bench.Figures
    blocks = [F([100, 100, 100], [0] * 3, [0] * 3, [150]), F([100, 100, 100], [0] * 3, [0] * 3, [150]),
              F([50, 50, 50], [0] * 3, [0] * 3, [90])]
    control = bench.Control("temp", "slider", "main")
    rows = [bench.Row(0, "Page A", control, F([190, 210, 200], [0] * 3, [0] * 3, [600]), ""),
            bench.Row(1, "Page B", control, F([160, 160, 160], [200, 200, 200], [1] * 3, [160]), "")]
    bench.report(blocks, rows)
    out = capsys.readouterr().out
    a, b = (next(line for line in out.splitlines() if line.startswith(p)) for p in ("Page A", "Page B"))
    assert "200 ms  100 ms   2.0×" in a and "600 ms (4.0×)" in a and a.count("not met") == 0   # first: reported
    assert " 75 ms   2.1×" in b and "not met" in b                    # 160 / median(100,100,100,50,50,50) = 2.1
    assert "1 of 2 interactions meet both goals" in out
