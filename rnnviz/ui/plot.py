"""A plotly chart that the browser updates in place: one <div> per chart key for the page's whole life,
redrawn by Plotly.react with the new figure.

    plot.show(where, fig, key="loss", config={...})     # what ui.chart calls instead of st.plotly_chart

Why not st.plotly_chart: in Streamlit 1.64 its element id is computed from the figure, and its React
component keeps the figure it was mounted with; so every changed figure is a new element, torn down and
drawn from scratch (Plotly.newPlot) on every slider move. Here the element's identity is its key (a
components-v2 element: key_as_main_identity), so a move sends only the new figure, and Plotly.react
updates the same plot: it keeps the DOM, the axes and the toolbar, and redraws what changed.

- plotly.js is the one inside the installed plotly package (plotly/package_data/plotly.min.js, the very
  version plotly.py writes figures for), copied once into the app's static folder and served by Streamlit
  itself (server.enableStaticServing): nothing is fetched from another origin. The browser loads it once
  per page load and caches it.
- The theme: plotly.py's default template is dropped, and the browser gives each figure a template from
  the page's own colours (text, faded text, background: Streamlit's theme variables), as Streamlit does
  for its own charts, so the same figure reads on the light and the dark theme.
- Every figure travels as its plotly JSON (`figure` in the element's data), which is what the tests read
  (tests/kit/charts.py).
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Any

import plotly
import plotly.io as pio
import streamlit as st

from rnnviz.ui import plot_labels

APP = Path(__file__).resolve().parents[2]
STATIC = APP / "static"
SOURCE = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
SERVED = "plotly.min.js"


def install_plotly_js(source: Path = SOURCE, static: Path = STATIC) -> Path:
    """Copy plotly.min.js into the app's static folder when it is missing or differs (a plotly upgrade);
    Streamlit serves that folder at /app/static/. Returns the copy's path."""
    target = static / SERVED
    if not target.exists() or target.read_bytes() != source.read_bytes():
        static.mkdir(exist_ok=True)
        # a temporary name of this thread's own: two processes starting at once (a server and a test worker,
        # two test workers) each write their own copy, and the last rename wins with the same bytes
        tmp = target.with_name(f"{SERVED}.{os.getpid()}.{threading.get_ident()}.tmp")
        shutil.copyfile(source, tmp)
        tmp.replace(target)                  # whole or not at all: a page loading meanwhile never reads half
    return target


