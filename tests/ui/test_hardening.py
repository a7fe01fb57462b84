"""Hardening: a walk through every widget of every page in AppTest, with hostile input, finds no crash.

For Home and every page in rnnviz.ui.LESSONS (discovered, so a new page is walked the day it exists),
one AppTest opens the page and discovers its widgets. From the page's default state it then drives each:
every text box with each HOSTILE value (empty, 100,000 characters, emoji with ZWJ sequences and RTL
text, control characters, HTML and script, markdown/LaTeX specials, markdown images and links and bare
web and e-mail addresses), every slider and number input at
its min and its max, every choice at each option, toggles both ways, every radio answer followed by
Reveal, and every button (presets, stepper buttons, Play, Train then Stop, Follow unit). Widgets that a
default view disables (the typed-text box while the input is "random") are walked in the first state the
walk found that enables them. Then all sliders and number inputs at their max at once, and at their min.

After every run (`check`): no exception, no page-boundary box (rnnviz.ui.guard.FAILED), no Streamlit
warning on the page or in Streamlit's loggers, nothing typed reaching the page as HTML (markdown with
unsafe_allow_html, st.html bodies and plotly text must not hold the raw `<script` / `<img` / `<b>bold`
the student typed), and typed markdown/LaTeX never interpreted (no raw `$\\frac{1}{0}$` in a markdown
body, an alert, a heading, a label or a tooltip; no `![x](` image, no `](https:` link, and no bare address
markdown would link by itself: "://evil", "www.evil", "@evil" keep an invisible word joiner inside).

One AppTest per page; after a value walk the widget is set back to its default (the page reopened only
when that does not restore the view, and after every button click, whose effects reach everything).
Background training started by a click is stopped and joined before the next step, so no thread leaks.
"""
from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import pytest
from kit.charts import as_chart, is_chart, strings

from rnnviz import ui
from rnnviz.ui import guard, teach

HOSTILE = {
    "empty": "",
    "100k": "x" * 100_000,
    "emoji": "😀🧠🔥 👩‍👩‍👧‍👦 🏳️‍🌈 👍🏽 مرحبا بالعالم שלום",     # ZWJ family, flag, skin tone, Arabic, Hebrew
    "control": "\x00\x07\x1b[31m\r\n\t\x7f\u202e",
    "html": "<script>alert(1)</script><b>bold</b><img src=x onerror=alert(1)>",
    "markdown": "$\\frac{1}{0}$ **x** :smile: [a](javascript:alert(1)) `c` # h",
    # markdown's images and links, and the bare addresses GitHub-flavoured markdown links by itself (issue 19)
    "links": "![x](http://127.0.0.1:9/t) [y](https://evil.example/p) https://evil.example/q www.evil.example "
             "me@evil.example",
}
# Pieces of HOSTILE["markdown"] and ["links"] that only survive verbatim where typed text is not escaped. Streamlit renders
# markdown (math, emoji shortcodes, links) in bodies, alerts, headings, widget labels and help tooltips.
MARKDOWN_PIECES = ("\\frac{1}{0}", "**x**", ":smile:", "](javascript:", "![x](", "](https:", "://evil", "www.evil",
                   "@evil")
MARKDOWN_FIELDS = ("body", "label", "help", "caption")
# Tags that typed text must never become, in st.html, markdown with unsafe_allow_html, or a plotly label
# (plotly draws a subset of HTML itself: <b>, <i>, <br>, <a>, <span>, <sub>, <sup>, so a typed <b> would show).
# The app itself never writes these (nor an on* handler), so one on the page can only have come from typed text.
DANGEROUS_TAGS = {"script", "img", "iframe", "object", "embed", "form", "input"}
BOLD = "<b>bold</b>"


def dangerous(tag: str) -> bool:
    return tag.split()[0] in DANGEROUS_TAGS or "=" in tag

# Pages whose defaults would make a click expensive get a cheaper view first, through the URL (a link a
# teacher could share). Memory lab: its question trains the sidebar's settings to the end when no run
# is finished, and Train trains them; T = 5 and 100 steps take a second.
CHEAP = {"pages/7_Memory_lab.py": {"T": 5, "steps": 100}}

# Logged by AppTest itself, never by a served app: its constructor touches session state outside a script
# run, and st.cache_data, imported where no Runtime exists, falls back to memory storage.
APPTEST_ONLY = ("missing ScriptRunContext", "No runtime found, using MemoryCacheStorageManager")

