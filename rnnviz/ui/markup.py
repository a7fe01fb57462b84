"""Typed text made safe to show: no tag, no entity, no link, no markdown (pure functions, no streamlit).

The framework's modules (frame, controls, export) and every view escape a student's text through these
before it reaches st.markdown, a tooltip or HTML; rnnviz.ui re-exports them as ui.escape, ui.escape_markdown.
"""
from __future__ import annotations

import html
import re

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
