"""Real-browser tests: headless Chromium (Playwright) against a live `streamlit run app.py`.

- test_page_renders_in_dark_mode: every page opens in the dark theme with a title and no exception;
  screenshots in tests/artifacts/browser-<page>-dark.png (look at them). The light theme's twin is the
  first look of test_browser_links.py::test_link_reproduces_the_view (browser_links-<page>.png), and a
  deep link opened as a fresh server's very first request is test_browser_security.py's first page.
- test_slider_round_trips_through_url: moving a slider rewrites the URL, and that URL reopens the view; the
  chart it changes is updated in place (rnnviz/ui/plot.py: the same plot element, the new figure).
Run against another app directory with `pytest --app-dir=DIR` (or RNNVIZ_APP_DIR=DIR).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, page_urls, rerun, screenshot, wait_drawn, wait_idle

# chromium first: without it, skip (or fail on CI) before starting any server
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

LAB = "/Gradient_lab"
T_SLIDER = "Sequence length T"
T_DEFAULT = 100
DEPTH_PART, DEPTH_SLIDER = "Stacked layers: the gradient through depth", "Layers L (stacked)"
# the longest trace of a drawn plotly chart (plotly.js's own full data)
LONGEST = "el => Math.max(...el._fullData.map(t => t._length || 0))"


def pytest_generate_tests(metafunc):
    if "page_case" in metafunc.fixturenames:
        pages = page_urls(Path(metafunc.config.getoption("--app-dir")).resolve())
        metafunc.parametrize("page_case", pages, ids=[f"{name}-dark" for name, _ in pages])


def t_slider(page):
    return page.get_by_role("slider", name=T_SLIDER)


# Every page renders in the dark theme, with a title and no exception (the light theme: test_browser_links.py).
def test_page_renders_in_dark_mode(streamlit_server, dark_page, page_case):
    name, path = page_case
    page = dark_page
    page.goto(streamlit_server.url + path)
    wait_idle(page)
    assert_no_exception(page)
    h1 = page.locator("h1").first
    expect(h1).to_be_visible()
    assert h1.inner_text().strip(), f"{path}: empty page title"
    screenshot(page, f"{name}-dark")
    assert_no_exception(page)                                         # drawn, and still no exception


def depth_slider(page):
    return page.get_by_role("slider", name=DEPTH_SLIDER)


# Moving the slider rewrites the URL, and that URL reopens the same view; so does the stacked layers' depth,
# in its lazy expander (the link opens it again, with the map drawn).
def test_slider_round_trips_through_url(streamlit_server, page):
    page.goto(streamlit_server.url + LAB)
    wait_idle(page)
    slider = t_slider(page)
    expect(slider).to_have_value(str(T_DEFAULT))
    assert not re.search(r"[?&]T=", page.url)  # a default value stays out of the URL

    plot = page.locator(".st-key-grad_norms .js-plotly-plot")
    wait_drawn(page)
    plot.evaluate("el => { el.__rnnvizSame = true; }")
    before = plot.evaluate(LONGEST)
    slider.focus()
    with rerun(page):
        slider.press("ArrowRight")
    # bound widgets rewrite the URL in place (history API, no navigation)
    expect(page).to_have_url(re.compile(rf"[?&]T={T_DEFAULT + 1}(&|#|$)"))
    expect(slider).to_have_value(str(T_DEFAULT + 1))
    wait_drawn(page)
    assert plot.evaluate("el => el.__rnnvizSame === true"), "the chart was drawn anew, not updated in place"
    assert plot.evaluate(LONGEST) == before + 1                       # ... with the new figure: one step more
    buttons = plot.evaluate("el => [...el.querySelectorAll('.modebar-btn')].map(b => b.dataset.title)")
    assert buttons == ["Download plot as a PNG", "Zoom in", "Zoom out", "Reset axes"]   # no "Share chart..."
    assert_no_exception(page)

    expect(depth_slider(page)).to_have_count(0)                       # the stacked layers wait, closed
    with rerun(page):
        page.get_by_text(DEPTH_PART).click()
    depth = depth_slider(page)
    expect(depth).to_have_value("1")
    depth.focus()
    with rerun(page):
        depth.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"[?&]L=2(&|#|$)"))
    expect(page.get_by_text("T + L − 1 = 102 Jacobian factors")).to_be_visible()
    assert_no_exception(page)
    shared = page.url

    page.goto(shared)                                                 # a new document: a new session
    wait_idle(page)
    expect(t_slider(page)).to_have_value(str(T_DEFAULT + 1))
    expect(depth_slider(page)).to_have_value("2")                     # the link opened the stacked layers
    expect(page.get_by_text("T + L − 1 = 102 Jacobian factors")).to_be_visible()
    assert_no_exception(page)


# A chart's text labels (scatter traces of text alone) are SVG text in a layer of ui.plot's own over the plot
# (rnnviz/ui/plot_labels.py), drawn with plotly's own arithmetic: each stands where plotly itself draws it.
PLACED = """async (el) => {
  const probe = document.createElement("div");
  Object.assign(probe.style, {position: "fixed", left: "0", top: "0", visibility: "hidden",
                              width: el._fullLayout.width + "px"});
  document.body.appendChild(probe);
  const layout = Object.assign({}, el.layout, {width: el._fullLayout.width, height: el._fullLayout.height});
  await Plotly.newPlot(probe, JSON.parse(JSON.stringify(el.__rnnvizSent)), layout);
  const boxes = (root, sel) => { const o = root.getBoundingClientRect();
    return [...root.querySelectorAll(sel)].map((t) => { const b = t.getBoundingClientRect();
      return [t.textContent, b.left - o.left, b.top - o.top, b.width, b.height]; }); };
  const out = {plotly: boxes(probe, ".textpoint text"), ours: boxes(el, "svg.rnnviz-labels text"),
               plotlys_own_here: el.querySelectorAll(".textpoint").length};
  Plotly.purge(probe); probe.remove();
  return out;
}"""


def test_text_labels_stand_where_plotly_draws_them(streamlit_server, page):
    page.goto(streamlit_server.url + "/Unfolded_RNN?cell=lstm&t=4")
    wait_drawn(page)
    plot = page.locator(".st-key-unrolled .js-plotly-plot")
    placed = plot.evaluate(PLACED)
    assert placed["plotlys_own_here"] == 0                            # plotly draws none of them itself
    ours, theirs = placed["ours"], placed["plotly"]
    assert len(ours) == len(theirs) >= 30 and "LSTM #4" in [t[0] for t in ours]
    for a, b in zip(ours, theirs):
        assert a[0] == b[0]                                           # the same label (x₄ as "x4", ␣, …)
        assert all(abs(p - q) <= 1.5 for p, q in zip(a[1:], b[1:])), (a, b)   # at the same place, as large
    # the camera's PNG is plotly's drawing of the figure as sent: during its click the plot holds the labels
    camera = plot.locator('.modebar-btn[data-title="Download plot as a PNG"]')
    held = plot.evaluate("""(el) => new Promise((done) => {
        const btn = el.querySelector('.modebar-btn[data-title="Download plot as a PNG"]');
        btn.addEventListener("click", () => { const n = el.data.filter((t) => t.mode === "text").length;
          setTimeout(() => done([n, el.data.filter((t) => t.mode === "text").length]), 20); }, {once: true});
        btn.click(); })""")
    assert held[0] >= 5 and held[1] == 0, held                        # labels in the PNG, then put back
    expect(camera).to_have_count(1)
    assert_no_exception(page)
