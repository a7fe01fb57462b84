"""The frame around every page, for a classroom: a link to the exact view, presentation mode, the student's
progress, and the teacher's lesson plan.

    ui.page_setup(TOPIC, intro=...)   # opens the frame
    with ui.boundary():                                                    # the page body ...
        ...                                                                # ... whose end closes it (finish)

- **Link to this view.** Every control lives in the URL (ui.controls binds them), so the browser's own
  address is the view. A small button copies it (and shows it, to copy by hand where the clipboard is
  not allowed); opening it reproduces the picture (tests/app/test_browser_links.py, every page).
- **Presentation mode** (`?present=true`, the format of every bound toggle), as TF Playground's: larger type for the back row, a wide page,
  and the teacher's choice of parts to hide (`&hide=Seed&hide=What+to+try`: a control's label or a part).
- **Progress** lives in st.session_state only (this student, this browser tab): the pages visited and the
  questions answered; the Home page shows it.
- **Lesson plan**: a step's address carries the plan (`lesson_plan=`, a shipped plan's name or the plan's
  text) and its number (`plan_step=`), so a reload or Back keeps it; a page opened as a step shows a bar to
  the previous and next step, and closes the sidebar in presentation mode.
- **Next**: every page ends with a link on (ui.boundary calls next_link): the plan's next step on a step,
  else the next page in course order (catalog.next_after).
"""
from __future__ import annotations

import json
import re
from typing import Any, Sequence
from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitAPIException

from rnnviz import catalog
from rnnviz.shared import plan as lesson_plan
from rnnviz.shared.plan import Step
from rnnviz.ui import access
from rnnviz.ui.markup import escape_markdown

PRESENT, HIDE = "present", "hide"
PARTS = ("Introduction", "What to try", "Predict, then reveal", "Link to this view")   # hideable, besides controls
_PROGRESS, _PLAN, _RUN = "_rnnviz_progress", "_rnnviz_plan", "_rnnviz_run"
_PAGE, _PENDING = "_rnnviz_page", "_rnnviz_step_values"
# What a page's widgets keep in st.session_state: plain values. A new page starts from a clean slate of
# these, because pages reuse control names (T, H, width ...) with other ranges: GRU vs LSTM's "width" of
# 60 characters must not become Date translation's beam width (at most 8). Kept: our own "_"-prefixed
# state (progress, lesson plan), presentation mode, and objects such as a live training run.
_KEEP = (PRESENT, HIDE)
_WIDGET_VALUES = (bool, int, float, str, list, tuple, type(None))


# ----------------------------------------------------------------------------- presentation mode
def presenting() -> bool:
    """Presentation mode is on: the toggle's value, or the URL's on the first run of a session."""
    v = st.session_state.get(PRESENT, st.query_params.get(PRESENT, ""))
    return v is True or str(v).lower() == "true"


def hidden() -> list[str]:
    """The labels (of controls, or PARTS) the teacher hides in presentation mode."""
    if not presenting():
        return []
    v = st.session_state.get(HIDE)
    return list(v) if v is not None else st.query_params.get_all(HIDE)


def is_hidden(part: str) -> bool:
    return part in hidden()


def _css(keys: Sequence[str]) -> str:
    """Larger type (Streamlit sizes its text in rem), full width, and the hidden widgets gone (each keyed
    widget's container carries the class st-key-<key>; hidden, the widget still exists and keeps its value)."""
    rules = ["html { font-size: 21px; }",
             '[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 3.5rem 2.5rem 2rem; }',
             '[data-testid="stCaptionContainer"] { font-size: 0.95rem; }']
    rules += [f".st-key-{k} {{ display: none !important; }}" for k in keys if k.replace("_", "").isalnum()]
    return "<style>" + "\n".join(rules) + "</style>"


