"""One screen per idea: the page's main view first, its deeper material below, drawn only when asked for.

A page opens on its main view: its 2–4 main controls beside the chart they change, in the main column, so
both fit on one screen (1366×768, and a projector's 1280×720 in presentation mode). Below ~1024 px the two
columns stack (controls above the chart), so a tablet or a phone reads them in order.

    controls, chart = ui.stage.main_view("gates")           # left: controls; right: the chart they change
    values = ui.render(MAIN_CONTROLS, where=controls)
    ui.chart(chart, fig, key="gates")

Deeper material (equations with numbers, per-unit maps, data and model notes) goes into a lazy expander:
Streamlit sends nothing of it to the browser until the student opens it (a closed one costs one element).

    more = ui.stage.deeper("The equations, with this step's numbers", "eqs")
    if more.open:
        with more:
            ...

A part that only one control changes (a step slider and its chart) goes in an st.fragment: moving the
control reruns and re-sends that part alone, not the page (Streamlit's own partial rerun).

The settings a class changes less often sit in the sidebar, in one closed popover under the page list:

    side = ui.render(SIDE_CONTROLS, where=ui.stage.settings("input, size, seed"))
"""
from __future__ import annotations

import re
from typing import Any

import streamlit as st

from rnnviz.ui import frame, teach

STACK_BELOW_PX = 1024        # the width below which a main view's columns stack (tablets upright, phones)

# Streamlit wraps a container's columns in a stLayoutWrapper div: the rule reaches the main view's own row of
# columns through it (and not the columns nested inside them, such as a stepper's row of buttons).
_ROW = ('[class*="st-key-stage_"] > [data-testid="stHorizontalBlock"], '
        '[class*="st-key-stage_"] > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"]')
# Sent once per run with the page's other styles (ui.page_setup → access.setup), not by each main view.
RULES = """
@media (max-width: %(px)dpx) {
  %(row)s { flex-direction: column; gap: .5rem; }
  %(col)s { width: 100%% !important; flex: 1 1 100%% !important; min-width: 100%% !important; }
}
/* a row keyed row_NAME inside a main view (a stepper: Start, Back, Next) stays one row on a phone; no angle brackets in here: the sanitizer drops a style that has them */
[class*="st-key-row_"] [data-testid="stHorizontalBlock"] { flex-direction: row !important; flex-wrap: nowrap !important; }
[class*="st-key-row_"] [data-testid="stColumn"] { min-width: 0 !important; width: auto !important; flex: 1 1 0 !important; }
/* in that narrow row the buttons' key hints ("Home", "←", "→") left no room for their labels ("S… Home", "B ←"): the hints go, the keys still work */
[class*="st-key-row_"] [aria-label^="Shortcut"] { display: none; }
[class*="st-key-row_"] button { padding-left: .3rem; padding-right: .3rem; }
""" % {"px": STACK_BELOW_PX - 1, "row": _ROW,
               "col": ", ".join(f'{r.strip()} > [data-testid="stColumn"]' for r in _ROW.split(", "))}
_CSS = f"<style>{RULES}</style>"


def main_view(key: str, ratio: tuple[float, float] = (1, 3)) -> tuple[Any, Any]:
    """Two columns in the main column, (controls, chart), in a container keyed `stage_<key>` (a CSS hook:
    they stack below STACK_BELOW_PX). `ratio` is their widths; the controls' column is the narrow one.
    A row of small buttons in the controls, in a container keyed `row_<name>`, stays one row on a phone."""
    box = st.container(key=f"stage_{key}")
    controls, chart = box.columns(ratio, gap="medium", vertical_alignment="top")
    return controls, chart


def settings(what: str) -> Any:
    """The page's less-used settings: a popover in the sidebar ("Settings: `what`"), its controls drawn by
    ui.render(..., where=ui.stage.settings(...)). Closed, the browser has nothing of it to draw but its
    button. Drawn in the sidebar itself, the same controls cost the browser time on every move of every
    control, the main view's fragments included: on a toy page (a fragment with a slider and a chart), 12
    selectboxes in the sidebar added 85-90 ms per move, the same 12 in a closed popover 8-17 ms (Chromium,
    as the README's browser bench). Open, it stays open while its controls are changed (a rerun keeps it),
    and closes on a click outside or Escape."""
    return st.sidebar.popover(f"Settings: {what}", icon=":material/tune:", width="stretch",
                              key="page_settings")


def deeper(label: str, key: str, icon: str | None = None, where: Any = None) -> Any:
    """A lazy expander, closed at first: `.open` says whether to draw its content (see the module's example).
    Opening or closing it reruns the page (or the fragment it is in); its state is st.session_state[key]."""
    where = st if where is None else where
    return where.expander(label, expanded=False, key=key, icon=icon, on_change="rerun")


def equations(label: str, key: str, rows, icon: str | None = ":material/functions:") -> None:
    """A lazy expander of equations: each row (lead, latex, latex, ...) is a sentence in markdown, then its
    equations, one per line; nothing is sent until the expander is opened."""
    more = deeper(label, key, icon=icon)
    if more.open:
        for lead, *lines in rows:
            more.markdown(lead)
            for line in lines:
                more.latex(line)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*“\"(])")


def lead(intro: str, sentences: int = 2) -> tuple[str, str]:
    """A page's intro cut after its first `sentences` sentences: (the lead, shown under the title; the rest,
    for an "About this page" expander). The rest is "" when the intro is that short."""
    parts = _SENTENCE_END.split(intro.strip())
    return " ".join(parts[:sentences]), " ".join(parts[sentences:])


def about(rest: str, key: str) -> None:
    """The rest of a page's intro in a lazy expander (nothing when there is no rest, or while presentation
    mode hides the introduction)."""
    if not rest or frame.is_hidden("Introduction"):
        return
    more = deeper("About this page", key, icon=":material/info:")
    if more.open:
        more.markdown(rest)


def answer_shown() -> bool:
    """The page's predict-then-reveal answer is on screen (ui.teach.predict_reveal): it is computed from the
    page's settings, so a fragment whose controls change them reruns the whole page while it is shown."""
    return st.session_state.get(f"{teach.REVEAL}__for") is not None


def follow_page(key: str, value: Any, live: bool) -> None:
    """Inside a fragment: rerun the whole page when `value` (the settings this fragment's controls make) is
    not the one the rest of the page was drawn with (page_drawn) and `live` (a part of the rest that draws
    them is on screen). So a fragment's move stays quick while the rest of the page does not depend on it,
    and nothing on screen is left stale when it does."""
    drawn = st.session_state.get(f"_stage_page_{key}")
    if live and drawn is not None and drawn != value:
        st.rerun(scope="app")


def page_drawn(key: str, value: Any) -> None:
    """Call around a fragment on each full run: page_drawn(key, None) before it (a full run redraws the whole
    page anyway), page_drawn(key, value) after it, once the rest of the page draws `value`."""
    st.session_state[f"_stage_page_{key}"] = value
