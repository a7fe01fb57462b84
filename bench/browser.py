"""The browser bench (`make bench BENCH=browser`; one page: BENCH=browser:<topic>, e.g. browser:lab): what a
student waits for after moving a control, in Chromium, against a yardstick measured in the same run.

Goals (issue 22, item 2), on every page with a slider or a typed input:
  a move settles in ≤ 2× the yardstick's time ............ SETTLE_GOAL
  the browser's main thread is busy ≤ 150 ms (long tasks) . BUSY_GOAL_MS

The yardstick: bench/bare_page.py, a bare Streamlit page (one sidebar slider redrawing one small plotly
chart), served by the same launcher (tests/kit/server.py) beside the app (serve.py, as `make run` serves it)
and measured the same way, move for move with each page: a page's moves and the yardstick's alternate (page,
yardstick, yardstick, page, ...), each in a tab of its own, so both are timed in the same seconds, and a drift
in the machine's speed (seen: 1.5× within minutes on a busy machine, and a load that comes and goes within a
page's few seconds) falls on both alike. Each row's ratio is its own median over its own yardstick's median.

One interaction, as a student makes it (Chromium, 1366×768, a tab of its own per server):
  a slider: its thumb focused, ArrowRight pressed (ArrowLeft when fewer than REPEAT + WARMUP steps are left
  to its end): every press sets a value not seen before, so no cache answers (slider_keys);
  a text box: a new text filled in, then Enter (Ctrl+Enter in a text area) pressed.
  The control is found by its key (Streamlit's `st-key-<key>` class) wherever it sits, sidebar or main
  column: bench/pages.py BROWSER names it per page, else the page's first visible slider, else its first
  visible text box.

"Settled", exactly: from the keydown (performance.now() in a capturing listener) to the last DOM change
(a MutationObserver on the whole document: elements, text and attributes), once all of these hold:
  - the script run the key started has finished: the server's `script_finished` message has arrived on
    the websocket after the key (read from the frames themselves: a fast rerun can start and finish
    between two frames without the page's data-test-script-state attribute ever changing);
  - the page says so too: stApp's data-test-script-state is notRunning;
  - every chart is drawn and nothing is stale (tests/kit/browser.py DRAWN_JS: no skeleton, no
    data-stale element, every plotly chart has its svg/canvas, images loaded);
  - and no DOM change for QUIET_MS since the last one. The quiet window is not in the figure: the figure
    ends at the last change.
Main thread busy: the sum (and count) of the PerformanceObserver 'longtask' entries (tasks over 50 ms)
that end after the keydown and start before the settle was seen.
Each interaction: WARMUP untimed, then REPEAT timed; the median is printed, with the runs.

Like with like: the yardstick's tab is opened afresh for each row, as each page is, and both get the same
WARMUP moves (alternating too) before the timed ones. (Until 2026-12-07 the yardstick's tab stayed open the
whole run, dozens of moves warm, while each page was timed from its second move after loading: a freshly loaded
page's first moves run its scripts before the browser has compiled them for speed, e.g. Text generation's τ 251,
189, 136, 120 ms for its first four moves, then 100–140; the bare page's 104, 105, 89, then 66–94. Until
2026-12-07 evening the yardstick was timed in blocks of 5 moves between the pages, not alternating with them:
a row's median swung by ±0.3× from run to run with the machine's load, as two A/B runs of one page showed.)
The very first move after loading, the one a student meets first, is printed too, against the yardstick's own
first move: it is reported, not judged (the goal is judged on the timed moves).
Never part of `make test`: tests/app/test_browser_bench.py only checks the machinery, on the yardstick page.
"""
from __future__ import annotations

import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import NamedTuple

from bench import ROOT, pages

from kit import browser as kb
from kit.server import serve

WARMUP, REPEAT = 3, 8
QUIET_MS = 100
SETTLE_GOAL = 2.0                  # × the yardstick
BUSY_GOAL_MS = 150                 # long tasks per interaction
PROFILE = "laptop"                 # 1366×768
TIMEOUT_S = 60                     # one interaction, a cold model load included
APP = ("serve.py",)                # the app as `make run` and the image serve it (torch imported while it starts)
BARE_PAGE = ("-m", "streamlit", "run", "bench/bare_page.py")

