"""The Music page in a real Chromium: a deep link with a typed opening (HTML included) shows a message and the
HTML as text (no live tags); a typed opening redraws the piano roll and rewrites the URL; "Hear the tune" gives
an autoplaying player the app's own WAV, and the next typed opening takes it away; dark mode renders (its player
too). Screenshots land in tests/artifacts (light with a typed opening, typed HTML, dark)."""
from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, wait_drawn, search, assert_typed_html_is_text

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

PAGE = "/Music"
TYPED = "C D <b>Bold</b><img src=x onerror=\"document.title='pwned'\">"



def test_typed_html_is_text_and_a_typed_opening_redraws(streamlit_server, page):
    page.goto(f"{streamlit_server.url}{PAGE}?{urllib.parse.urlencode({'song': 'my own notes', 'notes': TYPED})}")
    wait_drawn(page)
    assert_no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    assert_typed_html_is_text(page)
    expect(page.get_by_text(re.compile("are not notes")).first).to_be_visible()
    screenshot(page, "Music-typed-html")

    box = page.get_by_label("Your notes", exact=True)
    with rerun(page):
        box.fill("E G C5:2 B A G:2")
        box.press("Enter")
    expect(main.get_by_text(re.compile("after the 6-note opening"))).to_be_visible()
    assert re.search(r"[?&]notes=E(\+|%20)G(\+|%20)C5", search(page)), search(page)
    expect(main.locator("audio")).to_have_count(0)                            # the sound on request
    with rerun(page):
        page.get_by_role("button", name="Hear the tune").click()
    expect(main.locator("audio")).to_have_count(1)
    player = main.locator("audio").first
    assert player.get_attribute("autoplay") is not None                      # the press starts it
    src = player.get_attribute("src")
    assert src and not src.startswith("http") or src.startswith(streamlit_server.url)   # served by the app itself
    assert_no_exception(page)
    page.mouse.move(0, 0)
    screenshot(page, "Music")
    with rerun(page):                                                         # a new tune: its old sound goes
        box.fill("E G C5:2 B A G:4")
        box.press("Enter")
    assert re.search(r"[?&]notes=[^&]*G(:|%3A)4(&|$)", search(page)), search(page)
    expect(main.locator("audio")).to_have_count(0)
    assert_no_exception(page)


def test_dark_mode_renders(streamlit_server, dark_page):
    page = dark_page
    page.goto(streamlit_server.url + PAGE + "?tau=0.1")
    wait_drawn(page)
    assert_no_exception(page)
    expect(page.locator('[data-testid="stMain"] .stBidiComponent')).to_have_count(1)     # the piano roll
    expect(page.locator('[data-testid="stMain"] audio')).to_have_count(0)
    with rerun(page):
        page.get_by_role("button", name="Hear the tune").click()
    expect(page.locator('[data-testid="stMain"] audio')).to_have_count(1)
    page.mouse.move(0, 0)
    screenshot(page, "Music-dark")
