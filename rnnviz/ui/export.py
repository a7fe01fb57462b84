"""Every main figure, drawn with its ways out: a PNG for slides, its data as CSV, and its summary in words.

    chart(st, fig, key="grad_norms")                       # instead of st.plotly_chart(fig, key=...)
    chart(left, fig, key="spectrum", summary="…")          # a page's own sentence, with its key number

- PNG: the camera button of plotly's own toolbar draws the PNG in the browser, offline, at 2× for a
  projector or a slide (plotly.js ships inside Streamlit; nothing is fetched).
- CSV: built from the figure only when the button is pressed, one row per point or heatmap cell.
- Summary: one sentence under the chart with its key numbers (figures.describe reads them from the
  figure itself), for screen readers, colour-blind eyes and the back row of the class.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from rnnviz.shared import describe, style
from rnnviz.ui import access, frame
from rnnviz.ui.markup import escape_markdown


# The toolbar keeps the PNG camera, zoom in, zoom out and reset: buttons that also work on a touch screen,
# where a swipe scrolls the page instead of drawing a zoom box (ui.access). A mouse still drag-zooms and
# double-click resets; the modes one would switch to (zoom box, pan, lasso, select) are gone, so the
# toolbar is half as wide and covers less of a chart's title when it shows (on hover, or after a tap).
TOOLBAR_REMOVED = ["zoom2d", "pan2d", "lasso2d", "select2d", "autoScale2d"]


def config(key: str) -> dict:
    """plotly.js options: the PNG export named after the figure, no plotly logo, a short toolbar."""
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": f"rnnviz-{key}", "scale": 2},
            "modeBarButtonsToRemove": TOOLBAR_REMOVED}


def chart(where: Any, fig, key: str, summary: str | None = None, **kwargs) -> Any:
    """Draw `fig` in `where` (st, a column, a tab, ...) with the PNG/CSV exports and its summary."""
    shown = style.for_projector(fig) if frame.presenting() else fig      # larger type for the back row
    access.fit_numbers(where, key, shown)            # a heatmap's cell numbers only where they fit
    out = where.plotly_chart(shown, key=key, config=config(key), **kwargs)
    text = summary if summary is not None else describe.summary(fig)
    words, button = where.columns([12, 2], vertical_alignment="top", gap="small")
    words.caption(escape_markdown(text))
    button.download_button("CSV", data=lambda: describe.to_csv(fig), file_name=f"rnnviz-{key}.csv",
                           mime="text/csv", key=f"{key}__csv", on_click="ignore", type="tertiary",
                           icon=":material/download:", help="This chart's data as a table (CSV). For a PNG, "
                           "use the camera button in the chart's own toolbar (top right, on hover).")
    return out
