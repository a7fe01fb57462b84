"""Your text in a real Chromium: a binary file and a model that is not a model are refused with a message;
a text file of the student's own trains live (the step count moves, a sample appears), stops, downloads as a
.safetensors file that loads back on the page (and a damaged copy is refused). Screenshots land in
tests/artifacts (browser_yourtext-Your_text-live.png, browser_yourtext-Your_text-dark.png,
browser_yourtext-LSTM_inside-yours.png)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, wait_drawn
from rnnviz.topics.yourtext import data as textdata

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

PAGE = "/Your_text"
STATUS = re.compile(r"^(Training|Stopped|Finished): \d+ s, step ([\d,]+)")


def button(page, label: str):
    return page.get_by_role("button", name=re.compile(rf"^(\S+ )?{re.escape(label)}"))


def upload(page, label: str, name: str, body: bytes) -> None:
    with rerun(page):
        page.locator('[data-testid="stFileUploader"]').filter(has_text=label).locator('input[type="file"]')\
            .set_input_files(files=[{"name": name, "mimeType": "application/octet-stream",
                                                         "buffer": body}])


def steps(page) -> int:
    return int(page.get_by_text(STATUS).first.inner_text().split("step ")[1].split()[0].replace(",", ""))


def test_own_file_trains_live_downloads_and_loads_back(streamlit_server, page, tmp_path):
    page.goto(f"{streamlit_server.url}{PAGE}?source=file&hidden=32&seconds=15")
    wait_drawn(page)
    assert_no_exception(page)
    expect(button(page, "Train")).to_be_disabled()                  # no file yet
    upload(page, "A text file (UTF-8)", "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 40)
    expect(page.get_by_text(re.compile("binary file"))).to_be_visible()
    expect(button(page, "Train")).to_be_disabled()
    own = textdata.example(next(iter(textdata.EXAMPLES)))[:20_000]
    upload(page, "A text file (UTF-8)", "mine.txt", own.encode())
    expect(page.get_by_text(re.compile("binary file"))).to_have_count(0)
    with rerun(page):
        button(page, "Train").click()
    expect(page.get_by_text(STATUS)).to_be_visible(timeout=30_000)
    first = steps(page)
    expect(page.get_by_text("What it writes now")).to_be_visible(timeout=30_000)
    page.wait_for_function(f"""() => [...document.querySelectorAll('p')].some(p => /^Training: \\d+ s, step /.test(p.innerText)
                                       && +p.innerText.split('step ')[1].split(' ')[0].replace(/,/g, '') > {first})""",
                           timeout=30_000)                          # it moves by itself (the live fragment)
    assert_no_exception(page)
    screenshot(page, "Your_text-live")
    with rerun(page):
        button(page, "Stop").click()
    expect(page.get_by_text(re.compile(r"^Stopped: "))).to_be_visible(timeout=30_000)
    with page.expect_download() as got:
        button(page, "Download the model").click()
    saved = tmp_path / "model.safetensors"
    got.value.save_as(saved)
    raw = saved.read_bytes()
    assert raw[8:9] == b"{" and b"rnnviz-model/1" in raw                  # safetensors: header length, JSON

    upload(page, "Load a model downloaded here before", "bad.safetensors", b"not a model at all" * 10)
    expect(page.locator('[data-testid="stAlert"]').filter(has_text=re.compile("safetensors"))).to_be_visible()
    upload(page, "Load a model downloaded here before", "mine.safetensors", raw)
    expect(page.get_by_text(re.compile(r"^Loaded: LSTM, 32 units"))).to_be_visible()
    assert_no_exception(page)

    # the links open the same session's model on the other pages
    page.get_by_role("link", name=re.compile("Write with it")).click()
    expect(page.get_by_role("heading", name="Text generation", level=1)).to_be_visible()
    wait_drawn(page)
    expect(page.locator('[data-testid="stButtonGroup"] button[aria-checked="true"]', has_text="yours")).to_have_count(1)
    assert_no_exception(page)
    page.go_back()
    wait_drawn(page)
    page.get_by_role("link", name=re.compile("Look inside it")).click()
    expect(page.get_by_role("heading", name="LSTM inside", level=1)).to_be_visible()
    wait_drawn(page)
    expect(page.get_by_text(re.compile(r"^Yours: LSTM, 32 units"))).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "LSTM_inside-yours")


def test_dark_mode_typed_text_with_html_is_text(streamlit_server, dark_page):
    page = dark_page
    page.goto(f"{streamlit_server.url}{PAGE}?source=typed")
    wait_drawn(page)
    box = page.get_by_role("textbox", name="Your text")
    with rerun(page):
        box.fill("<img src=x onerror=alert(1)> <b>bold</b> " * 30)
        box.press("Control+Enter")
    assert_no_exception(page)
    expect(page.locator('[data-testid="stMain"] img[src="x"]')).to_have_count(0)
    expect(button(page, "Train")).to_be_enabled()
    screenshot(page, "Your_text-dark")
