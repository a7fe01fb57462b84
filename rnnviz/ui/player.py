"""Step through time: buttons, a URL-bound step slider and Play, all inside one fragment.

    player.show(player.Player("step", "Time step t", first=1, last=T, start=T, direction=-1), draw)

draws the controls and calls draw(step) for whatever depends on the step. Only the fragment reruns
when the step moves, so a page whose other parts are expensive stays quick. Play uses
st.fragment(run_every=...): the fragment advances the step once per tick; after the last step the
next tick reruns the whole app with the timer off (Streamlit's documented way to stop a periodic
fragment). The step is a
bound slider (ui.render), so the URL always holds it and a shared link reopens the same step.
Per-user state lives in st.session_state under keys derived from `key`, spelled only here.

When the range changes (a new sequence), a step that still exists stays (a step given by the URL wins,
as Streamlit's binding rules say), a step at the start moves to the new start, and a step that no
longer exists restarts at `start`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import streamlit as st

from rnnviz.ui.controls import Slider, render


@dataclass(frozen=True)
class Player:
    key: str                  # widget key and URL parameter of the current step
    label: str                # the slider's label
    first: int                # the lowest step
    last: int                 # the highest step
    start: int                # where Play and a new range begin (last, for a backward pass)
    direction: int = -1       # Play walks from `start` by this (−1: down to `first`)
    tick: float = 0.6         # seconds per step while playing
    help: str = ""
    play_label: str = "Play"

    @property
    def end(self) -> int:
        return self.first if self.direction < 0 else self.last

    # session-state keys, derived once
    @property
    def _playing(self) -> str:
        return f"{self.key}__playing"

    @property
    def _hold(self) -> str:
        return f"{self.key}__hold"

    @property
    def _range(self) -> str:
        return f"{self.key}__range"

    @property
    def _pos(self) -> str:
        return f"{self.key}__pos"


def _current(p: Player) -> int:
    return int(st.session_state.get(p.key, p.start))


def _move(p: Player, step: int) -> None:
    """Set the step from code: kept in `_pos` while playing, handed to the slider once play stops."""
    step = min(max(int(step), p.first), p.last)
    st.session_state[p.key] = st.session_state[p._pos] = step


def _go(p: Player, step: int) -> None:
    """A button's callback: move to `step` (clamped) and stop playing."""
    _move(p, step)
    st.session_state[p._playing] = False


def _toggle_play(p: Player) -> None:
    state = st.session_state
    if state.get(p._playing):
        state[p._playing] = False
        return
    _move(p, p.start if _current(p) == p.end else _current(p))   # at the end: play again from the start
    state[p._playing] = True
    state[p._hold] = True                        # the first run shows the current step, then ticks


def is_playing(p: Player) -> bool:
    return bool(st.session_state.get(p._playing))


def show(p: Player, body: Callable[[int], None]) -> None:
    """Controls and body(step) in one fragment that ticks while playing."""
    state = st.session_state
    old, cur = state.get(p._range), _current(p)
    exists = p.first <= cur <= p.last
    if not exists or old not in (None, (p.first, p.last, p.start)):
        # a new range: a step at the old start, or one that no longer exists, moves to the new start
        state[p.key] = p.start if not exists or (old is not None and cur == old[2]) else cur
    state[p._range] = (p.first, p.last, p.start)
    playing = is_playing(p)

    @st.fragment(run_every=p.tick if playing else None)
    def view() -> None:
        if is_playing(p) != playing:             # Play or Stop was pressed: re-arm (or drop) the timer
            st.rerun()
        if playing and not state.pop(p._hold, False):
            _move(p, state.get(p._pos, _current(p)) + p.direction)    # one tick: the next step
            if state[p._pos] == p.end:
                state[p._playing] = False        # the next tick reruns the app without the timer
        cols = st.columns([1.2, 1, 1, 1.8, 6], vertical_alignment="bottom")
        if playing:
            # While playing, the URL-bound slider is replaced by a disabled copy showing the step.
            # A live slider whose value the server moves every tick echoes older values back, late
            # (seen in Chromium: the animation ended at step 2 after drawing step 1); a disabled
            # widget without a key sends nothing that counts.
            cur = int(state[p._pos])
            cols[4].slider(p.label, p.first, p.last, cur, disabled=True, help="Playing: press Stop or a step "
                           "button to take over.")
        else:
            if p._pos in state:                  # a step set by code (Play, a button): hand it over
                state[p.key] = state.pop(p._pos)
            # the slider before the buttons: on a deep link its value comes from the URL only when
            # it is created, and the buttons must step from that value
            cur = int(render([Slider(p.key, p.label, p.first, p.last, p.start, help=p.help)],
                             where=cols[4])[p.key])
        down, up = p.direction < 0, p.direction > 0
        cols[0].button(f"⏮ t = {p.start}", key=f"{p.key}__start", on_click=_go, args=(p, p.start),
                       width="stretch", help=f"Back to the start, step {p.start}.")
        cols[1].button("◀ t − 1", key=f"{p.key}__down", on_click=_go, args=(p, cur - 1), width="stretch",
                       disabled=cur <= p.first, help="One step to the left, to t − 1."
                       + (" This is the backward pass's next step." if down else ""))
        cols[2].button("t + 1 ▶", key=f"{p.key}__up", on_click=_go, args=(p, cur + 1), width="stretch",
                       disabled=cur >= p.last, help="One step to the right, to t + 1."
                       + (" This is the forward pass's next step." if up else ""))
        cols[3].button("⏸ Stop" if playing else f"▶ {p.play_label}", key=f"{p.key}__play",
                       on_click=_toggle_play, args=(p,), width="stretch", type="primary",
                       help=f"Animate one step at a time from the current step to {p.end}, then stop "
                            f"(from {p.start} when already at {p.end}).")
        body(cur)

    view()
