"""The Memory lab in a real Chromium: Train shows live progress that moves, then a finished comparison with
the look inside; a typed seed changes the view and the URL; Stop stops; a sweep fills its grid (dark).
Screenshots land in tests/artifacts (browser_memory-Memory_lab-finished.png, browser_memory-Memory_lab-sweep-dark.png)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, wait_drawn

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

PAGE = "/Memory_lab"
DONE = re.compile(r"(solved at step|stayed at the baseline|learned part of it).*\.$")


def button(page, label: str):
    return page.get_by_role("button", name=re.compile(rf"^(\S+ )?{re.escape(label)}$"))


def steps_shown(page) -> int:
    text = page.get_by_text(re.compile(r"^Training: step \d+")).first.inner_text()
    return int(re.search(r"step (\d+)", text).group(1))


def test_train_shows_live_progress_then_a_finished_comparison(streamlit_server, page):
    page.goto(f"{streamlit_server.url}{PAGE}?T=20&steps=600")
    wait_drawn(page)
    assert_no_exception(page)
    expect(page.get_by_text("Press Train to start", exact=False)).to_be_visible()
    button(page, "Train").click()
    expect(page.get_by_text(re.compile(r"^Training: step \d+"))).to_be_visible()
    expect(button(page, "Stop")).to_be_visible()
    first = steps_shown(page)
    # the view redraws while it trains: the step count moves without any click
    page.wait_for_function("""(first) => [...document.querySelectorAll('[data-testid="stMain"] p')].some(p => {
        const m = p.innerText.match(/^Training: step (\\d+)/); return m && Number(m[1]) > first; })""",
                           arg=first, polling=100)
    summary = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text=DONE)
    expect(summary).to_be_visible()
    expect(button(page, "Train")).to_be_visible()
    wait_drawn(page)
    assert_no_exception(page)
    expect(page.get_by_role("heading", name="Inside the trained LSTM")).to_be_visible()
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(2)       # the loss; inside the LSTM
    with rerun(page):                                                               # the maps and the scope
        page.get_by_text("Where the gradient dies, and the clipping scope").click()
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(4)

    seed = page.get_by_label("Seed", exact=True).and_(page.locator("input"))
    with rerun(page):
        seed.fill("5")
        seed.press("Enter")
    expect(page.get_by_text(re.compile(r"Showing the run of: .*seed 0\. Press Train"))).to_be_visible()
    assert re.search(r"[?&]seed=5(&|$)", page.evaluate("location.search"))
    page.mouse.move(0, 0)
    screenshot(page, "Memory_lab-finished")


def test_stop_stops_a_long_run(streamlit_server, page):
    page.goto(f"{streamlit_server.url}{PAGE}?T=100&steps=3000")
    wait_drawn(page)
    button(page, "Train").click()
    expect(page.get_by_text(re.compile(r"^Training: step \d+"))).to_be_visible()
    button(page, "Stop").click()
    expect(page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="when stopped at step")).to_be_visible()
    expect(button(page, "Train")).to_be_visible()
    assert_no_exception(page)


def test_a_sweep_fills_its_grid_in_dark_mode(streamlit_server, dark_page):
    page = dark_page
    page.goto(f"{streamlit_server.url}{PAGE}?steps=100")     # the least budget: a sweep of 12 runs
    wait_drawn(page)
    button(page, "Train").click()
    expect(page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text=DONE)).to_be_visible()
    button(page, "Run the sweep").click()
    expect(page.get_by_text(re.compile(r"^Sweep: \d+ of 12 runs done"))).to_be_visible()
    done = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text=re.compile(r"solved (T =|none)"))
    expect(done).to_be_visible(timeout=600_000)
    wait_drawn(page)
    assert_no_exception(page)
    page.mouse.move(0, 0)
    screenshot(page, "Memory_lab-sweep-dark")
