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
"""
from __future__ import annotations

from typing import Any

import streamlit as st

STACK_BELOW_PX = 1024        # the width below which a main view's columns stack (tablets upright, phones)

# Streamlit 1.64 wraps a container's children in a stLayoutWrapper: the columns' row is its child (the selector
# without the wrapper matched nothing, and the columns stayed side by side on an iPad).
_ROW = ('[class*="st-key-stage_"] > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"]',
        '[class*="st-key-stage_"] > [data-testid="stHorizontalBlock"]')
_CSS = """<style>
@media (max-width: %(px)dpx) {
  %(rows)s { flex-direction: column; gap: .5rem; }
  %(cols)s {
    width: 100%% !important; flex: 1 1 100%% !important; min-width: 100%% !important; }
}
</style>""" % {"px": STACK_BELOW_PX - 1, "rows": ", ".join(_ROW),
               "cols": ", ".join(f'{r} > [data-testid="stColumn"]' for r in _ROW)}


def main_view(key: str, ratio: tuple[float, float] = (1, 3)) -> tuple[Any, Any]:
    """Two columns in the main column, (controls, chart), in a container keyed `stage_<key>` (a CSS hook:
    they stack below STACK_BELOW_PX). `ratio` is their widths; the controls' column is the narrow one."""
    st.html(_CSS)                                        # a style element: drawn nowhere, applies page-wide
    box = st.container(key=f"stage_{key}")
    controls, chart = box.columns(ratio, gap="medium", vertical_alignment="top")
    return controls, chart


def deeper(label: str, key: str, icon: str | None = None, where: Any = None) -> Any:
    """A lazy expander, closed at first: `.open` says whether to draw its content (see the module's example).
    Opening or closing it reruns the page (or the fragment it is in); its state is st.session_state[key]."""
    where = st if where is None else where
    return where.expander(label, expanded=False, key=key, icon=icon, on_change="rerun")
