"""The Streamlit side of a live run: a button that starts or stops it, and a view that redraws while it runs.

A run is any object with a `job` (rnnviz.lessons.live.Job: background threads, a lock, a stop flag),
kept in st.session_state under the page's key, so it is this student's alone, it keeps training while
the student visits other pages, and its results are there when they come back.

    run = training.button("memory_run", lambda: memory_runs.start_comparison(cfg), "Train")
    training.live("memory_run", draw)        # draw(run, alive) inside a fragment

The view is an st.fragment that reruns every REDRAW_SECONDS while the job is alive, and only itself:
the rest of the page is not recomputed on every tick. When the job ends the fragment asks for one full
rerun, which switches its timer off (the way the stepper stops Play) and draws the final state, e.g.
what only a finished run can show. The button sits outside the fragment: its click reruns the page,
which is what turns the timer on or off.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

import streamlit as st

from rnnviz.lessons import memory_runs
from rnnviz.ui.guard import boundary

REDRAW_SECONDS = 0.4


def current(key: str) -> Any:
    """The run kept under `key` in this session (None before the first)."""
    return st.session_state.get(key)


def is_alive(run: Any) -> bool:
    return run is not None and run.job.alive


def button(key: str, start: Callable[[], Any], label: str, help: str, where: Any = None,
           disabled: bool = False) -> Any:
    """`label` starts a new run (start() must return at once, its job training in the background);
    while one is alive the button is Stop. Callbacks set a wanted state, so a click delivered twice
    cannot undo itself. Returns the session's run."""
    ss, where = st.session_state, where or st

    def go() -> None:
        if is_alive(ss.get(key)):
            return
        ss[key] = start()

    def halt() -> None:
        if ss.get(key) is not None:
            ss[key].job.stop()

    if is_alive(ss.get(key)):
        where.button("Stop", key=f"{key}__stop", on_click=halt, type="primary", icon=":material/stop:",
                     width="stretch", help="Stops every cell after its current step; what was learnt stays.")
    else:
        where.button(label, key=f"{key}__start", on_click=go, icon=":material/play_arrow:", width="stretch",
                     help=help, disabled=disabled)
    return ss.get(key)


def live(key: str, draw: Callable[[Any, bool], None]) -> None:
    """draw(run, alive) in a fragment redrawn every REDRAW_SECONDS while the run's job is alive."""
    run = current(key)
    alive = is_alive(run)

    @st.fragment(run_every=REDRAW_SECONDS if alive else None)
    def view() -> None:
        now = current(key)
        if alive and (now is not run or not is_alive(now)):
            st.rerun()                  # it ended (or was replaced): a full run switches the timer off
        with boundary("live training view"):
            draw(now, alive)

    view()


@st.cache_data(max_entries=16, show_spinner="Training every chosen cell to find out (as Train would)…")
def finished_comparison(cfg: memory_runs.Config) -> dict:
    """The Memory lab's comparison at `cfg`, trained to the end here and now ({cell: Progress}, without
    the weights): for a question whose answer needs a finished run when the student has none. Seeded,
    so it is the run Train would give, and cached, so it is trained once per process for each settings."""
    run = memory_runs.start_comparison(cfg)
    run.job.join()
    return {k: replace(p, model=None) for k, p in run.snapshot().items()}
