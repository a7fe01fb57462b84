"""The framework every page is built on: page frame, URL-bound controls, messages, the shared caches.

Only rnnviz/ui and the topics' views (rnnviz/topics/*/view*.py) import streamlit. The framework imports no
topic: it reads the topics' declarations through rnnviz.catalog, and each topic's view calls into it."""
from __future__ import annotations

from pathlib import Path

import pandas  # noqa: F401  (see below)
import streamlit as st

# pandas is imported here, once, under Python's import lock for this module: plotly imports it lazily the
# first time it serialises a figure, and two sessions (or a page and a live view) doing that at the same
# moment could see a half-initialised pandas ("partially initialized module 'pandas' has no attribute
# 'Series'", seen once in the load test).

from rnnviz import catalog, runtime
from rnnviz.ui import cache  # noqa: F401  (ui.cache.char_model, ... : the caches several topics share)
from rnnviz.ui import access, frame, page_list, plan_bar
from rnnviz.ui import stage  # noqa: F401  (ui.stage.main_view, ui.stage.deeper: one screen per idea)
from rnnviz.ui.fragment import fragment  # noqa: F401  (st.fragment, with the thread's settings)
from rnnviz.ui.markup import WORD_JOINER, escape, escape_markdown, unlink  # noqa: F401
from rnnviz.ui.guard import boundary  # noqa: F401
from rnnviz.ui.export import chart  # noqa: F401
from rnnviz.ui.sound import hear  # noqa: F401  (a sound played at a press, never at every run)
from rnnviz.ui.controls import Choice, Number, Slider, Text, Toggle, defaults, preset, render  # noqa: F401
from rnnviz.ui.teach import experiments, predict_reveal, pretrained_or_stop, revealed, scroll_to  # noqa: F401

APP_TITLE = "rnnviz"
HOME_ICON = catalog.HOME.icon

# The lessons and demos, in course order, whose page exists: each declared once, in its topic's folder
# (rnnviz/topics/<topic>/__init__.py), and read here through the catalog.
Topic = catalog.Topic
LESSONS = catalog.LESSONS
GROUPS = catalog.GROUPS
ICONS = catalog.ROOT / "assets" / "icons"          # the tab icons, drawn from the same symbols (assets/make_icons.py)


def tab_icon(icon: str) -> Path | None:
    """The browser tab's icon for the Material symbol `icon` (":material/psychology:"): a PNG the app serves
    itself. Given the symbol instead, Streamlit makes the browser fetch the tab icon from a font server on
    the internet; the app promises that nothing leaves the machine (docs/SECURITY.md). Without a PNG for
    it (a new page before `assets/make_icons.py` ran): None, Streamlit's own icon, served by the app too."""
    own = ICONS / f"{icon.removeprefix(':material/').removesuffix(':')}.png"
    return own if own.is_file() else None


def page_setup(topic: catalog.Topic, intro: str | None = None) -> None:
    """Call first on every page (deep links may skip app.py): page config, title, the page list, the link
    to this view and presentation mode (ui.frame). The page body then runs inside `with ui.boundary():`,
    whose end finishes the frame. Icons are Material symbols: they need no emoji font; the browser tab
    shows the same symbol from a local PNG (tab_icon). `topic` is the page's declaration (its title, icon)."""
    title, icon = topic.title, topic.icon
    frame.start(title)      # first: a lesson-plan step it opens may turn presentation mode on
    st.set_page_config(page_title=f"{title} · {APP_TITLE}", page_icon=tab_icon(icon), layout="wide",
                       initial_sidebar_state="collapsed" if frame.presenting() else "auto")
    runtime.configure()     # subnormals flushed, one torch thread, freed memory kept (see rnnviz/runtime.py)
    plan_bar.draw(title)    # on a lesson-plan step: the bar to the previous and next step
    st.title(title)
    frame.notes_box()       # what was wrong with this page's link, said here (ui.controls.render)
    if intro and not frame.is_hidden("Introduction"):
        st.markdown(intro)
    with st.sidebar:
        page_list.draw(st.sidebar, topic.path)     # Home, the lessons, the demos: one element (ui.page_list)
        st.caption("rnnviz: recurrent neural networks, seen from the inside. Every number is computed "
                   "live, on the computer that runs this app, by the same code the equations describe.")
        frame.view_tools(st.sidebar)
        st.divider()
        access.setup(stage.RULES)   # touch, small screens, the skip link (ui.access), and the main views'
                            # stacking (ui.stage): last, so no test or page finds it among the main column's
                            # elements, and it takes no room there


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


HELD_VERDICT = "Predict first: its verdict follows your answer below."


def verdict_card(where, name: str, color: str, icon: str, text: str, held: bool | None = None) -> None:
    """A bordered card: the cell's name in its colour, then one line of verdict (all text escaped).
    A verdict is the answer a page's question asks the student to predict, so by default (`held` None)
    the card keeps it back, icon included, until the answer is revealed (ui.revealed); a page without a
    question passes held=False."""
    if held is None:
        held = not revealed()
    box = where.container(border=True)
    shown = (f'<span style="opacity:.75">{escape(HELD_VERDICT)}</span>' if held
             else f"{escape(icon)}<br>{escape(text)}")
    box.markdown(f'<span style="color:{escape(color)};font-weight:700;font-size:1.1rem">{escape(name)}</span> '
                 + (f"<br>{shown}" if held else shown), unsafe_allow_html=True)
