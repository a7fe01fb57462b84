"""Your series in a real Chromium: a CSV of text is refused with a message naming the column; a student's own
CSV (with a gap) trains live, stops, and shows its forecasts and every RMSE. Screenshot in tests/artifacts
(browser_yourseries-Your_series-trained.png)."""
from __future__ import annotations

import math
import re

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, wait_drawn

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

PAGE = "/Your_series"


def upload(page, name: str, body: bytes) -> None:
    with rerun(page):
        page.locator('[data-testid="stFileUploader"]').filter(has_text="A CSV file").locator('input[type="file"]')\
            .set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": body}])


def test_own_csv_trains_live_and_shows_every_rmse(streamlit_server, page):
    page.goto(f"{streamlit_server.url}{PAGE}?source=file&hidden=16&seconds=10")
    wait_drawn(page)
    train = page.get_by_role("button", name=re.compile(r"Train$"))
    expect(train).to_be_disabled()
    upload(page, "words.csv", b"name,colour\nanna,red\nbob,blue\n" * 20)
    expect(page.locator('[data-testid="stAlert"]').filter(has_text=re.compile("colour|number"))).to_be_visible()
    expect(train).to_be_disabled()
    rows = "\n".join(f"2020-{1 + i // 28:02d}-{1 + i % 28:02d},{'' if i == 50 else round(10 + 5 * math.sin(i / 3), 3)}"
                     for i in range(200))
    upload(page, "mine.csv", ("date,level\n" + rows).encode())
    expect(page.get_by_text(re.compile(r"fill|gap|missing", re.I)).first).to_be_visible()    # the gap is said
    with rerun(page):
        train.click()
    expect(page.get_by_text(re.compile(r"^(Training|Finished|Stopped): \d+ s, step"))).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile(r"held-out error \d"))).to_be_visible(timeout=30_000)
    with rerun(page):
        page.get_by_role("button", name=re.compile(r"Stop$")).click()
    expect(page.locator('[data-testid="stTable"]')).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stTable"]')).to_contain_text("naive (last value)")
    assert_no_exception(page)
    screenshot(page, "Your_series-trained")