PAGES = [None] + [lesson.path for lesson in ui.LESSONS]
IDS = ["Home"] + [lesson.path.split("_", 1)[1][:-3] for lesson in ui.LESSONS]

VALUE_WIDGETS = ("text_input", "text_area", "slider", "select_slider", "number_input", "selectbox", "radio",
                 "button_group", "toggle", "checkbox", "multiselect")
PRESSABLE = ("button",)


def base_key(key: str | None) -> str | None:
    """A widget's key without the generation suffix that ui.stepper's ranged sliders carry (t__3 -> t)."""
    return re.sub(r"__\d+$", "", key) if key else key


def widgets(at) -> dict[str, Any]:
    """{base key: widget} for every keyed widget on the page (all keys in rnnviz are explicit)."""
    from streamlit.testing.v1.element_tree import Widget

    return {base_key(w.key): w for w in at._tree if isinstance(w, Widget) and w.key}


def values_for(w) -> list[tuple[str, Any]]:
    """(name, value) pairs to drive widget `w` through."""
    if w.type in ("text_input", "text_area"):
        return list(HOSTILE.items())
    if w.type == "slider":
        from streamlit.proto.Slider_pb2 import Slider as SliderProto

        cast = int if w.proto.data_type == SliderProto.DataType.INT else float
        return [("min", cast(w.proto.min)), ("max", cast(w.proto.max))]
    if w.type == "number_input":
        return [("min", w.min), ("max", w.max)]
    if w.type == "select_slider":
        return [("first", w.options[0]), ("last", w.options[-1])]
    if w.type in ("selectbox", "radio", "button_group"):
        return [(str(o), o) for o in w.options]
    if w.type in ("toggle", "checkbox"):
        return [("flipped", not w.value), ("back", w.value)]
    if w.type == "multiselect":
        return [("none", []), ("all", list(w.options))]
    raise AssertionError(f"the walk does not know how to drive a {w.type} ({w.key})")


