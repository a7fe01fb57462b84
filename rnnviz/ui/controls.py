"""A page's controls, declared once: each becomes a widget bound to the URL (st.query_params).

A page lists its controls; `render` draws them (with help tooltips) and returns {key: value}. Every
widget uses `bind="query-params"`, so the URL always holds the exact view and a shared link reopens it;
Streamlit drops a parameter from the URL while it equals its default and ignores most invalid values.
The key is the URL parameter's name, so keep keys short and unique within a page.

A link is typed by anyone, so `render` reads it first (`read`): a value a widget cannot hold is taken
out of the address before the widget sees it, a number out of range is clamped, and the page says so
(frame.note). Not only for tidiness: Streamlit's whole-number input does int(float(text)) on its URL
value, so `?seed=inf` or `?seed=1e309` raised OverflowError inside the widget on every run.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple, Sequence

import streamlit as st
from streamlit.errors import StreamlitAPIException

from rnnviz.ui import frame, plan_bar
from rnnviz.ui.markup import escape_markdown


@dataclass(frozen=True)
class Slider:
    key: str
    label: str
    min: float
    max: float
    default: float
    step: float = 1
    help: str = ""
    format: str | None = None


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    options: Sequence[str]
    default: str
    help: str = ""
    horizontal: bool = False                # a row of pills (segmented control) instead of a dropdown


@dataclass(frozen=True)
class Number:
    key: str
    label: str
    min: int
    max: int
    default: int
    help: str = ""


@dataclass(frozen=True)
class Text:
    key: str
    label: str
    default: str
    help: str = ""
    max_chars: int | None = None
    height: int | None = None               # a multi-line text area this many pixels tall (None: one line)


@dataclass(frozen=True)
class Toggle:
    key: str
    label: str
    default: bool
    help: str = ""


Control = Slider | Choice | Number | Text | Toggle


def render(controls: Sequence[Control], where: Any = None,
           disabled: Callable[[str, dict], bool] | None = None) -> dict[str, Any]:
    """Draw each control in `where` (default: the sidebar), bound to the URL; return {key: value}.

    `disabled(key, values_so_far)` may grey out a control that does not apply (e.g. T when the input
    is a typed sentence), so the student sees it exists but why it does nothing.
    """
    where = st.sidebar if where is None else where
    clean_link(controls)                # may rerun: the widgets below never see a value they cannot hold
    frame.register(controls)            # presentation mode offers them by label
    values: dict[str, Any] = {}
    for c in controls:
        if plan_bar.arriving():                # a lesson-plan step being opened sets every control: its
            st.session_state[c.key] = from_step(c)   # link's value, or the default (as a fresh link would)
        off = bool(disabled and disabled(c.key, values))
        common = dict(key=c.key, help=c.help or None, bind="query-params", disabled=off)
        if isinstance(c, Slider):
            values[c.key] = where.slider(c.label, min_value=c.min, max_value=c.max, value=c.default,
                                         step=c.step, format=c.format, **common)
        elif isinstance(c, Choice):
            # No format_func: a bound widget writes the *formatted* option into the URL, so the
            # options themselves are short readable words and the help text explains them.
            if c.horizontal:
                values[c.key] = where.segmented_control(c.label, list(c.options), default=c.default,
                                                        required=True, **common)
            else:
                values[c.key] = where.selectbox(c.label, list(c.options),
                                                index=list(c.options).index(c.default), **common)
        elif isinstance(c, Number):
            values[c.key] = int(where.number_input(c.label, min_value=c.min, max_value=c.max,
                                                   value=c.default, step=1, **common))
        elif isinstance(c, Text):
            if c.height:
                values[c.key] = where.text_area(c.label, value=c.default, max_chars=c.max_chars,
                                                height=c.height, **common)
            else:
                values[c.key] = where.text_input(c.label, value=c.default, max_chars=c.max_chars, **common)
        elif isinstance(c, Toggle):
            values[c.key] = where.toggle(c.label, value=c.default, **common)
        else:  # pragma: no cover - a programming error, not user input
            raise TypeError(f"unknown control {c!r}")
    return values


# ----------------------------------------------------------------------------- reading a link
class Reading(NamedTuple):
    value: Any              # what the control shows: the link's value, clamped into range, or None (unusable)
    why: str | None         # None when the link's value is used as given; else what was wrong, in words


# A number as a link writes it: ASCII digits, a sign, a point, an exponent of at most three digits. Not
# float()'s whole grammar: that also takes "inf", "nan", "Infinity", "1_000" and Arabic-Indic digits.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_LONGEST_NUMBER = 40        # characters; a longer "number" is not one a person wrote


def read(c: Control, raw: Sequence[str]) -> Reading:
    """What control `c` makes of its URL text (the last value when a link repeats the parameter)."""
    text = raw[-1] if raw else ""
    if isinstance(c, (Slider, Number)):
        return _read_number(c, text)
    if isinstance(c, Choice):
        return Reading(text, None) if text in c.options else Reading(None, "which is not one of its choices")
    if isinstance(c, Toggle):
        value = {"true": True, "false": False}.get(text.lower())
        return Reading(value, None) if value is not None else Reading(None, "which is neither true nor false")
    if isinstance(c, Text):
        return Reading(text, None)
    return Reading(None, "which this control cannot show")     # pragma: no cover


def _read_number(c: Slider | Number, text: str) -> Reading:
    whole = isinstance(c, Number) or isinstance(c.default, int)
    if len(text) > _LONGEST_NUMBER or not _NUMBER.fullmatch(text):
        return Reading(None, "which is not a number")
    x = float(text)                                 # finite, or ±inf for 1e309: never an exception
    if not math.isfinite(x):
        return Reading(None, "which is too large to be a number the page can use")
    if whole and not x.is_integer():
        return Reading(None, "which is not a whole number")
    value = int(x) if whole else x
    if value < c.min:
        return Reading(c.min, f"below its lowest value, {_shown_number(c.min)}")
    if value > c.max:
        return Reading(c.max, f"above its highest value, {_shown_number(c.max)}")
    return Reading(value, None)


def from_url(c: Control, raw: Sequence[str]) -> Any:
    """A control's value from its URL text (as a bound widget writes it), or None when it is not one."""
    r = read(c, raw)
    return r.value if r.why is None else None