# The browser's half. Loads plotly.js once per page (a <script> from this server), keeps one <div> per
# element, and on every render draws the new figure into it with Plotly.react (a diff against what is
# drawn, not a fresh plot). A ResizeObserver keeps the plot as wide as its column.
JS = plot_labels.JS + r"""
const loadPlotly = (src) => {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__rnnvizPlotly) {
    window.__rnnvizPlotly = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = src; s.async = true;
      s.onload = () => resolve(window.Plotly); s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  return window.__rnnvizPlotly;
};

// Streamlit 1.64's own chart theme (its PlotlyChart's template, with its grey scale), for the page's light
// or dark background: grey axis text, a light grid on y only, darker legend text, the heading colour for
// the title, Streamlit's categorical colours. Values the figure sets itself win over these.
const LIGHT = {axis: "#808495", legend: "#262730", grid: "#E6EAF1", title: "#31333F",
               colorway: ["#0068C9", "#83C9FF", "#FF2B2B", "#FFABAB", "#29B09D", "#7DEFA1", "#FF8700",
                          "#FFD16A", "#6D3FC0", "#D5DAE5"]};
const DARK = {axis: "#E6EAF1", legend: "#FAFAFA", grid: "#31333F", title: "#FAFAFA",
              colorway: ["#83C9FF", "#0068C9", "#FFABAB", "#FF2B2B", "#7DEFA1", "#29B09D", "#FFD16A",
                         "#FF8700", "#6D3FC0", "#D5DAE5"]};
const isDark = (color) => {
  const m = color.match(/\d+(\.\d+)?/g);
  if (color.startsWith("#")) {
    const h = color.length === 4 ? color.slice(1).split("").map((c) => c + c) : [color.slice(1, 3), color.slice(3, 5), color.slice(5, 7)];
    return h.map((x) => parseInt(x, 16)).reduce((a, b) => a + b, 0) < 384;
  }
  return m ? m.slice(0, 3).map(Number).reduce((a, b) => a + b, 0) < 384 : false;
};
const template = (el) => {
  const css = getComputedStyle(el);
  return makeTemplate((name) => css.getPropertyValue(name).trim());
};
const makeTemplate = (v) => {
  const back = v("--st-background-color") || "#FFFFFF", border = v("--st-border-color") || "#D5DAE5";
  const c = isDark(back) ? DARK : LIGHT;
  const heading = v("--st-heading-font") || "sans-serif";
  const tick = {color: c.axis, size: 12};
  return {layout: {
    font: {color: c.axis, size: 12}, colorway: c.colorway, margin: {pad: 8, l: 0, r: 0},
    title: {font: {family: heading, size: 16, color: v("--st-heading-color") || c.title, weight: 600},
            pad: {l: 4}, xanchor: "left", x: 0},
    legend: {font: {size: 12, color: c.legend}, title: {font: {size: 12, color: c.axis}}, valign: "top",
             borderwidth: 0},
    xaxis: {showgrid: false, zeroline: false, gridcolor: c.grid, zerolinecolor: c.grid, tickcolor: c.grid,
            tickfont: tick, title: {font: {color: c.axis, size: 14}, standoff: 20}, automargin: true},
    yaxis: {gridcolor: c.grid, zerolinecolor: c.grid, tickcolor: c.grid, ticklabelposition: "outside",
            tickfont: tick, title: {font: {color: c.axis, size: 14}, standoff: 24}, automargin: true},
    hoverlabel: {bgcolor: back, bordercolor: border, font: {color: c.axis, size: 12}},
    modebar: {bgcolor: "rgba(0,0,0,0)", color: c.axis, activecolor: c.title},
    coloraxis: {colorbar: {tickfont: tick, title: {font: {color: c.axis, size: 14}}}},
  }};
};

const narrow = (div) => div.classList.toggle("rnnviz-narrow", div.__rnnvizFit > 0 && div.clientWidth < div.__rnnvizFit);

export default function ({ parentElement, data }) {
  let div = parentElement.querySelector(":scope > .rnnviz-plot");
  if (!div) {
    div = document.createElement("div");
    div.className = "rnnviz-plot";
    parentElement.appendChild(div);
  }
  // a heatmap's cell numbers hidden while the chart is narrower than they need (style.text_fit_width; the CSS: access.CSS)
  div.__rnnvizFit = data.fit || 0;
  narrow(div);
  // The same figure, theme and config as the one drawn (a rerun that re-sends an unchanged chart, e.g. a
  // step view whose figure is the same for every step of a window): nothing to draw.
  const tpl = template(div);
  const drawn = JSON.stringify([tpl, data.config]) + data.figure;
  if (div.__rnnvizDrawn === drawn && !div.dataset.pending) return;
  const fig = JSON.parse(data.figure);
  const layout = Object.assign({}, fig.layout, {template: tpl, autosize: true});
  delete layout.width;
  const turn = (div.__rnnvizTurn || 0) + 1;
  div.__rnnvizTurn = turn;
  div.__rnnvizDrawn = null;
  div.dataset.pending = "1";               // tests/kit/browser.py waits until no chart is pending
  // text labels: drawn by drawLabels over the plot, plotly draws a stand-in (ui/plot_labels.py)
  div.__rnnvizSent = fig.data;
  const shown = fig.data.map((t) => (isLabels(t) ? stand_in(t) : t));
  loadPlotly(data.src).then((Plotly) => Plotly.react(div, shown, layout, data.config)).then(() => {
    drawLabels(div);
    if (div.__rnnvizTurn === turn) { delete div.dataset.pending; div.__rnnvizDrawn = drawn; }
    if (!div.__rnnvizObserved) {
      div.__rnnvizObserved = true;
      div.style.position = "relative";      // the labels' layer sits over the plot
      div.on("plotly_relayout", () => drawLabels(div));      // a zoom, a reset, a new width
      // The camera button's PNG is plotly's own drawing of the figure it holds: for that click it holds the
      // figure as sent, labels and all (plotly reads it as the click starts, then it is put back)
      div.addEventListener("click", (e) => {
        if (!(e.target.closest && e.target.closest('.modebar-btn[data-title^="Download plot"]'))) return;
        const held = div.data;
        div.data = div.__rnnvizSent;
        setTimeout(() => { if (div.data === div.__rnnvizSent) div.data = held; }, 0);
      }, true);
      let w = div.clientWidth;
      new ResizeObserver(() => {
        if (div.clientWidth !== w && div.isConnected) { w = div.clientWidth; narrow(div); window.Plotly.Plots.resize(div); }
      }).observe(div);
    }
  }).catch((err) => {                       // say so in the chart's place, never a silent blank
    div.textContent = "This chart could not be drawn (" + (err && err.message ? err.message
      : "plotly.js did not load from this server") + "). Its numbers are under \u201cThe numbers\u201d below.";
  });
}
"""

NAME = "rnnviz_plot"


def _registered() -> None:
    """Register the component with this server's runtime, once (a new runtime, as each test's AppTest
    starts, has an empty registry)."""
    from streamlit.components.v2.get_bidi_component_manager import get_bidi_component_manager

    if get_bidi_component_manager().get(NAME) is None:
        st.components.v2.component(NAME, js=JS, isolate_styles=False)


def src() -> str:
    """Where the browser finds plotly.js: this server's static folder, under its base path."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static/{SERVED}" if base else f"/app/static/{SERVED}"


def spec(fig) -> dict:
    """The figure as a plain dict (its plotly JSON before encoding), without plotly.py's default template:
    the browser themes it. ui.chart makes it once per chart and reads it twice (here and describe)."""
    out = fig.to_plotly_json() if hasattr(fig, "to_plotly_json") else dict(fig)
    out["layout"] = {k: v for k, v in out.get("layout", {}).items() if k != "template"}
    return out


def figure_json(fig) -> str:
    """The figure as plotly JSON (NumPy arrays as base64 "bdata"), without plotly.py's default template.
    ~1 ms for a 60×60 heatmap and 2,000 points."""
    return pio.to_json(fig if isinstance(fig, dict) and "data" in fig else spec(fig), validate=False)


def show(where: Any, fig, key: str, config: dict | None = None, fit: int | None = None) -> Any:
    """Mount (or update) the chart `key` in `where` with `fig`; `fit`: the narrowest width (px) at which its
    heatmap cell numbers fit (narrower, the element hides them: style.text_fit_width, access.CSS)."""
    _registered()
    return where._bidi_component(NAME, key=key,
                                 data={"figure": figure_json(fig), "config": config or {}, "src": src(),
                                       "fit": fit or 0},
                                 isolate_styles=False)


install_plotly_js()          # once per server process, before any page asks for it