# Installed in a tab after each page load: the last DOM change, the keydown's time, the long tasks.
INSTALL_JS = """() => {
  const b = window.__bench = {armed: false, t0: null, last: performance.now(), tasks: []};
  new MutationObserver(() => { b.last = performance.now(); }).observe(document.documentElement,
      {subtree: true, childList: true, characterData: true, attributes: true});
  b.obs = new PerformanceObserver(list => { for (const e of list.getEntries()) b.tasks.push([e.startTime, e.duration]); });
  b.obs.observe({type: "longtask"});
  document.addEventListener("keydown", () => { if (b.armed) { b.armed = false; b.t0 = performance.now(); } }, true);
}"""
ARM_JS = "() => { const b = window.__bench; b.armed = true; b.t0 = null; b.tasks = []; }"
STATE_JS = """() => {
  const b = window.__bench, app = document.querySelector('[data-testid="stApp"]');
  return {t0: b.t0, last: b.last, now: performance.now(), drawn: (%s)(),
          idle: !!app && app.getAttribute("data-test-script-state") === "notRunning"};
}""" % kb.DRAWN_JS
READ_JS = """() => {
  const b = window.__bench, end = performance.now();
  for (const e of b.obs.takeRecords()) b.tasks.push([e.startTime, e.duration]);
  const tasks = b.tasks.filter(([s, d]) => s + d >= b.t0 && s <= end);
  return {settle: b.last - b.t0, busy: tasks.reduce((a, [s, d]) => a + d, 0), n: tasks.length};
}"""
# The page's controls that a student types in or slides, visible, in document order (the sidebar's first):
# [key, kind, "sidebar" | "main"], kind one of slider, text, textarea, number.
# A keyed container (a main view's `stage_<key>`) holds keyed widgets: only the innermost key names a control.
CONTROLS_JS = """() => [...document.querySelectorAll('[class*="st-key-"]')].map(e => {
  const key = [...e.classList].find(c => c.startsWith("st-key-"))?.slice(7);
  const own = sel => [...e.querySelectorAll(sel)].some(i => i.closest('[class*="st-key-"]') === e);
  const kind = own('input[type="range"]') ? "slider"
    : own('[data-testid="stTextArea"] textarea') ? "textarea"
    : own('[data-testid="stNumberInput"] input') ? "number"
    : own('[data-testid="stTextInput"] input') ? "text" : null;
  const seen = e.checkVisibility ? e.checkVisibility() : e.offsetParent !== null;
  return kind && key && seen ? [key, kind, e.closest('[data-testid="stSidebar"]') ? "sidebar" : "main"] : null;
}).filter(x => x)"""
INPUT = {"slider": 'input[type="range"]', "textarea": "textarea", "number": "input", "text": "input"}


class Control(NamedTuple):
    key: str
    kind: str                      # slider, text, textarea, number
    where: str                     # sidebar, main
    text: object = None            # pages.Touch.text
    note: str = ""                 # why this one (a pinned key that is gone)


class Figures(NamedTuple):
    settle: list[float]            # ms, the timed runs
    busy: list[float]              # ms of long tasks, per run
    count: list[int]               # long tasks, per run
    first: list[float]             # ms, the first move after the page was opened (one; pooled blocks: more)

    @property
    def median(self) -> float:
        return statistics.median(self.settle)


