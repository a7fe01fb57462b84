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
- **Lesson plan** (ui.plan_bar): a step's address carries the plan (`lesson_plan=`, a shipped plan's name or
  the plan's text) and its number (`plan_step=`), so a reload or Back keeps it; a page opened as a step
  shows a bar to the previous and next step (plan_bar.draw), and closes the sidebar in presentation mode.
- **Next**: every page ends with a link on (ui.boundary calls next_link): the plan's next step on a step,
  else the next page in course order (catalog.next_after).
"""
from __future__ import annotations

import json
from typing import Any, Sequence
from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitAPIException

from rnnviz import catalog
from rnnviz.ui import access, plan_bar
# The Lesson plan page (rnnviz/topics/plan/view.py) reaches the plan through the frame: kept importable here.
from rnnviz.ui.plan_bar import plan, set_plan, step_line, step_link  # noqa: F401

PRESENT, HIDE = "present", "hide"
PARTS = ("Introduction", "What to try", "Predict, then reveal", "Link to this view")   # hideable, besides controls
_PROGRESS, _RUN, _PAGE = "_rnnviz_progress", "_rnnviz_run", "_rnnviz_page"
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
    ss[plan_bar.OPENED] = False
    if plan_bar.arrived_at_step(title, fresh=_PAGE not in ss, same_page=ss.get(_PAGE) == title):
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
        if ss.pop(plan_bar.OPENED):
            # The page config collapses the sidebar only when its setting changes, and not at all once the
            # teacher has opened or closed it by hand (the browser remembers that): a step opened in
            # presentation mode closes it itself, so every step starts on the whole width.
            k = plan_bar.step_opened()          # in the script, so each step's is new and runs (same text: kept)
            st.html(_COLLAPSE_SIDEBAR.replace("STEP", f"{k}"), unsafe_allow_javascript=True)


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
    given = plan_bar.take_pending()
    if given and any(key not in st.query_params for key in given):
        # A plan step set widgets whose parameters Streamlit dropped from the address on the way here, and
        # Streamlit never writes a value set in code back into the address of a widget it has just created.
        # So the browser puts the step's own query back (history.replaceState: no reload, no rerun); the
        # next run reads it from there, so the address bar (and "Copy a link") is the step's view.
        given = {**given, **plan_bar.step_address()}    # and the plan's part, so a reload or Back finds the step
        query = "?" + urlencode([(k, v) for k, vs in given.items() for v in vs])
        st.html(f"<script>history.replaceState(history.state, '', location.pathname + {json.dumps(query)});"
                "</script>", unsafe_allow_javascript=True)
    box = ss.get("_rnnviz_tools")
    if box is None:
        return
    with box:
        # Lazy out of presentation mode (its state is st.session_state["present_tools"], a plain value, so a
        # new page starts it afresh): closed, it sends nothing but its label, so the toggle and the multiselect
        # (a heavy widget) are not re-sent and re-drawn on every rerun of every page; presenting() reads the
        # address meanwhile. In presentation mode both are always drawn (open at first): a widget no longer
        # drawn would take its parameter out of the address, and presentation mode with it.
        tools = st.expander("Presentation mode", icon=":material/co_present:", expanded=presenting(),
                            key="present_tools", on_change="rerun")
        if not (tools.open or presenting()):
            return
        with tools:
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


# ----------------------------------------------------------------------------- a lesson-plan step
def _present_from_pending() -> None:
    """A lesson-plan step being opened sets presentation mode (and what it hides) as its link says."""
    ss, pending = st.session_state, plan_bar.pending
    if pending(PRESENT):
        ss[PRESENT] = pending(PRESENT)[-1].lower() == "true"
    if pending(HIDE):
        ss[HIDE] = list(pending(HIDE))


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
    at = plan_bar.on_step(title)
    if at is not None:
        steps = plan()["steps"]
        if at + 1 < len(steps):
            step_link(box, at + 1, f"Next: step {at + 2} of {len(steps)}, {steps[at + 1].title}",
                      ":material/arrow_forward:", f"Step {at + 2}: {steps[at + 1].note}", width="content")
        else:
            box.page_link(plan_bar.PLAN_PAGE, label="Next: back to the lesson plan", icon=":material/checklist:")
        return
    here = next((t for t in catalog.course() + list(catalog.TOPICS.values()) if t.title == title), None)
    if here is None:
        return
    after = catalog.next_after(here.path)
    box.page_link(after.path, label=f"Next: {'Home' if after is catalog.HOME else after.title}",
                  icon=":material/arrow_forward:")
