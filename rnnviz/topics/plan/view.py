"""Lesson plan: a teacher writes a short sequence of views (links) and steps through it in class."""
import streamlit as st

from rnnviz import ui
from rnnviz.shared import plan as lesson_plan
from rnnviz.ui import frame
from rnnviz.topics.plan import TOPIC


def main() -> None:
    """The page: run by pages/14_Lesson_plan.py on every rerun."""
    ui.page_setup(TOPIC, intro=(
        "Prepare a lesson as a sequence of **views**. Every control of every page is in its address, so a view "
        "is a link: set a page up as you want the class to see it, press *Copy a link to this view* in the "
        "sidebar, and paste it here, one per line, with a note after a `|`. Then start: each step opens its "
        "page exactly as you left it, with a bar above it to the previous and next step."))

    with ui.boundary():
        PAGES = {lesson_plan.url_name(lesson.path): (lesson.path, lesson.title)
                 for lesson in ui.LESSONS if lesson.path != "pages/14_Lesson_plan.py"}
        ICONS = {lesson.path: lesson.icon for lesson in ui.LESSONS}
        CONTROLS = [
            ui.Text("plan", "Steps: one link per line, then | and a note", lesson_plan.SAMPLE, height=230,
                    help="A link copied from any page (its address), or just its end, such as "
                         "/Gradient_lab?scale=3.0&T=300. Lines starting with # are comments. The plan is part of "
                         "this page's own link, so you can share or bookmark the whole lesson."),
            ui.Toggle("present_all", "Open every step in presentation mode", False,
                      help="Larger type and a wide page for the projector, unless a step's link says otherwise "
                           "(present=false). Hide parts of a page by adding &hide=What+to+try to its link, or "
                           "choose them on the page and copy its link again."),
        ]
        ui.cap_typed_text("plan", 8000, reader="a plan keeps")
        v = ui.render(CONTROLS, where=st.container())
        steps, problems = lesson_plan.parse(v["plan"], PAGES, present=v["present_all"])
        for message in problems:
            ui.problem(ui.escape_markdown(message))

        if not steps:
            st.info("No steps yet: paste links to views, one per line (the box's help shows an example).",
                    icon=":material/info:")
        else:
            frame.set_plan(steps)
            at = frame.plan()["at"]
            row = st.columns([2, 2, 5], vertical_alignment="center")
            frame.step_link(row[0], 0, "Start the lesson", ":material/play_arrow:", f"Opens step 1 of {len(steps)}")
            if at > 0:
                frame.step_link(row[1], at, f"Resume at step {at + 1}", ":material/resume:")
            row[2].caption(f"{len(steps)} step{'s' if len(steps) != 1 else ''}. The plan lives in this tab: "
                           "share it with this page's link (sidebar), which carries every line.")

            st.subheader("The steps")
            for k, step in enumerate(steps):
                box = st.container(border=True)
                left, mid, right = box.columns([0.5, 8, 1.4], vertical_alignment="center")
                left.markdown(f"### {k + 1}")
                mid.markdown(f"{ICONS.get(step.page, '')} **{ui.escape_markdown(step.title)}**: "
                             f"{ui.escape_markdown(step.note)}")
                settings = " · ".join(f"{key} = {', '.join(vals)}" for key, vals in step.query.items())
                mid.caption(ui.escape_markdown(settings) if settings else "The page's defaults.")
                frame.step_link(right, k, "Open", ":material/open_in_new:", f"Start the plan here, at step {k + 1}")