class StreamlitLog(logging.Handler):
    """Keeps what Streamlit's loggers say at WARNING and above. They do not propagate to the root logger
    (so caplog misses them): the handler is added to each of them, including those created later."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not any(s in message for s in APPTEST_ONLY):
            self.records.append(f"{record.name}: {message}")

    def attach(self) -> None:
        """Called before every run: also re-arms Streamlit's once-per-process warnings (the widget-state
        policy, show-once deprecations), so the run that would trigger one is the run that shows it."""
        from streamlit import deprecation_util
        from streamlit.elements.lib import policies

        policies._shown_default_value_warning = False
        deprecation_util._shown_warnings.clear()
        for name in list(logging.Logger.manager.loggerDict):
            logger = logging.getLogger(name)
            if name.startswith("streamlit") and self not in logger.handlers:
                logger.addHandler(self)

    def detach(self) -> None:
        for name in list(logging.Logger.manager.loggerDict):
            logger = logging.getLogger(name)
            if self in logger.handlers:
                logger.removeHandler(logger.handlers[logger.handlers.index(self)])


@pytest.fixture
def streamlit_log():
    handler = StreamlitLog()
    handler.attach()
    yield handler
    handler.detach()


def stop_training(at) -> None:
    """Stop and join every background job in the session (the Memory lab's runs), so none outlives its step."""
    for value in at._session_state.filtered_state.values():
        job = getattr(value, "job", None)
        if job is not None and hasattr(job, "join"):
            job.stop()
            assert job.join(timeout=120), "a training job did not stop within 2 minutes"


def tags_in(text: str) -> list[str]:
    """The HTML start tags in `text` that a browser would make elements of (with on* handlers marked)."""
    from html.parser import HTMLParser

    found = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append(tag + "".join(f" {name}=" for name, _ in attrs if name.startswith("on")))

    Tags(convert_charrefs=True).feed(text)
    return found


def markdown_texts(node) -> list[tuple[str, str]]:
    """(field, text) of every field of this element that Streamlit renders as markdown."""
    proto = getattr(node, "proto", None)
    if proto is None or getattr(node, "type", "") in ("code", "text", "bidi_component", "html"):
        return []
    out = []
    for name in MARKDOWN_FIELDS:
        value = getattr(proto, name, None) if name in getattr(proto, "DESCRIPTOR", None).fields_by_name else None
        if isinstance(value, str) and value:
            out.append((name, value))
    if node.type == "radio":
        out += [("option", o) for o in proto.options]
    return out


def problems_on(at, typed: str | None, log: StreamlitLog) -> list[str]:
    """What is wrong with the page as it stands after a run (an empty list when nothing is). `typed` is the
    hostile value just typed into a box, if any: the escaping checks look for what it would leave verbatim."""
    found = []
    for e in at.exception:
        found.append(f"exception: {e.value} {''.join(e.stack_trace)[-1500:]}")
    for e in at.error:
        if guard.FAILED in e.value:
            found.append(f"page-boundary box: {e.value[:200]}")
    for w in at.warning:
        if not w.proto.icon:            # rnnviz's own messages (ui.problem, notes) always carry an icon
            found.append(f"Streamlit warning on the page: {w.value[:300]}")
    found += [f"Streamlit log: {m[:300]}" for m in log.records]
    log.records.clear()
    html_typed = bool(typed) and "<script" in typed
    pieces = [p for p in MARKDOWN_PIECES if typed and p in typed]
    for node in at._tree:
        kind, proto = getattr(node, "type", ""), getattr(node, "proto", None)
        if kind == "html" and teach.is_scroll_script(proto.body):
            continue            # the one script the app adds itself: after a preset, scroll to its chart (exact match)
        if kind == "html" or (kind in ("markdown", "caption") and proto.allow_html):
            found += [f"HTML <{t}> in {kind}: {proto.body[:300]!r}" for t in tags_in(proto.body) if dangerous(t)]
            if html_typed and BOLD in proto.body:
                found.append(f"typed {BOLD!r} is HTML in {kind}: {proto.body[:300]!r}")
        if html_typed and is_chart(node):
            for s in strings(json.loads(as_chart(node).spec)):
                found += [f"typed HTML in a plotly label: {s[:200]!r}"
                          for t in tags_in(s) if dangerous(t) or (BOLD in s and t == "b")]
        for name, text in markdown_texts(node) if pieces else ():
            found += [f"typed {p!r} is interpreted as markdown in a {kind}'s {name}: {text[:300]!r}"
                      for p in pieces if p in text]
    return found


@dataclass
class Walk:
    """One page's walk: an AppTest kept open, the default view, and what went wrong where."""
    open_page: Callable[[], Any]
    log: StreamlitLog
    at: Any = None
    defaults: dict[str, Any] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    runs: int = 0
    reopened: int = 0
    enablers: dict[str, tuple[str, Any]] = field(default_factory=dict)   # widget -> (key, value) enabling it
    covered: set[str] = field(default_factory=set)

    def reopen(self) -> None:
        if self.at is not None:
            stop_training(self.at)
        self.log.attach()
        self.at = self.open_page()
        self.runs += 1
        self.reopened += 1

    def start(self) -> None:
        self.reopen()
        self.check("opening the page")
        ws = widgets(self.at)
        self.kinds = {k: w.type for k, w in ws.items()}
        self.defaults = {k: w.value for k, w in ws.items() if w.type in VALUE_WIDGETS}
        self.enabled_at_start = {k for k, w in ws.items() if not w.proto.disabled}

    def run(self, what: str, typed: str | None = None) -> None:
        self.log.attach()
        self.at.run()
        self.runs += 1
        self.check(what, typed)
        self.note_enabled(what)

    def check(self, what: str, typed: str | None = None) -> None:
        self.problems += [f"{what}: {p}" for p in problems_on(self.at, typed, self.log)]

    def note_enabled(self, what: str) -> None:
        """Remember the first set-action after which a widget that the default view disables is usable."""
        last = getattr(self, "_last_set", None)
        if last is None:
            return
        for k, w in widgets(self.at).items():
            if k not in self.enabled_at_start and not w.proto.disabled and k not in self.enablers:
                self.enablers[k] = last
                self.kinds.setdefault(k, w.type)

    def set(self, key: str, value: Any, what: str, typed: str | None = None) -> bool:
        w = widgets(self.at).get(key)
        if w is None or w.proto.disabled:
            return False
        self._last_set = (key, value)
        w.set_value(value)
        self.run(what, typed)
        self._last_set = None
        return True

    def click(self, key: str, what: str) -> None:
        """Press a button, then what it reveals (Stop after Train), stop any training, and reopen."""
        w = widgets(self.at).get(key)
        if w is None or w.proto.disabled:
            return
        label = w.label
        w.click()
        self.run(what)
        again = widgets(self.at).get(key)
        if again is not None and again.label != label and not again.proto.disabled:   # Play is now Stop
            again.click()
            self.run(f"{what}, then {again.label}")
        for k, b in widgets(self.at).items():
            if k.endswith("__stop") and not b.proto.disabled:       # a live run: Stop is the next thing pressed
                b.click()
                self.run(f"{what}, then {b.label}")
        stop_training(self.at)
        self.run(f"{what}, after training stopped")
        self.reopen()

    def restore(self) -> None:
        """Back to the default view: widgets that differ set back in one run, else a fresh page."""
        for _ in range(2):
            ws = widgets(self.at)
            differs = {k: v for k, v in self.defaults.items() if k in ws and ws[k].value != v}
            gone = [k for k in self.defaults if k not in ws]
            if not differs and not gone:
                return
            if gone:
                break
            settable = {k: v for k, v in differs.items() if not ws[k].proto.disabled
                        and (not hasattr(ws[k], "options") or v is None or v in ws[k].options)}
            if settable != differs:
                break                                    # e.g. a choice whose options changed: start afresh
            for k, v in settable.items():
                ws[k].set_value(v)
            self.run("restoring the defaults")
        self.reopen()

    def drive(self, key: str, prefix: str = "") -> None:
        """Every value of widget `key`, one run each, then back to the default."""
        w = widgets(self.at).get(key)
        if w is None:
            return
        typed_box = w.type in ("text_input", "text_area")
        for name, value in values_for(w):
            what = f"{prefix}{w.type} '{key}' = {name}"
            if not self.set(key, value, what, typed=value if typed_box else None):
                break
            self.covered.add(key)
            if w.type == "radio" and (reveal := widgets(self.at).get("predict_reveal")) is not None:
                if not reveal.proto.disabled:
                    reveal.click()
                    self.run(f"{what}, then Reveal")
        self.restore()

    def extremes(self, end: str) -> None:
        """Every enabled slider and number input at its `end` ("min" or "max") in one run."""
        moved = False
        for k, w in widgets(self.at).items():
            if w.type in ("slider", "number_input", "select_slider") and not w.proto.disabled:
                w.set_value(dict(values_for(w)).get(end, values_for(w)[-1 if end == "max" else 0][1]))
                moved = True
        if moved:
            self.run(f"every slider and number at its {end}")
            self.restore()


def walk(walk: Walk) -> Walk:
    walk.start()
    keys = list(widgets(walk.at))
    for key in keys:                                     # values first, from the default view
        if walk.kinds.get(key) in VALUE_WIDGETS and key in walk.enabled_at_start:
            walk.drive(key)
    walk.extremes("max")
    walk.extremes("min")
    for key in list(walk.enablers):                      # what the default view disables, where it is usable
        if walk.kinds.get(key) in VALUE_WIDGETS and key not in walk.covered:
            on, value = walk.enablers[key]
            walk.set(on, value, f"enabling '{key}' with '{on}' = {value!r}")
            walk.drive(key, prefix=f"('{on}' = {value!r}) ")
            walk.restore()
    for key in keys:                                     # then every button, each from a fresh page
        if walk.kinds.get(key) in PRESSABLE and key != "predict_reveal" and key in walk.enabled_at_start:
            walk.click(key, f"button '{key}' ({widgets(walk.at)[key].label if key in widgets(walk.at) else '?'})")
    for key in list(walk.enablers):
        if walk.kinds[key] in PRESSABLE and not key.endswith("__stop") and key != "predict_reveal":
            on, value = walk.enablers[key]
            walk.set(on, value, f"enabling '{key}' with '{on}' = {value!r}")
            walk.click(key, f"('{on}' = {value!r}) button '{key}'")
    stop_training(walk.at)
    return walk


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_every_widget_survives_hostile_input(apptest, streamlit_log, page):
    t0 = time.perf_counter()
    w = walk(Walk(lambda: apptest(page, CHEAP.get(page), timeout=120), streamlit_log))
    seconds = time.perf_counter() - t0
    never = sorted(k for k, kind in w.kinds.items() if k not in w.enabled_at_start and k not in w.enablers)
    print(f"{page or 'app.py'}: {len(w.kinds)} widgets, {w.runs} runs ({w.reopened} openings), {seconds:.1f} s; "
          f"walked under an enabling setting: {dict((k, w.enablers[k]) for k in w.enablers)}; never enabled: {never}")
    assert not w.problems, f"{len(w.problems)} problem(s) on {page or 'Home'}:\n" + "\n".join(w.problems[:40])
    untouched = {k for k, kind in w.kinds.items() if kind in VALUE_WIDGETS} - w.covered - {
        k for k in w.kinds if k not in w.enabled_at_start and k not in w.enablers}
    assert not untouched, f"widgets the walk never drove: {untouched}"


PLANTED = '''
import logging
import streamlit as st
typed = st.text_input("Typed", "", key="typed")
if typed:
    st.markdown(f"<div>{typed}</div>", unsafe_allow_html=True)     # HTML not escaped
    st.caption(f"You typed {typed}")                                # markdown not escaped
    st.button("Again", help=f"Types {typed} again")                 # a help tooltip is markdown too
    logging.getLogger("streamlit.planted").warning("a Streamlit warning")
'''


def test_the_checks_catch_what_they_look_for(streamlit_log):
    """The walk's checks are not vacuous: a page that echoes typed text unescaped, in HTML, in markdown
    and in a tooltip, and makes Streamlit log a warning, gives a problem for each."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(PLANTED, default_timeout=30).run()
    streamlit_log.attach()                                   # (the planted logger exists from now on)
    assert problems_on(at, None, streamlit_log) == []
    found = []
    for value in (HOSTILE["html"], HOSTILE["markdown"]):
        at.text_input(key="typed").set_value(value).run()
        found += problems_on(at, value, streamlit_log)
    assert any("<script>" in p and "HTML <script>" in p for p in found), found
    assert any("HTML <img onerror=>" in p for p in found), found
    assert any("'<b>bold</b>' is HTML" in p for p in found), found
    assert any("'**x**' is interpreted as markdown in a caption's body" in p for p in found), found
    assert any("'\\\\frac{1}{0}' is interpreted as markdown in a button's help" in p for p in found), found
    assert sum("Streamlit log: streamlit.planted: a Streamlit warning" in p for p in found) == 2, found


# ----- the two leftovers the walk was written for -----------------------------------------------------------

from test_widget_state_warning import CUT  # noqa: E402  (page, text box, limit) of every page that cuts


@pytest.mark.parametrize("page,key,limit", CUT, ids=[p.split("_", 1)[1][:-3] for p, _, _ in CUT])
def test_a_link_carrying_a_book_is_cut_on_opening(apptest, page, key, limit):
    """ui.cap_typed_text on a fresh session: the text is only in the URL (no widget yet). The page says so,
    reads the first `limit` characters, the address bar keeps those, and the box holds them from then on."""
    from common import widget

    at = apptest(page, {key: "x" * 100_000, **({"passage": "your own text"} if "GRU" in page else {})})
    assert not at.exception
    assert any(f"The link carries 100,000 characters" in w.value and f"at most {limit:,}" in w.value
               for w in at.warning), [w.value for w in at.warning]
    assert at.query_params[key] == ["x" * limit]
    at.run()
    assert not at.exception and len(widget(at, key).value) == limit
    assert not [w for w in at.warning if "characters" in w.value and "100,000" in w.value]   # said once


def test_lstm_inside_from_step_follows_the_text_length(apptest):
    """The intervention's "From step" ranges over the text (1..T), so a short text is clamped from a step
    that exists, not from step 40 of 13 (which changed nothing and said so)."""
    from rnnviz.topics.lstm_inside.words import OWN

    typed = "To be, or not"                                               # T = 13 characters
    at = apptest("pages/4_LSTM_inside.py", {"passage": OWN, "text": typed})
    at.session_state["li_clamp"] = True                 # the intervention's lazy expander, opened (issue 22)
    at.run()
    start = next(s for s in at.slider if s.label == "From step")
    assert (start.min, start.max, start.value) == (1, len(typed), len(typed))
    said = lambda: [c.value.replace("\\", "") for c in at.caption]      # (the chart's sentence, markdown-escaped)
    effect = [c for c in said() if "first change" in c or "Nothing changes" in c]
    assert effect and "The first change is at step 13." in effect[0], effect
    start.set_value(5)
    at.session_state["li_clamp"] = True                 # (AppTest does not keep an expander open between runs)
    at.run()
    assert not at.exception
    assert any("The first change is at step 5." in c for c in said())