class Tab:
    """A browser tab measuring interactions; counts the script runs the server reports finished."""

    def __init__(self, context):
        self.page = context.new_page()
        self.finished = 0
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        # script_finished is a message of a few bytes; the deltas (kilobytes) are not parsed
        if isinstance(payload, bytes) and len(payload) < 256:
            from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

            if ForwardMsg.FromString(payload).WhichOneof("type") == "script_finished":
                self.finished += 1

    def open(self, url: str) -> None:
        self.page.goto(url)
        kb.wait_drawn(self.page)
        self.page.evaluate(INSTALL_JS)
        self.settled(time.monotonic() + TIMEOUT_S, quiet=300)     # whatever the first run left to draw
        kb.assert_no_exception(self.page)

    def train(self) -> str:
        """Press Train and watch until the run ends: the live view's redraws (each a fragment run) and the long
        tasks meanwhile. Returns the report's line, with the goal: no long task over BUSY_GOAL_MS (a redraw, or
        the page's last run when the training ends, that kept the browser busy longer would be felt)."""
        runs, t0 = self.finished, time.monotonic()
        self.page.evaluate("() => { const b = window.__bench; b.t0 = performance.now(); b.tasks = []; }")
        self.page.get_by_role("button", name=re.compile(r"Train$")).first.click()
        ended = self.page.get_by_text(re.compile(r"^(Finished|Stopped): \d+ s, step"))
        ended.first.wait_for(timeout=180_000)
        self.settled(time.monotonic() + TIMEOUT_S)
        seconds, redraws = time.monotonic() - t0, self.finished - runs
        tasks = [d for _, d in self.page.evaluate(
            "() => { const b = window.__bench; for (const e of b.obs.takeRecords()) b.tasks.push([e.startTime, e.duration]);"
            " return b.tasks.filter(([s]) => s >= b.t0); }")]
        longest = max(tasks, default=0.0)          # a redraw's own long tasks are at most this (and its end's)
        return (f"while training ({seconds:.0f} s, {redraws} live redraws): long tasks {sum(tasks):.0f} ms in all "
                f"({len(tasks)}), the longest {longest:.0f} ms   {'met' if longest <= BUSY_GOAL_MS else 'not met'} "
                f"(no redraw over {BUSY_GOAL_MS} ms of long tasks)")

    def settled(self, deadline: float, quiet: float = QUIET_MS, runs: int | None = None) -> None:
        """Poll until the page is settled (see the module's docstring); runs: wait for the finished count
        to pass it first."""
        while True:
            s = self.page.evaluate(STATE_JS)
            if (runs is None or self.finished > runs) and s["idle"] and s["drawn"] and s["now"] - s["last"] >= quiet:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"not settled within {TIMEOUT_S} s (runs finished: {self.finished}, "
                                   f"state {s})")
            self.page.wait_for_timeout(20)                     # lets Playwright deliver the websocket frames

    def controls(self) -> list[list[str]]:
        return self.page.evaluate(CONTROLS_JS)

    def measure(self, c: Control, n: int) -> list[dict]:
        """n interactions with control c: one dict (settle, busy, n) each."""
        move = self.mover(c, n)
        return [move() for _ in range(n)]

    def mover(self, c: Control, n: int):
        """A function making the next of n interactions with control c at each call (its dict: settle, busy,
        n): a slider's keys are planned for all n at once (slider_keys), so each move is to a new value."""
        box = self.page.locator(f'[class~="st-key-{c.key}"] {INPUT[c.kind]}').first
        keys = (slider_keys(*box.evaluate("e => [+e.min, +e.max, +e.value, +e.step || 1]"), n)
                if c.kind == "slider" else None)
        done = iter(range(n))
        return lambda: self._move(c, box, next(done), keys)

    front = None                                   # the tab in front (moves alternate between two tabs)

    def _move(self, c: Control, box, i: int, keys: list[str] | None) -> dict:
        if Tab.front is not self:                  # a tab brought back to the front redraws: not in the move
            self.page.bring_to_front()
            Tab.front = self
            self.settled(time.monotonic() + TIMEOUT_S)
        if c.kind == "slider":
            box.focus()
            key = keys[i]
        else:
            old = box.input_value()
            new = c.text(i) if c.text else (str(int(float(old or 0)) + 1) if c.kind == "number"
                                            else old[:-2] + pages.LETTERS[i % 26] + pages.LETTERS[i // 26 % 26])
            box.fill(new)
            key = "Control+Enter" if c.kind == "textarea" else "Enter"
            self.settled(time.monotonic() + TIMEOUT_S)     # what typing redrew (a counter) is not counted
        runs = self.finished
        self.page.evaluate(ARM_JS)
        box.press(key)
        self.settled(time.monotonic() + TIMEOUT_S, runs=runs)
        out = self.page.evaluate(READ_JS)
        kb.assert_no_exception(self.page)
        return out


def slider_keys(lo: float, hi: float, value: float, step: float, n: int) -> list[str]:
    """n key presses that each move a slider at `value` to a value it has not had (no cache answers), if its
    range allows: all to the right, else all to the left, else back and forth (a short range)."""
    if hi - value >= n * step:
        return ["ArrowRight"] * n
    if value - lo >= n * step:
        return ["ArrowLeft"] * n
    first, back = ("ArrowRight", "ArrowLeft") if hi - value >= value - lo else ("ArrowLeft", "ArrowRight")
    return [first if i % 2 == 0 else back for i in range(n)]


class Row(NamedTuple):
    title: str
    control: Control | None
    figures: Figures | None
    error: str                     # why there are no figures
    yard: Figures | None = None    # the yardstick's moves, alternating with this row's


def figures(tab: Tab, c: Control, repeat: int) -> Figures:
    """WARMUP + repeat moves of c on the page just opened in tab: the timed ones, and the very first."""
    return _figures(tab.measure(c, WARMUP + repeat))


def _figures(every: list[dict]) -> Figures:
    runs = every[WARMUP:]
    return Figures([r["settle"] for r in runs], [r["busy"] for r in runs], [r["n"] for r in runs],
                   [every[0]["settle"]])


def alternating(tab: Tab, c: Control, yard: Tab, stick: Control, repeat: int) -> tuple[Figures, Figures]:
    """WARMUP + repeat moves of c on the page open in tab, and as many of the yardstick (open in yard)
    between them: page, yardstick, yardstick, page, page, ... (each pair in turn starts with the other, so
    neither always follows the other). Returns (the page's figures, the yardstick's)."""
    n = WARMUP + repeat
    page, bare = tab.mover(c, n), yard.mover(stick, n)
    ours, theirs = [], []
    for i in range(n):
        if i % 2 == 0:
            ours.append(page())
            theirs.append(bare())
        else:
            theirs.append(bare())
            ours.append(page())
    return _figures(ours), _figures(theirs)


def choose(tab: Tab, topic: str) -> list[Control]:
    """The controls to move on the page open in tab: the table's (bench/pages.py BROWSER), found by key,
    else the first visible slider, else the first visible text box; [] when the page has neither."""
    found = {key: (kind, where) for key, kind, where in tab.controls()}
    out, missing = [], []
    for touch in pages.BROWSER.get(topic, ()):
        # a stepper's slider (rnnviz/ui/stepper.py) is keyed <key>__<generation>: the table names it <key>
        key = next((k for k in found if k == touch.key or re.fullmatch(re.escape(touch.key) + r"__\d+", k)), None)
        if key:
            out.append(Control(key, *found[key], text=touch.text))
        else:
            missing.append(touch.key)
    if not out:
        first = next(((k, v) for k, v in found.items() if v[0] == "slider"), None) or \
                next(((k, v) for k, v in found.items() if v[0] in ("text", "textarea")), None)
        if first:
            note = f"{', '.join(missing)} not found: the first {'slider' if first[1][0] == 'slider' else 'text box'}"
            out.append(Control(first[0], *first[1], note=note if missing else ""))
    return out


def page_list(app_dir: Path) -> list[tuple[str, str, str]]:
    """(topic, title, url path) of Home and every lesson page, in the sidebar's order."""
    from streamlit.source_util import page_icon_and_name

    from rnnviz import catalog

    out = [("home", "Home", "/")]
    for name, topic in catalog.TOPICS.items():
        if (app_dir / topic.path).is_file():
            out.append((name, topic.title, "/" + page_icon_and_name(Path(topic.path))[1]))
    return out


def measure_all(topics: set[str] | None = None, app_dir: Path | None = None) -> list[Row]:
    """Every page of `topics` (None: all), each move alternating with one of the yardstick, in one Chromium.
    Returns one row per interaction (Row), each with its own yardstick's figures."""
    from playwright.sync_api import sync_playwright

    app_dir = app_dir or Path(os.environ.get("RNNVIZ_APP_DIR") or ROOT)
    todo = [p for p in page_list(app_dir) if topics is None or p[0] in topics]
    rows, t0 = [], time.perf_counter()
    with serve(app_dir, command=APP, timeout=120) as app, serve(ROOT, command=BARE_PAGE, timeout=120) as bare, \
            sync_playwright() as p:
        browser = kb.launch(p)
        try:
            yard = Tab(kb.new_context(browser, PROFILE, p))
            yard.open(bare.url)
            (stick,) = choose(yard, "")
            tab = Tab(kb.new_context(browser, PROFILE, p))
            progress(f"servers up, yardstick open in {time.perf_counter() - t0:.0f} s")
            for topic, title, path in todo:
                try:
                    t1 = time.perf_counter()
                    train = pages.TRAIN_FIRST.get(topic)
                    tab.open(app.url + path + (f"?{train}" if train else ""))
                    progress(f"{title} open in {time.perf_counter() - t1:.1f} s")
                    if train:
                        rows.append(Row(title, None, None, tab.train()))
                    chosen = choose(tab, topic)
                    if not chosen:
                        rows.append(Row(title, None, None, "no slider or typed input: nothing to measure"))
                    for c in chosen:
                        yard.open(bare.url)           # the yardstick opened afresh, as the page is
                        page_figures, yard_figures = alternating(tab, c, yard, stick, REPEAT)
                        rows.append(Row(title, c, page_figures, "", yard_figures))
                except (TimeoutError, AssertionError) as e:
                    rows.append(Row(title, None, None, f"failed: {str(e).splitlines()[0][:150]}"))
        finally:
            browser.close()
    return rows


def progress(what: str) -> None:
    """A line on stderr while the bench runs (the report, on stdout, comes at the end)."""
    print(f"  browser bench: {what}", file=sys.stderr, flush=True)


def pooled(blocks: list[Figures]) -> Figures:
    return Figures(*(sum((list(getattr(b, f)) for b in blocks), []) for f in Figures._fields))


def report(rows: list[Row]) -> None:
    yards = [r.yard for r in rows if r.yard is not None]
    every = pooled(yards) if yards else Figures([0.0], [0.0], [0], [0.0])
    size = kb.PROFILES[PROFILE]["viewport"]
    print(f"browser: Chromium {size['width']}×{size['height']}; settle = keydown → last DOM change, with the run "
          f"finished, charts drawn and {QUIET_MS} ms quiet (not counted); median of {REPEAT} after {WARMUP} warm-up, "
          f"each move alternating with one of the yardstick, both tabs opened afresh; 'first': the first move after "
          f"opening (reported, not judged)")
    print(f"browser yardstick (bench/bare_page.py: one sidebar slider → one plotly chart), {REPEAT} moves beside "
          f"each row's: {every.median:.0f} ms median (rows {min((y.median for y in yards), default=0):.0f}"
          f"–{max((y.median for y in yards), default=0):.0f}), long tasks {statistics.median(every.busy):.0f} ms; "
          f"its first move {statistics.median(every.first):.0f} ms median")
    print(f"{'page':<30} {'control (where)':<28} {'settle':>8} {'yard':>7} {'×':>6} {'long tasks (n)':>15}   "
          f"{'≤ ' + format(SETTLE_GOAL, 'g') + '×':<8} {'≤ ' + str(BUSY_GOAL_MS) + ' ms':<9} {'first (×)':<14} runs (ms)")
    met = total = 0
    for row in rows:
        if row.figures is None:
            print(f"{row.title:<30} {row.error}")
            continue
        f, c = row.figures, row.control
        yard, first = row.yard.median, f.first[0] / statistics.median(row.yard.first)
        ratio, busy, n = f.median / yard, statistics.median(f.busy), statistics.median(f.count)
        ok = (ratio <= SETTLE_GOAL, busy <= BUSY_GOAL_MS)
        met, total = met + all(ok), total + 1
        print(f"{row.title:<30} {f'{c.key} ({c.kind}, {c.where})':<28} {f.median:>5.0f} ms {yard:>4.0f} ms "
              f"{ratio:>5.1f}× {busy:>8.0f} ms ({n:g})   {'met' if ok[0] else 'not met':<8} "
              f"{'met' if ok[1] else 'not met':<9} {f'{f.first[0]:.0f} ms ({first:.1f}×)':<14} "
              + ", ".join(f"{x:.0f}" for x in f.settle)
              + (f"   [{c.note}]" if c.note else ""))
    print(f"browser: {met} of {total} interactions meet both goals (≤ {SETTLE_GOAL:g}× the yardstick, its moves "
          f"alternating with the page's, ≤ {BUSY_GOAL_MS} ms of long tasks)")


def run(bench=None, topics: set[str] | None = None) -> None:
    """`make bench` (bench/run.py calls it with itself as bench); topics: only these pages."""
    if kb.chromium() is None:
        print("browser bench: skipped (needs chromium on PATH and playwright)")
        return
    t0 = time.perf_counter()
    report(measure_all(topics))
    print(f"browser bench: {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":          # python -m bench.browser [topic ...]
    run(topics=set(sys.argv[1:]) or None)
