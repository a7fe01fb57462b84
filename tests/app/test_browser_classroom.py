"""The classroom layer in a real Chromium: presentation mode from a link, a lesson plan stepped through with
its bar (kept through a reload and Back, the sidebar closed on every step in presentation mode), progress on
Home and its "Start here" above the fold (laptop and iPhone), stepping from the keyboard, and icons that need
no emoji font.
Screenshots land in tests/artifacts/browser_classroom-*.png (Presentation-Gradient_lab, Lesson_plan, Lesson_plan-step-3,
Home-progress).
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kit.browser import assert_no_exception, rerun, screenshot, settings_open, wait_drawn, wait_idle, search

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]



def heading(page, title: str):
    return page.get_by_role("heading", level=1, name=title)


def test_presentation_mode_from_a_link(streamlit_server, page):
    page.goto(f"{streamlit_server.url}/Gradient_lab?present=true&hide=Seed&hide=What+to+try&T=300&scale=3.0")
    wait_drawn(page)
    assert_no_exception(page)
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "21px"   # the back row reads it
    main = page.locator('[data-testid="stMainBlockContainer"]')
    assert main.bounding_box()["width"] > 0.9 * page.viewport_size["width"] - 5                 # wide: no sidebar
    expect(page.locator('[data-testid="stSidebar"]')).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".st-key-seed")).to_be_hidden()                                        # the hidden control
    expect(page.get_by_role("heading", name="What to try")).to_have_count(0)                    # and the part
    expect(page.get_by_role("heading", name="Predict, then reveal")).to_be_visible()           # the rest stays
    expect(page.get_by_role("slider", name="Sequence length T")).to_have_value("300")
    page.mouse.move(0, 0)
    screenshot(page, "Presentation-Gradient_lab")


def test_a_lesson_plan_in_the_browser(streamlit_server, page):
    page.goto(f"{streamlit_server.url}/Lesson_plan")
    wait_drawn(page)
    assert_no_exception(page)
    expect(page.locator("p").filter(has_text="Predict first: does the RNN's gradient at the first steps explode")).to_be_visible()
    screenshot(page, "Lesson_plan")

    page.get_by_role("link", name=re.compile("Start the lesson")).click()
    expect(heading(page, "Unfolded RNN")).to_be_visible()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"^Lesson plan, step 1 of 5"))).to_be_visible()
    with settings_open(page):                                                   # (the sidebar's settings)
        expect(page.get_by_role("textbox", name="Your numbers")).to_have_value("0,0,0,5,0,0,0,0,0,0,0,0")
    assert "input=numbers" in search(page)                                        # the address is the view,
    assert "plan_step=1" in search(page) and "lesson_plan=20" in search(page)     # its plan and its step
    page.go_back()                  # one Back returns to the page the step was opened from: no stray history
    expect(heading(page, "Lesson plan")).to_be_visible()            # entry between them (plan_bar.arrived_at_step)
    wait_idle(page)
    page.get_by_role("link", name=re.compile("Start the lesson")).click()
    expect(page.get_by_text(re.compile(r"^Lesson plan, step 1 of 5"))).to_be_visible()
    wait_idle(page)

    bar_link = lambda name: page.locator(".st-key-lesson_plan_bar").get_by_role("link", name=re.compile(name))
    bar_link("Next").click()
    expect(heading(page, "Backpropagation through time")).to_be_visible()
    wait_idle(page)
    page.go_back()                                  # one Back from a step on another page: the step before
    expect(page.get_by_text(re.compile(r"^Lesson plan, step 1 of 5"))).to_be_visible()     # (plan_bar:
    wait_idle(page)                                 # one history entry per step)
    bar_link("Next").click()                        # and on again, as the class goes (the browser's Forward
    expect(page.get_by_text(re.compile(r"^Lesson plan, step 2 of 5"))).to_be_visible()   # here sometimes
    wait_idle(page)                                 # left the page without its bar under a loaded pytest run)
    bar_link("Next").click()                                        # to the Gradient lab: T and scale set,
    expect(heading(page, "Gradient lab")).to_be_visible()           # though BPTT's own T was bound to "T"
    wait_drawn(page)
    expect(page.get_by_role("slider", name="Sequence length T")).to_have_value("300")
    expect(page.get_by_text(re.compile(r"^Lesson plan, step 3 of 5"))).to_be_visible()
    assert re.search(r"[?&]T=300(&|$)", search(page)) and re.search(r"[?&]scale=3(\.0*)?(&|$)", search(page))
    assert_no_exception(page)
    page.mouse.move(0, 0)
    screenshot(page, "Lesson_plan-step-3")
    with settings_open(page):
        hidden = page.get_by_role("slider", name="Hidden units H")
        hidden.focus()
        with rerun(page):
            hidden.press("ArrowRight")                              # the class moves on from the step's view:
    expect(page).to_have_url(re.compile(r"[?&]H=33(&|$)"))          # the address keeps both
    assert re.search(r"[?&]T=300(&|$)", search(page)), search(page)

    bar_link("Next").click()                                        # step 4, the same page, its own link
    expect(page.get_by_text(re.compile(r"^Lesson plan, step 4 of 5"))).to_be_visible()
    wait_idle(page)
    expect(page.get_by_role("slider", name="LSTM forget-gate bias b_f")).to_have_value("5")
    expect(page.get_by_role("slider", name="Sequence length T")).to_have_value("100")
    bar_link("Previous").click()
    expect(page.get_by_text(re.compile(r"^Lesson plan, step 3 of 5"))).to_be_visible()
    wait_idle(page)
    expect(page.get_by_role("slider", name="Sequence length T")).to_have_value("300")
    assert_no_exception(page)

    page.reload()                                                   # a new session: the address keeps the plan
    wait_drawn(page)
    expect(page.get_by_text(re.compile(r"^Lesson plan, step 3 of 5"))).to_be_visible()
    expect(page.get_by_role("slider", name="Sequence length T")).to_have_value("300")
    page.go_back()                                                  # the step before: 4, as Previous left it
    expect(page.get_by_text(re.compile(r"^Lesson plan, step 4 of 5"))).to_be_visible()
    wait_idle(page)
    expect(page.get_by_role("slider", name="LSTM forget-gate bias b_f")).to_have_value("5")
    assert_no_exception(page)

    # presentation mode: every step opens on the whole width, even after the teacher opened the sidebar
    page.goto(f"{streamlit_server.url}/Lesson_plan?present_all=true")
    wait_drawn(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_have_attribute("aria-expanded", "true")      # the plan page itself is not presented
    page.get_by_role("link", name=re.compile("Start the lesson")).click()
    expect(heading(page, "Unfolded RNN")).to_be_visible()
    expect(sidebar).to_have_attribute("aria-expanded", "false")
    wait_idle(page)
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    expect(sidebar).to_have_attribute("aria-expanded", "true")
    bar_link("Next").click()
    expect(heading(page, "Backpropagation through time")).to_be_visible()
    expect(sidebar).to_have_attribute("aria-expanded", "false")
    wait_idle(page)
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "21px"
    assert_no_exception(page)


def test_progress_shows_on_home(streamlit_server, page):
    page.goto(f"{streamlit_server.url}/Gradient_lab")
    wait_drawn(page)
    reveal = page.get_by_role("button", name=re.compile("Reveal"))
    expect(reveal).to_be_disabled()                                 # no answer yet
    page.get_by_text("It still vanishes").click()
    # (not rerun(): this rerun can finish between two frames and change no text the wait could see)
    expect(reveal).to_be_enabled()                                  # the answer's rerun came back
    with rerun(page):
        reveal.click()
    expect(page.locator('[data-testid="stAlert"]').filter(has_text=re.compile(r"^(Right|Not quite)"))).to_be_visible()
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=re.compile("Home")).click()
    expect(page.get_by_text(re.compile(r"Your progress in this visit: 1 of \d+ lessons and demos opened; "
                                       r"1 of \d+ questions answered"))).to_be_visible()
    wait_drawn(page)
    assert_no_exception(page)
    screenshot(page, "Home-progress")
    page.set_viewport_size({"width": 1366, "height": 768})
    start_here_is_above_the_fold(page)


def start_here_is_above_the_fold(page) -> None:
    box = page.locator(".st-key-start_here")
    expect(box.get_by_role("link", name=re.compile(r"\b1\. "))).to_be_visible()
    bottom = page.evaluate("""() => document.querySelector('.st-key-start_here').getBoundingClientRect().bottom""")
    assert 0 < bottom <= page.viewport_size["height"], (bottom, page.viewport_size)


def test_start_here_is_above_the_fold_on_a_phone(streamlit_server, new_page):
    page = new_page(profile="iPhone")
    page.goto(f"{streamlit_server.url}/")
    wait_idle(page)
    start_here_is_above_the_fold(page)
    assert_no_exception(page)


def test_step_through_from_the_keyboard(streamlit_server, page):
    page.goto(f"{streamlit_server.url}/Unfolded_RNN")
    wait_drawn(page)
    step = page.get_by_role("slider", name="Time step t")
    expect(step).to_have_value("1")

    # The first Tab stop is "Skip to the page content", which moves the focus to the page's title: one Tab
    # and Enter from the page list to the page (45 Tabs on Gradient lab before, at 1366×768). The charts'
    # toolbars take no Tab stop while the pointer is elsewhere (hidden: a hidden button takes no focus).
    page.mouse.move(1, 1)
    page.keyboard.press("Tab")
    expect(page.locator("#rnnviz-skip")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator('[data-testid="stMain"] h1').first).to_be_focused()
    buttons = page.locator(".modebar-btn")
    assert buttons.count() > 0
    assert set(buttons.evaluate_all("bs => bs.map(b => getComputedStyle(b).visibility)")) == {"hidden"}

    def key(name: str, shows: int) -> None:
        with rerun(page):                       # the server's run for this key has come back, not only the
            page.keyboard.press(name)           # slider's own drawing (the next key would meet old buttons)
        expect(step).to_have_value(str(shows))

    page.mouse.click(700, 150)                                      # the page has the focus, not a text box
    key("ArrowRight", 2)
    key("ArrowRight", 3)
    step.focus()                                                    # the slider handles its own arrows:
    key("ArrowRight", 4)                                            # one step, not two
    page.mouse.click(700, 150)
    # the page, not the slider, has the keys again (a focused slider and the page's ← would each take a key)
    expect(step).not_to_be_focused()
    expect(page.locator('[data-testid="stMain"] [role="slider"]:focus')).to_have_count(0)
    key("ArrowLeft", 3)
    key("Home", 1)
    assert "t=" not in search(page)                                 # the default step stays out of the link
    page.keyboard.press("p")                                        # P plays, and P stops
    expect(page.get_by_role("button", name=re.compile(r"\bStop\b"))).to_be_visible()
    wait_idle(page)                                                 # the run that switched Play on is done
    page.keyboard.press("p")
    expect(page.get_by_role("button", name=re.compile(r"\bPlay\b"))).to_be_visible()
    assert_no_exception(page)


@pytest.mark.parametrize("path", ["/", "/Gradient_lab", "/Memory_lab"])
def test_icons_are_drawn_from_the_bundled_icon_font(streamlit_server, page, path):
    """Material Symbols ship inside Streamlit (no CDN, no emoji font): each icon is one square glyph, not
    its ligature name spelt out ("chevron_right") nor an empty box."""
    page.goto(streamlit_server.url + path)
    wait_drawn(page)
    assert page.evaluate("document.fonts.check('24px \"Material Symbols Rounded\"')")
    boxes = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stIconMaterial"]')]
        .filter(e => e.offsetParent !== null).map(e => [e.innerText, e.getBoundingClientRect().width,
                                                       e.getBoundingClientRect().height])""")
    assert len(boxes) >= 5, boxes
    for name, width, height in boxes:
        assert 0 < width <= 1.3 * height, (name, width, height)