def url_text(value: Any) -> str:
    """A value as the address carries it (the format bound widgets write: true/false, 3, 0.5)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _shown_number(value) if isinstance(value, (int, float)) else str(value)


def _shown_number(x: int | float) -> str:
    return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)


def said(c: Control, text: str, r: Reading) -> str:
    """The page's note about a link's value that `c` could not take as given (markdown, escaped)."""
    given = escape_markdown(text if len(text) <= 40 else text[:40] + "…")
    shown = r.value if r.value is not None else c.default
    what = url_text(shown) + (" (its default)" if r.value is None else "")
    return (f"This link sets **{c.label}** to “{given}”, {r.why}: the page shows "
            f"{escape_markdown(what)} instead.")


def clean_link(controls: Sequence[Control]) -> None:
    """Before any of `controls` is drawn: take every value out of the address that its widget could not
    hold (a number out of range becomes the nearest end), note it, and rerun.

    Why a rerun: a bound widget reads the address the run *started* with, not st.query_params as changed
    since, so a corrected address only reaches the widgets in a new run. Only a widget that reads the
    address at all is concerned: one created afresh (no value in st.session_state yet); later runs keep
    the value the student set. A bad link costs one extra run; a good one, nothing."""
    changed = False
    for c in controls:
        if c.key not in st.query_params or c.key in st.session_state:
            continue
        raw = st.query_params.get_all(c.key)
        r = read(c, raw)
        if r.why is None:
            continue
        try:
            if r.value is None:
                del st.query_params[c.key]
            else:
                st.query_params[c.key] = url_text(r.value)
        except StreamlitAPIException:   # still bound to last run's widget, which keeps its own value and
            continue                    # does not read the address (a plan step opened on the same page)
        frame.note(c.key, said(c, raw[-1] if raw else "", r), later=True)
        changed = True
    if changed:
        plan_bar.arrive_again()            # a lesson-plan step being opened: open it again, from the clean link
        st.rerun()


def from_step(c: Control) -> Any:
    """The value the lesson-plan step being opened gives `c`: its link's value (clamped), or the default.
    A value it cannot take is said (frame.note) and left out of the address the step leaves behind."""
    given = plan_bar.pending(c.key)
    if given is None:
        return c.default
    r = read(c, given)
    if r.why is not None:
        frame.note(c.key, said(c, given[-1] if given else "", r))
        plan_bar.correct_pending(c.key, None if r.value is None else url_text(r.value))
    return c.default if r.value is None else r.value


def defaults(controls: Sequence[Control]) -> dict[str, Any]:
    """{key: default}: what a page shows when its URL carries no parameters."""
    return {c.key: c.default for c in controls}


def preset(where: Any, label: str, controls: Sequence[Control], overrides: dict[str, Any], key: str,
           icon: str = ":material/science:") -> None:
    """A button that sets every control to its default except `overrides`: one whole, reproducible view.

    It writes st.session_state in a callback (bound widgets take their value from there), and
    Streamlit then rewrites the URL, so the result can be shared like any other view.
    """
    def apply() -> None:
        for c in controls:
            st.session_state[c.key] = overrides.get(c.key, c.default)

    where.button(label, key=key, icon=icon, on_click=apply, width="stretch",
                 help="Sets every control: " + (", ".join(f"{k} = {_shown(v)}" for k, v in overrides.items())
                                               + "; the rest to their defaults."))


def _shown(value: Any, limit: int = 40) -> str:
    """A preset's value as its tooltip says it. A tooltip is markdown and a preset may carry the text the
    student typed (a page keeps it while changing the rest): cut it short and make it literal, so a typed
    "$x$", "**x**" or a pasted page shows as typed (tests/ui/test_hardening.py)."""
    text = str(value).replace("\n", "↵")
    return escape_markdown(text if len(text) <= limit else text[:limit] + "…")
