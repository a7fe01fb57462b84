"""Every main figure, drawn with its ways out: a PNG for slides, its data as CSV, and its summary in words.

    chart(st, fig, key="grad_norms")                       # drawn by ui.plot (updated in place, not remounted)
    chart(left, fig, key="spectrum", summary="…")          # a page's own sentence, with its key number

- PNG: the camera button of plotly's own toolbar draws the PNG in the browser, offline, at 2× for a
  projector or a slide (plotly.js comes from this server: ui.plot; nothing is fetched elsewhere).
- CSV: built from the figure only when the button is pressed, one row per point or heatmap cell.
- Words: the page's own sentence (`summary=`), written by a person with its key number computed at run
  time, shows under the chart. The automatic summary (describe.summary: every trace's first, last and
  highest values, read from the figure itself) is for screen readers and the curious, not for the eye:
  it sits with the CSV button in a small "The numbers" popover. A popover's content is mounted only when
  it is opened (measured in Chromium: 13 DOM nodes a chart, against 21 for the old caption-and-button row
  and 27 for a collapsed expander, whose hidden content is drawn anyway), and three deltas instead of five.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from rnnviz.shared import describe, figure_dict, style
from rnnviz.ui import frame, plot
from rnnviz.ui.markup import escape_markdown


# The toolbar keeps the PNG camera, zoom in, zoom out and reset: buttons that also work on a touch screen,
# where a swipe scrolls the page instead of drawing a zoom box (ui.access). A mouse still drag-zooms and
# double-click resets; the modes one would switch to (zoom box, pan, lasso, select) are gone, so the
# toolbar is half as wide and covers less of a chart's title when it shows (on hover, or after a tap).
# plotly.js 4's "Share chart..." button (sendChartToCloud) would upload the figure to Plotly Cloud: it is off
# (showSendToCloud) and removed, so nothing leaves the machine.
TOOLBAR_REMOVED = ["zoom2d", "pan2d", "lasso2d", "select2d", "autoScale2d", "sendChartToCloud"]


def config(key: str) -> dict:
    """plotly.js options: the PNG export named after the figure, no plotly logo, a short toolbar."""
    return {"displaylogo": False, "showSendToCloud": False, "showLink": False,
            "toImageButtonOptions": {"format": "png", "filename": f"rnnviz-{key}", "scale": 2},
            "modeBarButtonsToRemove": TOOLBAR_REMOVED}


def chart(where: Any, fig, key: str, summary: str | None = None, numbers: str | None = None,
          under: str | None = None) -> Any:
    """Draw `fig` in `where` (st, a column, a tab, ...), the page's sentence under it (`summary`, if given),
    and "The numbers": the automatic summary (or the page's own full account, `numbers`) and the CSV
    button, in a popover. `under`: HTML drawn right under the plot, with no gap (e.g. a row of labels
    aligned with the plot area, which the browser lays out for less than plotly would); the caller
    escapes any typed text in it."""
    shown = style.for_projector(fig) if frame.presenting() else fig      # larger type for the back row
    spec = plot.spec(shown)                          # the figure as a dict, made once (describe reads it too)
    box = where.container(gap=None) if under is not None else where
    out = plot.show(box, spec, key=key, config=config(key), fit=style.text_fit_width(spec))
    # (fit: below that width the element hides a heatmap's cell numbers, which would overlap: access.CSS)
    if under is not None:
        box.html(under)
    if summary:
        where.caption(escape_markdown(summary))
    the_numbers(where, figure_dict.view(spec), key, numbers)
    return out


def the_numbers(where: Any, fig, key: str, said: str | None = None) -> None:
    """The chart's numbers for a screen reader or a slide: its summary in words and its data as CSV."""
    box = where.popover("The numbers", icon=":material/table_chart:", type="tertiary",
                        help="This chart's key numbers in words, and its data as a table (CSV).")
    box.caption(escape_markdown(said or describe.summary(fig)))
    box.download_button("CSV", data=lambda: describe.to_csv(fig), file_name=f"rnnviz-{key}.csv",
                        mime="text/csv", key=f"{key}__csv", on_click="ignore", type="tertiary",
                        icon=":material/download:", help="This chart's data as a table (CSV). For a PNG, "
                        "use the camera button in the chart's own toolbar (top right, on hover).")