# ----------------------------------------------------------------------------- one run of a page
def start(title: str) -> None:
    """Called first by page_setup (before the page config, which asks presenting()): remember this run's
    page, open a lesson-plan step the address names, count the visit, set presentation mode's styles."""
    ss = st.session_state
    ss["_rnnviz_step_opened"] = False
    if _arrived_at_step(title):
        clean_slate(keep=())                     # a lesson-plan step: its link decides, presentation mode too
        _present_from_pending()
    elif ss.get(_PAGE, title) != title:
        clean_slate()
    ss[_PAGE] = title
    ss[_RUN] = {"title": title, "controls": {}}
    if title not in progress()["visited"]:
        progress()["visited"].append(title)
    if presenting():
        keys = ss.get(f"_rnnviz_hidden_keys_{title}", [])
        st.html(_css(keys))
        if ss.pop("_rnnviz_step_opened"):
            # The page config collapses the sidebar only when its setting changes, and not at all once the
            # teacher has opened or closed it by hand (the browser remembers that): a step opened in
            # presentation mode closes it itself, so every step starts on the whole width.
            mark = ss.get(_AT, ("", 0))         # in the script, so each step's is new and runs (same text: kept)
            st.html(_COLLAPSE_SIDEBAR.replace("STEP", f"{int(mark[1])}"), unsafe_allow_javascript=True)


_COLLAPSE_SIDEBAR = """<script>
  { // step STEP (a block: every step's script declares its own `bar`)
    %s
    const bar = document.querySelector('[data-testid="stSidebar"]');
    if (bar && bar.getAttribute("aria-expanded") === "true") collapseUnremembered(bar, window.localStorage);
  }
</script>""" % access.COLLAPSE_JS


def clean_slate(keep: Sequence[str] = _KEEP) -> None:
    """Forget the previous page's widget values, so this page's widgets start from its URL (a link, a
    lesson-plan step) or their defaults."""
    ss = st.session_state
    for key in list(ss.keys()):
        if not key.startswith("_") and key not in keep and isinstance(ss[key], _WIDGET_VALUES):
            del ss[key]


def register(controls: Sequence[Any]) -> None:
    """ui.render reports the controls it drew, so presentation mode can offer them by label."""
    run = st.session_state.get(_RUN)
    if run is not None:
        for c in controls:
            run["controls"].setdefault(c.label, c.key)


def finish() -> None:
    """The page body ended (ui.boundary): draw the view tools, now that every control is known."""
    ss = st.session_state
    run = ss.get(_RUN)
    if run is None:
        return
    title, controls = run["title"], run["controls"]
    keys = [controls[label] for label in hidden() if label in controls]
    if ss.get(f"_rnnviz_hidden_keys_{title}") != keys:
        ss[f"_rnnviz_hidden_keys_{title}"] = keys
        if presenting():
            st.html(_css(keys))                  # the first run of a link: known only now
    given = ss.pop(_PENDING, None)
    if given and any(key not in st.query_params for key in given):
        # A plan step set widgets whose parameters Streamlit dropped from the address on the way here, and
        # Streamlit never writes a value set in code back into the address of a widget it has just created.
        # So the browser puts the step's own query back (history.replaceState: no reload, no rerun); the
        # next run reads it from there, so the address bar (and "Copy a link") is the step's view.
        given = {**given, **_step_address()}    # and the plan's part, so a reload or Back finds the step
        query = "?" + urlencode([(k, v) for k, vs in given.items() for v in vs])
        st.html(f"<script>history.replaceState(history.state, '', location.pathname + {json.dumps(query)});"
                "</script>", unsafe_allow_javascript=True)
    box = ss.get("_rnnviz_tools")
    if box is None:
        return
    with box:
        with st.expander("Presentation mode", icon=":material/co_present:", expanded=presenting()):
            st.toggle("Present", key=PRESENT, bind="query-params",
                      help="Larger type and a wide page for a projector. This page's link (above) then opens "
                           "in presentation mode too.")
            options = list(dict.fromkeys([*controls, *PARTS, *hidden()]))
            st.multiselect("Hide while presenting", options, key=HIDE, bind="query-params",
                           disabled=not presenting(),
                           help="Controls or parts of the page the class should not see or touch; they keep "
                                "their values. As in TensorFlow Playground, the choice is part of the link.")


