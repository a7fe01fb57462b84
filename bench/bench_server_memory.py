"""The server's memory ceiling under an adversarial room (issue 19, item 2): `make bench BENCH=server_memory`,
or `python -m bench.bench_server_memory [--sessions 30] [--views 300]` for other sizes.

Goal: whatever the students ask, one server's resident memory stays below the ceiling docs/DEPLOY.md states
(rnnviz.budget.ceiling(sessions): the baseline measured after a warm-up, plus every cache's byte budget,
plus each session's own state), and it levels off instead of growing with what was asked.

How: a server (tests/kit/server.py: `streamlit run app.py` on a loopback port) is warmed up by one student
visiting every page. Then N browser-like sessions (Streamlit's websocket protocol, bench/client.py) ask
for V views between them, as fast as the server answers, each view never asked before: a new 1,000-character
text on LSTM inside and GRU vs LSTM, a new prompt and seed at 400 characters on Text generation, T = 300 and
H = 128 with a new seed on the Gradient lab, the largest BPTT lesson, the longest date, sentence, name and
word list, a new forecast, each at the largest setting its page allows. Every view is a miss of every cache
it touches, so each cache fills to its bound and stays there. The resident set of the server's process tree
is sampled every 0.25 s; the report gives its peak per quarter of the views (a plateau: the last quarter's
peak no higher than the second's, within 5 %), the kernel's own peak (VmHWM), and both against the ceiling.
No training is started: a Memory-lab worker has its own budget (docs/DEPLOY.md).
"""
from __future__ import annotations

import argparse
import asyncio
import random
import sys
import threading
import time
from pathlib import Path

from bench import ARTIFACTS, client, load, processes, students
from kit.server import serve, tree
from rnnviz import budget

GB = 1024 ** 3
OWN = "your own text"
LETTERS = "abcdefghijklmnopqrstuvwxyz"
PROSE = LETTERS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "     ,.;:!?'\n"


def prose(i: int, n: int, alphabet: str = PROSE) -> str:
    """n characters that only view i reads (seeded by i)."""
    rng = random.Random(i)
    return "".join(rng.choice(alphabet) for _ in range(n))


def words(i: int, n: int) -> str:
    rng = random.Random(i)
    return " ".join("".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 9))) for _ in range(n))


PRESS = object()     # a view's value that presses its button ("Hear the tune": a sound made on request)

