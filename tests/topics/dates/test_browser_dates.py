"""The date-translation page in a real Chromium: a deep link with typed HTML shows a message and the HTML as text
(no live tags), typing a date redraws the answers and rewrites the URL, the beam width slider redraws the tree,
and dark mode renders. Screenshots land in tests/artifacts (light with a typed date, light with typed HTML, dark)."""
from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, wait_drawn, search, assert_typed_html_is_text

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

PAGE = "/Date_translation"
TYPED = "<b>Bold</b><img src=x onerror=\"document.title='pwned'\"> 2026"



def test_typed_html_is_text_and_a_typed_date_redraws(streamlit_server, page):
    page.goto(f"{streamlit_server.url}{PAGE}?{urllib.parse.urlencode({'date': TYPED})}")
    wait_drawn(page)
    assert_no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    assert_typed_html_is_text(page)
    expect(page.get_by_text(re.compile("is not a date in any of the forms the model learned"))).to_be_visible()
    screenshot(page, "Date_translation-typed-html")

    box = page.get_by_label("A date, written any way", exact=True)
    with rerun(page):
        box.fill("4 March 2026")
        box.press("Enter")
    metric = page.locator('[data-testid="stMetricValue"]').first
    expect(metric).to_have_text("2026-03-04")
    assert re.search(r"[?&]date=4(\+|%20)March(\+|%20)2026(&|$)", search(page)), search(page)
    expect(page.get_by_text("Greedy wrote 2026-03-04: right.")).to_be_visible()
    with rerun(page):                                   # the beam tree waits in its expander (issue 22)
        page.get_by_text("Greedy against beam search").click()
    wait_drawn(page)
    slider = page.get_by_role("slider", name="Beam width")
    with rerun(page):
        slider.press("ArrowRight")
    expect(slider).to_have_value("4")
    expect(page.locator('[data-testid="stMain"] .stBidiComponent').filter(has_text="Beam search, width 4")).to_have_count(1)
    assert_no_exception(page)
    page.mouse.move(0, 0)
    screenshot(page, "Date_translation")


def test_dark_mode_renders(streamlit_server, dark_page):
    page = dark_page
    page.goto(streamlit_server.url + PAGE + "?date=february+30+2026&width=5")
    wait_drawn(page)
    assert_no_exception(page)
    expect(page.get_by_text(re.compile("February 2026 has no day 30")).first).to_be_visible()
    for part in ("Greedy against beam search", "The encoder reads", "How good is it?"):   # issue 22: lazy parts
        with rerun(page):
            page.get_by_text(part).first.click()
        wait_drawn(page)
    expect(page.locator('[data-testid="stMain"] .stBidiComponent')).to_have_count(5)
    screenshot(page, "Date_translation-dark")
