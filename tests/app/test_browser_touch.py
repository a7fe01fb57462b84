"""A phone and a tablet in Chromium (Playwright's "iPhone 13" and "iPad (gen 7)" profiles: touch, a mobile
user agent, the device's size): what rnnviz/ui/access.py promises.

- On a phone a one-finger swipe over a chart scrolls the page and leaves the chart's axes as they were
  (plotly's default drag mode would turn it into a zoom box); the equation heatmap (opened from its
  expander) hides cell numbers that would not fit its narrow box; an equation too wide for the screen scrolls inside its box.
- On an iPad (810 px wide) the page list starts collapsed instead of covering a third of the page, and a
  tap on a page in it (opened) opens that page and closes the list again.
The keyboard's side (the skip link, toolbars out of the Tab order) rides on the visit of
test_browser_classroom.py::test_step_through_from_the_keyboard. Screenshots: browser_touch-*.png.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kit.browser import RUN_TIMEOUT_MS, assert_no_exception, screenshot, wait_drawn

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

SIDEBAR = '[data-testid="stSidebar"]'
# Where the page is scrolled: Streamlit 1.64 scrolls its main area (stMain), not the window; both counted.
SCROLLED = "window.scrollY + document.querySelector('[data-testid=\"stMain\"]').scrollTop"
RANGES = """el => { const gd = el.querySelector('.js-plotly-plot'); const l = gd._fullLayout;
  return JSON.stringify(Object.keys(l).filter(k => /^[xy]axis\\d*$/.test(k)).map(k => [k, l[k].range])); }"""


def swipe_up(page, x: float, y: float, distance: float = 200, steps: int = 10) -> None:
    """One finger down at (x, y), moved `distance` px up, lifted: a touch swipe, as the device sends it."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for k in range(1, steps + 1):
        page.wait_for_timeout(20)                      # a finger's pace: moves sent back to back may not scroll
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove",
                                              "touchPoints": [{"x": x + k, "y": y - distance * k / steps}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_a_swipe_over_a_chart_scrolls_the_page_on_a_phone(streamlit_server, new_page):
    page = new_page(profile="iPhone")
    page.goto(f"{streamlit_server.url}/Unfolded_RNN")
    wait_drawn(page)
    assert_no_exception(page)
    expect(page.locator(SIDEBAR)).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#rnnviz-skip")).to_be_attached()            # drawn from the collapsed sidebar too
    # the equation with numbers (a heatmap per matrix; issue 22: in a lazy expander under the step view, drawn
    # once opened, as a student would): a 390 px phone has no room for its cell numbers
    page.get_by_text("Each line of this step, with its numbers").click()
    numbers = page.locator(".st-key-line_hidden .heatmaplayer text")
    # opening it is a rerun: wait for its heatmap, not for an idle state the rerun may not have left yet
    numbers.first.wait_for(state="attached", timeout=RUN_TIMEOUT_MS)
    wait_drawn(page)
    assert numbers.count() > 0
    assert set(numbers.evaluate_all("ts => ts.map(t => getComputedStyle(t).display)")) == {"none"}
    # equations wider than the phone scroll sideways inside their box
    for overflow, wide in page.locator(".katex-display").evaluate_all(
            "ks => ks.map(k => [getComputedStyle(k).overflowX, k.scrollWidth > k.clientWidth])"):
        assert overflow == "auto" or not wide
    screenshot(page, "Unfolded_RNN-iPhone")

    chart = page.locator(".stBidiComponent", has=page.locator(".rnnviz-plot")).first      # a ui.plot chart
    chart.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)                                 # the programmatic scroll has landed
    box = chart.bounding_box()
    before, ranges = page.evaluate(SCROLLED), chart.evaluate(RANGES)
    for _ in range(3):                     # a busy machine may drop a gesture: up to three swipes, all on the chart
        swipe_up(page, box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 300))
        page.wait_for_timeout(500)
        assert chart.evaluate(RANGES) == ranges                       # the chart never zooms ...
        if page.evaluate(SCROLLED) > before + 50:
            break
    assert page.evaluate(SCROLLED) > before + 50, "a swipe over a chart did not scroll the page"   # ... the page scrolls
    assert_no_exception(page)


def test_the_page_list_starts_collapsed_on_a_tablet(streamlit_server, new_page):
    page = new_page(profile="iPad")
    page.goto(f"{streamlit_server.url}/")
    wait_drawn(page)
    expect(page.locator(SIDEBAR)).to_have_attribute("aria-expanded", "false")
    # the page has the width (once the sidebar's closing slide has ended: it is animated)
    page.wait_for_function("""() => { const h = document.querySelector('[data-testid="stMain"] h1');
                                      return h && h.getBoundingClientRect().x < 100; }""", timeout=10_000)
    assert page.locator('[data-testid="stMain"] h1').first.bounding_box()["x"] < 100
    screenshot(page, "Home-iPad")
    assert_no_exception(page)

    # opened by a tap, the list lies over the page; a tap on a page opens it (in the same session) and
    # closes the list again, as st.page_link does on a small screen
    page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button').first.tap()
    expect(page.locator(SIDEBAR)).to_have_attribute("aria-expanded", "true")
    page.locator(SIDEBAR).get_by_role("link", name="Gradient lab", exact=True).tap()
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text("Gradient lab", timeout=RUN_TIMEOUT_MS)
    expect(page.locator(SIDEBAR)).to_have_attribute("aria-expanded", "false")
    assert page.evaluate("location.pathname") == "/Gradient_lab"
    wait_drawn(page)
    assert_no_exception(page)
