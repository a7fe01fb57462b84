"""A time stepper (the step t with start / back / next / play buttons), and sliders whose range
depends on the data (1..T, 1..H), kept in the URL.

Such a slider cannot use Streamlit's URL binding (`render`): a new range makes a new widget, which takes
the page's *first* URL value again (undoing a step button or a preset) and is not written back to the
URL when code sets it. So `ranged_slider` keeps the value under its own key in st.session_state (which
buttons, presets and Play write), clamps it into the current range, and writes st.query_params itself:
the URL always holds what is shown, and a shared link reopens it. The widget is only a view of that
value: when code moves the value, the widget gets a new key, so a browser message still carrying the
old position (a Play tick sent before the last step was drawn) cannot move it back; and a message that
only repeats the position a widget was drawn at is not taken for a move.

Play runs in a fragment with a timer: each tick advances t by one and reruns only the step view; at T
(or on Stop, or on any step button) it stops playing and asks for one full rerun, which switches the
timer off. So play always ends, can always be stopped, and the last picture is the same as stepping
to T by hand.
"""
from __future__ import annotations

from typing import Any, Callable

import streamlit as st

from rnnviz.ui.controls import Slider

PLAY_SECONDS = 0.8            # one step per tick while playing


def ranged_slider(c: Slider, where: Any = None, disabled: bool = False) -> int:
    """An integer slider from c.min to c.max (set per run from the data), in the URL under c.key."""
    ss, lo, hi = st.session_state, int(c.min), int(c.max)
    if c.key not in ss:                                # a new session: the link's value
        try:
            ss[c.key] = int(st.query_params.get(c.key, c.default))
        except ValueError:
            ss[c.key] = int(c.default)
    value = ss[c.key] = min(max(int(ss[c.key]), lo), hi)
    shown, generation = f"{c.key}__shown", f"{c.key}__generation"
    if ss.get(shown) != value:                         # moved by code, not by this widget: a fresh widget
        ss[generation] = ss.get(generation, 0) + 1
    widget = f"{c.key}__{ss[generation]}"

    def dragged() -> None:                             # the student moved the slider itself; a message
        if ss[widget] != value:                        # replaying where it was drawn (a late Play tick
            ss[c.key] = ss[shown] = ss[widget]         # can) is not a move

    ss[shown] = value
    (where or st.sidebar).slider(c.label, min_value=lo, max_value=hi, value=value, step=1, key=widget,
                                 help=c.help or None, disabled=disabled, on_change=dragged)
    if value == c.default:
        st.query_params.pop(c.key, None)
    else:
        st.query_params[c.key] = str(value)
    return value


def stepper(T: int, body: Callable[[int], None], *, key: str = "t", label: str = "Time step t",
            help: str = "", seconds: float = PLAY_SECONDS) -> None:
    """Draw the stepper for t ∈ 1..T, then `body(t)`, all inside one fragment (T ≥ 2)."""
    ss, playing_key = st.session_state, f"{key}_playing"
    playing = bool(ss.get(playing_key, False))

    def go(to: int, stop: bool = True) -> None:        # callbacks run before the rerun they cause
        ss[key] = max(1, min(int(to), T))
        if stop:
            ss[playing_key] = False

    def play(start: bool) -> None:                     # a wanted state, not a toggle: a click that
        ss[playing_key] = start                        # Streamlit delivers twice cannot undo itself
        if start and ss.get(key, 1) >= T:              # at the end, play starts again from step 1
            ss[key] = 1

    # Play / Stop sits outside the fragment: its click reruns the whole page, which is what switches the
    # timer on or off (inside it, a Stop clicked while ticks kept arriving was sometimes lost).
    play_row = st.columns([1.3, 9], vertical_alignment="center")
    play_row[0].button("Stop" if playing else "Play", key=f"{key}_play", icon=":material/pause:" if playing
                       else ":material/play_arrow:", on_click=play, args=(not playing,), width="stretch",
                       type="primary" if playing else "secondary",
                       help="Stop where it is" if playing else f"Step forward every {seconds:g} s up to step T")
    play_row[1].caption(f"Playing: one step every {seconds:g} s; it stops by itself at step {T}." if playing else
                        "Play walks through the sequence one step at a time; or step with the buttons below.")

    @st.fragment(run_every=seconds if playing else None)
    def view() -> None:
        last = False
        if playing and ss.get(playing_key, False):     # a tick of the timer
            go(ss.get(key, 1) + 1, stop=False)
            last = ss[key] >= T
            if last:
                ss[playing_key] = False
        if bool(ss.get(playing_key, False)) != playing and not last:
            st.rerun()                                 # the timer is set per full run: switch it
        # The tick that reaches T draws step T; the next tick finds Play stopped and makes the one full
        # rerun that switches the timer off. So the last step shows as soon as it is reached.
        cols = st.columns([1.1, 1.1, 1.1, 7.2], vertical_alignment="bottom")
        t = ranged_slider(Slider(key, label, 1, T, 1, help=help), where=cols[3])
        cols[0].button("Start", icon=":material/first_page:", key=f"{key}_first", help="Back to step 1",
                       on_click=go, args=(1,), disabled=t <= 1, width="stretch")
        cols[1].button("Back", icon=":material/chevron_left:", key=f"{key}_back", help="One step back",
                       on_click=go, args=(t - 1,), disabled=t <= 1, width="stretch")
        cols[2].button("Next", icon=":material/chevron_right:", key=f"{key}_forward", help="One step forward",
                       on_click=go, args=(t + 1,), disabled=t >= T, width="stretch")
        body(t)

    view()
