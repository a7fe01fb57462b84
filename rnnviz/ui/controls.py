"""A page's controls, declared once: each becomes a widget bound to the URL (st.query_params).

A page lists its controls; `render` draws them (with help tooltips) and returns {key: value}. Every
widget uses `bind="query-params"`, so the URL always holds the exact view and a shared link reopens it;
Streamlit drops a parameter from the URL while it equals its default and ignores invalid values.
The key is the URL parameter's name, so keep keys short and unique within a page.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import streamlit as st


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
    from rnnviz.ui import frame

    where = st.sidebar if where is None else where
    frame.register(controls)            # presentation mode offers them by label
    values: dict[str, Any] = {}
    for c in controls:
        if frame.arriving():                # a lesson-plan step being opened sets every control: its
            given = frame.pending(c.key)    # link's value, or the default (as a fresh link would)
            value = from_url(c, given) if given is not None else None
            st.session_state[c.key] = c.default if value is None else value
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


def from_url(c: Control, raw: Sequence[str]) -> Any:
    """A control's value from its URL text (as a bound widget writes it), or None when it is not one."""
    text = raw[-1] if raw else ""
    try:
        if isinstance(c, Slider):
            value = float(text)
            if isinstance(c.default, int):
                value = int(value) if value.is_integer() else None
            return value if value is not None and c.min <= value <= c.max else None
        if isinstance(c, Number):
            value = int(text)
            return value if c.min <= value <= c.max else None
        if isinstance(c, Choice):
            return text if text in c.options else None
        if isinstance(c, Toggle):
            return {"true": True, "false": False}.get(text.lower())
        if isinstance(c, Text):
            return text
    except (TypeError, ValueError, OverflowError):
        return None
    return None


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
    "$x$", "**x**" or a pasted page shows as typed (tests/test_hardening.py)."""
    from rnnviz.ui import escape_markdown              # (rnnviz.ui imports this module)

    text = str(value).replace("\n", "↵")
    return escape_markdown(text if len(text) <= limit else text[:limit] + "…")
