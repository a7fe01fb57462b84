"""The student simulation: what each student does in a room (bench/load.py), page by page.

Students spread over the lessons (TOUR), change a control every 1–3 s (think time from a per-session
random.Random(seed)) and walk on to the next lesson after a few moves (PLANS: per page, the controls moved
and the values picked). Exactly `trainers` sessions open the Memory lab, press Train and keep receiving the
live view's fragment reruns while the others work; `text_trainers` paste a ~100 kB text of their own
(own_texts) into the Your text page, press Train and drive its live view the same way; `reloaders` press
Train at the heaviest settings and reload the tab every few seconds (each reload a new session). warm_up is one student alone, twice: the
walk that loads every model, then the yardstick (the same interactions on an idle server).
Every session is a bench/client.py Session; every interaction a Sample.
"""
from __future__ import annotations

import asyncio
import random
import re
import time
from dataclasses import dataclass

import websockets

from bench import processes
from bench.client import RUN_TIMEOUT_S, Sample, Session

TRAIN_PAGE, TRAIN_BUTTON, STOP_BUTTON = "Memory_lab", "memory_run__start", "memory_run__stop"
SWEEP_BUTTON = "memory_sweep__start"
# The heaviest training the Memory lab's controls allow (the red team's link, and equal parameter counts,
# which make the RNN and GRU larger): --heavy trainers and every reloader use it.
HEAVY_QUERY = "task=copy&T=200&steps=3000&opt=sgd&lr=0.0003&clip=0&match=true"
STEP_TEXT = re.compile(r"step (\d+) of (\d+)")
# The Your text page (issue 24): the text pasted in its box, trained on for the page's default 30 s (what a
# class does first); its live view says "**Training**: 12 s, step 1,234" (then Finished or Stopped).
TEXT_PAGE, TEXT_BOX, TEXT_TRAIN, TEXT_STOP = "Your_text", "yourtext_typed", "yourtext_run__start", "yourtext_run__stop"
TEXT_SECONDS, TEXT_CHARS = 30, 100_000
TEXT_QUERY = f"source=typed&seconds={TEXT_SECONDS}"
TEXT_STATE = re.compile(r"\*\*(Starting|Training|Finished|Stopped)\*\*: (\d+) s, step ([\d,]+)")


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
class Training:
    """One trainer's run, as its live view reported it."""
    session: int
    pressed: bool = False
    steps: int = 0
    budget: int = 0                  # Memory lab: the steps it will take; Your text: its seconds of training
    started: float | None = None     # Train pressed
    finished_at: float | None = None
    page: str = TRAIN_PAGE
    queued_until: float | None = None  # Your text: last seen waiting in the server's queue for a free slot
    running_at: float | None = None  # Your text: first seen training (its process started, first checkpoint made)
    state: str = ""                  # Your text: the live view's last word (Starting, Training, Finished, Stopped)

    def steps_per_s(self) -> float:
        end = self.finished_at or time.monotonic()
        return self.steps / (end - self.started) if self.started and end > self.started else 0.0


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


async def trainer(url: str, ident: int, deadline: float, samples: list, training: Training, query: str = "",
                  grace: float = 0.0) -> None:
    """Open the Memory lab (with `query`), press Train, then be the browser's fragment timer until the run
    ends; with a query (the heavy case), then press Run the sweep too and keep it running. `grace`: seconds
    past the deadline it keeps ticking while it has read no step count yet (a test on a busy machine)."""
    s = Session(url, ident)
    try:
        await s.connect()
        samples.append(await s.open(TRAIN_PAGE, query))
        await asyncio.sleep(1.0)
        samples.append(await s.click(TRAIN_BUTTON, "train"))
        training.pressed, training.started = True, time.monotonic()
        def on() -> bool:
            return time.monotonic() < deadline + (grace if training.steps == 0 else 0.0)

        while on() and training.finished_at is None:
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


def own_texts(n: int) -> list[str]:
    """The text trainers' own texts: trainer k's is the (k+1)-th 100 kB slice of the Shakespeare training text
    (the first is the page's own example), cut to whole lines, so every text (its alphabet, baselines) differs."""
    from rnnviz.shared import shakespeare

    train, _ = shakespeare.split()
    slices = len(train) // TEXT_CHARS - 1
    pieces = [train[s:s + TEXT_CHARS] for s in ((k % slices + 1) * TEXT_CHARS for k in range(n))]
    return [p[p.find("\n") + 1:p.rfind("\n") + 1] for p in pieces]


def text_state(s: Session) -> tuple[bool, re.Match | None]:
    """The Your text live view as the page last drew it: (waiting in the queue, the status line's match)."""
    queued, m = False, None
    for el in s.elements.values():
        kind = el.WhichOneof("type")
        if kind == "alert" and "Waiting for a free trainer" in el.alert.body:
            queued = True
        elif kind == "markdown":
            m = m or TEXT_STATE.search(el.markdown.body)
    return queued, m