def view_tools(where: Any) -> None:
    """Called by page_setup in the sidebar: the link button, and a place for presentation mode (finish)."""
    with where:
        if not is_hidden("Link to this view"):
            copy_link_button()
        st.session_state["_rnnviz_tools"] = st.container()


def copy_link_button(height: int = 74) -> None:
    """A button that copies the browser's address, which is the view (every control is in the URL). The
    link is also shown, selected, so it can be copied by hand where the clipboard is not allowed."""
    st.iframe(_COPY_HTML, height=height)


_COPY_HTML = """
<style>
  :root { color-scheme: light dark; font-family: "Source Sans Pro", "Source Sans 3", sans-serif; }
  body { margin: 0; }
  button { font: inherit; font-size: 14px; padding: 4px 10px; border-radius: 8px; cursor: pointer; width: 100%;
           border: 1px solid rgba(128,128,128,.45); background: transparent; color: inherit; }
  button:hover { border-color: #ff4b4b; color: #ff4b4b; }
  input { font: 12px monospace; width: 100%; box-sizing: border-box; margin-top: 6px; padding: 3px 4px;
          border: 1px solid rgba(128,128,128,.35); border-radius: 6px; background: transparent; color: inherit; }
</style>
<button id="copy" title="Every control is in this link: whoever opens it sees exactly this view.">
  Copy a link to this view</button>
<input id="link" readonly aria-label="Link to this view">
<script>
  const button = document.getElementById("copy"), box = document.getElementById("link");
  const here = () => window.parent.location.href;
  const show = () => { if (document.activeElement !== box) box.value = here(); };
  show(); setInterval(show, 700);
  button.addEventListener("click", async () => {
    const href = here(); box.value = href; box.focus(); box.select();
    let ok = false;
    try { await navigator.clipboard.writeText(href); ok = true; }
    catch (e) { try { ok = document.execCommand("copy"); } catch (e2) { ok = false; } }
    button.textContent = ok ? "Copied: paste it anywhere" : "Select the link below and copy it";
    button.dataset.copied = href;
    setTimeout(() => { button.textContent = "Copy a link to this view"; }, 2500);
  });
</script>
"""


# ----------------------------------------------------------------------------- progress
def progress() -> dict:
    """{"visited": [page titles], "answered": {page title: right?}} for this session."""
    return st.session_state.setdefault(_PROGRESS, {"visited": [], "answered": {}})


def answered(right: bool) -> None:
    """predict_reveal reports a revealed answer for the current page."""
    run = st.session_state.get(_RUN)
    if run is not None:
        progress()["answered"][run["title"]] = bool(right)


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


def _arrived_at_step(title: str) -> bool:
    """Does this run open a plan step (the address carries plan_step) that the last run did not? Then move
    the plan there, and hand the step's settings to the widgets (pending). Its link carries them too, but
    Streamlit drops from the address of a page it switches to every parameter a widget of the previous
    page was bound to (T, H, present ...), so the plan, not the address, says what the step's widgets show.
    Not so on a session's first run (a reload, a link opened afresh): the address is whole, and a value
    the class changed on the step since (it is in the address too) stays."""
    ss = st.session_state
    ss.pop(_PENDING, None)
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
    fresh, again = _PAGE not in ss, ss.get(_AT) == mark
    ss[_AT] = mark
    if fresh or again:                              # a new session's first run, or a rerun of the step
        ss["_rnnviz_step_opened"] = fresh
        return False
    ss[_PENDING] = dict(p["steps"][k - 1].query)
    ss["_rnnviz_step_opened"] = True
    # Streamlit changes the browser's address for a link to another page, not for one to the same page (step
    # 3 and 4 on the Gradient lab): writing the address here makes it push the step's own (Back returns).
    st.query_params[STEP] = str(k)
    return True


