"""The BPTT page in a real Chromium: stepping moves the shown step (and the URL), Play animates the
backward pass from T down to 1 and stops, a shared link reopens the same step,
typed text is shown literally, and nothing raises. Screenshots land in tests/artifacts/browser_bptt-*.png."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, screenshot, settings_open, wait_drawn, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

PAGE = "/BPTT"
STEP = "Backward pass at step t"


def shown_step(page) -> int:
    text = page.get_by_text(re.compile(r"^With the numbers at t = \d+")).first.inner_text()
    return int(re.search(r"t = (\d+)", text).group(1))


def expect_step(page, t: int) -> None:
    expect(page.get_by_text(re.compile(rf"^With the numbers at t = {t}\b"))).to_be_visible()
    expect(page.get_by_role("slider", name=STEP)).to_have_value(str(t))


def step_button(page, label: str):
    """A step button by its label (its accessible name also holds its icon and keyboard shortcut)."""
    return page.get_by_role("button", name=re.compile(rf"(^|\s){re.escape(label)}(\s|$)"))


def step_to(page, button: str, t: int) -> None:
    """Click a step button and wait for step t to be shown. (Not conftest's rerun(): a fragment rerun
    can finish within one frame, and then the app's script-state attribute never visibly changes.)"""
    step_button(page, button).click()
    expect_step(page, t)
    wait_idle(page)


def test_stepping_changes_the_shown_step(streamlit_server, page):
    page.goto(streamlit_server.url + PAGE)
    wait_drawn(page)
    expect_step(page, 12)
    step_to(page, "t − 1", 11)
    expect(page).to_have_url(re.compile(r"[?&]step=11(&|$)"))      # the step is part of the shared view
    step_to(page, "t − 1", 10)
    step_to(page, "t + 1", 11)
    slider = page.get_by_role("slider", name=STEP)
    slider.focus()
    slider.press("Home")
    expect_step(page, 1)
    wait_idle(page)
    expect(step_button(page, "t − 1")).to_be_disabled()
    assert_no_exception(page)


def test_play_runs_to_the_end_and_stops(streamlit_server, new_page):
    page = new_page()                              # a tab of its own: the test listens to its websocket
    sent = []                                      # every message the browser sends to the server
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    page.goto(streamlit_server.url + PAGE + "?T=4")
    wait_drawn(page)
    expect_step(page, 4)
    # record every step the page shows while it plays
    page.evaluate("""() => {
      window.__steps = [];
      const read = () => {
        const m = document.body.innerText.match(/With the numbers at t = (\\d+)/);
        if (m && window.__steps[window.__steps.length - 1] !== +m[1]) window.__steps.push(+m[1]);
      };
      read();
      new MutationObserver(read).observe(document.body, {subtree: true, childList: true, characterData: true});
    }""")
    page.get_by_role("button", name=re.compile("Play")).click()
    expect(page.get_by_role("button", name=re.compile("Stop"))).to_be_visible()
    expect_step(page, 1)
    expect(page.get_by_role("button", name=re.compile("Play"))).to_be_visible()   # it stopped
    wait_idle(page)
    steps = page.evaluate("window.__steps")
    # T down to 1, never back up. (A browser on a busy machine may paint two runs as one frame, so a
    # step can go unseen; the server moves exactly one step per tick.)
    assert steps[0] == 4 and steps[-1] == 1 and steps == sorted(set(steps), reverse=True), steps
    assert len(steps) >= 3, steps
    # stopped means no timer: over two tick lengths the browser asks the server for nothing more
    # (each tick of a running fragment timer is a rerun request sent over the websocket)
    before = len(sent)
    page.wait_for_timeout(1500)
    assert len(sent) == before and shown_step(page) == 1
    assert_no_exception(page)
    screenshot(page, "BPTT-end")


def test_deep_link_reopens_the_step(streamlit_server, dark_page):
    # (a deep link as a fresh server's very first request: tests/app/test_browser_security.py's first page)
    page = dark_page
    page.goto(streamlit_server.url + PAGE + "?cell=lstm&step=6&k=2")
    wait_drawn(page)
    expect_step(page, 6)
    expect(page.get_by_role("slider", name="Truncation window k")).to_have_value("2")
    expect(step_button(page, "t + 1")).to_be_enabled()
    step_to(page, "t + 1", 7)
    assert_no_exception(page)
    screenshot(page, "BPTT-mid-dark")


def test_typed_text_is_shown_literally(streamlit_server, page):
    page.goto(streamlit_server.url + PAGE + "?source=typed")
    wait_idle(page)
    with settings_open(page):                                        # (the sidebar's settings)
        box = page.get_by_role("textbox", name="Your numbers")
        box.fill("1, <b>x</b>, $y$")
        box.press("Enter")
    alert = page.locator('[data-testid="stAlert"]').first
    expect(alert).to_contain_text("token 2, “<b>x</b>”, is not a number")
    wait_idle(page)
    expect(alert).to_contain_text("token 3, “$y$”")
    assert alert.locator("b").count() == 0                           # not rendered as HTML
    expect_step(page, 11)                                            # the example sequence meanwhile
    assert_no_exception(page)
