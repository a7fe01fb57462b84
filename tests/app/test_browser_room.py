"""A class shares one server (issue 19): a student's training ends with their tab, reloading a tab does not
pile up trainings, and a student beyond the server's slots waits in a visible queue. Real Chromium, on a
server of this module's own with one training slot and a 2-second grace (the defaults: one per core, 10 s),
which both tests share (each ends with no training left; under pytest -n both run on one worker).

The red team's reproduction was /Memory_lab?task=copy&T=200&steps=3000&opt=sgd&lr=0.0003&clip=0, Train,
reloaded five times (five runs piled up) and then closed (the training went on past Streamlit's 120 s)."""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from kit import ARTIFACTS
from kit.browser import VIEWPORT, assert_no_exception, wait_drawn
from kit.server import serve, trainings

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium_executable")]

HEAVY = "/Memory_lab?task=copy&T=200&steps=3000&opt=sgd&lr=0.0003&clip=0"
GRACE = 2.0
ROOM = {"RNNVIZ_TRAININGS": "1", "RNNVIZ_TRAINING_GRACE_SECONDS": str(GRACE)}


@pytest.fixture(scope="module")
def server(app_dir, chromium_executable):
    with serve(app_dir, log=ARTIFACTS / "server-room.log", env=ROOM) as s:
        yield s


def wait_for(check, timeout: float) -> float:
    """Seconds until check() holds (fails after `timeout`)."""
    t0 = time.monotonic()
    while not check():
        assert time.monotonic() - t0 < timeout, "timed out"
        time.sleep(0.1)
    return time.monotonic() - t0


def press_train(page) -> None:
    wait_drawn(page)
    page.get_by_role("button", name=re.compile(r"^(\S+ )?Train$")).click()
    expect(page.get_by_text(re.compile(r"^(Training: step \d+|Starting the training|Waiting for a free trainer)"))
           ).to_be_visible()


def test_reloading_does_not_pile_up_trainings_and_a_closed_tab_ends_its_own(server, browser):
    assert not trainings(server.pid)
    ctx = browser.new_context(viewport=VIEWPORT)
    page = ctx.new_page()
    page.goto(server.url + HEAVY)
    for _ in range(4):                                # Train, reload, Train ...: each reload is a new session
        press_train(page)
        page.reload()
    press_train(page)
    assert_no_exception(page)
    # the reloaded tabs' sessions are gone: their trainings end; only the last one trains
    wait_for(lambda: len(trainings(server.pid)) == 1, timeout=GRACE + 30)
    expect(page.get_by_text(re.compile(r"^Training: step \d+"))).to_be_visible()
    ctx.close()                                       # the student closes the tab
    took = wait_for(lambda: not trainings(server.pid), timeout=GRACE + 30)
    print(f"the closed tab's training ended {took:.1f} s after the tab closed (grace {GRACE:g} s)")


def test_a_student_beyond_the_slots_waits_in_a_visible_queue(server, browser):
    assert not trainings(server.pid)
    contexts = [browser.new_context(viewport=VIEWPORT) for _ in range(2)]
    a, b = (ctx.new_page() for ctx in contexts)
    for page in (a, b):
        page.goto(server.url + HEAVY)
    press_train(a)
    expect(a.get_by_text(re.compile(r"^Training: step \d+"))).to_be_visible()
    press_train(b)
    expect(b.get_by_text("yours is number 1 in the queue", exact=False)).to_be_visible()
    assert len(trainings(server.pid)) == 1
    a.get_by_role("button", name=re.compile(r"^(\S+ )?Stop$")).click()           # a frees the slot ...
    expect(b.get_by_text(re.compile(r"^Training: step \d+"))).to_be_visible()      # ... and b starts by itself
    b.get_by_role("button", name=re.compile(r"^(\S+ )?Stop$")).click()
    expect(b.get_by_role("button", name=re.compile(r"^(\S+ )?Train$"))).to_be_visible()
    assert_no_exception(a)
    assert_no_exception(b)
    wait_for(lambda: not trainings(server.pid), timeout=30)
    for ctx in contexts:
        ctx.close()
