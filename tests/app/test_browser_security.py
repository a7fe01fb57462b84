"""Issue 19 in a real Chromium: nothing a link carries reaches outside the app, and typed text never becomes
a link or an image.

- test_every_request_stays_on_the_app: a fresh server's first request is a deep link (it opens its page with
  the link's settings); then Home and more deep links. Every request the pages make (documents, scripts, fonts, the tab icon, websockets, images)
  goes to the app's own origin, or is data:/blob:/about:. The tab icon is the page's own PNG (it used to be
  a Material symbol, which the browser fetched from a font server on the internet).
- test_typed_addresses_are_not_links: bare web and e-mail addresses typed into a box (or a lesson plan's
  line), shown back in warnings and notes, are words, not <a> elements.
- test_a_hostile_lesson_plan_note: a plan note written as a markdown image and link shows as typed in the
  bar and in the Next tooltip: no <img>, no <a>, and hovering Next fetches nothing.
Screenshots: tests/artifacts/browser_security-{seed-inf,date-link,plan-tooltip}.png.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, settings_open, wait_drawn, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

EVIL = "https://evil.example/phish"
TRACKER = "http://127.0.0.1:9/track"          # a port nothing listens on: a request there is a leak
LOCAL_SCHEMES = ("data", "blob", "about")

# The first is the server's very first page request (a shared link); the rest in one browser context.
DEEP_LINKS = ["/Gradient_lab?T=120&seed=inf", "/", "/Memory_lab", "/LSTM_inside",
              f"/Date_translation?date={quote(EVIL)}", "/Lesson_plan",
              "/Music", "/Speech"]           # issue 25: pages that play sound (st.audio) and draw images
SOUND = {"/Music": "Hear the tune", "/Speech": "Hear it"}          # their sound, on request: pressed, it is fetched


def outside(urls: list[str], origin: str) -> list[str]:
    """The requests that leave the app: another scheme, host or port than the app's own."""
    own = urlsplit(origin)
    found = []
    for url in urls:
        u = urlsplit(url)
        if u.scheme in LOCAL_SCHEMES:
            continue
        same = (u.hostname, u.port) == (own.hostname, own.port) and u.scheme in ("http", "https", "ws", "wss")
        if not same:
            found.append(url)
    return found


def record(page) -> list[str]:
    """Every request the page makes from now on, websockets included."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.on("websocket", lambda ws: urls.append(ws.url))
    return urls


def links_out(page, origin: str) -> list[str]:
    """The hrefs of <a> elements (anywhere, tooltips included) that lead out of the app (mailto: too).
    The app's own links (the sidebar, heading anchors) carry the page's address, typed text included."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    return [h for h in hrefs if urlsplit(h).scheme not in ("http", "https") or outside([h], origin)]


def test_every_request_stays_on_the_app(fresh_streamlit_server, new_page):
    page = new_page()                                    # a tab of its own: the recorder listens to it
    urls = record(page)
    for path in DEEP_LINKS:
        page.goto(fresh_streamlit_server.url + path)
        wait_drawn(page)
        assert_no_exception(page)
        if path == DEEP_LINKS[0]:
            # a shared link as a fresh server's very first page request opens its page with its settings
            # (DESIGN.md: a fresh server whose first request is a deep link skips app.py)
            expect(page.get_by_role("slider", name="Sequence length T")).to_have_value("120")
        if path in SOUND:
            with rerun(page):
                page.get_by_role("button", name=SOUND[path]).click()
            expect(page.locator('[data-testid="stMain"] audio')).to_have_count(1)
        icon = page.evaluate("[...document.querySelectorAll('link[rel~=icon]')].map(l => l.href)")
        assert icon and not outside(icon, fresh_streamlit_server.url), (path, icon)
        page.wait_for_timeout(500)                       # late requests: fonts, icons, lazy scripts
    assert len(urls) > 20, urls                           # the recorder saw the pages load
    assert not outside(urls, fresh_streamlit_server.url), sorted(set(outside(urls, fresh_streamlit_server.url)))
    # ?seed=inf: the page opened (it used to be empty), at the default seed, and said why
    page.goto(fresh_streamlit_server.url + DEEP_LINKS[0])
    wait_drawn(page)
    expect(page.get_by_role("slider", name="Sequence length T")).to_have_value("120")
    expect(page.get_by_text(re.compile("This link sets Seed to “inf”"))).to_be_visible()
    with settings_open(page):
        expect(page.locator(".st-key-seed input")).to_have_value("0")
    screenshot(page, "seed-inf")


@pytest.mark.parametrize("path,shown", [
    (f"/Date_translation?date={quote(EVIL)}", "evil.example/phish"),
    (f"/Unfolded_RNN?input=numbers&numbers={quote('1, www.evil.example, me@evil.example')}", "evil.example"),
    (f"/BPTT?source=typed&seq={quote('2 ' + EVIL)}", "evil.example"),
    (f"/Lesson_plan?plan={quote(EVIL + ' | a line that is not a step')}", "is not a link"),
], ids=["Date_translation", "Unfolded_RNN", "BPTT", "Lesson_plan"])
def test_typed_addresses_are_not_links(streamlit_server, page, path, shown):
    page.goto(streamlit_server.url + path)
    wait_drawn(page)
    assert_no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text(re.compile(re.escape(shown))).first).to_be_visible()   # the text is on the page
    assert not links_out(page, streamlit_server.url), links_out(page, streamlit_server.url)
    if "Date_translation" in path:
        screenshot(page, "date-link")


def test_a_hostile_lesson_plan_note(streamlit_server, new_page):
    page = new_page()                                    # a tab of its own: the recorder listens to it
    note = f"![x]({TRACKER}) [click here]({EVIL}) or www.evil.example"
    plan = f"/BPTT | first\n/Gradient_lab?T=40 | {note}\n/Memory_lab | third"
    urls = record(page)
    page.goto(f"{streamlit_server.url}/Lesson_plan?plan={quote(plan)}")
    wait_drawn(page)
    assert_no_exception(page)
    page.get_by_role("link", name=re.compile("Start the lesson")).click()
    expect(page.get_by_role("heading", level=1, name="Backpropagation through time")).to_be_visible()
    wait_idle(page)
    bar = page.locator(".st-key-lesson_plan_bar")
    bar.get_by_role("link", name=re.compile("Next")).hover()        # the tooltip quotes step 2's note
    tooltip = page.locator('[data-testid="stTooltipContent"]')
    expect(tooltip).to_contain_text("[click here](https:")
    assert tooltip.locator("a, img").count() == 0
    screenshot(page, "plan-tooltip")
    bar.get_by_role("link", name=re.compile("Next")).click()
    expect(page.get_by_role("heading", level=1, name="Gradient lab")).to_be_visible()
    wait_drawn(page)
    expect(bar).to_contain_text("![x](http:")                       # the note, as typed, in the bar
    # no image, and no link of the note's: the bar's links are its Previous and Next steps, the app's own pages,
    # whose query carries the plan (the note too, URL-encoded: lesson_plan=...evil.example...)
    assert bar.locator("img").count() == 0
    bar_links = bar.locator("a").evaluate_all("es => es.map(e => e.href)")
    assert bar_links and not outside(bar_links, streamlit_server.url), bar_links
    assert all(urlsplit(h).path.rsplit("/", 1)[-1] in ("BPTT", "Memory_lab") for h in bar_links), bar_links
    assert not links_out(page, streamlit_server.url), links_out(page, streamlit_server.url)
    assert not outside(urls, streamlit_server.url), outside(urls, streamlit_server.url)   # no image fetched
