"""The LSTM-inside page in a real Chromium: typed HTML shows as text (no live tags), the unit and the step
follow the URL, and nothing raises. Screenshots land in tests/artifacts (light with typed HTML, dark at
the defaults)."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, wait_drawn, wait_idle, search

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

PAGE = "/LSTM_inside"
TYPED = "<b>bold</b> <img src=x onerror=\"document.title='pwned'\">\nTo be, or not to be"



def test_typed_html_is_text_and_the_view_follows_the_url(streamlit_server, page):
    query = urllib.parse.urlencode({"passage": "your own text", "text": TYPED, "t": 3})
    page.goto(f"{streamlit_server.url}{PAGE}?{query}")
    wait_drawn(page)                  # not only idle: right after goto the app can say notRunning mid-run
    assert_no_exception(page)
    with rerun(page):                 # the coloured text is a deeper part: open it
        page.get_by_text("The text, coloured by the unit you follow").click()
    box = page.locator('[data-testid="stExpander"] [data-testid="stHtml"]').first
    expect(box).to_contain_text("<b>bold</b>")                      # shown literally, character by character
    assert box.locator("b, img, script").count() == 0
    assert page.title() != "pwned"
    expect(page.get_by_text(re.compile(r"characters? outside the model's alphabet"))).to_be_visible()
    expect(page.get_by_role("slider", name="Step t (the t-th character)")).to_have_value("3")

    with rerun(page):
        page.get_by_role("button", name=re.compile(r"\bNext\b")).click()
    expect(page.get_by_role("slider", name="Step t (the t-th character)")).to_have_value("4")
    assert re.search(r"[?&]t=4(&|$)", search(page)), search(page)

    unit = page.get_by_label("Unit to follow", exact=True).and_(page.locator("input"))
    with rerun(page):
        unit.fill("5")
        unit.press("Enter")
    expect(page.get_by_role("heading", name=re.compile(r"^Unit 5: its cell state"))).to_be_visible()
    assert re.search(r"[?&]unit=5(&|$)", search(page)), search(page)
    assert_no_exception(page)
    page.mouse.move(0, 0)
    screenshot(page, "LSTM_inside-typed-html")

    link = streamlit_server.url + PAGE + search(page)                 # the link reopens the same view
    page.goto(link)                                                   # (a new document: a new session)
    wait_drawn(page)                                                  # six charts: slow on a busy machine
    unit_box = page.get_by_label("Unit to follow", exact=True).and_(page.locator("input"))
    expect(unit_box).to_have_value("5")
    expect(page.get_by_role("slider", name="Step t (the t-th character)")).to_have_value("4")
    assert_no_exception(page)


def test_dark_mode_renders(streamlit_server, dark_page):
    page = dark_page
    page.goto(streamlit_server.url + PAGE + "?t=120")
    wait_idle(page)
    assert_no_exception(page)
    expect(page.locator('[data-testid="stMain"] .stBidiComponent')).to_have_count(1)        # the main view: the step view
    for part in ("The conveyor belt: the cell state at this step", "Every unit at once, and the neuron hunt",
                 "Intervene: hold the unit's forget gate"):                       # the deeper parts, opened
        with rerun(page):
            page.get_by_text(part).click()
        wait_drawn(page)
    expect(page.locator('[data-testid="stMain"] .stBidiComponent')).to_have_count(6)
    screenshot(page, "LSTM_inside-dark")
