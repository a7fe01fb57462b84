"""The sentiment page in a real Chromium: a deep link with typed HTML shows it as text (no live tags), typing a
sentence redraws the verdict-after-every-word chart and rewrites the URL, and dark mode renders. Screenshots
land in tests/artifacts (light with a typed sentence, light with typed HTML, dark)."""
from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, wait_drawn, search, assert_typed_html_is_text

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

PAGE = "/Sentiment"
DEEPER = ("The words that moved it most", "Where the hidden state travels", "How good is it? Held-out test sentences")
TYPED = "<b>Bold</b><img src=x onerror=\"document.title='pwned'\"> is great"



def test_typed_html_is_text_and_a_typed_sentence_redraws(streamlit_server, page):
    page.goto(f"{streamlit_server.url}{PAGE}?{urllib.parse.urlencode({'text': TYPED})}")
    wait_drawn(page)
    assert_no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    assert_typed_html_is_text(page)
    expect(page.get_by_role("heading", name="The verdict after every word")).to_be_visible()
    screenshot(page, "Sentiment-typed-html")

    box = page.get_by_label("Sentence", exact=True)
    with rerun(page):
        box.fill("The actors are wonderful, but the story is a dull, tedious mess.")
        box.press("Enter")
    assert re.search(r"[?&]text=The\+actors", search(page)), search(page)
    chart = page.locator('[data-testid="stMain"] .stBidiComponent').first
    expect(chart.locator("text", has_text="tedious").first).to_be_visible()
    assert_no_exception(page)
    page.mouse.move(0, 0)
    screenshot(page, "Sentiment")


def test_dark_mode_renders(streamlit_server, dark_page):
    page = dark_page
    page.goto(streamlit_server.url + PAGE + "?text=not+good&other=good")
    wait_drawn(page)
    assert_no_exception(page)
    expect(page.locator('[data-testid="stMain"] .stBidiComponent')).to_have_count(1)     # the main view: the rest is closed
    for label in DEEPER:                                                        # open the deeper charts
        with rerun(page):
            page.get_by_text(label, exact=True).click()
        wait_drawn(page)
    expect(page.get_by_role("heading", name="The hidden state's path")).to_be_visible()
    expect(page.locator('[data-testid="stMain"] .stBidiComponent')).to_have_count(4)
    screenshot(page, "Sentiment-dark")
