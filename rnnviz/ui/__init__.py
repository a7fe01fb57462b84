"""The only part of rnnviz that imports streamlit: page frame, URL-bound controls, messages."""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import NamedTuple

import pandas  # noqa: F401  (see below)
import streamlit as st

# pandas is imported here, once, under Python's import lock for this module: plotly imports it lazily the
# first time it serialises a figure, and two sessions (or a page and a live view) doing that at the same
# moment could see a half-initialised pandas ("partially initialized module 'pandas' has no attribute
# 'Series'", seen once in the load test).

from rnnviz import runtime
from rnnviz.ui import cache  # noqa: F401  (ui.cache.lab_run, ...)
from rnnviz.ui import frame
from rnnviz.ui.guard import boundary  # noqa: F401
from rnnviz.ui.export import chart  # noqa: F401
from rnnviz.ui.controls import Choice, Number, Slider, Text, Toggle, defaults, preset, render  # noqa: F401
from rnnviz.ui.teach import experiments, predict_reveal, pretrained_or_stop  # noqa: F401

APP_TITLE = "rnnviz"
HOME_ICON = ":material/home:"

# The lessons and demos, in learning order. The Home page and the sidebar list those whose page exists
# (no placeholder pages), in these groups and this order, whatever the file numbers.
class Lesson(NamedTuple):
    path: str       # the page file, relative to the app folder
    title: str
    icon: str
    blurb: str      # one line for the Home page
    group: str      # "Lessons" | "Demos" | "Teaching": the sidebar's sections


_ALL_LESSONS = [
    Lesson("pages/6_Architectures.py", "Architectures", ":material/account_tree:",
           "One-to-one, one-to-many, many-to-one, many-to-many: the forms of an RNN, each linked to a live demo.",
           "Lessons"),
    Lesson("pages/1_Unfolded_RNN.py", "Unfolded RNN", ":material/repeat:",
           "Step through an RNN, LSTM or GRU one time step at a time and see the real numbers of every equation.",
           "Lessons"),
    Lesson("pages/2_BPTT.py", "Backpropagation through time", ":material/fast_rewind:",
           "Watch the loss's gradient travel back through time, step by step, and what truncating it throws away.",
           "Lessons"),
    Lesson("pages/3_Gradient_lab.py", "Gradient lab", ":material/trending_down:",
           "Move sliders and watch gradients vanish or explode through time, for RNN, LSTM and GRU side by side.",
           "Lessons"),
    Lesson("pages/4_LSTM_inside.py", "LSTM inside", ":material/biotech:",
           "Type text into an LSTM trained on Shakespeare and watch its gates, cell state and units per character.",
           "Lessons"),
    Lesson("pages/5_GRU_vs_LSTM.py", "GRU vs LSTM", ":material/balance:",
           "The same text through a trained GRU and a trained LSTM: their gates, states and parameter counts.",
           "Lessons"),
    Lesson("pages/7_Memory_lab.py", "Memory lab", ":material/psychology:",
           "Train an RNN, an LSTM and a GRU live on long-range memory tasks and watch which one learns.",
           "Lessons"),
    Lesson("pages/8_Sentiment.py", "Sentiment", ":material/sentiment_satisfied:",
           "Many-to-one: a trained LSTM reads a movie review word by word; watch its verdict change as it reads.",
           "Demos"),
    Lesson("pages/9_Surname_language.py", "Surname → language", ":material/public:",
           "Many-to-one on characters: guess a surname's language, letter by letter.", "Demos"),
    Lesson("pages/10_Text_generation.py", "Text generation", ":material/edit_note:",
           "One-to-many: a character model writes Shakespeare; see the probabilities behind every character.",
           "Demos"),
    Lesson("pages/11_Tagging.py", "Tagging", ":material/sell:",
           "Many-to-many, aligned: a tag for every word, and why reading ahead (bidirectional) helps.", "Demos"),
    Lesson("pages/12_Date_translation.py", "Date translation", ":material/calendar_month:",
           "Encoder–decoder: read a date in any format, write it as 2026-11-21; greedy against beam search.",
           "Demos"),
    Lesson("pages/13_Forecasting.py", "Forecasting", ":material/show_chart:",
           "Predict a real time series (sunspots, CO₂) one step or many steps ahead, against a naive baseline.",
           "Demos"),
    Lesson("pages/14_Lesson_plan.py", "Lesson plan", ":material/checklist:",
           "For teachers: a sequence of views (links) to step through in class, with presentation mode.",
           "Teaching"),
]
_ROOT = Path(__file__).resolve().parents[2]
LESSONS = [lesson for lesson in _ALL_LESSONS if (_ROOT / lesson.path).is_file()]
GROUPS = ("Lessons", "Demos", "Teaching")
ICONS = _ROOT / "assets" / "icons"          # the tab icons, drawn from the same symbols (assets/make_icons.py)


