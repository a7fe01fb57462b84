"""bench/load.py's client (bench/client.py) and students (bench/students.py) really speak Streamlit: a small
room against a live server.

The full load test (`make load`: 30 sessions, 75 s) measures; these tests only prove that what it measures
is real: every interaction ends in a script_finished with no exception element, a slider move changes
the figure the server sends, typed text (hostile text too) round-trips, the message cache's references
resolve, a Train click starts a live run whose fragment reruns the client drives, and the bounds hold.
Timings are printed by the load test, never asserted here.
"""
from __future__ import annotations

from common import run_async
import base64
import json

import numpy as np
import pytest

from bench import load
from bench.client import Sample, Session
from bench.students import own_texts, room


def drive(url: str, script):
    """Run `script(session)` (a coroutine function) on one connected session; return its result."""
    async def go():
        s = Session(url)
        await s.connect()
        try:
            return await script(s)
        finally:
            await s.close()
    return run_async(go())


def assert_clean(sample: Sample) -> None:
    assert sample.error is None, f"{sample.page} {sample.kind}: {sample.error}"


def test_a_slider_move_changes_the_figure_the_server_sends(streamlit_server):
    async def script(s):
        assert_clean(await s.open("Gradient_lab"))
        before = s.chart("grad_norms")
        assert_clean(await s.set("T", 40))
        return before, s.chart("grad_norms"), s.exceptions

    before, after, exceptions = drive(streamlit_server.url, script)
    assert before and after and not exceptions
    assert before != after
    # the x axis of ‖∂L/∂h_t‖ runs over the steps: 100 by default, 40 after the move
    xs = [len(np.frombuffer(base64.b64decode(t["x"]["bdata"]), t["x"]["dtype"])) if isinstance(t["x"], dict)
          else len(t["x"]) for t in json.loads(after)["data"] if "x" in t]     # plotly's typed arrays
    assert 40 in xs and 100 not in xs, xs


def test_typed_text_round_trips_and_hostile_text_is_no_exception(streamlit_server):
    async def script(s):
        assert_clean(await s.open("Surname_language"))
        assert_clean(await s.set("name", "Nakamura"))
        shown = s.texts().lower()
        hostile = []
        for text in ("<script>alert(1)</script>", "", "🙂🙂", "a\x00b\x1b[31m", "x" * 100_000):
            sample = await s.set("name", text)
            hostile.append((text[:20], sample.error, list(s.exceptions)))
        return shown, hostile

    shown, hostile = drive(streamlit_server.url, script)
    assert "nakamura" in shown              # the page reads the name back (it lower-cases it)
    for text, error, exceptions in hostile:
        assert error is None and not exceptions, (text, error, exceptions)


def test_cached_elements_come_back_as_references_that_resolve(streamlit_server):
    """The second identical run sends the big figures as ref_hash (the client declared it has them);
    the client rebuilds them from its cache, as the browser does."""
    async def script(s):
        assert_clean(await s.open("Gradient_lab", "T=60"))
        first, refs = s.chart("grad_norms"), s.references
        assert_clean(await s.open("Gradient_lab", "T=60"))
        return first, s.chart("grad_norms"), s.references - refs

    first, second, references = drive(streamlit_server.url, script)
    assert references > 0
    assert first == second


def test_a_small_room_with_live_trainings(streamlit_server):
    """3 sessions for 12 s, one training in the Memory lab, one on a 100 kB text of its own in Your text:
    every interaction finishes cleanly, the Memory lab trainer's click started a run whose live view's
    fragment reruns report growing step counts; the text trainer's pasted text reached the page (Train was
    enabled and turned into Stop: a run of that text is on) and its live view ticked."""
    # grace: on a busy CI machine the Memory lab's first step count once came after the 12 s (pressed, no step)
    samples, trainings = run_async(room(streamlit_server.url, sessions=3, trainers=1, seconds=12, seed=0,
                                        text_trainers=1, grace=45))
    for sample in samples:
        assert_clean(sample)
    kinds = {r.kind for r in samples}
    assert {"open", "train", "tick"} <= kinds, kinds
    assert {r.page for r in samples if r.kind == "open"} >= {"Memory_lab", "Your_text", "BPTT"}  # trainers, 3rd student
    assert {r.kind for r in samples if r.page == "Your_text"} >= {"open", "type", "train", "tick"}
    memory, text = trainings
    assert memory.pressed and memory.budget > 0 and memory.steps > 0   # the progress bar said "step N of budget"
    assert text.page == "Your_text" and text.pressed and text.budget == 30


def test_the_text_trainers_texts_are_their_own():
    texts = own_texts(5)
    assert len(set(texts)) == 5
    for t in texts:
        assert 99_000 < len(t.encode()) <= 100_000 and t.endswith("\n")


def test_refuses_anything_but_loopback():
    for host in ("127.0.0.1", "::1", "localhost", "127.0.0.2"):
        assert load.check_loopback(host) == host
    for host in ("0.0.0.0", "10.0.0.1", "example.org", "8.8.8.8"):
        with pytest.raises(SystemExit):
            load.check_loopback(host)
    with pytest.raises(SystemExit):
        load.main(["--host", "192.168.1.1"])
    with pytest.raises(SystemExit):
        load.main(["--sessions", "1000"])   # bounded in count ...
    with pytest.raises(SystemExit):
        load.main(["--seconds", "3600"])    # ... and in time, before any server starts
    with pytest.raises(SystemExit):
        load.main(["--sessions", "4", "--training", "2", "--text-trainers", "3"])   # more trainers than sessions
