"""The Memory lab in a real Chromium: Train shows live progress that moves, then a finished comparison with
the look inside; a typed seed changes the view and the URL; Stop stops; a sweep fills its grid (dark).
Predict before reveal (issue 22): a finished run's summary and its verdict cards name who solved first, the
page's question, so they wait (a held caption, held cards) until the student answers and presses Reveal.
Screenshots land in tests/artifacts (browser_memory-Memory_lab-finished.png, browser_memory-Memory_lab-sweep-dark.png)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, settings_open, wait_drawn
from rnnviz.topics.memory import words as text
from rnnviz.ui import HELD_VERDICT

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

PAGE = "/Memory_lab"
DONE = re.compile(r"(solved at step|stayed at the baseline|learned part of it).*\.$")
# the comparison's summary starts with a cell's verdict; the reveal's own alert ("Right." / "Not quite: …")
# quotes the same summary after "With these settings:"
SUMMARY = '[data-testid="stAlertContentSuccess"]'
HELD = re.compile(r"^The run (has ended|was stopped (at step \d+ of [\d,]+|before its first step))\. Which cell solved it first\?")


def button(page, label: str):
    return page.get_by_role("button", name=re.compile(rf"^(\S+ )?{re.escape(label)}$"))


def summary(page, has_text):
    """The comparison's own summary (not the reveal's alert, which quotes it)."""
    return page.locator(SUMMARY).filter(has_text=re.compile(r"^(RNN|LSTM|GRU) ")).filter(has_text=has_text)


def held_then_answer(page, guess: str = "the LSTM", cells: int = 3) -> None:
    """The run has ended: its summary and the three verdict cards wait for the answer (the held caption
    stands in); answer the page's question and press Reveal, as a student would."""
    expect(page.get_by_text(HELD)).to_be_visible()
    expect(page.get_by_text(HELD_VERDICT)).to_have_count(cells)
    expect(page.locator(SUMMARY)).to_have_count(0)
    reveal = page.get_by_role("button", name=re.compile("Reveal"))
    expect(reveal).to_be_disabled()                                     # no answer yet
    page.get_by_role("radiogroup", name=text.QUESTION).get_by_text(guess, exact=True).click()
    expect(reveal).to_be_enabled()                                      # the answer's rerun came back
    with rerun(page):
        reveal.click()
    expect(page.locator('[data-testid="stAlert"]').filter(has_text=re.compile(r"^(Right|Not quite)"))).to_be_visible()
    expect(page.get_by_text(HELD)).to_have_count(0)
    expect(page.get_by_text(HELD_VERDICT)).to_have_count(0)             # the cards give their verdicts


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
    expect(button(page, "Train")).to_be_visible()
    held_then_answer(page)
    expect(summary(page, DONE)).to_be_visible()
    wait_drawn(page)
    assert_no_exception(page)
    expect(page.get_by_role("heading", name="Inside the trained LSTM")).to_be_visible()
    expect(page.locator('[data-testid="stMain"] .stBidiComponent')).to_have_count(2)       # the loss; inside the LSTM
    with rerun(page):                                                               # the maps and the scope
        page.get_by_text("Where the gradient dies, and the clipping scope").click()
    expect(page.locator('[data-testid="stMain"] .stBidiComponent')).to_have_count(4)

    with settings_open(page):                                        # (the sidebar's settings)
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
    expect(button(page, "Train")).to_be_visible()
    # held until the answer, but the page still says where the run stopped
    expect(page.get_by_text(re.compile(r"^The run was stopped at step \d+ of 3,000\."))).to_be_visible()
    held_then_answer(page, "none of them, within the step budget")
    expect(summary(page, "when stopped at step")).to_be_visible()
    assert_no_exception(page)


def test_a_sweep_fills_its_grid_in_dark_mode(streamlit_server, dark_page):
    page = dark_page
    # the least budget, and two cells (the sweep's grid of two rows is what this test is about; three cells
    # made it the suite's slowest test at 34 s): a sweep of 8 runs
    page.goto(f"{streamlit_server.url}{PAGE}?steps=100&gru=false")
    wait_drawn(page)
    button(page, "Train").click()
    held_then_answer(page, cells=2)                          # once the comparison has finished
    expect(summary(page, DONE)).to_be_visible()
    button(page, "Run the sweep").click()
    expect(page.get_by_text(re.compile(r"^Sweep: \d+ of 8 runs done"))).to_be_visible()
    done = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text=re.compile(r"solved (T =|none)"))
    expect(done).to_be_visible(timeout=600_000)
    wait_drawn(page)
    assert_no_exception(page)
    page.mouse.move(0, 0)
    screenshot(page, "Memory_lab-sweep-dark")
