"""The lesson plan's bar: a teacher's plan of steps (a page with its settings, minutes and a note each),
opened step by step from the address, with a bar on the step's page to the previous and the next step.

    plan_bar.set_plan(steps, ref)     # the Lesson plan page makes a plan this session's
    plan_bar.step_link(where, k, ...) # a link that opens step k
    plan_bar.draw(title)              # ui.page_setup, under the title: the bar, on a step's page

ui.frame, the page frame, opens a step the address names (arrived_at_step, in frame.start), hands its
settings to the controls (arriving, pending: ui.controls, ui.stepper) and ends a step's page with the link to
the next step (frame.next_link). This module imports nothing of the frame's.
"""
from __future__ import annotations

import re
from typing import Any, Sequence

import streamlit as st

from rnnviz.shared import plan as lesson_plan
from rnnviz.shared.plan import Step
from rnnviz.ui.markup import escape_markdown

_PLAN, _PENDING, _HELD = "_rnnviz_plan", "_rnnviz_step_values", "_rnnviz_step_held"
OPENED = "_rnnviz_step_opened"   # this run opened a step (a new one, or a link's first run): frame.start reads it


# ----------------------------------------------------------------------------- lesson plan
# A step opens by a plain link (st.page_link) to its page with its query, `plan_step=k` and `lesson_plan=`
# the plan (a shipped plan's name, or a teacher's plan's whole text: rnnviz.shared.plan.ref_of): the browser
# navigates, exactly as if the teacher had pasted the link. (st.switch_page with query_params cannot: it
# refuses to set a query parameter that a widget of the current run is bound to.) Both stay in the address,
# so a reload (a new session, with no plan in it) or the browser's Back (an earlier step's address) finds
# the plan and its step there, and the bar with them.
STEP, PLAN = lesson_plan.STEP, lesson_plan.PLAN
PLAN_PAGE = "pages/14_Lesson_plan.py"
_AT = "_rnnviz_plan_at"          # (page title, step number, plan) of the step this page's address opened


def set_plan(steps: Sequence[Step], ref: str | None = None) -> None:
    """Make `steps` this session's lesson plan (its position kept when they did not change); `ref` is what
    the steps' addresses carry to name it (lesson_plan.ref_of)."""
    old = plan()
    at = old["at"] if old and old["steps"] == list(steps) else 0
    st.session_state[_PLAN] = {"steps": list(steps), "at": at, "ref": ref}


def plan() -> dict | None:
    """{"steps": [Step], "at": index of the step shown last, "ref": its name in an address} of this
    session's lesson plan, or None."""
    return st.session_state.get(_PLAN)


def _plan_in_address() -> dict | None:
    """The plan the address names (lesson_plan=...), made this session's plan when it is not already: a
    reload or a link opened afresh starts a session that knows no plan."""
    ref = st.query_params.get(PLAN)
    p = plan()
    if ref is None or (p is not None and p.get("ref") == ref):
        return p
    steps = lesson_plan.steps_of(ref)
    if not steps:
        return p
    st.session_state[_PLAN] = {"steps": steps, "at": 0, "ref": ref}
    return plan()


