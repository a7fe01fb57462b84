"""The Home page (app.py): the student's progress, what a sequence is, the idea of a recurrent network (one
cell reused at every step), and every lesson and demo, by group. The words are in words.py, the figures in
figures.py; the lesson list is the catalog's (each topic declares itself in its __init__.py)."""
import streamlit as st

from rnnviz import cells, ui
from rnnviz.topics.home import TOPIC
from rnnviz.topics.home import figures as home
from rnnviz.topics.home import words as text


@st.cache_data(max_entries=1, show_spinner=False)      # plotly figures, 0.02 MB: a copy for each caller
def home_figures():
    """The Home page's two figures: they depend on nothing, so they are built once per process."""
    return home.sequence_examples(), home.unrolled(5)


def progress_box(learning: list) -> tuple[list, dict]:
    """This student's progress, kept in this browser tab's session only (ui.frame): nothing is stored. Returns
    the lessons opened and {title: answered right} of the questions answered."""
    progress = ui.frame.progress()
    seen = [lesson for lesson in learning if lesson.title in progress["visited"]]
    answered = {t: right for t, right in progress["answered"].items() if t in {x.title for x in learning}}
    if seen:
        box = st.container(border=True, key="progress")
        box.markdown(text.progress_note(len(seen), len(answered), sum(answered.values()), len(learning)))
        box.progress(len(seen) / len(learning))
    return seen, answered


def lesson_list(seen: list, answered: dict) -> None:
    """Every lesson and demo, by group: a link, the student's mark, its one-line blurb."""
    for group in ui.GROUPS:
        members = [lesson for lesson in ui.LESSONS if lesson.group == group]
        if not members:
            continue
        st.header(f"The {group.lower()}")
        for lesson in members:
            with st.container(border=True):
                top = st.columns([5, 2], vertical_alignment="center")
                top[0].page_link(lesson.path, label=lesson.title, icon=lesson.icon)
                if lesson.title in answered:
                    top[1].markdown(":material/task_alt: answered, right" if answered[lesson.title]
                                    else ":material/task_alt: answered")
                elif lesson in seen:
                    top[1].markdown(":material/visibility: opened")
                st.markdown(lesson.blurb)


def main() -> None:
    """The page, top to bottom: progress, sequences, the idea, the lessons and demos."""
    ui.page_setup(TOPIC, intro=text.INTRO)
    with ui.boundary():
        seen, answered = progress_box([lesson for lesson in ui.LESSONS if lesson.group != "Teaching"])

        st.header("Sequences: when order is the information")
        st.markdown(text.SEQUENCES)
        sequences_fig, unrolled_fig = home_figures()
        ui.chart(st, sequences_fig, key="sequences", summary=home.sequence_summary())
        st.markdown(text.order_note(*text.ORDER_MATTERS))

        st.header("The idea: one small network, reused at every step")
        st.markdown(text.IDEA)
        st.latex(cells.equations("rnn")[0][1])
        steps = len(unrolled_fig.layout.shapes)                  # one box per copy of the cell
        ui.chart(st, unrolled_fig, key="unrolled", summary=text.unrolled_summary(steps))
        cell = cells.build("rnn", input_size=8, hidden_size=32)
        st.caption(text.parameter_caption(steps, cell.input_size, cell.hidden_size, cell.n_parameters()))

        lesson_list(seen, answered)
