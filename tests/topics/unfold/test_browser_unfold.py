"""The Unfolded-RNN page in a real Chromium: the step buttons move the highlighted copy, Play runs to the
end and stops, Stop stops, the URL follows the step, and nothing raises. Screenshots land in
tests/artifacts (an LSTM mid-sequence in light and dark, and a clamped run)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, settings_open, wait_drawn, wait_idle, search

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

PAGE = "/Unfolded_RNN"


def header(page, t: int, T: int):
    return page.get_by_text(re.compile(rf"^Step {t} of {T}\b"))


def diagram(page):
    return page.locator('[data-testid="stMain"] .stBidiComponent').first


def button(page, name: str):
    return page.get_by_role("button", name=re.compile(rf"\b{name}\b"))



def test_stepping_moves_the_highlighted_copy(streamlit_server, page):
    page.goto(streamlit_server.url + PAGE + "?cell=lstm&t=3")
    wait_drawn(page)                                                  # the diagram is a lazily loaded chart
    expect(header(page, 3, 11)).to_be_visible()
    expect(diagram(page)).to_contain_text("LSTM #3")                 # the highlighted copy is step 3
    with rerun(page):
        button(page, "Next").click()
    expect(header(page, 4, 11)).to_be_visible()
    expect(diagram(page)).to_contain_text("LSTM #4")
    expect(diagram(page)).not_to_contain_text("LSTM #3")
    assert re.search(r"[?&]t=4(&|$)", search(page)), search(page)     # the URL holds the step
    with rerun(page):
        button(page, "Back").click()
    with rerun(page):
        button(page, "Back").click()
    expect(header(page, 2, 11)).to_be_visible()
    expect(diagram(page)).to_contain_text("LSTM #2")
    assert re.search(r"[?&]t=2(&|$)", search(page)), search(page)
    assert_no_exception(page)
    page.mouse.move(0, 0)                                             # no tooltip in the picture
    screenshot(page, "Unfolded_RNN-lstm-step2")

    # depth (issue 23): one more layer turns the row into a time × depth grid, at the same step, in the URL
    with settings_open(page):                                        # (the sidebar's settings)
        depth = page.get_by_role("slider", name="Layers L (depth)")
        with rerun(page):
            depth.press("ArrowRight")
    expect(diagram(page)).to_contain_text("layer 2")
    expect(diagram(page)).not_to_contain_text("LSTM #2")              # a grid's boxes name their row instead
    expect(header(page, 2, 11)).to_be_visible()
    assert re.search(r"[?&]layers=2(&|$)", search(page)), search(page)
    assert_no_exception(page)

    page.goto(streamlit_server.url + PAGE + search(page))             # the link reopens the same step and depth
    wait_idle(page)                                                   # (a new document: a new session)
    expect(header(page, 2, 11)).to_be_visible()
    expect(diagram(page)).to_contain_text("layer 2")
    assert_no_exception(page)


def _count_reruns(page) -> None:
    page.evaluate("""() => {
      const app = document.querySelector('[data-testid="stApp"]');
      window.__ufRuns = 0;
      new MutationObserver(() => { window.__ufRuns += 1; })
        .observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
    }""")


def _record_steps(page) -> None:
    """Record every step number the page shows, in order (a step lasts one tick: too short to poll for)."""
    page.evaluate("""() => {
      window.__ufSteps = [];
      const note = () => {
        const el = [...document.querySelectorAll('[data-testid="stMarkdownContainer"] strong')]
          .find(e => /^Step \\d+ of/.test(e.textContent));
        const k = el && +el.textContent.match(/^Step (\\d+)/)[1];
        if (k && window.__ufSteps[window.__ufSteps.length - 1] !== k) window.__ufSteps.push(k);
      };
      note();
      new MutationObserver(note).observe(document.body, {subtree: true, childList: true, characterData: true});
    }""")


def test_play_runs_to_the_end_and_stops(streamlit_server, page):
    page.goto(streamlit_server.url + PAGE + "?input=numbers&numbers=1%2C+2%2C+3%2C+4%2C+5")
    wait_drawn(page)
    expect(header(page, 1, 5)).to_be_visible()
    _record_steps(page)
    button(page, "Play").click()
    expect(button(page, "Stop")).to_be_visible()
    expect(header(page, 5, 5)).to_be_visible()                        # it runs to the end
    expect(button(page, "Play")).to_be_visible()                      # and stops by itself
    assert page.evaluate("window.__ufSteps") == [1, 2, 3, 4, 5]       # one step at a time, in order
    wait_idle(page)
    _count_reruns(page)
    page.wait_for_timeout(2_000)                                      # 2.5 ticks: a live timer would rerun
    assert page.evaluate("window.__ufRuns") == 0
    expect(header(page, 5, 5)).to_be_visible()
    expect(diagram(page)).to_contain_text("RNN #5")
    assert "t=5" in search(page)
    assert_no_exception(page)

    button(page, "Play").click()                                      # again from the start, then Stop
    expect(header(page, 2, 5)).to_be_visible()
    button(page, "Stop").click()
    expect(button(page, "Play")).to_be_visible()
    wait_idle(page)
    stopped_at = int(re.search(r"Step (\d) of 5", page.get_by_text(re.compile(r"^Step \d of 5")).inner_text())[1])
    _count_reruns(page)
    page.wait_for_timeout(2_000)
    assert page.evaluate("window.__ufRuns") == 0
    expect(header(page, stopped_at, 5)).to_be_visible()
    assert_no_exception(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_intervention_and_screenshots(streamlit_server, page, scheme):
    page.emulate_media(color_scheme=scheme)                           # the reused tab, in either theme
    page.goto(streamlit_server.url + PAGE + "?cell=lstm&text=the+cat+sat+on+the+mat&gate=forget&at=6&clamped=true&t=6")
    wait_drawn(page)
    expect(header(page, 6, 22)).to_be_visible()
    page.get_by_text("Each line of this step, with its numbers").click()     # the lines wait in an expander
    page.get_by_role("tab", name=re.compile("forget gate")).click()
    expect(page.get_by_text(re.compile(r"Clamped: unit 1 of"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"Before step 6 every difference is exactly 0"))).to_be_visible()
    assert_no_exception(page)
    screenshot(page, f"Unfolded_RNN-clamped{'-dark' if scheme == 'dark' else ''}")
