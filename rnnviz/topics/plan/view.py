"""The Lesson plan page: a teacher picks a shipped plan (20 or 90 minutes) or pastes links to views (one per
line, each with its minutes, a note and what the class predicts first) and steps through them in class; each
step opens its page exactly as the link set it, with a bar to the previous and next step. The plan and the
step travel in each step's address (rnnviz.ui.frame), so a reload or the browser's Back keeps them. Run by
pages/14_Lesson_plan.py; the words are in words.py, the parsing and the shipped plans in rnnviz.shared.plan."""
import streamlit as st

from rnnviz import catalog, ui
from rnnviz.shared import plan as lesson_plan
from rnnviz.topics.plan import TOPIC
from rnnviz.topics.plan import words as text
from rnnviz.ui import frame

CONTROLS = [
    ui.Text("plan", "Steps: one link per line, then | the minutes | a note | Predict first: a question",
            lesson_plan.SAMPLE, height=230, help=text.HELP["plan"]),
    ui.Toggle("present_all", "Open every step in presentation mode", False, help=text.HELP["present_all"]),
]


def shipped_plans() -> None:
    """A button per shipped plan: it puts the plan's text in the box (and so in this page's link)."""
    def load(plan_text: str) -> None:
        st.session_state["plan"] = plan_text

    row = st.columns(len(lesson_plan.PLANS) + 1, vertical_alignment="center")
    row[0].markdown(text.SHIPPED)
    for col, (name, (title, plan_text)) in zip(row[1:], lesson_plan.PLANS.items()):
        col.button(title, key=f"load_{name}", icon=":material/schedule:", on_click=load, args=(plan_text,),
                   width="stretch", help=text.load_help(title))


def steps_section(steps: list, ref: str, icons: dict) -> None:
    """Start (or resume) the lesson, then every step: its page, minutes, note, question, settings, a link."""
    frame.set_plan(steps, ref)
    at = frame.plan()["at"]
    row = st.columns([2, 2, 5], vertical_alignment="center")
    frame.step_link(row[0], 0, "Start the lesson", ":material/play_arrow:", f"Opens step 1 of {len(steps)}")
    if at > 0:
        frame.step_link(row[1], at, f"Resume at step {at + 1}", ":material/resume:")
    row[2].caption(text.steps_note(len(steps), lesson_plan.total_minutes(steps)))

    st.subheader("The steps")
    for k, step in enumerate(steps):
        box = st.container(border=True)
        left, mid, right = box.columns([0.5, 8, 1.4], vertical_alignment="center")
        left.markdown(f"### {k + 1}")
        mid.markdown(f"{icons.get(step.page, '')} **{ui.escape_markdown(step.title)}**{frame.step_line(step)}")
        settings = " · ".join(f"{key} = {', '.join(vals)}" for key, vals in step.query.items())
        mid.caption(ui.escape_markdown(settings) if settings else "The page's defaults.")
        frame.step_link(right, k, "Open", ":material/open_in_new:", f"Start the plan here, at step {k + 1}")


def main() -> None:
    """The page: the shipped plans, the plan's box, what was wrong with any line, then the steps."""
    ui.page_setup(TOPIC, intro=text.INTRO)
    with ui.boundary():
        shipped_plans()
        ui.cap_typed_text("plan", lesson_plan.MAX_TEXT, reader="a plan keeps")
        v = ui.render(CONTROLS, where=st.container())
        steps, problems = lesson_plan.parse(v["plan"], lesson_plan.pages(), present=v["present_all"])
        for message in problems:
            ui.problem(ui.escape_markdown(message))
        if not steps:
            st.info(text.NO_STEPS, icon=":material/info:")
        else:
            icons = {t.path: t.icon for t in [catalog.HOME, *ui.LESSONS]}
            steps_section(steps, lesson_plan.ref_of(v["plan"]), icons)
