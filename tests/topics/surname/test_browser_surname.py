"""The surname page in a real Chromium: a deep link with typed HTML shows a message and the HTML as text (no
live tags), typing a name in the box redraws the letter-by-letter chart and rewrites the URL, and dark mode
renders. Screenshots land in tests/artifacts (light with a typed name, light with typed HTML, dark)."""
from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, wait_drawn, search, assert_typed_html_is_text

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

PAGE = "/Surname_language"
TYPED = "<b>Bold</b><img src=x onerror=\"document.title='pwned'\"> 42"


DEEPER = ("The model's top 5 against the bigram baseline's", "How good is it? Names it never saw")



def test_typed_html_is_text_and_a_typed_name_redraws(streamlit_server, page):
    page.goto(f"{streamlit_server.url}{PAGE}?{urllib.parse.urlencode({'name': TYPED})}")
    wait_drawn(page)
    assert_no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    assert_typed_html_is_text(page)
    expect(page.get_by_text(re.compile("Digits are not part of a surname"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Reading “bboldbimgsrcxonerrordocumenttitle'pwned”"))).to_be_visible()
    screenshot(page, "Surname_language-typed-html")

    box = page.get_by_label("Surname", exact=True)
    with rerun(page):
        box.fill("Kowalski")
        box.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Reading “kowalski”, letter by letter"))).to_be_visible()
    assert re.search(r"[?&]name=Kowalski(&|$)", search(page)), search(page)
    expect(page.locator('[data-testid="stMain"] .stBidiComponent').first.locator("text", has_text="Polish").first).to_be_visible()
    assert_no_exception(page)
    page.mouse.move(0, 0)
    screenshot(page, "Surname_language")


def test_dark_mode_renders(streamlit_server, dark_page):
    page = dark_page
    page.goto(streamlit_server.url + PAGE + "?name=Nakamura&both=true")
    wait_drawn(page)
    assert_no_exception(page)
    expect(page.get_by_role("heading", name=re.compile("Reading “nakamura”"))).to_be_visible()
    expect(page.locator('[data-testid="stMain"] .stBidiComponent')).to_have_count(2)     # the main view: the rest is closed
    for label in DEEPER:                                                        # open the deeper charts
        with rerun(page):
            page.get_by_text(label, exact=True).click()
        wait_drawn(page)
    expect(page.locator('[data-testid="stMain"] .stBidiComponent')).to_have_count(8)   # with both=true: 7 + the baseline trajectory
    screenshot(page, "Surname_language-dark")
