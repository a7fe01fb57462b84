"""The page boundary: a student never sees a stack trace.

Every page wraps its body in `with ui.boundary():` (and the stepper and live-training fragments wrap
theirs). An unexpected exception inside becomes one friendly box with a hint of what to do, the full
traceback goes to the server's log for the developers, and whatever was drawn before it stays on screen.
Streamlit's own control flow (st.stop, st.rerun, st.switch_page) derives from BaseException and passes
through untouched.

In the tests (RNNVIZ_STRICT=1, set by tests/conftest.py) the exception is re-raised after the box is
drawn, so a bug still fails the AppTest (`at.exception`) or the browser test that would have caught it.
"""
from __future__ import annotations

import contextlib
import logging
import os
from typing import Iterator

import streamlit as st

from rnnviz.ui import frame

LOG = logging.getLogger("rnnviz")

# The box's first words: tests look for them to tell a caught failure from a deliberate message.
FAILED = "Something went wrong on this part of the page."
HINT = ("Try another value, or press a preset under *What to try* to get back to a view that works. "
        "Nothing you did is lost: the rest of the page, and every other page, keep working.")


def strict() -> bool:
    return os.environ.get("RNNVIZ_STRICT", "") not in ("", "0")


@contextlib.contextmanager
def boundary(where: str = "page") -> Iterator[None]:
    """Catch anything the code inside raises: a friendly message on the page, the traceback in the log."""
    try:
        yield
        if where == "page":
            frame.finish()              # the page's end: the view tools know every control now
            frame.next_link()           # and a way on: "Next: ..." (on a lesson-plan step, the plan's next)
    except Exception as e:          # noqa: BLE001 - the boundary's whole point; BaseException flows on
        LOG.exception("rnnviz: unexpected error in %s", where)
        st.error(f"**{FAILED}** {HINT}", icon=":material/error:")
        st.caption(f"For the teacher or developer: {type(e).__name__} in the {where}; "
                   "the details are in the server's log.")
        if strict():
            raise
