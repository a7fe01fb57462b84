"""The Lesson plan page: a teacher pastes links to views (one per line, each with a note) and steps through
them in class; each step opens its page exactly as the link set it, with a bar to the previous and next step
(rnnviz.ui.frame keeps the plan in the session). Run by pages/14_Lesson_plan.py; the words are in words.py,
the parsing in rnnviz.shared.plan."""
import streamlit as st

from rnnviz import ui
from rnnviz.shared import plan as lesson_plan
from rnnviz.topics.plan import TOPIC
from rnnviz.topics.plan import words as text
from rnnviz.ui import frame

CONTROLS = [
    ui.Text("plan", "Steps: one link per line, then | and a note", lesson_plan.SAMPLE, height=230,
            help=text.HELP["plan"]),
    ui.Toggle("present_all", "Open every step in presentation mode", False, help=text.HELP["present_all"]),
]


def steps_section(steps: list, icons: dict) -> None:
    """Start (or resume) the lesson, then every step: its page, its note, its settings and a link to open it."""
    frame.set_plan(steps)
    at = frame.plan()["at"]
    row = st.columns([2, 2, 5], vertical_alignment="center")
    frame.step_link(row[0], 0, "Start the lesson", ":material/play_arrow:", f"Opens step 1 of {len(steps)}")
    if at > 0:
        frame.step_link(row[1], at, f"Resume at step {at + 1}", ":material/resume:")
    row[2].caption(text.steps_note(len(steps)))

    st.subheader("The steps")
    for k, step in enumerate(steps):
        box = st.container(border=True)
        left, mid, right = box.columns([0.5, 8, 1.4], vertical_alignment="center")
        left.markdown(f"### {k + 1}")
        mid.markdown(f"{icons.get(step.page, '')} **{ui.escape_markdown(step.title)}**: "
                     f"{ui.escape_markdown(step.note)}")
        settings = " · ".join(f"{key} = {', '.join(vals)}" for key, vals in step.query.items())
        mid.caption(ui.escape_markdown(settings) if settings else "The page's defaults.")
        frame.step_link(right, k, "Open", ":material/open_in_new:", f"Start the plan here, at step {k + 1}")


def main() -> None:
    """The page: the plan's box, what was wrong with any line, then the steps."""
    ui.page_setup(TOPIC, intro=text.INTRO)
    with ui.boundary():
        pages = {lesson_plan.url_name(lesson.path): (lesson.path, lesson.title)
                 for lesson in ui.LESSONS if lesson.path != TOPIC.path}
        ui.cap_typed_text("plan", 8000, reader="a plan keeps")
        v = ui.render(CONTROLS, where=st.container())
        steps, problems = lesson_plan.parse(v["plan"], pages, present=v["present_all"])
        for message in problems:
            ui.problem(ui.escape_markdown(message))
        if not steps:
            st.info(text.NO_STEPS, icon=":material/info:")
        else:
            steps_section(steps, {lesson.path: lesson.icon for lesson in ui.LESSONS})
