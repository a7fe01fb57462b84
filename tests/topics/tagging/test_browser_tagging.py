"""The tagging page in a real Chromium: a deep link with typed HTML shows the HTML as text (no live tags),
typing a sentence redraws both taggers' charts and rewrites the URL, and dark mode renders. Screenshots land
in tests/artifacts (light with a typed sentence, light with typed HTML, dark)."""
from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, wait_drawn, search, assert_typed_html_is_text

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

PAGE = "/Tagging"
TYPED = "<b>Bold</b><img src=x onerror=\"document.title='pwned'\"> can 😀"



def test_typed_html_is_text_and_a_typed_sentence_redraws(streamlit_server, page):
    page.goto(f"{streamlit_server.url}{PAGE}?{urllib.parse.urlencode({'sentence': TYPED})}")
    wait_drawn(page)
    assert_no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    assert_typed_html_is_text(page)
    expect(page.get_by_text(re.compile("left out"))).to_be_visible()
    screenshot(page, "Tagging-typed-html")

    box = page.get_by_label("Sentence", exact=True)
    with rerun(page):
        box.fill("Saw you the weird sisters?")
        box.press("Enter")
    charts = page.locator('[data-testid="stMain"] .stBidiComponent')
    expect(charts.first.locator("text", has_text=re.compile(r"4 · weird\*? →")).first).to_be_visible()
    assert re.search(r"[?&]sentence=Saw(\+|%20)you", search(page)), search(page)
    assert_no_exception(page)
    page.mouse.move(0, 0)
    screenshot(page, "Tagging")


def test_dark_mode_renders(streamlit_server, dark_page):
    page = dark_page
    page.goto(streamlit_server.url + PAGE)
    wait_drawn(page)
    assert_no_exception(page)
    expect(page.locator('[data-testid="stMain"] .stBidiComponent')).to_have_count(2)     # the main view: the rest is closed
    with rerun(page):                                                           # open the held-out scores
        page.get_by_text("How good are they? Two plays they never read", exact=True).click()
    wait_drawn(page)
    expect(page.locator('[data-testid="stMain"] .stBidiComponent')).to_have_count(3)
    expect(page.locator('[data-testid="stMain"] .stBidiComponent').first.locator("text", has_text=re.compile(r"1 · Neither →")).first).to_be_visible()
    screenshot(page, "Tagging-dark")
