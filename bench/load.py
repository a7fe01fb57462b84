"""A room of users: `make load`. N browser-like sessions against one `streamlit run app.py` (issue 13, item 7).

It starts its own server on a free loopback port (the flags of tests/conftest.py), warms it with one
student alone visiting every page (the yardstick: the same interactions with nobody else on the server),
then lets N sessions (default 30) loose for a bounded time (default 75 s, hard cap 300 s). Each session
speaks Streamlit's own websocket protocol, as the browser does, so 30 of them cost the client little and
the figures measure the server, not 30 Chromiums on a 2-core machine:

  connect  ws://127.0.0.1:PORT/_stcore/stream (subprotocol "streamlit")
  send     BackMsg.rerun_script = ClientState(query_string, page_name | page_script_hash, widget_states,
           cached_message_hashes)                    # a page load, a slider move, a typed text, a click
  receive  ForwardMsg: new_session (the run started), navigation (the pages and their hashes), deltas (the page's elements, widgets with their
           ids, `...-T` for the widget keyed "T"), auto_rerun (an st.fragment(run_every=...): the client
           must ask for it, as the browser's timer does), ref_hash (an element the client said it has
           cached), script_finished (the run is over).

A "move" sends the changed widget's value in widget_states (the server keeps the others' last values,
as it does for the browser), and its latency is send → script_finished of the run it started (also:
send → first element). Students spread over the lessons, change a control every 1–3 s (think time from a
per-session random.Random(seed)) and walk on to the next lesson after a few moves. Exactly `--training`
sessions (default 2) open the Memory lab, press Train and keep receiving the live view's fragment reruns
while the others work; the report says whether they finished and how many steps per second they made.

Memory: the server's resident set (VmRSS of the server and any children, sampled twice a second; VmHWM
of the server: the kernel's own peak). Goals (issue 13): p95 ≤ 1 s over every interaction; peak ≤ 2 GB.

    python bench/load.py [--sessions 30] [--training 2] [--seconds 75] [--seed 0] [--think 1-3] [--replicas 1]
    python bench/load.py --training 5 --heavy --reloaders 2     # the worst case (issue 19): `make load-worst`

--heavy: the trainers open the Memory lab at the heaviest settings its controls allow (HEAVY_QUERY) and run
the sweep after the comparison; --reloaders K: K more sessions press Train there and reload every few
seconds (each reload a new session). The latency goal is then for the students' interactions, the memory
goal for the server and every training process (proportional set sizes: shared pages once), and after the
room no training may outlive its session by more than the grace (bench.aftermath).

--replicas K starts K servers and keeps each session on one of them (i mod K), as a load balancer with
sticky sessions does (docs/DEPLOY.md); memory and CPU are then summed over the K servers.

Loopback only: it refuses any other host. Nothing here is a test; tests/test_load.py drives a small room.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
P95_GOAL_S, RSS_GOAL_BYTES = 1.0, 2 * 1024 ** 3
MAX_SESSIONS, MAX_SECONDS, MAX_REPLICAS = 60, 300, 4        # bounds: a load test must never become a denial of service
RUN_TIMEOUT_S = 60                          # one interaction; longer counts as an error ("timeout")
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}
TRAIN_PAGE, TRAIN_BUTTON, STOP_BUTTON = "Memory_lab", "memory_run__start", "memory_run__stop"
SWEEP_BUTTON = "memory_sweep__start"
# The heaviest training the Memory lab's controls allow (the red team's link, and equal parameter counts,
# which make the RNN and GRU larger): --heavy trainers and every reloader use it.
HEAVY_QUERY = "task=copy&T=200&steps=3000&opt=sgd&lr=0.0003&clip=0&match=true"
STEP_TEXT = re.compile(r"step (\d+) of (\d+)")


# ---------------------------------------------------------------------------------------------------------
# What the students do: per lesson (URL path), moves of (widget key, values to pick from). Typed texts
# include what students type in class: a word the model never saw, emoji, HTML.

PLANS: dict[str, list[tuple[str, tuple]]] = {
    "": [],                                                      # Home: reading, and walking on
    "Unfolded_RNN": [("H", (2, 4, 6, 8)), ("T", (6, 12, 24)), ("text", ("hello", "cat sat", "🙂 hi"))],
    "BPTT": [("T", (8, 12, 20)), ("H", (2, 4, 8)), ("train", (0, 20, 60)), ("k", (1, 3, 6))],
    "Gradient_lab": [("T", (50, 100, 200)), ("H", (16, 32, 64)), ("scale", (0.5, 1.0, 1.5)),
                     ("forget_bias", (0.0, 1.0, 3.0))],
    "LSTM_inside": [("unit", (0, 3, 7)), ("from", (10, 40, 80)), ("t", (1, 5, 20))],
    "GRU_vs_LSTM": [("width", (20, 40, 80)), ("units", (16, 24, 48))],
    "Architectures": [("n_in", (2, 6, 10)), ("n_out", (1, 4, 8))],
    "Sentiment": [("text", ("not bad at all", "a dull, lifeless film", "<b>great</b>", "zzyzx qwerty")),
                  ("other", ("good", "terrible"))],
    "Surname_language": [("name", ("Müller", "Nakamura", "O'Brien", "Xyzzy", "<script>x</script>"))],
    "Text_generation": [("temp", (0.5, 0.8, 1.2)), ("n", (60, 120, 200)), ("seed", (1, 2, 3)),
                        ("prompt", ("JULIET.\n", "To be", "🙂"))],
    "Tagging": [("sentence", ("The cat sat on the mat .", "I will go to the market tomorrow .",
                              "Time flies like an arrow ."))],
    "Date_translation": [("date", ("3 march 1999", "12/25/2020", "the fourth of july 1776")),
                         ("width", (1, 3, 5))],
    "Forecasting": [("year", (1950, 1978, 1990)), ("years", (5, 11, 20))],
}
TOUR = list(PLANS)                           # students start spread over this list and walk along it


@dataclass
class Sample:
    page: str
    kind: str            # open, move, type, train, tick
    seconds: float       # send → script_finished
    first: float | None  # send → first element
    error: str | None = None
    cpu: float | None = None   # the server's CPU seconds in that time (measured when alone only)


@dataclass
class Training:
    session: int
    pressed: bool = False
    steps: int = 0
    budget: int = 0
    started: float | None = None
    finished_at: float | None = None

    def steps_per_s(self) -> float:
        end = self.finished_at or time.monotonic()
        return self.steps / (end - self.started) if self.started and end > self.started else 0.0


# ---------------------------------------------------------------------------------------------------------
# One browser-like session


class Session:
    """One student's tab, speaking Streamlit's websocket protocol. Not thread-safe: one asyncio task."""

    def __init__(self, url: str, ident: int = 0):
        self.url, self.ident = url, ident
        self.ws = None
        self.pages: dict[str, str] = {}          # url path → page_script_hash (from new_session)
        self.page = ""                           # the url path shown ("" is Home)
        self.query = ""
        self.widgets: dict[str, tuple[str, str]] = {}   # user key → (widget id, element kind), last run
        self.elements: dict[tuple, object] = {}  # delta path → Element of the current run
        self.states: dict[str, WidgetState] = {}  # widget id → the value this tab holds
        self.cache: dict[str, ForwardMsg] = {}   # hash → cacheable ForwardMsg (the browser's message cache)
        self.fragments: dict[str, float] = {}    # fragment id → auto-rerun interval (s)
        self.exceptions: list[str] = []
        self.progress_text = ""
        self.finished = asyncio.Event()
        self.started_run = False                 # a new_session arrived since our last request
        self.fragment_done = asyncio.Event()
        self.first_element: float | None = None
        self.received_bytes = 0
        self.references = 0                      # elements the server sent as a reference to our cache
        self._reader: asyncio.Task | None = None
        self._busy = asyncio.Lock()

    # ----- connection
    async def connect(self) -> None:
        self.ws = await websockets.connect(self.url.replace("http", "ws", 1) + "/_stcore/stream",
                                           subprotocols=["streamlit"], max_size=None, open_timeout=30,
                                           ping_interval=None)
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self._reader:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader
        if self.ws:
            with contextlib.suppress(Exception):
                await self.ws.close()

    # ----- what a user does
    async def open(self, page: str, query: str = "") -> Sample:
        """Load a lesson as a link would (a new page: its widgets start from the URL)."""
        self.page, self.query, self.states = page, query, {}
        return await self._rerun("open", page_name=page)

    async def set(self, key: str, value) -> Sample:
        """Move the widget keyed `key` to `value` (a slider, number, text box, toggle or dropdown)."""
        wid, kind = self.widgets[key]
        ws = WidgetState(id=wid)
        if kind == "slider":
            ws.double_array_value.data.append(float(value))
        elif kind == "number_input":
            ws.double_value = float(value)
        elif kind == "checkbox":
            ws.bool_value = bool(value)
        elif kind in ("text_input", "text_area", "selectbox", "radio"):
            ws.string_value = str(value)
        else:
            raise ValueError(f"widget {key!r} is a {kind}: not driven here")
        self.states[wid] = ws
        return await self._rerun("type" if isinstance(value, str) else "move")

    async def click(self, key: str, kind: str = "click") -> Sample:
        wid, _ = self.widgets[key]
        trigger = WidgetState(id=wid, trigger_value=True)   # a button is true for one run only
        return await self._rerun(kind, extra=[trigger])

    # ----- the protocol
    def _client_state(self, extra=(), fragment_id: str = "", page_name: str | None = None) -> BackMsg:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        if page_name is not None and page_name not in self.pages:
            cs.page_name = page_name                 # a first visit: the server finds the page by its URL
        else:
            cs.page_script_hash = self.pages.get(self.page, "")
        cs.widget_states.widgets.extend([*self.states.values(), *extra])
        cs.cached_message_hashes.extend(list(self.cache)[-500:])
        if fragment_id:
            cs.fragment_id, cs.is_auto_rerun = fragment_id, True
        return msg

    async def _rerun(self, kind: str, extra=(), page_name: str | None = None) -> Sample:
        async with self._busy:
            self.finished.clear()
            self.started_run, self.first_element = False, None
            n_exceptions = len(self.exceptions)
            t0 = time.monotonic()
            await self.ws.send(self._client_state(extra, page_name=page_name).SerializeToString())
            error = None
            try:
                await asyncio.wait_for(self.finished.wait(), RUN_TIMEOUT_S)
            except asyncio.TimeoutError:
                error = "timeout"
            seconds = time.monotonic() - t0
            if len(self.exceptions) > n_exceptions:
                error = "exception: " + self.exceptions[-1][:200]
            first = None if self.first_element is None else self.first_element - t0
            return Sample(self.page, kind, seconds, first, error)

    async def tick(self, fragment_id: str) -> Sample | None:
        """One auto-rerun of a fragment, as the browser's timer sends it; None if the tab is busy."""
        if self._busy.locked():
            return None
        async with self._busy:
            self.fragment_done.clear()
            self.first_element = None
            t0 = time.monotonic()
            await self.ws.send(self._client_state(fragment_id=fragment_id).SerializeToString())
            error = None
            try:
                await asyncio.wait_for(self.fragment_done.wait(), RUN_TIMEOUT_S)
            except asyncio.TimeoutError:
                error = "timeout"
            first = None if self.first_element is None else self.first_element - t0
            return Sample(self.page, "tick", time.monotonic() - t0, first, error)

    async def _read(self) -> None:
        async for data in self.ws:
            self.received_bytes += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            self._handle(msg)

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":                       # the server trusts our cache for this element
            cached = self.cache.get(msg.ref_hash)
            if cached is None:
                self.exceptions.append(f"server referred to an element this tab never received: {msg.ref_hash}")
                return
            self.references += 1
            path = tuple(msg.metadata.delta_path)
            msg = ForwardMsg()
            msg.CopyFrom(cached)
            msg.metadata.delta_path[:] = path
            kind = "delta"
        elif msg.metadata.cacheable and msg.hash:
            self.cache[msg.hash] = msg
        if kind == "navigation":                     # the pages, by URL, with the hashes a rerun names
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
        elif kind == "new_session":
            if not msg.new_session.fragment_ids_this_run:    # a full run: the page is drawn anew, and
                self.elements, self.widgets, self.fragments = {}, {}, {}   # re-arms the timers it needs
                self.started_run = True
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            if self.first_element is None:
                self.first_element = time.monotonic()
            el = msg.delta.new_element
            ek = el.WhichOneof("type")
            self.elements[tuple(msg.metadata.delta_path)] = el
            inner = getattr(el, ek)
            wid = getattr(inner, "id", "") if ek != "plotly_chart" else ""
            if wid and "-" in wid:
                self.widgets[wid.rsplit("-", 1)[1]] = (wid, ek)
            if ek == "exception":
                self.exceptions.append(f"{el.exception.type}: {el.exception.message}")
            elif ek == "progress":
                self.progress_text = el.progress.text
        elif kind == "auto_rerun":
            self.fragments[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            for fid in msg.stop_auto_rerun.fragment_ids or list(self.fragments):
                self.fragments.pop(fid, None)
        elif kind == "page_not_found":
            self.exceptions.append(f"page not found: {msg.page_not_found.page_name}")
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                self.fragment_done.set()
            elif msg.script_finished in FINISHED and self.started_run:
                self.finished.set()
                self.fragment_done.set()     # a fragment that calls st.rerun() ends in a full run

    # ----- what the page shows (for tests and the report)
    def chart(self, key: str) -> str | None:
        """The plotly figure keyed `key` as the server last sent it (JSON), or None."""
        for el in self.elements.values():
            if el.WhichOneof("type") == "plotly_chart" and el.plotly_chart.id.endswith("-" + key):
                return el.plotly_chart.spec
        return None

    def texts(self) -> str:
        """Every text the page shows (markdown, alerts, captions, code, figures' JSON), one string."""
        out = []
        for el in self.elements.values():
            ek = el.WhichOneof("type")
            inner = getattr(el, ek)
            for name in ("body", "text", "spec", "message"):
                value = getattr(inner, name, None)
                if isinstance(value, str):
                    out.append(value)
        return "\n".join(out)


# ---------------------------------------------------------------------------------------------------------
# The room


async def student(url: str, ident: int, seed: int, deadline: float, samples: list, start_page: int,
                  think: tuple[float, float] = (1, 3)) -> None:
    rng = random.Random(seed * 1000 + ident)     # this student's own random stream
    s = Session(url, ident)
    await asyncio.sleep(rng.uniform(0, 5))      # a class does not click "open" in the same millisecond
    try:
        await s.connect()
        i = start_page
        while time.monotonic() < deadline:
            page = TOUR[i % len(TOUR)]
            samples.append(await s.open(page))
            for _ in range(rng.randint(2, 5)):
                await asyncio.sleep(rng.uniform(*think))
                if time.monotonic() >= deadline or not PLANS[page]:
                    break
                key, values = rng.choice(PLANS[page])
                if key in s.widgets:
                    samples.append(await s.set(key, rng.choice(values)))
            await asyncio.sleep(rng.uniform(*think))
            i += 1
    except (OSError, websockets.WebSocketException) as e:
        samples.append(Sample(s.page, "connection", 0.0, None, f"{type(e).__name__}: {e}"))
    finally:
        await s.close()


async def trainer(url: str, ident: int, deadline: float, samples: list, training: Training, query: str = "") -> None:
    """Open the Memory lab (with `query`), press Train, then be the browser's fragment timer until the run
    ends; with a query (the heavy case), then press Run the sweep too and keep it running."""
    s = Session(url, ident)
    try:
        await s.connect()
        samples.append(await s.open(TRAIN_PAGE, query))
        await asyncio.sleep(1.0)
        samples.append(await s.click(TRAIN_BUTTON, "train"))
        training.pressed, training.started = True, time.monotonic()
        while time.monotonic() < deadline and training.finished_at is None:
            interval = min(s.fragments.values(), default=0.4)
            await asyncio.sleep(interval)
            for fid in list(s.fragments):
                sample = await s.tick(fid)
                if sample:
                    samples.append(sample)
            if m := STEP_TEXT.search(s.progress_text):
                training.steps, training.budget = int(m[1]), int(m[2])
            if not s.fragments and TRAIN_BUTTON in s.widgets and s.finished.is_set():
                training.finished_at = time.monotonic()   # the timer is off and Train is back: the run ended
        if query and SWEEP_BUTTON in s.widgets and time.monotonic() < deadline:
            samples.append(await s.click(SWEEP_BUTTON, "train"))    # the heaviest: a sweep after it
        while time.monotonic() < deadline:            # stay connected, as a student watching the result
            await asyncio.sleep(1.0)
    except (OSError, websockets.WebSocketException) as e:
        samples.append(Sample(s.page, "connection", 0.0, None, f"{type(e).__name__}: {e}"))
    finally:
        await s.close()


async def warm_up(url: str, pid: int) -> tuple[list[Sample], list[Sample]]:
    """One student alone, twice. First, walking every lesson in one tab with two moves each: it loads every
    model and cache a class would find loaded (and finds what one page leaves behind for the next). Then
    the yardstick: the same interactions, each lesson in a fresh tab, on an otherwise idle server, with the
    server's CPU time for each, and a Train click with a few live-view ticks (then Stop).
    Returns (the walk's samples, the yardstick's)."""
    def cpu() -> float:
        return sum(_cpu_seconds(p) for p in _tree(pid))

    async def measured(call) -> Sample:
        c0 = cpu()
        sample = await call
        sample.cpu = cpu() - c0
        return sample

    walk, solo = [], []
    s = Session(url, -1)
    await s.connect()
    try:
        for page in TOUR + [TRAIN_PAGE]:
            walk.append(await s.open(page))
            for key, values in PLANS.get(page, [])[:2]:
                if key in s.widgets:
                    walk.append(await s.set(key, values[-1]))
    finally:
        await s.close()
    for page in TOUR + [TRAIN_PAGE]:
        s = Session(url, -2)
        await s.connect()
        try:
            solo.append(await measured(s.open(page)))
            for key, values in PLANS.get(page, [])[:2]:
                if key in s.widgets:
                    solo.append(await measured(s.set(key, values[0])))
            if page == TRAIN_PAGE:
                solo.append(await measured(s.click(TRAIN_BUTTON, "train")))
                for _ in range(5):
                    await asyncio.sleep(min(s.fragments.values(), default=0.4))
                    for fid in list(s.fragments):      # the tick's CPU includes the training threads'
                        if sample := await measured(s.tick(fid)):
                            solo.append(sample)
                if STOP_BUTTON in s.widgets:
                    await s.click(STOP_BUTTON)
        finally:
            await s.close()
    return walk, solo


async def reloader(url: str, ident: int, seed: int, deadline: float, samples: list, reloads: list) -> None:
    """A student who presses Train at the heaviest settings and reloads the tab every few seconds: each
    reload is a new session, and the old one's training must end with it (it used to pile up)."""
    rng = random.Random(seed * 1000 + ident)
    while time.monotonic() < deadline:
        s = Session(url, ident)
        try:
            await s.connect()
            samples.append(await s.open(TRAIN_PAGE, HEAVY_QUERY))
            if TRAIN_BUTTON in s.widgets:
                samples.append(await s.click(TRAIN_BUTTON, "train"))
                reloads.append(time.monotonic())
            await asyncio.sleep(rng.uniform(2, 5))
        except (OSError, websockets.WebSocketException) as e:
            samples.append(Sample(s.page, "connection", 0.0, None, f"{type(e).__name__}: {e}"))
        finally:
            await s.close()                           # the tab reloads: this session is gone


async def room(urls: str | list[str], sessions: int, trainers: int, seconds: float, seed: int,
               think: tuple[float, float] = (1, 3), heavy: bool = False, reloaders: int = 0):
    """Session i talks to urls[i % len(urls)] for its whole life: a sticky load balancer's behaviour.
    The first `trainers` sessions train (at the heaviest settings with `heavy`), the next `reloaders`
    press Train and reload, the rest are students walking the lessons."""
    urls = [urls] if isinstance(urls, str) else urls
    deadline = time.monotonic() + seconds
    samples: list[Sample] = []
    trainings = [Training(i) for i in range(trainers)]
    reloads: list[float] = []
    tasks = [trainer(urls[i % len(urls)], i, deadline, samples, trainings[i], HEAVY_QUERY if heavy else "")
             for i in range(trainers)]
    tasks += [reloader(urls[i % len(urls)], i, seed, deadline, samples, reloads)
              for i in range(trainers, trainers + reloaders)]
    tasks += [student(urls[i % len(urls)], i, seed, deadline, samples, start_page=i, think=think)
              for i in range(trainers + reloaders, sessions)]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), seconds + RUN_TIMEOUT_S + 15)
    except asyncio.TimeoutError:
        samples.append(Sample("", "room", seconds, None, "hard time cap reached"))
    return samples, trainings


