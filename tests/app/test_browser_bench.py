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


def test_the_report_judges_each_row_against_its_own_yardstick(capsys):
    """A row's ratio is its timed median over the median of the yardstick's moves that alternated with it; its
    first move (the one after opening) is printed against the yardstick's own first move, and not judged."""
    F = bench.Figures
    control = bench.Control("temp", "slider", "main")
    rows = [bench.Row("Page A", control, F([190, 210, 200], [0] * 3, [0] * 3, [600]), "",
                      F([90, 100, 110], [0] * 3, [0] * 3, [150])),
            bench.Row("Page B", control, F([160, 160, 160], [200, 200, 200], [1] * 3, [160]), "",
                      F([50, 75, 100], [0] * 3, [0] * 3, [90])),
            bench.Row("Page C", None, None, "no slider or typed input: nothing to measure")]
    bench.report(rows)
    out = capsys.readouterr().out
    a, b = (next(line for line in out.splitlines() if line.startswith(p)) for p in ("Page A", "Page B"))
    assert "200 ms  100 ms   2.0×" in a and "600 ms (4.0×)" in a and a.count("not met") == 0   # first: reported
    assert " 75 ms   2.1×" in b and "not met" in b                    # 160 / median(50, 75, 100) = 2.1
    assert "Page C" in out and "1 of 2 interactions meet both goals" in out
    assert "95 ms median (rows 75–100)" in out                       # median of all six yardstick moves


def test_moves_alternate_with_the_yardstick():
    """alternating: page, yardstick, yardstick, page, ...: the yardstick's moves share the page's seconds."""
    order = []

    class Fake:
        def __init__(self, name):
            self.name = name

        def mover(self, c, n):
            return lambda: order.append(self.name) or {"settle": 1.0, "busy": 0.0, "n": 0}

    page, yard = bench.alternating(Fake("page"), None, Fake("yard"), None, 3)
    assert order == ["page", "yard", "yard", "page"] * 3
    assert len(page.settle) == len(yard.settle) == 3