# Each page's heaviest view, new for every i: (widget key, value) set in order, one rerun each.
VIEWS: dict[str, callable] = {
    "LSTM_inside": lambda i: [("passage", OWN), ("text", prose(i, 1000)), ("unit", i % 256),
                              ("li_clamp", True), ("clamp", round(0.05 * (i % 21), 2)), ("from", 1 + i % 999),
                              ("t", 1 + i % 1000), ("li_write", True), ("prompt", prose(-i - 1, 1000)), ("n", 600),
                              ("seed", i % 10_000)],                  # the deeper parts opened (issue 22 closed them)
    "GRU_vs_LSTM": lambda i: [("passage", OWN), ("text", prose(i, 1000)), ("width", 200), ("units", 128)],
    "Text_generation": lambda i: [("prompt", prose(i, 1000)), ("n", 400), ("seed", i % 10_000),
                                  ("model", ("lstm", "gru")[i % 2])],
    "Gradient_lab": lambda i: [("T", 300), ("H", 128), ("loss", "every"), ("seed", i % 10_000)],
    "BPTT": lambda i: [("cell", ("lstm", "gru", "rnn")[i % 3]), ("T", 40), ("H", 16), ("train", 200),
                       ("seed", i % 10_000)],
    "Unfolded_RNN": lambda i: [("cell", "lstm"), ("H", 8), ("text", prose(i, 40))],
    "Date_translation": lambda i: [("date", prose(i, 60, LETTERS + "0123456789 /-")), ("width", 8)],
    "Sentiment": lambda i: [("text", words(i, 60)), ("other", words(-i - 1, 60))],
    "Tagging": lambda i: [("sentence", words(i, 40))],
    "Surname_language": lambda i: [("name", prose(i, 40, LETTERS))],
    "Forecasting": lambda i: [("year", 1720 + i % 289), ("years", 1 + i // 289 % 40)],
    # issue 25's applications, each at its largest input
    # 32 notes, the most an opening holds (40 were refused with a message: no tune, no sound), and its WAV
    "Music": lambda i: [("song", "my own notes"), ("notes", " ".join(prose(i, 32, "CDEFGAB"))), ("n", 96),
                        ("tau", 2.0), ("seed", i % 10_000), ("hear", PRESS)],
    "Speech": lambda i: [("word", prose(i, 20, LETTERS)), ("voice", "Caribbean woman (never heard)"),
                         ("speed", "slow"), ("noise", "8 dB")],
    "Video_activity": lambda i: [("frames", 24), ("speed", 3.0), ("noise", 0.8), ("clip", i % 10_000)],
    "Image_captions": lambda i: [("width", 5), ("noise", 0.05 * (i % 11)), ("seed", i % 10_000)],
}


class Session(client.Session):
    """client.Session, which also sets a horizontal choice (a button group: its value is the option's text) and
    presses a button (its value PRESS)."""

    def widget_key(self, key: str) -> str | None:
        """The key of the widget `key` on this page: a ranged slider's is "key__<n>" (rnnviz.ui.stepper)."""
        if key in self.widgets:
            return key
        return next((k for k in self.widgets if k.rsplit("__", 1)[0] == key and k.rsplit("__", 1)[-1].isdigit()), None)

    async def set(self, key: str, value):
        key = self.widget_key(key) or key
        if value is PRESS:
            return await self.click(key)
        wid, kind = self.widgets[key]
        if kind != "button_group":
            return await super().set(key, value)
        ws = client.WidgetState(id=wid)
        ws.string_array_value.data.append(str(value))
        self.states[wid] = ws
        return await self._rerun("move")


class RssSampler:
    """The server tree's resident set every `period` seconds, with the number of views done so far."""

    def __init__(self, pid: int, period: float = 0.25):
        self.pid, self.period, self.rows = pid, period, []      # (seconds, rss bytes, views done)
        self.views, self.tree_peak = 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> int:
        """The server process's resident set (its children are the Memory lab's fork server and trainings)."""
        return 1024 * processes.status_kb(self.pid, "VmRSS")

    def tree_pss(self) -> int:
        """The process tree's proportional set size: the server, the fork server, every training."""
        return 1024 * sum(processes.pss_kb(p) for p in tree(self.pid))

    def _run(self) -> None:
        t0 = time.monotonic()
        while not self._stop.wait(self.period):
            self.rows.append((time.monotonic() - t0, self.now(), self.views))
            self.tree_peak = max(self.tree_peak, self.tree_pss())

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


async def warm_up(url: str) -> list[str]:
    """One student visits every page (every model and first-run import loaded, as in a class)."""
    errors, s = [], client.Session(url, -1)
    await s.connect()
    try:
        for page in students.TOUR + [students.TRAIN_PAGE]:
            sample = await s.open(page)
            if sample.error:
                errors.append(f"{page or 'Home'}: {sample.error}")
    finally:
        await s.close()
    return errors


async def room(url: str, sessions: int, views: int, sampler: RssSampler) -> tuple[list[str], list[float]]:
    """`sessions` sessions share `views` new views (a counter hands out the next i); returns (errors, seconds
    per view)."""
    pages, errors, seconds = list(VIEWS), [], []
    counter = iter(range(views))

    async def student(ident: int) -> None:
        s = Session(url, ident)
        await s.connect()
        try:
            for i in counter:
                page = pages[i % len(pages)]
                t0 = time.monotonic()
                sample = await s.open(page)
                for key, value in VIEWS[page](i) if not sample.error else ():
                    if s.widget_key(key) is None:
                        errors.append(f"{page}: no widget {key!r} (view {i})")
                        continue
                    sample = await s.set(key, value)
                    if sample.error:
                        break
                if sample.error:
                    errors.append(f"{page} view {i}: {sample.error}")
                seconds.append(time.monotonic() - t0)
                sampler.views += 1
        finally:
            await s.close()

    await asyncio.gather(*(student(k) for k in range(sessions)))
    return errors, seconds


def quarters(rows: list[tuple[float, int, int]], views: int) -> list[int]:
    """The peak resident set within each quarter of the views."""
    out = []
    for q in range(4):
        lo, hi = q * views / 4, (q + 1) * views / 4
        inside = [rss for _, rss, done in rows if lo <= done < hi or (q == 3 and done >= hi)]
        out.append(max(inside, default=0))
    return out


def measure(sessions: int = 30, views: int = 300, log: Path | None = None) -> bool:
    goal = budget.ceiling(sessions)
    print(f"server memory under {views} new heaviest views from {sessions} sessions; goal: the server's RSS stays "
          f"≤ {goal / GB:.2f} GB (rnnviz.budget.ceiling({sessions}), docs/DEPLOY.md) and levels off")
    with serve(log=log or ARTIFACTS / "server-memory.log", env=load.SERVER_ENV) as server:
        url, pid = server.url, server.pid
        warm_errors = asyncio.run(warm_up(url))
        with RssSampler(pid) as sampler:
            idle = sampler.now()
            t0 = time.monotonic()
            errors, seconds = asyncio.run(room(url, sessions, views, sampler))
            took = time.monotonic() - t0
            time.sleep(1.0)
        end, hwm = sampler.now(), 1024 * processes.status_kb(pid, "VmHWM")
    peaks = quarters(sampler.rows, views)
    peak = max([rss for _, rss, _ in sampler.rows] + [end])
    level = peaks[3] <= 1.05 * peaks[1]
    ok = max(peak, hwm) <= goal and level and not errors
    print(f"  after the warm-up (every page once): {idle / GB:.2f} GB (rnnviz.budget.BASELINE "
          f"{budget.BASELINE / GB:.2f} GB)")
    print(f"  {views} views in {took:.0f} s ({sorted(seconds)[len(seconds) // 2]:.1f} s median per view, "
          f"{len(errors)} errors); peak per quarter of the views: "
          + ", ".join(f"{p / GB:.2f}" for p in peaks) + " GB")
    print(f"  peak {peak / GB:.2f} GB (VmHWM {hwm / GB:.2f} GB), at the end {end / GB:.2f} GB; "
          f"levels off: {'yes' if level else 'NO'}; the process tree (with the Memory lab's fork server, each "
          f"shared page once) peaked at {sampler.tree_peak / GB:.2f} GB")
    for e in (warm_errors + errors)[:10]:
        print("  error:", e)
    print(f"{'server RSS under ' + str(views) + ' new heaviest views, ' + str(sessions) + ' sessions':<72} "
          f"{max(peak, hwm) / GB:>22.2f} GB   goal ≤ {goal / GB:.2f} GB {'ok' if ok else 'MISSED'}")
    return ok


def run(bench) -> None:
    """`make bench`: the default room (30 sessions, 300 views: 4–5 minutes on 2 busy cores)."""
    measure()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=30, help="concurrent sessions (1–60)")
    ap.add_argument("--views", type=int, default=300, help="new heaviest views between them (≥ 4, ≤ 3000)")
    a = ap.parse_args(argv)
    if not (1 <= a.sessions <= load.MAX_SESSIONS and 4 <= a.views <= 3000):
        raise SystemExit(f"bounds: 1 ≤ sessions ≤ {load.MAX_SESSIONS}, 4 ≤ views ≤ 3000")
    return 0 if measure(a.sessions, a.views) else 1


if __name__ == "__main__":
    sys.exit(main())
