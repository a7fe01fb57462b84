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
from rnnviz.ui import frame
from rnnviz.ui.markup import escape_markdown


def config(key: str) -> dict:
    """plotly.js options: the PNG export named after the figure, no plotly logo, no lasso/select tools."""
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": f"rnnviz-{key}", "scale": 2},
            "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def chart(where: Any, fig, key: str, summary: str | None = None, **kwargs) -> Any:
    """Draw `fig` in `where` (st, a column, a tab, ...) with the PNG/CSV exports and its summary."""
    shown = style.for_projector(fig) if frame.presenting() else fig      # larger type for the back row
    out = where.plotly_chart(shown, key=key, config=config(key), **kwargs)
    text = summary if summary is not None else describe.summary(fig)
    words, button = where.columns([12, 2], vertical_alignment="top", gap="small")
    words.caption(escape_markdown(text))
    button.download_button("CSV", data=lambda: describe.to_csv(fig), file_name=f"rnnviz-{key}.csv",
                           mime="text/csv", key=f"{key}__csv", on_click="ignore", type="tertiary",
                           icon=":material/download:", help="This chart's data as a table (CSV). For a PNG, "
                           "use the camera button in the chart's own toolbar (top right, on hover).")
    return out
