"""No page makes Streamlit log "The widget with key … was created with a default value but also had its
value set via the Session State API".

Why it appeared: rnnviz sets a URL-bound widget's value through st.session_state on purpose (a "what to
try" preset sets every control, "Follow unit" sets the unit, ui.cap_typed_text cuts a pasted book), and
the widget is also drawn with its declared default, which the URL binding needs (a parameter disappears
from the link while the value is the default). Streamlit logs that warning, once per server process, for
the first such widget (on LSTM inside, the first preset click named "passage" or "prompt"). It guards
against a default that is silently ignored, which here is the intent, so .streamlit/config.toml switches
it off (global.disableWidgetStateDuplicationWarning). These tests fail if it comes back: through AppTest
(the presets and the cut of every page that cuts) and in the log of a real server.
"""
from __future__ import annotations

import logging
import re

import pytest
from playwright.sync_api import expect

from kit.browser import rerun, wait_idle

WARNING = "was created with a default value but also had its value set via the Session State API"


@pytest.fixture
def policy_log(monkeypatch):
    """The messages Streamlit's widget policies log, with its once-per-process latch reset."""
    from streamlit.elements.lib import policies

    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())

    handler = Keep(level=logging.WARNING)
    logger = logging.getLogger(policies.__name__)
    logger.addHandler(handler)
    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    yield seen
    logger.removeHandler(handler)


def test_the_switch_is_on():
    from streamlit import config

    assert config.get_option("global.disableWidgetStateDuplicationWarning") is True


def test_lstm_inside_presets_and_follow_log_nothing(apptest, policy_log, monkeypatch):
    from streamlit.elements.lib import policies

    at = apptest("pages/4_LSTM_inside.py")
    presets = [b.label for b in at.button if (b.key or "").startswith("try_")]
    assert len(presets) == 4
    for label in presets:
        monkeypatch.setattr(policies, "_shown_default_value_warning", False)
        next(b for b in at.button if b.label == label).click().run()
        assert not at.exception
    at.session_state["li_units"] = True                           # the hunt is a lazy part: open it (AppTest
    at.run()                                                     # keeps no expander state between runs)
    widget_ = next(w for w in at.get("button_group") if w.key == "feature")
    widget_.set_value("space")                                   # a unit other than the followed one
    at.session_state["li_units"] = True
    at.run()
    at.session_state["li_units"] = True
    next(b for b in at.button if b.label.startswith("Follow unit")).click().run()
    assert not at.exception and not [m for m in policy_log if WARNING in m], policy_log


# (page, the text box, its limit): every page that cuts a pasted text with ui.cap_typed_text
CUT = [("pages/10_Text_generation.py", "prompt", 1000), ("pages/8_Sentiment.py", "text", 2000),
       ("pages/9_Surname_language.py", "name", 40), ("pages/5_GRU_vs_LSTM.py", "text", 1000)]


@pytest.mark.parametrize("page,key,limit", CUT, ids=[p.split("_", 1)[1][:-3] for p, _, _ in CUT])
def test_a_cut_text_logs_nothing(apptest, policy_log, page, key, limit):
    from common import widget

    at = apptest(page, {"passage": "your own text"} if "GRU" in page else None)
    widget(at, key).set_value("x" * (limit + 5)).run()
    assert not at.exception
    assert any(f"You typed {limit + 5:,} characters" in w.value for w in at.warning)      # the cut happened
    assert len(widget(at, key).value) == limit
    assert not [m for m in policy_log if WARNING in m], policy_log


def test_a_real_server_logs_nothing(streamlit_server, page):
    """Presets and a pasted book, in Chromium. The warning is logged once per server process, by the first
    widget that triggers it: the shared server's log holds everything since it started, so the warning shows
    there whether these steps or any earlier test's triggered it."""
    page.goto(streamlit_server.url + "/LSTM_inside")
    wait_idle(page)
    with rerun(page):
        page.get_by_role("button", name=re.compile("Hot: temperature 1.5")).click()
    expect(page.get_by_role("slider", name="Temperature")).to_have_value("1.5")
    page.goto(streamlit_server.url + "/Text_generation")
    wait_idle(page)
    box = page.get_by_role("textbox", name="Prompt")
    box.fill("x" * 1200)
    with rerun(page):
        box.press("Control+Enter")                               # a text area sends its value on Ctrl+Enter
    expect(page.get_by_text(re.compile("You typed 1,200 characters"))).to_be_visible()
    page.goto(streamlit_server.url + "/BPTT")
    wait_idle(page)
    with rerun(page):
        page.get_by_role("button", name=re.compile("Cut hard")).click()
    expect(page.get_by_role("slider", name="Truncation window k")).to_have_value("1")
    log = streamlit_server.log.read_text(errors="replace")
    assert WARNING not in log, log[-3000:]
