"""The Image captions page in a real Chromium: a deep link with HTML in it shows a note and the HTML as text (no
live tags), choosing another thing redraws the captions and rewrites the URL, the side buttons move the thing,
and dark mode renders with the deeper parts open. Screenshots land in tests/artifacts."""
from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, wait_drawn, search, assert_typed_html_is_text

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

PAGE = "/Image_captions"
TYPED = "<b>Bold</b><img src=x onerror=\"document.title='pwned'\">"
CHARTS = '[data-testid="stMain"] .stBidiComponent'



def test_a_link_with_html_is_text_and_a_chosen_thing_redraws(streamlit_server, page):
    page.goto(f"{streamlit_server.url}{PAGE}?{urllib.parse.urlencode({'a': TYPED})}")
    wait_drawn(page)
    assert_no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    assert_typed_html_is_text(page)
    expect(page.get_by_text(re.compile("not one of its choices")).first).to_be_visible()
    captions = main.locator('[data-testid="stMarkdownContainer"]').filter(has_text="Greedy:").first
    expect(captions).to_contain_text("Greedy: a small red circle left of a large yellow triangle")

    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="First thing")
    with rerun(page):
        box.click()
        page.keyboard.type("large green triangle")             # the list filters as one types
        page.keyboard.press("Enter")
    expect(captions).to_contain_text("Greedy: a large green triangle left of")
    assert re.search(r"[?&]a=large(\+|%20)green(\+|%20)triangle(&|$)", search(page)), search(page)
    with rerun(page):
        page.locator('[data-testid="stButtonGroup"] button', has_text=re.compile("^top$")).click()
    expect(captions).to_contain_text(re.compile("Greedy: a (large yellow triangle above a large green triangle|"
                                                "large green triangle above a large yellow triangle)"))
    assert "where=top" in search(page)
    assert_no_exception(page)
    page.mouse.move(0, 0)
    screenshot(page, "Image_captions")


def test_dark_mode_renders(streamlit_server, dark_page):
    page = dark_page
    page.goto(streamlit_server.url + PAGE + "?a=large+red+triangle&b=large+blue+square&overlap=true&noise=0.3")
    wait_drawn(page)
    assert_no_exception(page)
    expect(page.get_by_text(re.compile("The two things overlap"))).to_be_visible()
    expect(page.locator('[data-testid="stAlertContentInfo"]', has_text="never saw a red triangle")).to_be_visible()
    expect(page.locator(CHARTS)).to_have_count(1)                       # the main view: the rest is closed
    for part in ("How good is it?", "Greedy against beam search"):
        with rerun(page):
            page.locator('[data-testid="stExpander"] summary', has_text=part).click()
        wait_drawn(page)
    expect(page.locator(CHARTS)).to_have_count(3)
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(1)
    screenshot(page, "Image_captions-dark")