def tab_icon(icon: str) -> Path | None:
    """The browser tab's icon for the Material symbol `icon` (":material/psychology:"): a PNG the app serves
    itself. Given the symbol instead, Streamlit makes the browser fetch the tab icon from a font server on
    the internet; the app promises that nothing leaves the machine (docs/SECURITY.md). Without a PNG for
    it (a new page before `assets/make_icons.py` ran): None, Streamlit's own icon, served by the app too."""
    own = ICONS / f"{icon.removeprefix(':material/').removesuffix(':')}.png"
    return own if own.is_file() else None


def page_setup(title: str, icon: str = ":material/repeat:", intro: str | None = None) -> None:
    """Call first on every page (deep links may skip app.py): page config, title, the lesson list, the link
    to this view and presentation mode (ui.frame). The page body then runs inside `with ui.boundary():`,
    whose end finishes the frame. Icons are Material symbols: they need no emoji font; the browser tab
    shows the same symbol from a local PNG (tab_icon)."""
    st.set_page_config(page_title=f"{title} · {APP_TITLE}", page_icon=tab_icon(icon), layout="wide",
                       initial_sidebar_state="collapsed" if frame.presenting() else "auto")
    runtime.configure()     # subnormals flushed, one torch thread, freed memory kept (see rnnviz/runtime.py)
    frame.start(title)
    frame.plan_bar(title)
    st.title(title)
    frame.notes_box()       # what was wrong with this page's link, said here (ui.controls.render)
    if intro and not frame.is_hidden("Introduction"):
        st.markdown(intro)
    with st.sidebar:
        st.page_link("app.py", label="Home", icon=HOME_ICON)
        for group in GROUPS:
            members = [lesson for lesson in LESSONS if lesson.group == group]
            if members and group != GROUPS[0]:
                st.caption(group)
            for lesson in members:
                st.page_link(lesson.path, label=lesson.title, icon=lesson.icon)
        st.caption("rnnviz: recurrent neural networks, seen from the inside. Every number is computed "
                   "live, on the computer that runs this app, by the same code the equations describe.")
        frame.view_tools(st.container())
        st.divider()


# Streamlit's markdown (GitHub's flavour) turns a bare web address into a link by itself: "https://…",
# "www.…" and "name@host.org", and it does so after the backslashes below are gone, so escaping alone
# cannot stop it. An invisible U+2060 WORD JOINER inside "://", after "www" and after "@" breaks the
# pattern: the text reads (and wraps) as typed, and a click on it goes nowhere. (A copied address keeps
# the joiner, so it has to be retyped to be used: on purpose, a student's text is not a link.)
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)


def unlink(text: str) -> str:
    """Text in which nothing can become a link (the word joiner above, shown as nothing)."""
    return _AUTOLINK.sub(WORD_JOINER, text)


def escape(text: str) -> str:
    """User text made safe to place inside markdown/HTML (never render typed text unescaped): no tag,
    no entity, no link."""
    return html.escape(unlink(text), quote=True)


# Markdown's escapable ASCII punctuation (CommonMark): $ starts math in Streamlit, : an emoji shortcode.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$<>&:])")


def escape_markdown(text: str) -> str:
    """User text made literal inside st.markdown / st.warning / a tooltip: every character that markdown,
    math or HTML would interpret gets a backslash, so a typed "*x*" or "<b>" shows exactly as typed, and a
    typed web address stays words (unlink)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", unlink(text))


def problem(message: str) -> None:
    """A clear, friendly message about bad input; the rest of the page keeps working."""
    st.warning(message, icon=":material/warning:")


def cap_typed_text(key: str, limit: int, reader: str = "the model reads") -> None:
    """Call before the text box `key` is drawn. Typed text lives in the URL, and the server refuses a link
    beyond ~64 kB, so a pasted book is cut to the `limit` characters that are read, with a message.
    (A max_chars on the widget is no help: Streamlit would silently ignore the longer paste.)
    A link opened afresh carries its text in st.query_params only (the widget does not exist yet)."""
    typed = st.session_state.get(key)
    from_link = typed is None
    if from_link:
        typed = st.query_params.get(key)
    if isinstance(typed, str) and len(typed) > limit:
        st.session_state[key] = typed[:limit]
        if st.session_state.pop(f"{key}__cut_link", False):
            return                                     # the rest of that link's text, said on opening it
        if from_link:       # a link opened afresh: the widget shows the link's text this once, the address
            st.query_params[key] = typed[:limit]       # bar and every later run keep the first `limit`
            st.session_state[f"{key}__cut_link"] = True
            problem(f"The link carries {len(typed):,} characters; {reader} at most {limit:,}, so it reads "
                    f"the first {limit:,} and the box keeps them from your next change on.")
        else:
            problem(f"You typed {len(typed):,} characters; {reader} at most {limit:,}, so the box now keeps "
                    f"the first {limit:,}.")


def verdict_card(where, name: str, color: str, icon: str, text: str) -> None:
    """A bordered card: the cell's name in its colour, then one line of verdict (all text escaped)."""
    box = where.container(border=True)
    box.markdown(f'<span style="color:{escape(color)};font-weight:700;font-size:1.1rem">{escape(name)}</span> '
                 f"{escape(icon)}<br>{escape(text)}", unsafe_allow_html=True)