def on_step(title: str) -> int | None:
    """The index of the plan step this page's address opened, or None."""
    mark, p = st.session_state.get(_AT), plan()
    if mark is None or mark[0] != title or p is None or not 0 <= mark[1] - 1 < len(p["steps"]):
        return None
    return mark[1] - 1


def _step_address() -> dict[str, list[str]]:
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


def _present_from_pending() -> None:
    ss = st.session_state
    if pending(PRESENT):
        ss[PRESENT] = pending(PRESENT)[-1].lower() == "true"
    if pending(HIDE):
        ss[HIDE] = list(pending(HIDE))


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


# ----------------------------------------------------------------------------- notes about a link
# A link (or a lesson-plan step) may carry a value a control cannot take: seed=inf, T=1e309, a choice that
# does not exist. ui.controls drops or clamps it and says so here, at the top of the page, in one box that
# page_setup opens under the title. A note made just before a rerun (ui.controls cleans the address and
# reruns) is kept for the next run (`later`), which says it.
_NOTE_BOX, _NOTED, _NOTE_LATER = "_rnnviz_note_box", "_rnnviz_noted", "_rnnviz_note_later"


def notes_box() -> None:
    """Called by page_setup under the title: the place for this run's notes, and those left for it."""
    ss = st.session_state
    ss[_NOTE_BOX], ss[_NOTED] = st.container(), {}
    for key, message in ss.pop(_NOTE_LATER, {}).items():
        note(key, message)


def note(key: str, message: str, later: bool = False) -> None:
    """Say `message` (markdown, already escaped) about the control `key`, once per run; with `later`,
    on the next run (this one is about to rerun: the notes it said already are said again then)."""
    ss = st.session_state
    if later:
        ss[_NOTE_LATER] = {**ss.get(_NOTED, {}), **ss.get(_NOTE_LATER, {}), key: message}
        return
    if key in ss.setdefault(_NOTED, {}):
        return
    ss[_NOTED][key] = message
    box = ss.get(_NOTE_BOX)
    try:
        (box if box is not None else st).warning(message, icon=":material/link_off:")
    except StreamlitAPIException:       # a fragment's own rerun may not write above it: say it where it is
        st.warning(message, icon=":material/link_off:")


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


def plan_bar(title: str) -> None:
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
# from the address (_arrived_at_step), the bar with them. Installed once per document; only for step addresses.
_BACK_REOPENS = """<script>
  if (!window.rnnvizBackReopens) {
    window.rnnvizBackReopens = true;
    window.addEventListener("popstate", () => {
      if (new URLSearchParams(location.search).has("plan_step")) location.reload();
    });
  }
</script>"""


def next_link() -> None:
    """The page's last line, a way on: on a lesson-plan step the plan's next step (the bar's Next), after
    its last step the plan; elsewhere the next page in course order (catalog.next_after). Called by
    ui.boundary where the page body ends, so no view draws it."""
    run = st.session_state.get(_RUN)
    if run is None:
        return
    title = run["title"]
    box = st.container(key="next_page")
    box.divider()
    at = on_step(title)
    if at is not None:
        steps = plan()["steps"]
        if at + 1 < len(steps):
            step_link(box, at + 1, f"Next: step {at + 2} of {len(steps)}, {steps[at + 1].title}",
                      ":material/arrow_forward:", f"Step {at + 2}: {steps[at + 1].note}", width="content")
        else:
            box.page_link(PLAN_PAGE, label="Next: back to the lesson plan", icon=":material/checklist:")
        return
    here = next((t for t in catalog.course() + list(catalog.TOPICS.values()) if t.title == title), None)
    if here is None:
        return
    after = catalog.next_after(here.path)
    box.page_link(after.path, label=f"Next: {'Home' if after is catalog.HOME else after.title}",
                  icon=":material/arrow_forward:")
