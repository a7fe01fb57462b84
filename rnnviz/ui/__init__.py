"""The only part of rnnviz that imports streamlit: page frame, URL-bound controls, messages."""
from __future__ import annotations

import html
import re
from pathlib import Path

import streamlit as st

from rnnviz import runtime
from rnnviz.ui import cache  # noqa: F401  (ui.cache.lab_run, ...)
from rnnviz.ui.controls import Choice, Number, Slider, Text, Toggle, defaults, preset, render  # noqa: F401

APP_TITLE = "rnnviz"

# The lessons, in learning order: (page file, title, icon, one line). The Home page and the sidebar
# list those whose page exists (no placeholder pages).
_ALL_LESSONS = [
    ("pages/1_Unfolded_RNN.py", "Unfolded RNN", "🔁",
     "Step through an RNN, LSTM or GRU one time step at a time and see the real numbers of every equation."),
    ("pages/2_BPTT.py", "Backpropagation through time", "⏪",
     "Watch the loss's gradient travel back through time, step by step, and what truncating it throws away."),
    ("pages/3_Gradient_lab.py", "Gradient lab", "📉",
     "Move sliders and watch gradients vanish or explode through time, for RNN, LSTM and GRU side by side."),
    ("pages/4_LSTM_inside.py", "LSTM inside", "🔬",
     "Type text into an LSTM trained on Shakespeare and watch its gates, cell state and units per character."),
    ("pages/5_GRU_vs_LSTM.py", "GRU vs LSTM", "⚖️",
     "The same text through a trained GRU and a trained LSTM: their gates, states and parameter counts."),
]
_ROOT = Path(__file__).resolve().parents[2]
LESSONS = [lesson for lesson in _ALL_LESSONS if (_ROOT / lesson[0]).is_file()]


def page_setup(title: str, icon: str = "🔁", intro: str | None = None) -> None:
    """Call first on every page (deep links may skip app.py): page config, title, and the lesson list."""
    st.set_page_config(page_title=f"{title} · {APP_TITLE}", page_icon=icon, layout="wide")
    runtime.configure()     # subnormals flushed, one torch thread, freed memory kept (see rnnviz/runtime.py)
    st.title(title)
    if intro:
        st.markdown(intro)
    with st.sidebar:
        st.page_link("app.py", label="Home", icon="🏠")
        for path, label, emoji, _ in LESSONS:
            st.page_link(path, label=label, icon=emoji)
        st.caption("rnnviz: recurrent neural networks, seen from the inside. Every number is computed "
                   "live on your CPU by the same code the equations describe.")
        st.divider()


def escape(text: str) -> str:
    """User text made safe to place inside markdown/HTML (never render typed text unescaped)."""
    return html.escape(text, quote=True)


# Markdown's escapable ASCII punctuation (CommonMark): $ starts math in Streamlit, : an emoji shortcode.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$<>&:])")


def escape_markdown(text: str) -> str:
    """User text made literal inside st.markdown / st.warning: every character that markdown, math or
    HTML would interpret gets a backslash, so a typed "*x*" or "<b>" shows exactly as typed."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def problem(message: str) -> None:
    """A clear, friendly message about bad input; the rest of the page keeps working."""
    st.warning(message, icon="⚠️")


def cap_typed_text(key: str, limit: int, reader: str = "the model reads") -> None:
    """Call before the text box `key` is drawn. Typed text lives in the URL, and the server refuses a link
    beyond ~64 kB, so a pasted book is cut to the `limit` characters that are read, with a message.
    (A max_chars on the widget is no help: Streamlit would silently ignore the longer paste.)"""
    typed = st.session_state.get(key)
    if isinstance(typed, str) and len(typed) > limit:
        st.session_state[key] = typed[:limit]
        problem(f"You typed {len(typed):,} characters; {reader} at most {limit:,}, so the box now keeps "
                f"the first {limit:,}.")


def verdict_card(where, name: str, color: str, icon: str, text: str) -> None:
    """A bordered card: the cell's name in its colour, then one line of verdict (all text escaped)."""
    box = where.container(border=True)
    box.markdown(f'<span style="color:{escape(color)};font-weight:700;font-size:1.1rem">{escape(name)}</span> '
                 f"{escape(icon)}<br>{escape(text)}", unsafe_allow_html=True)
