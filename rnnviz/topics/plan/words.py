"""What the Lesson plan page says: its intro, the controls' help and the lines around the steps. Plain strings
and small functions (no streamlit); the sample plan itself is rnnviz.shared.plan.SAMPLE, which
tests/topics/plan/test_words_plan.py holds against the pages it opens."""
from __future__ import annotations

INTRO = (
    "Prepare a lesson as a sequence of **views**. Every control of every page is in its address, so a view "
    "is a link: set a page up as you want the class to see it, press *Copy a link to this view* in the "
    "sidebar, and paste it here, one per line, with its minutes, a note and the question the class answers "
    "before you reveal, each after a `|`. Then start: each step opens its page exactly as you left it, with "
    "a bar above it to the previous and next step; a reload or the browser's Back keeps it.")

SHIPPED = "**Ready plans**, timed, with a question to predict at every step:"


def load_help(title: str) -> str:
    return f"Puts the {title} plan in the box below (it replaces what the box holds); edit it from there."

# The controls' help (their tooltips), by the control's key.
HELP = {
    "plan": "A link copied from any page (its address), or just its end, such as /Gradient_lab?scale=3.0&T=300 "
            "(/ is Home). After it, each after a |: the minutes (5 min), a note, and what the class predicts "
            "first (Predict first: ...). Lines starting with # are comments. The plan is part of this page's own "
            "link, and of every step's, so you can share or bookmark the whole lesson.",
    "present_all": "Larger type and a wide page for the projector, unless a step's link says otherwise "
                   "(present=false). Hide parts of a page by adding &hide=What+to+try to its link, or choose them on "
                   "the page and copy its link again.",
}

NO_STEPS = "No steps yet: paste links to views, one per line (the box's help shows an example)."


def steps_note(n: int, minutes: int | None) -> str:
    timed = f", {minutes} minutes in all" if minutes is not None else ""
    return (f"{n} step{'s' if n != 1 else ''}{timed}. Every step's address carries the plan: a reload or the "
            "browser's Back keeps it; share the whole lesson with this page's link (sidebar).")