async def text_trainer(url: str, ident: int, deadline: float, samples: list, training: Training, text: str) -> None:
    """Open Your text with the text box (TEXT_QUERY), paste `text`, press Train, then be the browser's fragment
    timer until the run ends (as trainer() does; a queued run's view ticks too), and stay connected."""
    s = Session(url, ident)
    training.page = TEXT_PAGE
    try:
        await s.connect()
        samples.append(await s.open(TEXT_PAGE, TEXT_QUERY))
        await asyncio.sleep(1.0)
        samples.append(await s.set(TEXT_BOX, text))          # the browser sends the whole text, as on a paste
        await asyncio.sleep(1.0)
        samples.append(await s.click(TEXT_TRAIN, "train"))
        training.pressed, training.started = TEXT_STOP in s.widgets, time.monotonic()   # Stop: a run is on
        training.budget = TEXT_SECONDS
        while training.pressed and time.monotonic() < deadline and training.finished_at is None:
            await asyncio.sleep(min(s.fragments.values(), default=0.4))
            for fid in list(s.fragments):
                if sample := await s.tick(fid):
                    samples.append(sample)
            queued, m = text_state(s)
            if queued:
                training.queued_until = time.monotonic()
            if m:
                training.state, training.steps = m[1], int(m[3].replace(",", ""))
                if m[1] != "Starting" and training.running_at is None:
                    training.running_at = time.monotonic()
            if not s.fragments and TEXT_TRAIN in s.widgets and s.finished.is_set():
                training.finished_at = time.monotonic()   # the timer is off and Train is back: the run ended
        while time.monotonic() < deadline:            # stay connected, as a student reading what it wrote
            await asyncio.sleep(1.0)
    except (OSError, websockets.WebSocketException) as e:
        samples.append(Sample(s.page, "connection", 0.0, None, f"{type(e).__name__}: {e}"))
    finally:
        await s.close()


async def warm_up(url: str, pid: int, text_page: bool = False) -> tuple[list[Sample], list[Sample]]:
    """One student alone, twice. First, walking every lesson in one tab with two moves each: it loads every
    model and cache a class would find loaded (and finds what one page leaves behind for the next; with
    `text_page`, Your text's page too, opened only, so the text trainers do not pay its first import). Then
    the yardstick: the same interactions, each lesson in a fresh tab, on an otherwise idle server, with the
    server's CPU time for each, and a Train click with a few live-view ticks (then Stop).
    Returns (the walk's samples, the yardstick's)."""
    def cpu() -> float:
        return processes.tree_cpu_seconds(pid)

    async def measured(call) -> Sample:
        c0 = cpu()
        sample = await call
        sample.cpu = cpu() - c0
        return sample

    walk, solo = [], []
    s = Session(url, -1)
    await s.connect()
    try:
        for page in TOUR + [TRAIN_PAGE] + ([TEXT_PAGE] if text_page else []):
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
               think: tuple[float, float] = (1, 3), heavy: bool = False, reloaders: int = 0, text_trainers: int = 0,
               grace: float = 0.0):
    """Session i talks to urls[i % len(urls)] for its whole life: a sticky load balancer's behaviour.
    The first `trainers` sessions train in the Memory lab (at the heaviest settings with `heavy`), the next
    `text_trainers` train on their own text in Your text, the next `reloaders` press Train and reload, the
    rest are students walking the lessons. The trainings come back in that order (Memory lab, then Your text).
    `grace`: how long past `seconds` a Memory lab trainer that has seen no step yet keeps watching."""
    urls = [urls] if isinstance(urls, str) else urls
    texts = own_texts(text_trainers)                           # read before the clock starts
    deadline = time.monotonic() + seconds
    samples: list[Sample] = []
    trainings = [Training(i) for i in range(trainers + text_trainers)]
    reloads: list[float] = []
    tasks = [trainer(urls[i % len(urls)], i, deadline, samples, trainings[i], HEAVY_QUERY if heavy else "", grace)
             for i in range(trainers)]
    tasks += [text_trainer(urls[i % len(urls)], i, deadline, samples, trainings[i], texts[i - trainers])
              for i in range(trainers, trainers + text_trainers)]
    busy = trainers + text_trainers
    tasks += [reloader(urls[i % len(urls)], i, seed, deadline, samples, reloads)
              for i in range(busy, busy + reloaders)]
    tasks += [student(urls[i % len(urls)], i, seed, deadline, samples, start_page=i, think=think)
              for i in range(busy + reloaders, sessions)]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), seconds + grace + RUN_TIMEOUT_S + 15)
    except asyncio.TimeoutError:
        samples.append(Sample("", "room", seconds, None, "hard time cap reached"))
    return samples, trainings

