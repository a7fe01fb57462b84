"""The video page in a real Chromium: a deep link with HTML for a motion shows a message and no live tags, the
frames are drawn as images inside the chart, a clip number typed in the box redraws the chart and rewrites the
URL, and dark mode renders, GunPoint's real clips too. Screenshots land in tests/artifacts (light with a typed
clip number, dark, GunPoint dark)."""
from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, wait_drawn, search, assert_typed_html_is_text

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

PAGE = "/Video_activity"
TYPED = "<b>Bold</b><img src=x onerror=\"document.title='pwned'\">"



def frames(page):
    """The frames drawn inside the main chart (plotly's layout images)."""
    return page.locator('.st-key-watch image, [class*="st-key-watch"] image')


def test_bad_link_is_text_and_a_typed_clip_number_redraws(streamlit_server, page):
    page.goto(f"{streamlit_server.url}{PAGE}?{urllib.parse.urlencode({'motion': TYPED, 'frames': 6})}")
    wait_drawn(page)
    assert_no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    assert_typed_html_is_text(page)
    expect(page.get_by_text(re.compile("which is not one of its choices"))).to_be_visible()
    expect(frames(page)).to_have_count(6)
    first = frames(page).first.get_attribute("href")

    box = page.get_by_label("Clip number", exact=True)
    with rerun(page):
        box.fill("42")
        box.press("Enter")
    expect(frames(page)).to_have_count(6)
    assert frames(page).first.get_attribute("href") != first
    assert re.search(r"[?&]clip=42(&|$)", search(page)), search(page)
    assert_no_exception(page)
    page.mouse.move(0, 0)
    screenshot(page, "Video_activity")


def test_dark_mode_renders(streamlit_server, dark_page):
    page = dark_page
    page.goto(streamlit_server.url + PAGE + "?motion=clockwise&speed=0.5")
    wait_drawn(page)
    assert_no_exception(page)
    expect(page.get_by_text(re.compile("A bar turning clockwise"))).to_be_visible()
    expect(frames(page)).to_have_count(12)
    with rerun(page):
        page.get_by_text("Inside the memory: its 8 maps after every frame", exact=True).click()
    wait_drawn(page)
    expect(page.locator('[class*="st-key-memory"] image')).to_have_count(12 * 8)
    screenshot(page, "Video_activity-dark")
    page.goto(streamlit_server.url + PAGE + "?data=GunPoint&gp=7")          # the real clips: no frames, a line
    wait_drawn(page)
    assert_no_exception(page)
    expect(page.get_by_text(re.compile("GunPoint test clip 7"))).to_be_visible()
    expect(frames(page)).to_have_count(0)
    screenshot(page, "Video_activity-gunpoint-dark")