def arrived_at_step(title: str, fresh: bool, same_page: bool) -> bool:
    """Does this run open a plan step (the address carries plan_step) that the last run did not? Then move
    the plan there, and hand the step's settings to the widgets (pending). Its link carries them too, but
    Streamlit drops from the address of a page it switches to every parameter a widget of the previous
    page was bound to (T, H, present ...), so the plan, not the address, says what the step's widgets show.
    Not so on a session's first run (a reload, a link opened afresh): the address is whole, and a value
    the class changed on the step since (it is in the address too) stays.
    `fresh`: this is the session's first run; `same_page`: the last run was of this page too."""
    ss = st.session_state
    ss.pop(_PENDING, None)
    ss.pop(_HELD, None)
    raw = st.query_params.get(STEP)
    if raw is None:
        ss.pop(_AT, None)
        return False
    p, k = _plan_in_address(), step_number(raw)
    if not p or k is None or not 1 <= k <= len(p["steps"]) or p["steps"][k - 1].title != title:
        del st.query_params[STEP]                   # no step of a plan this session knows: an ordinary page
        st.query_params.pop(PLAN, None)
        ss.pop(_AT, None)
        return False
    p["at"] = k - 1
    mark = (title, k, p.get("ref"))
    again = ss.get(_AT) == mark
    ss[_AT] = mark
    if fresh or again:                              # a new session's first run, or a rerun of the step
        ss[OPENED] = fresh
        return False
    ss[_PENDING] = dict(p["steps"][k - 1].query)
    ss[OPENED] = True
    ss[_HELD] = not same_page
    if same_page:
        # Streamlit changes the browser's address for a link to another page, not for one to the same page
        # (step 3 and 4 on the Gradient lab): writing the address here makes it push the step's own (Back
        # returns). Not on a link to another page: the browser's address is still the previous page's
        # while this run starts, so Streamlit would push the new query under the old page's path, an entry
        # Back would stop at (Back took two presses, and the first opened the wrong page).
        st.query_params[STEP] = str(k)
    return True


def address_held() -> bool:
    """This run opens a step of another page: nothing may write st.query_params (see arrived_at_step);
    frame.finish puts the step's whole address in place instead (history.replaceState: no new entry)."""
    return bool(st.session_state.get(_HELD)) and arriving()


def take_pending() -> dict | None:
    """The step's settings, once, at the run's end (frame.finish): the run no longer opens a step."""
    st.session_state.pop(_HELD, None)
    return st.session_state.pop(_PENDING, None)


def step_opened() -> int:
    """The number (1-based) of the step this page's address opened, 0 when none."""
    return int(st.session_state.get(_AT, ("", 0))[1])


def on_step(title: str) -> int | None:
    """The index of the plan step this page's address opened, or None."""
    mark, p = st.session_state.get(_AT), plan()
    if mark is None or mark[0] != title or p is None or not 0 <= mark[1] - 1 < len(p["steps"]):
        return None
    return mark[1] - 1


def step_address() -> dict[str, list[str]]:
    """The plan's part of a step's address: its number, and the plan's name when it has one."""
    p = plan()
    out = {STEP: [str(p["at"] + 1)]}
    if p.get("ref"):
        out[PLAN] = [p["ref"]]
    return out


_STEP_NUMBER = re.compile(r"[0-9]{1,4}")     # ASCII digits only, and few: a plan has at most 30 steps


def step_number(raw: str) -> int | None:
    """A `plan_step` value as a number, or None. Not str.isdigit(): it is true for "²" and "٣", which
    int() refuses or reads as 3; and a bounded length, so a link cannot make int() chew a 100k-digit text."""
    return int(raw) if _STEP_NUMBER.fullmatch(raw) else None


def arrive_again() -> None:
    """Make the next run open this step once more (the run that cleaned a bad value out of the step's
    link reruns: ui.controls)."""
    if arriving():
        st.session_state.pop(_AT, None)


def arriving() -> bool:
    """This run opens a lesson-plan step: every control takes the step's value (or its default)."""
    return _PENDING in st.session_state


def pending(key: str) -> list[str] | None:
    """The value the lesson-plan step being opened gives the control `key` (URL strings), or None."""
    return st.session_state.get(_PENDING, {}).get(key)


def correct_pending(key: str, value: str | None) -> None:
    """The step's value for `key` could not be used: the address finish() restores carries `value`
    instead (the clamped value), or nothing for `key` (None), never the bad value."""
    given = st.session_state.get(_PENDING)
    if given is not None and key in given:
        if value is None:
            del given[key]
        else:
            given[key] = [value]


