"""The speech page in a real Chromium: a deep link with typed HTML says what it left out and shows no live tags,
typing a word redraws the hearing (and its audio player) and rewrites the URL, and dark mode renders with the
deeper parts open. Screenshots land in tests/artifacts (light with a typed word, light with typed HTML, dark)."""
from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, wait_drawn, search, assert_typed_html_is_text

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

PAGE = "/Speech"
TYPED = "<b>Bold</b><img src=x onerror=\"document.title='pwned'\">"



def test_typed_html_is_text_and_a_typed_word_redraws(streamlit_server, page):
    page.goto(f"{streamlit_server.url}{PAGE}?{urllib.parse.urlencode({'word': TYPED, 'voice': 'British woman'})}")
    wait_drawn(page)
    assert_no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    assert_typed_html_is_text(page)
    expect(page.get_by_text(re.compile("Only the first 20 letters are said"))).to_be_visible()
    expect(page.get_by_text(re.compile("Hearing “bboldbimgsrcxonerror”"))).to_be_visible()
    screenshot(page, "Speech-typed-html")

    box = page.get_by_label("Word", exact=True)
    with rerun(page):
        box.fill("garden")
        box.press("Enter")
    expect(page.get_by_text(re.compile("Hearing “garden”"))).to_be_visible()
    assert re.search(r"[?&]word=garden(&|$)", search(page)), search(page)
    expect(main.locator("audio")).to_have_count(0)                            # sound on request
    with rerun(page):
        page.get_by_role("button", name="Hear it").click()
    expect(main.locator("audio")).to_have_count(1)
    assert_no_exception(page)
    page.mouse.move(0, 0)
    screenshot(page, "Speech")


def test_dark_mode_renders(streamlit_server, dark_page):
    page = dark_page
    page.goto(streamlit_server.url + PAGE + "?word=letter&speed=fast")
    wait_drawn(page)
    assert_no_exception(page)
    expect(page.get_by_text(re.compile("Hearing “letter”"))).to_be_visible()
    expect(page.locator('[data-testid="stMain"] .stBidiComponent')).to_have_count(1)
    with rerun(page):
        page.get_by_text("How good is it? Words it never heard", exact=True).click()
    wait_drawn(page)
    expect(page.locator('[data-testid="stMain"] .stBidiComponent')).to_have_count(2)
    screenshot(page, "Speech-dark")
