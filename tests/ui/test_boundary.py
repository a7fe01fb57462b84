"""The page boundary (rnnviz.ui.guard): an unexpected error shows a friendly box, never a stack trace,
and the rest of the page and the app keep working."""
from __future__ import annotations

import pytest

from rnnviz.ui import guard
from test_page_list import page_list_data


def _boom(*args, **kwargs):
    raise ValueError("a bug nobody foresaw")


@pytest.fixture
def lenient(monkeypatch):
    monkeypatch.setenv("RNNVIZ_STRICT", "0")


def test_an_error_in_the_page_body_becomes_a_friendly_box(apptest, monkeypatch, lenient):
    from rnnviz.topics.unfold import view_parts as unfold

    monkeypatch.setattr(unfold, "unfold_run", _boom)
    at = apptest("pages/1_Unfolded_RNN.py")
    assert not at.exception                                   # no traceback on the page
    errors = [e.value for e in at.error]
    assert any(guard.FAILED in e for e in errors), errors
    assert any("ValueError" in c.value for c in at.caption)   # a pointer for the teacher, not the trace
    assert at.title[0].value == "Unfolded RNN"                # what came before the error stays
    listed = [p for g in page_list_data(at)["groups"] for p in g["pages"]]
    assert len(listed) >= 17                                  # the other pages are one click away
    monkeypatch.undo()
    at2 = apptest("pages/1_Unfolded_RNN.py")                  # and the page works again once fixed
    assert not at2.exception and not [e for e in at2.error if guard.FAILED in e.value]


def test_an_error_inside_the_stepper_fragment_is_caught_there(apptest, monkeypatch, lenient):
    from rnnviz.topics.unfold import view_parts as unfold

    monkeypatch.setattr(unfold, "step_section", _boom)
    at = apptest("pages/1_Unfolded_RNN.py")
    assert not at.exception
    assert any(guard.FAILED in e.value for e in at.error)
    assert "What to try" in [h.value for h in at.subheader], "what comes after the stepper is still drawn"


def test_under_test_the_boundary_re_raises_so_bugs_still_fail(apptest, monkeypatch):
    from rnnviz.topics.unfold import view_parts as unfold

    monkeypatch.setattr(unfold, "unfold_run", _boom)
    at = apptest("pages/1_Unfolded_RNN.py")
    assert at.exception                                       # (its message is redacted by the config)
    assert any(guard.FAILED in e.value for e in at.error)     # the box was drawn before the re-raise


def test_streamlit_control_flow_passes_through():
    from streamlit.runtime.scriptrunner_utils.exceptions import StopException

    with pytest.raises(StopException):
        with guard.boundary():
            raise StopException()