def step_link(where: Any, k: int, label: str, icon: str, help: str | None = None, width: str = "stretch") -> None:
    """A link that opens step k (0-based) of the plan: its page, with its settings, its number and its
    plan. `help` is plain text (it may quote the teacher's note): escaped here, since a tooltip is markdown."""
    p = plan()
    step = p["steps"][k]
    query = {key: values for key, values in step.query.items() if key not in (STEP, PLAN)}
    query[STEP] = str(k + 1)
    if p.get("ref"):
        query[PLAN] = p["ref"]
    where.page_link(step.page, label=label, icon=icon, help=escape_markdown(help) if help else None,
                    width=width, query_params=query)


def step_line(step: Step) -> str:
    """A step's minutes, note and question, as the bar says them (markdown, the teacher's words escaped)."""
    said = (f" ({step.minutes} min)" if step.minutes is not None else "") + f": {escape_markdown(step.note)}"
    if step.predict:
        said += f"  \n:material/help: {escape_markdown(step.predict)}"
    return said


def draw(title: str) -> None:
    """When this page's address opened a lesson-plan step: where we are, and the previous and next steps."""
    at = on_step(title)
    if at is None:
        return
    steps = plan()["steps"]
    st.html(_BACK_REOPENS, unsafe_allow_javascript=True)
    bar = st.container(border=True, key="lesson_plan_bar")
    cols = bar.columns([1.4, 5, 1.4], vertical_alignment="center")
    if at > 0:
        step_link(cols[0], at - 1, "Previous", ":material/arrow_back:", f"Step {at}: {steps[at - 1].note}")
    cols[1].markdown(f"**Lesson plan, step {at + 1} of {len(steps)}**{step_line(steps[at])}")
    if at + 1 < len(steps):
        step_link(cols[2], at + 1, "Next", ":material/arrow_forward:", f"Step {at + 2}: {steps[at + 1].note}")
    else:
        cols[2].page_link(PLAN_PAGE, label="The plan", icon=":material/checklist:", width="stretch")


# The browser's Back to a step: Streamlit reruns the page with the query it last knew, not the address Back
# went to (its getQueryString prefers its own state), so the step Back names would not open. A step page asks
# the browser to load that address afresh instead: a new session, whose first run reads the plan and the step
# from the address (arrived_at_step), the bar with them. Installed once per document; only for step addresses.
#
# And one history entry per step. A step link to another page carries the step's settings; those a widget of
# the page being left is bound to, Streamlit's server drops from the new page's address and tells the browser
# so at the start of the new page's run, before the browser has moved to the new page's path: the browser
# pushes the new query under the OLD path, then the new path: two entries, and Back stopped first at the
# stray one (the old page with the next step's number, which no step matches). So a push that changes only
# the query, followed (nothing in between, within seconds) by a push of the same query to another path, is
# replaced by it: the page change leaves one entry, as a link does. And while Back reloads a step, Streamlit's
# own answer to the Back (a rerun with the query it last knew) pushes nothing: it would add an entry (the
# step left) after the one Back went to, so the next Back would land on the same step again.
_BACK_REOPENS = """<script>
  if (!window.rnnvizBackReopens) {
    window.rnnvizBackReopens = true;
    let leaving = false;
    window.addEventListener("popstate", () => {
      if (new URLSearchParams(location.search).has("plan_step")) { leaving = true; location.reload(); }
    });
    const push = history.pushState.bind(history), replace = history.replaceState.bind(history);
    let queryOnly = null;              // the last push, when it changed only the query: [time, its address]
    history.pushState = (state, title, url) => {
      if (leaving) return;             // Streamlit's own answer to that Back (its stale query) would push
      const to = new URL(url, location.href), now = performance.now();
      if (queryOnly && now - queryOnly[0] < 10000 && queryOnly[1] === location.href
          && to.pathname !== location.pathname && to.search === location.search) {
        queryOnly = null;
        return replace(state, title, url);
      }
      queryOnly = to.pathname === location.pathname ? [now, to.href] : null;
      return push(state, title, url);
    };
  }
</script>"""