# ---------------------------------------------------------------------------------------------------------
# The server and its memory


def check_loopback(host: str) -> str:
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise SystemExit(f"refusing host {host!r}: the load test only ever runs against the loopback address")
    return host


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(app_dir: Path = ROOT, host: str = "127.0.0.1", log: Path | None = None):
    """`streamlit run app.py` on a free loopback port (tests/conftest.py's flags); yields (url, pid)."""
    host, port = check_loopback(host), free_port(host)
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
           f"--server.address={host}", f"--server.port={port}", "--browser.gatherUsageStats=false",
           "--server.fileWatcherType=none", "--server.runOnSave=false", "--client.showErrorDetails=full"]
    # RNNVIZ_STRICT: a page's unexpected error still draws its friendly box, then is raised, so the
    # client sees an exception element and counts it (as the tests do)
    env = dict(os.environ, PYTHONUNBUFFERED="1", RNNVIZ_STRICT="1")
    logf = open(log or os.devnull, "wb")
    proc = subprocess.Popen(cmd, cwd=app_dir, env=env, stdout=logf, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://{host}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not become healthy (exit code {proc.poll()})")
            time.sleep(0.2)
        yield url, proc.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)          # only the group this script started
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        logf.close()


def _status_kb(pid: int, field_name: str) -> int:
    try:
        for row in Path(f"/proc/{pid}/status").read_text().splitlines():
            if row.startswith(field_name + ":"):
                return int(row.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            with contextlib.suppress(OSError, ValueError):
                todo += [int(c) for c in (task / "children").read_text().split()]
    return out


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process (all its threads), from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _pss_kb(pid: int) -> int:
    """A process's proportional set size (shared pages split among their sharers), else its RSS: the
    trainings are forks of one fork server and share torch's pages, which an RSS sum would count N times."""
    try:
        for row in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if row.startswith("Pss:"):
                return int(row.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return _status_kb(pid, "VmRSS")


def trainings(pid: int) -> list[int]:
    """The server's training processes: the children of its fork server (rnnviz/shared/live.py)."""
    for child in _tree(pid)[1:]:
        with contextlib.suppress(OSError):
            if b"forkserver" in Path(f"/proc/{child}/cmdline").read_bytes():
                return _tree(child)[1:]
    return []


def threads(pid: int) -> int:
    return len(list(Path(f"/proc/{pid}/task").glob("*")))


class MemoryWatch:
    """Samples the memory of the servers' process trees twice a second (psutil-free: /proc): the sum of
    their proportional set sizes (the machine's memory they take, each shared page counted once), the
    server process's own resident set, and how many trainings run; reads their CPU time too, so the report
    can say how many cores the server used."""

    def __init__(self, pids: list[int]):
        self.pids, self.peak, self._stop = pids, 0, threading.Event()
        self.server_peak, self.trainings_peak = 0, 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> int:
        return 1024 * sum(_pss_kb(p) for pid in self.pids for p in _tree(pid))

    def server_now(self) -> int:
        return 1024 * sum(_status_kb(pid, "VmRSS") for pid in self.pids)

    def hwm(self) -> int:
        """The kernel's own peak of each server (VmHWM), summed over the replicas."""
        return 1024 * sum(_status_kb(pid, "VmHWM") for pid in self.pids)

    def cpu(self) -> float:
        return sum(_cpu_seconds(p) for pid in self.pids for p in _tree(pid))

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.peak = max(self.peak, self.now())
            self.server_peak = max(self.server_peak, self.server_now())
            self.trainings_peak = max(self.trainings_peak, sum(len(trainings(pid)) for pid in self.pids))

    def __enter__(self):
        self.peak = self.now()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.now())


# ---------------------------------------------------------------------------------------------------------
# The report


def quantile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(round(q * len(xs))) - 1))] if xs else float("nan")


