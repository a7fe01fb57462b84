"""A time stepper (the step t with start / back / next / play buttons), and sliders whose range
depends on the data (1..T, 1..H), kept in the URL. Both lessons use it:

    stepper(Steps("t", "Time step t", first=1, last=T, start=1), body)                   # forward, 1 → T
    stepper(Steps("step", "…", first=1, last=T, start=T, direction=-1, hold=True), body)  # backward, T → 1

draws the controls and calls body(t) for whatever depends on the step, inside one fragment: only the
fragment reruns when the step moves, so a page whose other parts are expensive stays quick.

    stepper(Steps(..., stage="bptt"), body, below=more)    # one screen: the step control beside its chart

With `stage`, the fragment is a page's main view (ui.stage.main_view): the slider and the step buttons in
the narrow column, body(t) in the wide one beside them, then below(t) under both (still in the fragment).

Such a slider cannot use Streamlit's URL binding (`render`): a new range makes a new widget, which takes
the page's *first* URL value again (undoing a step button or a preset) and is not written back to the
URL when code sets it. So `ranged_slider` keeps the value under its own key in st.session_state (which
buttons, presets and Play write), clamps it into the current range, and writes st.query_params itself:
the URL always holds what is shown, and a shared link reopens it. The widget is only a view of that
value: when code moves the value, the widget gets a new key, so a browser message still carrying the
old position (a Play tick sent before the last step was drawn) cannot move it back; and a message that
only repeats the position a widget was drawn at is not taken for a move.

Play runs in a fragment with a timer: each tick moves t by one step in `direction` and reruns only the
step view; at the end (or on Stop, or on any step button) it stops playing and asks for one full rerun,
which switches the timer off (Streamlit's documented way to stop a periodic fragment). So play always
ends, can always be stopped, and the last picture is the same as stepping there by hand.

When the range changes (a new sequence), a step at the old start moves to the new start, and any other
step stays where it is, clamped into the new range. Per-user state lives in st.session_state under
keys derived from the stepper's key, spelled only here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import streamlit as st

from rnnviz.ui.fragment import fragment
from rnnviz.ui.controls import Slider, read, said
from rnnviz.ui import frame, plan_bar, stage
from rnnviz.ui.guard import boundary

PLAY_SECONDS = 0.8            # one step per tick while playing
# Keyboard: ← and → step (as in a slide deck), Home goes back to the start, P plays or stops. Streamlit
# shows each shortcut on its button and ignores it while the focus is in a text box.
KEYS = ("Home", "Left", "Right", "P")
ICONS = (":material/first_page:", ":material/chevron_left:", ":material/chevron_right:",
         ":material/play_arrow:", ":material/pause:")


def ranged_slider(c: Slider, where: Any = None, disabled: bool = False) -> int:
    """An integer slider from c.min to c.max (set per run from the data), in the URL under c.key."""
    ss, lo, hi = st.session_state, int(c.min), int(c.max)
    if plan_bar.arriving():                            # a lesson-plan step: its link's value
        ss.pop(c.key, None)
        given = plan_bar.pending(c.key)
        if given and st.query_params.get(c.key) != given[-1] and not plan_bar.address_held():
            st.query_params[c.key] = given[-1]         # (held: the step's address is put in place whole)
    if c.key not in ss:                                # a new session: the link's value
        ss[c.key] = from_link(Slider(c.key, c.label, lo, hi, int(c.default)))
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
    # Written only when it changes: every write sends the browser a message (and a new history entry when
    # the address differs), and none while a step of another page opens (plan_bar.address_held).
    if plan_bar.address_held():
        pass
    elif value == c.default:
        st.query_params.pop(c.key, None)
    elif st.query_params.get(c.key) != str(value):
        st.query_params[c.key] = str(value)
    return value


def from_link(c: Slider) -> int:
    """The slider's value from the address (controls.read: ASCII digits, within c.min..c.max), or its
    default; a value it cannot take is said on the page (frame.note) and clamped or dropped."""
    raw = st.query_params.get_all(c.key)
    if not raw:
        return c.default
    r = read(c, raw)
    if r.why is not None:
        frame.note(c.key, said(c, raw[-1], r))
    return c.default if r.value is None else int(r.value)


@dataclass(frozen=True)
class Steps:
    key: str                  # session-state key and URL parameter of the current step
    label: str                # the slider's label
    first: int                # the lowest step
    last: int                 # the highest step (first < last)
    start: int                # where Play from the end and a new range begin
    direction: int = 1        # Play walks from the current step by this (−1: down to `first`)
    seconds: float = PLAY_SECONDS
    help: str = ""
    # labels of start, back, next, play, stop; `icons` adds Material icons (else the labels carry arrows)
    buttons: tuple[str, str, str, str, str] = ("Start", "Back", "Next", "Play", "Stop")
    icons: bool = True
    hold: bool = False        # the run that starts Play shows the current step (else already the next)
    stage: str | None = None  # a main view's key: the controls beside body(t) (ui.stage.main_view)

    @property
    def end(self) -> int:
        return self.first if self.direction < 0 else self.last


def playing(key: str) -> bool:
    """Whether Play is running on the stepper keyed `key` (Steps.key): a page whose other parts depend on it
    (their timer, their words) reads it here rather than the stepper's own session keys."""
    return bool(st.session_state.get(f"{key}__playing", False))


