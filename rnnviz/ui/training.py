"""The Streamlit side of a live run: the server's trainer, a button that starts or stops a run, and a view
that redraws while it runs.

A run is any object with a `job` (rnnviz.shared.live.Job: a training in a process of its own, queued
until one of the server's slots is free, bounded in time and memory), kept in st.session_state under
the page's key, so it is this student's alone; it keeps training while the student visits other pages,
and its results are there when they come back. It belongs to the student's session: when the tab is
closed or reloaded, the trainer stops it (live.GRACE_SECONDS after the session disconnected), and a
student has one training at a time (a new one stops the old).

    run = training.button("memory_run", lambda trainer, owner: memory_runs.start_comparison(cfg, trainer, owner),
                          "Train", help="...")
    training.live("memory_run", draw)        # draw(run, alive) inside a fragment

The view is an st.fragment that reruns every REDRAW_SECONDS while the job is alive (every QUEUED_SECONDS while
it waits in the queue), and only itself:
the rest of the page is not recomputed on every tick. When the job ends the fragment asks for one full
rerun, which switches its timer off (the way the stepper stops Play) and draws the final state, e.g.
what only a finished run can show. The button sits outside the fragment: its click reruns the page,
which is what turns the timer on or off.
"""
from __future__ import annotations

import secrets
from typing import Any, Callable

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from rnnviz.ui.fragment import fragment
from rnnviz.shared import live as jobs   # (live() below is the view)
from rnnviz.ui.guard import boundary

REDRAW_SECONDS = 0.4
QUEUED_SECONDS = 1.5     # while a run waits for a free trainer its view shows only its place: redrawn less often
                         # (bench/load.py: with 5 of 7 runs queued, the server answered 11 redraws a second)


@st.cache_resource(show_spinner=False)
def trainer() -> jobs.Trainer:
    """The server's one trainer (process-wide by nature: the slots are the machine's cores). Its bounds
    come from the environment (live.py, docs/DEPLOY.md); its fork server starts now, in the background."""
    t = jobs.Trainer(owner_alive=session_connected)
    t.warm()
    return t


def owner() -> str:
    """This session as a training's owner: "<Streamlit session id>#<a token of this session's state>". The
    token tells apart sessions that share an id (AppTest gives every session the same one)."""
    ctx = get_script_run_ctx()
    token = st.session_state.setdefault("_rnnviz_owner", secrets.token_hex(8))
    return f"{ctx.session_id if ctx is not None else ''}#{token}"


def session_connected(owner: str) -> bool:
    """False once the owner's browser tab has gone (closed, reloaded, or its network lost). Called from
    the trainer's thread (Runtime.is_active_session is thread-safe). Where no server runs (AppTest), True."""
    if not Runtime.exists():
        return True
    return Runtime.instance().is_active_session(owner.split("#", 1)[0]) is not False


def current(key: str) -> Any:
    """The run kept under `key` in this session (None before the first)."""
    return st.session_state.get(key)


def is_alive(run: Any) -> bool:
    return run is not None and run.job.alive


def button(key: str, start: Callable[[jobs.Trainer, str], Any], label: str, help: str, where: Any = None,
           disabled: bool = False) -> Any:
    """`label` starts a new run (start(trainer, owner) must return at once, its job queued or training);
    while one is alive the button is Stop. Callbacks set a wanted state, so a click delivered twice
    cannot undo itself. Returns the session's run."""
    ss, where = st.session_state, where or st

    def go() -> None:
        if is_alive(ss.get(key)):
            return
        ss[key] = start(trainer(), owner())

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
    queued = alive and run.job.state == "queued"

    @fragment(run_every=(QUEUED_SECONDS if queued else REDRAW_SECONDS) if alive else None)
    def view() -> None:
        now = current(key)
        if alive and (now is not run or not is_alive(now) or queued and now.job.state != "queued"):
            st.rerun()                  # it ended, was replaced or started: a full run sets the timer anew
        with boundary("live training view"):
            draw(now, alive)

    view()


def limits() -> str:
    """The server's bounds on a training, in words (for a button's help and the page's notes)."""
    t = trainer()
    b = t.budget
    return (f"This server trains {t.slots} run{'s' if t.slots != 1 else ''} at once (others wait in a queue) and "
            f"gives each at most {b.cpu_seconds:.0f} s of computing time and {b.wall_seconds / 60:.0f} min "
            "in all, so that a class can share it.")


def waiting(run: Any) -> bool:
    """The run is queued: draw its place instead of progress."""
    if run is None or run.job.state != "queued":
        return False
    place, slots = trainer().position(run.job), trainer().slots
    st.info(f"Waiting for a free trainer: this server trains {slots} run{'s' if slots != 1 else ''} at a time"
            + (f", and yours is number {place} in the queue." if place else ".")
            + " It starts by itself; Stop takes it out of the queue.", icon=":material/hourglass_empty:")
    return True


def why_it_ended(run: Any) -> None:
    """A message when a run ended for another reason than finishing or the student's Stop."""
    job, b = run.job, trainer().budget
    said = {
        jobs.CPU_BUDGET: f"It stopped at this server's limit of {b.cpu_seconds:.0f} s of computing time per "
                         "training. A class shares this server, so no training may run long: fewer steps, a "
                         "shorter T or fewer cells finish within it.",
        jobs.MEMORY_BUDGET: f"It stopped at this server's limit of {b.memory_mb:.0f} MB of memory per training.",
        jobs.TIME_LIMIT: f"It stopped at this server's limit of {b.wall_seconds / 60:.0f} min per training.",
        jobs.REPLACED: "It stopped because you started another training: one at a time per student.",
        jobs.SESSION_ENDED: "It stopped because this tab was disconnected from the server.",
    }.get(job.reason)
    if said:
        st.warning(said, icon=":material/timer_off:")