def ms(x: float) -> str:
    return "—" if x != x else f"{1000 * x:.0f} ms"


def table(title: str, groups: dict[str, list[Sample]]) -> None:
    cpu = any(r.cpu is not None for rows in groups.values() for r in rows)
    print(f"\n{title:<22} {'n':>5} {'err':>4} {'p50':>8} {'p95':>8} {'max':>8} {'1st elem p50':>13}"
          + (f" {'server CPU mean':>16}" if cpu else ""))
    for name, rows in groups.items():
        ok = [r.seconds for r in rows if r.error is None]
        first = [r.first for r in rows if r.first is not None]
        cpus = [r.cpu for r in rows if r.cpu is not None]
        print(f"{name:<22} {len(rows):>5} {len(rows) - len(ok):>4} {ms(quantile(ok, .5)):>8} "
              f"{ms(quantile(ok, .95)):>8} {ms(max(ok, default=float('nan'))):>8} {ms(quantile(first, .5)):>13}"
              + (f" {ms(statistics.fmean(cpus) if cpus else float('nan')):>16}" if cpu else ""))


def report(samples: list[Sample], trainings: list[Training], walk: list[Sample], solo: list[Sample], seconds: float,
           sessions: int, peak: int, hwm: int, idle: int, cpu: tuple[float, float, float] = (0, 0, 0),
           replicas: int = 1, think: tuple[float, float] = (1, 3), after: dict | None = None) -> bool:
    """Prints the tables and the goals; True when every goal holds. The latency goal is for the students'
    interactions (every page but the Memory lab, where only the trainers and reloaders go)."""
    work = [r for r in samples if r.kind != "tick"]
    others = [r for r in work if r.page != TRAIN_PAGE]
    by_page: dict[str, list[Sample]] = defaultdict(list)
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for r in samples:
        by_kind[r.kind].append(r)
        if r.kind != "tick":
            by_page[r.page or "Home"].append(r)
    table("per interaction kind", dict(sorted(by_kind.items())))
    table("per page (no ticks)", dict(sorted(by_page.items())))
    solo_by_page: dict[str, list[Sample]] = defaultdict(list)
    for r in solo:
        solo_by_page[(r.page or "Home") + ("" if r.kind in ("open", "move", "type") else " " + r.kind)].append(r)
    table("yardstick: 1 student alone", dict(sorted(solo_by_page.items())))

    print("\ntrainings (Memory lab, Train pressed while the room works):")
    for t in trainings:
        state = ("finished" if t.finished_at else "still training at the end") if t.pressed else "never pressed"
        took = f", {t.finished_at - t.started:.1f} s" if t.finished_at and t.started else ""
        print(f"  session {t.session}: {state}{took}; step {t.steps} of {t.budget or '?'} "
              f"({t.steps_per_s():.0f} steps/s)")
    errors = [r for r in samples if r.error]
    for e in sorted({f"{r.page or 'Home'} {r.kind}: {r.error}" for r in errors})[:10]:
        print("  error:", e)
    for e in sorted({f"{r.page or 'Home'} {r.kind}: {r.error}" for r in walk + solo if r.error})[:10]:
        print("  error while warming up (one student walking every page in one tab, then alone):", e)

    ok = [r.seconds for r in others if r.error is None]
    p50, p95 = quantile(ok, .5), quantile(ok, .95)
    solo_work = [r for r in solo if r.error is None and r.kind in ("open", "move", "type")]
    solo_p50 = quantile([r.seconds for r in solo_work], .5)
    cpu_each = statistics.fmean([r.cpu for r in solo_work if r.cpu is not None] or [float("nan")])
    cpu_tick = statistics.fmean([r.cpu for r in solo if r.kind == "tick" and r.cpu is not None] or [float("nan")])
    lat_ok, mem_ok = p95 <= P95_GOAL_S and not errors, peak <= RSS_GOAL_BYTES
    gb = peak / 1024 ** 3
    wall, server_cpu, client_cpu = cpu
    if wall:
        print(f"\nCPU over the room's {wall:.0f} s: the server{'s' if replicas > 1 else ''} used "
              f"{server_cpu / wall:.2f} cores, this client {client_cpu / wall:.2f} (machine: {os.cpu_count()} cores, "
              f"shared: load average {os.getloadavg()[1]:.1f} over the last 5 min); {len(work) / wall:.1f} interactions/s "
              f"and {(len(samples) - len(work)) / wall:.1f} live-view ticks/s served")
    print(f"capacity: alone, an interaction cost the server {ms(cpu_each)} of CPU on average and a live-view tick "
          f"{ms(cpu_tick)} (with its training threads); one server process runs Python one thread at a time, so it "
          f"serves at most ~{1 / cpu_each:.1f} interactions/s, and p95 ≤ 1 s needs well under that")
    where = f" on {replicas} replicas" if replicas > 1 else ""
    print(f"\n{sessions} sessions{where}, {len(trainings)} training, think {think[0]:g}–{think[1]:g} s, "
          f"{seconds:.0f} s: {len(work)} interactions, "
          f"{len(errors)} errors; the students' {len(others)}: p50 {ms(p50)}, p95 {ms(p95)}, max "
          f"{ms(max(ok, default=float('nan')))} (goal p95 ≤ {P95_GOAL_S:g} s) {'ok' if lat_ok else 'MISSED'}; "
          f"memory peak {gb:.2f} GB (the server and its trainings, each shared page once; the server process "
          f"alone {hwm / 1024 ** 3:.2f} GB; idle after warm-up {idle / 1024 ** 3:.2f} GB; goal ≤ 2 GB) "
          f"{'ok' if mem_ok else 'MISSED'}")
    print(f"yardstick: the same interactions with one student alone, p50 {ms(solo_p50)}: the room makes the "
          f"median {p50 / solo_p50:.1f}× slower")
    ended_ok = True
    if after:
        ended_ok = after["left"] == 0 and after["threads"] <= after["threads_idle"] + 2
        print(f"after the room (every session closed): trainings at most {after['peak']} at once during it; "
              f"{after['left']} still running {after['seconds']:.1f} s after the last session closed (goal: none "
              f"within the grace of {after['grace']:g} s + 10 s); server threads {after['threads']} "
              f"(idle after warm-up: {after['threads_idle']}) {'ok' if ended_ok else 'MISSED'}")
    return lat_ok and mem_ok and ended_ok


