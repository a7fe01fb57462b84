"""Real-browser tests: headless Chromium (Playwright) against a live `streamlit run app.py`.

Screenshots of every page land in tests/artifacts/<name>.png (look at them).
Run against another app directory with `pytest --app-dir=DIR` (or RNNVIZ_APP_DIR=DIR).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, page_urls, rerun, screenshot, wait_idle

# chromium first: without it, skip (or fail on CI) before starting any server
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

LAB = "/Gradient_lab"
T_SLIDER = "Sequence length T"
T_DEFAULT = 100


def pytest_generate_tests(metafunc):
    if "page_case" in metafunc.fixturenames:
        app_dir = Path(metafunc.config.getoption("--app-dir")).resolve()
        cases = [(name, path, "light") for name, path in page_urls(app_dir)]
        cases += [(name, path, "dark") for name, path in page_urls(app_dir)]     # both themes, every page
        metafunc.parametrize("page_case", cases,
                             ids=[f"{name}-{scheme}" for name, _, scheme in cases])


def t_slider(page):
    return page.get_by_role("slider", name=T_SLIDER)


# A: a shared link opened on a freshly started server (the server's very first page request).
def test_deep_link_on_fresh_server(fresh_streamlit_server, page):
    page.goto(fresh_streamlit_server.url + LAB + "?T=120")
    wait_idle(page)
    expect(t_slider(page)).to_have_value("120")
    assert_no_exception(page)


# B: every page renders, with a title and no exception; screenshot each in the light and the dark theme.
def test_page_renders(streamlit_server, new_page, page_case):
    name, path, scheme = page_case
    page = new_page(color_scheme=scheme)
    page.goto(streamlit_server.url + path)
    wait_idle(page)
    assert_no_exception(page)
    h1 = page.locator("h1").first
    expect(h1).to_be_visible()
    assert h1.inner_text().strip(), f"{path}: empty page title"
    screenshot(page, name if scheme == "light" else f"{name}-{scheme}")
    assert_no_exception(page)                                         # drawn, and still no exception
    assert_no_exception(page)


# C: moving the slider rewrites the URL, and that URL reopens the same view.
def test_slider_round_trips_through_url(streamlit_server, page):
    page.goto(streamlit_server.url + LAB)
    wait_idle(page)
    slider = t_slider(page)
    expect(slider).to_have_value(str(T_DEFAULT))
    assert not re.search(r"[?&]T=", page.url)  # a default value stays out of the URL

    slider.focus()
    with rerun(page):
        slider.press("ArrowRight")
    # bound widgets rewrite the URL in place (history API, no navigation)
    expect(page).to_have_url(re.compile(rf"[?&]T={T_DEFAULT + 1}(&|#|$)"))
    expect(slider).to_have_value(str(T_DEFAULT + 1))
    assert_no_exception(page)
    shared = page.url

    other = page.context.new_page()
    other.goto(shared)
    wait_idle(other)
    expect(t_slider(other)).to_have_value(str(T_DEFAULT + 1))
    assert_no_exception(other)
