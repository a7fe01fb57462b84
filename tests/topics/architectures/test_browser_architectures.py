"""The Architectures page in a real Chromium: it renders each form without an exception, switching the
form redraws the diagram and rewrites the URL, a shared link reopens a form, and the demo link carries
its ready input. Screenshots land in tests/artifacts (light at the defaults, dark as encoder–decoder)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, wait_drawn, search
from rnnviz.topics.architectures import compute as arch

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

PAGE = "/Architectures"
CHART_TITLE = '[data-testid="stMain"] .stBidiComponent .gtitle'



def test_switching_form_redraws_the_diagram(streamlit_server, page):
    page.goto(streamlit_server.url + PAGE)
    wait_drawn(page)
    assert_no_exception(page)
    title = page.locator(CHART_TITLE).first
    expect(title).to_have_text("Many-to-one: 6 inputs → 1 output")
    screenshot(page, "Architectures")
    for form in arch.ORDER:
        if form == "many-to-one":
            continue
        with rerun(page):
            page.get_by_role("radio", name=form, exact=True).click()
        expect(title).to_contain_text(arch.FORMS[form].name)
        assert re.search(rf"[?&]form={form}(&|$)", search(page)), search(page)
        wait_drawn(page)
        assert_no_exception(page)
    # encoder-decoder is the last: both sliders live; n_in moves the diagram
    n_in = page.get_by_role("slider", name="Input length n_in")
    with rerun(page):
        n_in.press("ArrowRight")
    expect(title).to_have_text("Many-to-many, encoder–decoder: 7 inputs → 4 outputs")
    assert re.search(r"[?&]n_in=7(&|$)", search(page)), search(page)
    # depth (issue 23): a second layer stacks the cell rows, named on the axis; the URL keeps it
    depth = page.get_by_role("slider", name="Depth: layers L")
    with rerun(page):
        depth.press("ArrowRight")
    expect(page.locator('[data-testid="stMain"] .stBidiComponent').first).to_contain_text("layer 2")
    expect(title).to_have_text("Many-to-many, encoder–decoder: 7 inputs → 4 outputs")
    assert re.search(r"[?&]layers=2(&|$)", search(page)), search(page)
    assert_no_exception(page)


def test_dark_link_reopens_the_form_and_the_demo_link_has_its_input(streamlit_server, dark_page):
    page = dark_page
    page.goto(streamlit_server.url + PAGE + "?form=encoder-decoder&n_in=9&n_out=5")
    wait_drawn(page)
    assert_no_exception(page)
    expect(page.locator(CHART_TITLE).first).to_have_text("Many-to-many, encoder–decoder: 9 inputs → 5 outputs")
    expect(page.get_by_role("slider", name="Output length n_out")).to_have_value("5")
    expect(page.get_by_role("link", name=re.compile("Try it live: Date translation"))).to_have_attribute(
        "href", re.compile(r"Date_translation\?date="))
    page.mouse.move(0, 0)
    screenshot(page, "Architectures-encoder-decoder-dark")
    with rerun(page):
        page.get_by_role("radio", name="one-to-many", exact=True).click()
    link = page.get_by_role("link", name=re.compile("Try it live: Text generation"))
    expect(link).to_have_attribute("href", re.compile(r"Text_generation\?prompt=ROMEO\.%0ABut"))
    expect(page.get_by_role("slider", name="Input length n_in")).to_be_disabled()
    page.mouse.move(0, 0)
    screenshot(page, "Architectures-one-to-many-dark")
