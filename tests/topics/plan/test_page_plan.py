"""Issue 22, the Lesson plan: the shipped plans' numbers (minutes adding up to 20 and 90, a question to predict
at every step, every page and every preset a note names exists), every step of the 90-minute plan opened as
its link says, and a step that keeps its bar through a reload and the browser's Back (plan and step in the
address). The 20-minute plan's notes are computed in test_words_plan.py; its steps open in tests/ui/test_frame.py."""
from __future__ import annotations

import importlib
import re

import pytest

from kit import ROOT
from rnnviz import catalog
from rnnviz.shared import plan

PLAN_PAGE = "pages/14_Lesson_plan.py"


def shipped(name: str) -> list[plan.Step]:
    steps, problems = plan.parse(plan.PLANS[name][1], plan.pages())
    assert not problems, problems
    return steps


@pytest.mark.parametrize("name", list(plan.PLANS))
def test_a_shipped_plan_adds_up_and_asks_first_at_every_step(name):
    steps = shipped(name)
    assert plan.total_minutes(steps) == int(name)                   # 20 and 90: the name is the length
    assert f"{name} minutes" in plan.PLANS[name][0] and f"{name}-minute" in plan.PLANS[name][1].splitlines()[0]
    for step in steps:
        assert (ROOT / step.page).is_file() and step.minutes and step.minutes > 0
        assert step.predict.startswith("Predict first: ") and step.predict.endswith("?"), step
        assert len(step.note) < plan.MAX_NOTE and len(step.predict) < plan.MAX_NOTE     # nothing cut
    assert plan.ref_of(plan.PLANS[name][1]) == name and plan.steps_of(name) == steps


def test_the_90_minute_plan_starts_at_home_and_visits_every_lesson():
    steps = shipped("90")
    assert steps[0].page == "app.py" and steps[0].link() == "/"
    lessons = [t.path for t in catalog.in_group("Lessons")]
    assert [s.page for s in steps if s.page in lessons] == lessons          # every lesson, in course order


def preset_labels(page: str) -> list[str]:
    """The labels of the "what to try" presets a page's words declare (PRESETS: a list or a dict of rows)."""
    name = next(n for n, t in catalog.TOPICS.items() if t.path == page)
    presets = getattr(importlib.import_module(f"rnnviz.topics.{name}.words"), "PRESETS", [])
    return [row[0] for row in (presets.values() if isinstance(presets, dict) else presets)]


def test_every_preset_a_plan_names_exists():
    named = 0
    for name in plan.PLANS:
        for step in shipped(name):
            for label in re.findall(r"press “([^”]+)”", step.note):
                assert label in preset_labels(step.page), (step.title, label)
                named += 1
    assert named >= 4


def links(at) -> dict[str, tuple[str, str]]:
    """{label: (url name, query)} of the page's links (the first of each label: the main body's)."""
    found: dict[str, tuple[str, str]] = {}
    for link in at.get("page_link"):
        found.setdefault(link.proto.label, (link.proto.page, link.proto.query_string))
    return found


def go(at, link: tuple[str, str]):
    """What the browser does on a page link, as tests/ui/test_frame.py's follow()."""
    from urllib.parse import parse_qsl
    page, query = link
    at.switch_page(next(p for p, _ in plan.pages().values() if plan.url_name(p) == page))
    at.query_params.clear()
    at.query_params.update(dict(parse_qsl(query)))
    return at.run()


def bar(at) -> str:
    return next((m.value for m in at.markdown if "Lesson plan, step" in m.value), "")


def test_the_90_minute_plan_steps_through_from_home_to_its_end(apptest):
    """Loaded with its button, started, and stepped through with the page's last link ("Next: step ..."):
    every step opens its page with no exception and no note about its link, the bar timed and asking first."""
    at = apptest(PLAN_PAGE)
    at.button(key="load_90").click().run()
    steps = shipped("90")
    n = len(steps)
    assert n == 12 and sum(s.minutes for s in steps) == 90                # Home, every lesson, two demos
    assert f"{n} steps, 90 minutes in all" in " ".join(c.value for c in at.caption)
    at = go(at, links(at)["Start the lesson"])
    for k, step in enumerate(steps, start=1):
        assert not at.exception, (step.title, [e.value for e in at.exception])
        assert at.title[0].value == step.title
        assert f"step {k} of {n}** ({step.minutes} min)" in bar(at) and "Predict first" in bar(at)
        assert not [w for w in at.warning if "This link sets" in w.value], step.title     # its link is valid
        if k < len(steps):
            following = links(at)[f"Next: step {k + 1} of {n}, {steps[k].title}"]
            assert following == links(at)["Next"]                    # the bar's Next and the page's end agree
            at = go(at, following)
    assert links(at)["Next: back to the lesson plan"][0] == "Lesson_plan"


def test_a_step_keeps_its_bar_through_a_reload_and_back(apptest):
    """A reload is a new session that knows no plan: the address names it. Back is an earlier step's address."""
    at = apptest("pages/3_Gradient_lab.py", {"lesson_plan": "20", "plan_step": "3", "T": "300", "scale": "3.0",
                                             "H": "33"})
    assert not at.exception and "step 3 of 5" in bar(at)
    assert at.slider(key="T").value == 300 and at.slider(key="H").value == 33      # the class's change stays
    at = go(at, links(at)["Next"])                                       # on to step 4 ...
    assert "step 4 of 5" in bar(at) and at.slider(key="forget_bias").value == 5.0
    at = go(at, ("Gradient_lab", "scale=3.0&T=300&plan_step=3&lesson_plan=20"))    # ... and Back
    assert "step 3 of 5" in bar(at) and at.slider(key="scale").value == 3.0 and at.slider(key="forget_bias").value == 1.0   # step 3 sets no bias: its default
    at.slider(key="H").set_value(40).run()                               # a move on the step: still the step
    assert "step 3 of 5" in bar(at) and at.slider(key="T").value == 300 and not at.exception


def test_a_teachers_own_plan_travels_whole_and_home_can_be_a_step(apptest):
    own = "/ | 2 min | Why order matters | Predict first: which model tells them apart?\n/BPTT | 3 min | back"
    at = apptest(PLAN_PAGE, {"plan": own})
    start = links(at)["Start the lesson"]
    assert start[0] == "" and "lesson_plan=" in start[1]                 # Home, served at /
    assert "2 steps, 5 minutes in all" in " ".join(c.value for c in at.caption)
    at = go(at, start)
    assert not at.exception and "step 1 of 2** (2 min)" in bar(at)
    fresh = apptest("app.py", dict(__import__("urllib.parse").parse.parse_qsl(start[1])))   # a reload
    assert "step 1 of 2" in bar(fresh) and links(fresh)["Next"][0] == "BPTT"


@pytest.mark.parametrize("given", ["nonsense", "", "/Nowhere | x", "9" * 9000])
def test_a_plan_in_the_address_that_is_no_plan(apptest, given):
    at = apptest("pages/2_BPTT.py", {"lesson_plan": given, "plan_step": "1"})
    assert not at.exception and not bar(at)
    assert "plan_step" not in at.query_params and "lesson_plan" not in at.query_params
