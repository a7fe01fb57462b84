"""The Home page (app.py): where to start, the course (the lessons numbered in course order with their minutes,
the demos apart, the student's marks), then what a sequence is and the idea of a recurrent network (one cell
reused at every step). The words are in words.py, the figures in figures.py; the lesson list and the minutes
are the catalog's (each topic declares itself, minutes included, in its __init__.py)."""
import streamlit as st

from rnnviz import catalog, cells, ui
from rnnviz.topics.home import TOPIC
from rnnviz.topics.home import figures as home
from rnnviz.topics.home import words as text


@st.cache_data(max_entries=1, show_spinner=False)      # plotly figures, 0.02 MB: a copy for each caller
def home_figures():
    """The Home page's two figures: they depend on nothing, so they are built once per process."""
    return home.sequence_examples(), home.unrolled(5)


def start_here(lessons: list) -> None:
    """Above the fold: the first lesson, and why it comes first; the teacher's way in."""
    first = lessons[0]
    box = st.container(border=True, key="start_here")
    box.markdown(text.start_here(1, len(lessons), first.minutes))
    box.page_link(first.path, label=f"1. {first.title}", icon=first.icon)
    box.caption(text.TEACHERS)


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


def mark(lesson, seen: list, answered: dict) -> str:
    """The student's mark on a lesson: answered (right), opened, or nothing."""
    if lesson.title in answered:
        return ":material/task_alt: answered, right" if answered[lesson.title] else ":material/task_alt: answered"
    return ":material/visibility: opened" if lesson in seen else ""


def listing(members: list, seen: list, answered: dict, numbered: bool) -> None:
    """One row per page: a link (numbered, for the lessons) with its minutes, then the mark and the blurb."""
    box = st.container(border=True)
    for k, lesson in enumerate(members, start=1):
        label = (f"{k}. " if numbered else "") + lesson.title + (f" · {lesson.minutes} min" if lesson.minutes else "")
        box.page_link(lesson.path, label=label, icon=lesson.icon)
        said = mark(lesson, seen, answered)
        box.markdown(f"{said} · {lesson.blurb}" if said else lesson.blurb)


def course(seen: list, answered: dict) -> None:
    """The lessons in course order, numbered, with their minutes and the total; the demos apart; the teacher's."""
    lessons, demos = catalog.in_group("Lessons"), catalog.in_group("Demos")
    st.header("The lessons")
    st.caption(text.course_note(len(lessons), sum(t.minutes for t in lessons)))
    listing(lessons, seen, answered, numbered=True)
    st.header("The demos")
    st.caption(text.demos_note(len(demos), sum(t.minutes for t in demos)))
    listing(demos, seen, answered, numbered=False)
    teaching = catalog.in_group("Teaching")
    if teaching:
        st.header("For teachers")
        listing(teaching, seen, answered, numbered=False)


def main() -> None:
    """The page, top to bottom: where to start, progress, the course, sequences, the idea."""
    ui.page_setup(TOPIC)
    with ui.boundary():
        start_here(catalog.in_group("Lessons"))
        st.markdown(text.INTRO)
        seen, answered = progress_box([lesson for lesson in ui.LESSONS if lesson.group != "Teaching"])
        course(seen, answered)

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
