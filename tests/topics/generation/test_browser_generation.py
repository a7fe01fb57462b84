"""The text-generation page in a real Chromium: a prompt with HTML shows as text (no live tags), a typed
prompt rewrites the text and the URL, the step buttons move the step view (and the diagram, once opened),
and nothing raises.
Screenshots land in tests/artifacts (light with a typed prompt, dark at a later step)."""
from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, wait_drawn, search

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

PAGE = "/Text_generation"
TYPED = "<b>bold</b> <img src=x onerror=\"document.title='pwned'\">\nJULIET.\n"
STEP = "Generated step t"



def test_html_in_the_prompt_is_text_and_a_typed_prompt_rewrites_the_page(streamlit_server, page):
    page.goto(f"{streamlit_server.url}{PAGE}?{urllib.parse.urlencode({'prompt': TYPED})}")
    wait_drawn(page)
    assert_no_exception(page)
    box = page.locator('[data-testid="stHtml"]').first
    expect(box).to_contain_text("<b>bold</b>")                            # literally, a character per span
    assert box.locator("b, img, script").count() == 0 and page.title() != "pwned"
    expect(page.get_by_text(re.compile(r"characters? outside the model's alphabet"))).to_be_visible()

    prompt = page.get_by_label("Prompt", exact=True)
    with rerun(page):
        prompt.fill("MACBETH.\nIs this a dagger")
        prompt.press("Control+Enter")
    expect(box).to_contain_text("MACBETH.↵Is this a dagger")
    assert "prompt=MACBETH." in search(page), search(page)
    assert_no_exception(page)

    bars = page.locator('[data-testid="stMain"] .rnnviz-bars .rb-title')            # the step's bars (HTML)
    expect(bars).to_have_text(re.compile(r"^Step 1: drew"))
    with rerun(page):
        page.get_by_role("button", name=re.compile(r"\bNext\b")).click()
    expect(page.get_by_role("slider", name=STEP)).to_have_value("2")
    expect(bars).to_have_text(re.compile(r"^Step 2: drew"))
    assert re.search(r"[?&]t=2(&|$)", search(page)), search(page)

    # a new τ rewrites the text and the step view in place, once (not a second text box or stepper under the
    # first), the rest of the view as it was
    temperature = page.get_by_role("slider", name="Temperature τ")
    temperature.focus()
    with rerun(page):
        temperature.press("ArrowRight")
    assert re.search(r"[?&]temp=0\.9(&|$)", search(page)), search(page)
    expect(page.get_by_role("slider", name=STEP)).to_have_count(1)
    expect(page.locator('[data-testid="stHtml"]').filter(has_text="MACBETH.")).to_have_count(1)
    expect(page.get_by_role("slider", name="Temperature τ")).to_have_count(1)
    expect(page.get_by_label("Prompt", exact=True)).to_have_value("MACBETH.\nIs this a dagger")
    assert_no_exception(page)
    page.mouse.move(0, 0)
    screenshot(page, "Text_generation-typed")


def test_dark_mode_at_a_later_step(streamlit_server, dark_page):
    page = dark_page
    page.goto(streamlit_server.url + PAGE + "?k=5&temp=1.0&t=30")
    wait_drawn(page)
    assert_no_exception(page)
    expect(page.locator('[data-testid="stMain"] .stBidiComponent')).to_have_count(1)      # the diagram waits, closed
    expect(page.locator('[data-testid="stMain"] .rnnviz-bars .rb-title')).to_have_text(re.compile(r"^Step 30: drew"))
    expect(page.get_by_role("slider", name=STEP)).to_have_value("30")
    with rerun(page):                                                               # opened: drawn now
        page.get_by_text("step t in the one-to-many diagram").click()
    expect(page.locator('[data-testid="stMain"] .stBidiComponent')).to_have_count(2)
    expect(page.locator('[data-testid="stMain"] .stBidiComponent .gtitle', has_text="Step 30 in the one-to-many diagram"))\
        .to_be_visible()
    with rerun(page):                      # the step view reruns alone, the diagram stays open and follows it
        page.get_by_role("button", name=re.compile(r"\bNext\b")).click()
    expect(page.locator('[data-testid="stMain"] .stBidiComponent .gtitle', has_text="Step 31 in the one-to-many diagram"))\
        .to_be_visible()
    assert re.search(r"[?&]t=31(&|$)", search(page)), search(page)
    page.mouse.move(0, 0)
    screenshot(page, "Text_generation-dark")