def stepper(s: Steps, body: Callable[[int], None], below: Callable[[int], None] | None = None,
            at: tuple[Any, Any] | None = None) -> None:
    """Draw the stepper for t ∈ s.first..s.last, then `body(t)` (beside the controls, with s.stage) and
    `below(t)`, all inside one fragment. `at` (with s.stage): the (controls, chart) columns of a main view the
    page made itself (ui.stage.main_view), where its other controls sit too: Play, the slider and the step
    buttons go in the first (Play without its caption: its help says it), body(t) in the second."""
    ss, key = st.session_state, s.key
    playing_key, hold_key, range_key = f"{key}__playing", f"{key}__hold", f"{key}__range"
    old, new = ss.get(range_key), (s.first, s.last, s.start)
    if old is not None and old != new and ss.get(key) == old[2]:
        ss[key] = s.start                              # a new range: a step at the old start follows it
    ss[range_key] = new
    playing = bool(ss.get(playing_key, False))
    # icons, unless asked not to, or the buttons share a narrow column (s.stage): there their labels say it
    icon = (lambda i: ICONS[i]) if s.icons and not s.stage else (lambda i: None)

    def go(to: int, stop: bool = True) -> None:        # callbacks run before the rerun they cause
        ss[key] = max(s.first, min(int(to), s.last))
        if stop:
            ss[playing_key] = False

    def go_by(delta: int) -> None:
        # A step from where the slider is now (its value as this click's request carries it), not from the t
        # the buttons were drawn with: a slider moved by the keyboard reaches the server a moment later, and a
        # button drawn before that would have stepped from the old t (once in CI: 4 → ← → 2).
        go(int(ss.get(key, s.start)) + delta)

    def play(start: bool) -> None:                     # a wanted state, not a toggle: a click that
        ss[playing_key] = start                        # Streamlit delivers twice cannot undo itself
        if start and ss.get(key, s.start) == s.end:    # at the end, play starts again from the start
            ss[key] = s.start
        if start and s.hold:
            ss[hold_key] = True

    # Play / Stop sits outside the fragment: its click reruns the whole page, which is what switches the
    # timer on or off (inside it, a Stop clicked while ticks kept arriving was sometimes lost).
    play_row = [at[0], None] if at is not None else st.columns([2.6 if s.stage else 1.7, 9],
                                                                vertical_alignment="center")
    play_row[0].button(s.buttons[4] if playing else s.buttons[3], key=f"{key}__play",
                       icon=ICONS[4 if playing else 3] if s.icons else None, on_click=play, args=(not playing,), width="stretch",
                       shortcut=KEYS[3],
                       type="primary" if playing else "secondary",
                       help="Stop where it is" if playing else f"Step every {s.seconds:g} s from the current "
                       f"step to {s.end}, then stop (from {s.start} when already at {s.end}).")
    if play_row[1] is not None:
        play_row[1].caption(f"Playing: one step every {s.seconds:g} s; it stops by itself at step {s.end}." if playing
                            else "Play walks through the sequence one step at a time; or step with the buttons.")

    @fragment(run_every=s.seconds if playing else None)
    def view() -> None:
        last = False
        if playing and ss.get(playing_key, False) and not ss.pop(hold_key, False):   # a tick of the timer
            go(ss.get(key, s.start) + s.direction, stop=False)
            last = ss[key] == s.end
            if last:
                ss[playing_key] = False
        if bool(ss.get(playing_key, False)) != playing and not last:
            st.rerun()                                 # the timer is set per full run: switch it
        # The tick that reaches the end draws it; the next tick finds Play stopped and makes the one full
        # rerun that switches the timer off. So the last step shows as soon as it is reached.
        if s.stage:                                    # the controls beside the chart: slider, then buttons
            side, wide = at if at is not None else stage.main_view(s.stage, ratio=(1.4, 3))
            slider_at = side.container()
            cols = side.container(key=f"row_{key}").columns([1.35, 1, 1], gap="small")   # the first: Home
        else:
            wide = None
            cols = st.columns([1.55, 1.55, 1.55, 6], vertical_alignment="bottom")
            slider_at = cols[3]
        # disabled while playing: the student takes over with Stop or a step button
        t = ranged_slider(Slider(key, s.label, s.first, s.last, s.start, help=s.help), where=slider_at,
                          disabled=playing)
        cols[0].button(s.buttons[0], icon=icon(0), key=f"{key}__start", help=f"Back to step {s.start}",
                       on_click=go, args=(s.start,), disabled=t == s.start, width="stretch",
                       shortcut=KEYS[0])
        cols[1].button(s.buttons[1], icon=icon(1), key=f"{key}__down", help="One step back, to t − 1",
                       on_click=go_by, args=(-1,), disabled=t <= s.first, width="stretch",
                       shortcut=KEYS[1])
        cols[2].button(s.buttons[2], icon=icon(2), key=f"{key}__up", help="One step forward, to t + 1",
                       on_click=go_by, args=(1,), disabled=t >= s.last, width="stretch",
                       shortcut=KEYS[2])
        with boundary("step view"):
            if wide is not None:
                with wide:
                    body(t)
            else:
                body(t)
        if below is not None:
            with boundary("step view"):
                below(t)

    view()
