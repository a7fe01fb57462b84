"""The page on a phone, a tablet and from the keyboard: styles and one small script every page gets.

    access.setup()                        # ui.page_setup calls it once per run, at the sidebar's end

Everything is decided in the browser, by what it knows about itself (CSS media features and the width of
the chart's own box), with no guess from the user agent: an iPad reports itself as a Mac.

- **Touch** (`(hover: none)` or `(pointer: coarse)`: phones and tablets): a one-finger swipe over a chart
  scrolls the page. plotly.js listens to touches on its "drag layer" (the plot area and the axes) and, with
  the default drag mode, turns a swipe into a zoom box that swallows the scroll: a trap on a long page.
  Here that layer and its parts (plotly gives each rect its own pointer-events: all) let touches through,
  so the browser scrolls; zoom in, zoom out and reset stay in the chart's toolbar (ui.export.config),
  shown after a tap (and then for good), in a row of its own above the chart, not over its title. A mouse
  still drag-zooms, and sees the toolbar over the chart's top right corner only while on the chart.
- **Keyboard**: a "Skip to the page content" link is the first Tab stop of every page and moves the
  focus to the page's title; the charts' toolbars (5 buttons a chart) are out of the Tab order
  (hidden unless the pointer is on the chart: a hidden button cannot take the focus).
- **Small screens** (narrower than 1024 px): equations scroll sideways inside their box instead of being
  cut off; the sidebar starts collapsed (Streamlit's "auto" collapses it on a phone, not on an iPad,
  where the page list covered 300 of its 810 px); a heatmap hides its cell numbers when its box is narrower
  than they need (style.text_fit_width: the hover label and the CSV keep every number).

tests/app/test_browser_touch.py checks all of this in Chromium with Playwright's iPhone 13 and iPad
profiles (a synthetic swipe scrolls the page and leaves the chart's axes alone).
"""
from __future__ import annotations

import streamlit as st

SMALL = 1024        # px: below this width the sidebar starts collapsed
SKIP_ID = "rnnviz-skip"

CSS = """
@media (hover: none), (pointer: coarse) {
  .js-plotly-plot .draglayer, .js-plotly-plot .draglayer * { pointer-events: none !important; }
  .stBidiComponent:has(.rnnviz-plot) { padding-top: 30px; }
  .js-plotly-plot .plotly .modebar-container { top: -30px !important; }
}
.js-plotly-plot .plotly .modebar--hover { visibility: hidden; }
.js-plotly-plot .plotly:hover .modebar--hover { visibility: visible; }
.rnnviz-plot.rnnviz-narrow .heatmaplayer text { display: none; }
.katex-display { overflow-x: auto; overflow-y: hidden; max-width: 100%; padding: 0.1rem 0; }
#rnnviz-skip { position: fixed; left: 0.75rem; top: -5rem; z-index: 1000200; padding: 0.5rem 1rem;
  border-radius: 0.5rem; background: #0E1117; color: #FFFFFF; font-weight: 600; text-decoration: none;
  outline: 3px solid #FF4B4B; }
#rnnviz-skip:focus { top: 0.75rem; }
"""

# Collapses the sidebar `bar` by its own button without Streamlit remembering it: Streamlit takes a click
# on that button for the student's choice and keeps it in the browser (localStorage stSidebarCollapsed-*),
# so every later page, at any width and out of presentation mode, would open with the sidebar closed. A
# collapse the app makes for one page (below SMALL px; a presented lesson step: ui.frame) puts back what
# was remembered before it. `store` is the page's localStorage. Shared by ui.frame's step script.
COLLAPSE_JS = """const collapseUnremembered = (bar, store) => {
    const ours = () => { try { return Object.keys(store).filter(k => k.startsWith("stSidebarCollapsed-")); }
                         catch (e) { return []; } };
    const before = Object.fromEntries(ours().map(k => [k, store.getItem(k)]));
    const restore = () => { try {
      for (const k of ours()) if (!(k in before)) store.removeItem(k);
      for (const [k, v] of Object.entries(before)) if (store.getItem(k) !== v) store.setItem(k, v);
    } catch (e) {} };
    bar.querySelector('[data-testid="stSidebarCollapseButton"] button')?.click();
    restore(); setTimeout(restore, 0);
  };"""

# Runs in a tiny same-origin frame (as the sidebar's "Copy a link" button does) and acts on the page around
# it: no <script> ever sits in the page's own HTML (tests/ui/test_hardening.py). Idempotent: a rerun or a
# page change runs it again. The link's click handler is an attribute, so it lives in the page, not here.
SCRIPT = """<script>
(() => {
  %(collapse_js)s
  const page = window.parent, doc = page.document;
  if (!doc.getElementById("%(skip)s")) {
    const link = doc.createElement("a");
    link.id = "%(skip)s"; link.href = "#"; link.textContent = "Skip to the page content";
    link.setAttribute("onclick", "event.preventDefault(); const m = document.querySelector('[data-testid=stMain]');"
      + " const t = (m && m.querySelector('h1')) || m; if (t) { t.setAttribute('tabindex', '-1'); t.focus();"
      + " t.scrollIntoView({block: 'start'}); }");
    doc.body.prepend(link);               // first in the document: the first Tab stop
  }
  if (page.__rnnvizSidebarSized || page.innerWidth >= %(small)d) return;
  page.__rnnvizSidebarSized = true;       // once per page load: a student who opens it keeps it open
  let tries = 0;
  const collapse = () => {
    const bar = doc.querySelector('[data-testid="stSidebar"]');
    if (bar && bar.getAttribute("aria-expanded") === "true") {
      if (bar.querySelector('[data-testid="stSidebarCollapseButton"] button')) { %(collapse)s(bar, page.localStorage); return; }
    }
    if (!bar && ++tries < 40) setTimeout(collapse, 50);
  };
  collapse();
})();
</script>""" % {"skip": SKIP_ID, "small": SMALL, "collapse": "collapseUnremembered", "collapse_js": COLLAPSE_JS}


def setup(more_css: str = "") -> None:
    """The styles, with `more_css` (the main views' stacking: ui.stage.RULES), in ONE style element (style
    alone: Streamlit sends it to its event container, taking no room; every element costs the browser
    time on every rerun), and the script above in a frame 1 px high at the sidebar's end (ui.page_setup)."""
    st.html(f"<style>{CSS}{more_css}</style>")
    st.iframe(SCRIPT, height=1)