def aftermath(pids: list[int], threads_idle: int, peak: int) -> dict:
    """Once every session has closed: how long until no training runs (each must end within the grace a
    disconnected session gets, live.GRACE_SECONDS, and a few seconds), and the servers' thread count."""
    sys.path.insert(0, str(ROOT))
    from rnnviz.shared import live

    grace, t0 = live.default_grace(), time.monotonic()
    while any(trainings(pid) for pid in pids) and time.monotonic() - t0 < grace + 10:
        time.sleep(0.2)
    time.sleep(1.0)                                   # the trainer's own thread ends a poll after its last job
    return {"left": sum(len(trainings(pid)) for pid in pids), "seconds": time.monotonic() - t0, "grace": grace,
            "threads": sum(threads(pid) for pid in pids), "threads_idle": threads_idle, "peak": peak}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=30, help=f"concurrent sessions (≤ {MAX_SESSIONS})")
    ap.add_argument("--training", type=int, default=2, help="of which press Train in the Memory lab")
    ap.add_argument("--seconds", type=float, default=75, help=f"how long the room works (≤ {MAX_SECONDS})")
    ap.add_argument("--heavy", action="store_true",
                    help="the trainers use the heaviest settings the Memory lab allows, then run the sweep too")
    ap.add_argument("--reloaders", type=int, default=0,
                    help="sessions that press Train (heaviest settings) and reload the tab every few seconds")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--think", default="1-3", help="a student's pause between actions, LO-HI seconds")
    ap.add_argument("--replicas", type=int, default=1,
                    help="servers, each session sticking to one (i mod replicas), as behind a sticky balancer")
    ap.add_argument("--host", default="127.0.0.1", help="loopback only")
    ap.add_argument("--app-dir", type=Path, default=Path(os.environ.get("RNNVIZ_APP_DIR") or ROOT),
                    help="the folder holding app.py and pages/ (default: $RNNVIZ_APP_DIR, else the repo)")
    a = ap.parse_args(argv)
    check_loopback(a.host)
    think = tuple(float(x) for x in a.think.split("-", 1))
    if not (1 <= a.sessions <= MAX_SESSIONS and 0 <= a.training and 0 <= a.reloaders
            and a.training + a.reloaders <= a.sessions and 5 <= a.seconds <= MAX_SECONDS
            and 1 <= a.replicas <= MAX_REPLICAS and len(think) == 2 and 0 <= think[0] <= think[1] <= 60):
        raise SystemExit(f"bounds: 1 ≤ sessions ≤ {MAX_SESSIONS}, 0 ≤ training ≤ sessions, 5 ≤ seconds ≤ "
                         f"{MAX_SECONDS}, 1 ≤ replicas ≤ {MAX_REPLICAS}, think LO-HI within 0–60 s")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(serve(a.app_dir.resolve(), a.host, ARTIFACTS / f"load-server-{k}.log"))
                   for k in range(a.replicas)]
        urls, pids = [u for u, _ in servers], [p for _, p in servers]
        print(f"{len(servers)} server(s) {', '.join(urls)} (logs tests/artifacts/load-server-*.log); "
              "warming up: one student visits every page on each")
        walk, solo = [], []
        for url, pid in servers:
            w, y = asyncio.run(warm_up(url, pid))
            walk, solo = walk + w, solo + y
        with MemoryWatch(pids) as mem:
            idle = mem.now()
            print(f"warm: {len(walk) + len(solo)} interactions alone, server RSS {idle / 1024 ** 3:.2f} GB; "
                  f"now {a.sessions} sessions for {a.seconds:.0f} s ({a.training} training"
                  f"{' at the heaviest settings' if a.heavy else ''}, {a.reloaders} pressing Train and reloading)")
            threads_idle = sum(threads(pid) for pid in pids)
            t0, cpu0, me0 = time.monotonic(), mem.cpu(), time.process_time()
            samples, trainings = asyncio.run(room(urls, a.sessions, a.training, a.seconds, a.seed, think,
                                                  heavy=a.heavy, reloaders=a.reloaders))
            cpu = (time.monotonic() - t0, mem.cpu() - cpu0, time.process_time() - me0)
            after = aftermath(pids, threads_idle, mem.trainings_peak)
        good = report(samples, trainings, walk, solo, a.seconds, a.sessions, mem.peak, mem.server_peak, idle, cpu,
                      a.replicas, think, after)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
