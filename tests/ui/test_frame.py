"""The classroom frame around every page (rnnviz/ui/frame.py) and the Lesson plan page, through AppTest:
presets and a question on every lesson and demo, presentation mode, progress on Home, a clean slate
between pages, and a lesson plan stepped through with its bar."""
from __future__ import annotations

import re

import pytest

from common import reveal
from rnnviz import catalog, ui
from rnnviz.shared import plan as lesson_plan

LEARNING = [lesson for lesson in ui.LESSONS if lesson.group != "Teaching"]
PLAN_PAGE = "pages/14_Lesson_plan.py"
PAGES = {lesson_plan.url_name(x.path): (x.path, x.title) for x in ui.LESSONS if x.path != PLAN_PAGE}


def css(at) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


@pytest.mark.parametrize("lesson", LEARNING, ids=lambda x: x.title)
def test_every_lesson_and_demo_has_presets_a_question_and_its_title(apptest, lesson):
    at = apptest(lesson.path)
    assert not at.exception
    assert at.title[0].value == lesson.title                  # progress (Home) and the plan bar match by title
    presets = [b for b in at.button if b.key and re.fullmatch(r"try_\d+", b.key)]
    assert 2 <= len(presets) <= 4, [b.label for b in presets]
    assert at.radio(key="predict_guess").options and at.button(key="predict_reveal")
    after = catalog.next_after(lesson.path)                      # and it ends with the way on, in course order
    assert next_link(at) == (lesson_plan.url_name(after.path), {})


def test_presentation_mode_from_the_url_hides_the_chosen_parts_and_stays_across_pages(apptest):
    at = apptest("pages/3_Gradient_lab.py", {"present": "true", "hide": ["Seed", "What to try"]})
    assert not at.exception
    style = css(at)
    assert "font-size: 21px" in style and ".st-key-seed { display: none" in style
    assert not [b for b in at.button if b.key and b.key.startswith("try_")]       # the part is gone
    assert at.number_input(key="seed").value == 0                                # the control still works
    assert at.toggle(key="present").value is True
    assert set(at.multiselect(key="hide").value) == {"Seed", "What to try"}
    at.switch_page("pages/1_Unfolded_RNN.py").run()                              # the sidebar's link
    assert at.toggle(key="present").value is True and "font-size: 21px" in css(at)
    at.toggle(key="present").set_value(False).run()
    assert "font-size: 21px" not in css(at)


def test_without_presentation_mode_nothing_is_hidden(apptest):
    at = apptest("pages/3_Gradient_lab.py", {"hide": ["What to try"]})
    assert [b for b in at.button if b.key and b.key.startswith("try_")]
    assert "font-size: 21px" not in css(at)


def test_a_new_page_starts_from_its_own_defaults_not_the_last_pages_values(apptest):
    """GRU vs LSTM's "width" (characters, up to 200) and Date translation's "width" (beam, up to 8) share
    a key; carried over, 60 would be out of range (an error in a browser)."""
    at = apptest("pages/5_GRU_vs_LSTM.py")
    at.slider(key="width").set_value(60).run()
    at.switch_page("pages/12_Date_translation.py").run()
    assert not at.exception
    assert at.slider(key="width").value == 3
    at.switch_page("pages/5_GRU_vs_LSTM.py").run()
    assert at.slider(key="width").value == 40 and not at.exception


def test_home_shows_what_this_session_opened_and_answered(apptest):
    at = apptest()
    assert not [c for c in at.markdown if "Your progress" in c.value]              # nothing yet
    at.switch_page("pages/3_Gradient_lab.py").run()
    shown = reveal(at, at.radio(key="predict_guess").options[0])
    assert shown
    at.switch_page("pages/1_Unfolded_RNN.py").run()
    at.switch_page("app.py").run()
    text = " ".join(m.value for m in at.markdown)
    assert f"2 of {len(LEARNING)} lessons and demos opened" in text
    assert f"1 of {len(LEARNING)} questions answered" in text
    assert ":material/task_alt: answered" in text and ":material/visibility: opened" in text


def test_the_sample_plan_parses_and_every_step_opens(apptest):
    steps, problems = lesson_plan.parse(lesson_plan.SAMPLE, PAGES)
    assert not problems and len(steps) == 5
    for step in steps:
        at = apptest(step.page, {k: v if len(v) > 1 else v[0] for k, v in step.query.items()})
        assert not at.exception and at.title[0].value == step.title
    assert at.title[0].value == "Memory lab"


def test_plan_parsing_reports_bad_lines_and_keeps_the_good_ones():
    text = ("/Gradient_lab?T=300&scale=3.0 | explode\n"
            "http://elsewhere.example:8501/BPTT?k=1|cut\n"
            "# a comment\n\n"
            "<script>alert(1)</script> | nope\n"
            "/Nowhere?x=1\n"
            "/Memory_lab\x07\x00 | \n")
    steps, problems = lesson_plan.parse(text, PAGES, present=True)
    assert [s.title for s in steps] == ["Gradient lab", "Backpropagation through time", "Memory lab"]
    assert steps[0].query == {"T": ["300"], "scale": ["3.0"], "present": ["true"]}
    assert steps[2].note == "Memory lab"                                  # no note: the page's title
    assert len(problems) == 2 and problems[0].startswith("Line 5") and problems[1].startswith("Line 6")
    assert steps[0].link() == "/Gradient_lab?T=300&scale=3.0&present=true"
    many, problems = lesson_plan.parse("/BPTT\n" * 40, PAGES)
    assert len(many) == lesson_plan.MAX_STEPS and "at most" in problems[0]


def test_the_plan_page_escapes_what_is_typed(apptest):
    at = apptest(PLAN_PAGE, {"plan": "<b>bold</b> | x\n/BPTT | <img src=x onerror=alert(1)> *star*"})
    assert not at.exception
    assert any("Line 1" in w.value for w in at.warning)
    note = next(m.value for m in at.markdown if "Backpropagation through time" in m.value)
    assert "\\<img" in note and "\\*star\\*" in note                       # shown as typed, not rendered


def links(at, *labels: str) -> dict[str, tuple[str, dict[str, str]]]:
    """{label: (url name, query)} of the page links with these labels (the main body's come first)."""
    from urllib.parse import parse_qsl
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for link in at.get("page_link"):
        if link.proto.label in labels and link.proto.label not in found:
            found[link.proto.label] = (link.proto.page, dict(parse_qsl(link.proto.query_string)))
    return found


def next_link(at) -> tuple[str, dict[str, str]]:
    """(url name, query) of the page's last link, "Next: ..." (ui.boundary draws it where the body ends)."""
    from urllib.parse import parse_qsl
    found = [x for x in at.get("page_link") if x.proto.label.startswith("Next: ")]
    assert len(found) == 1, [x.proto.label for x in found]
    return found[0].proto.page, dict(parse_qsl(found[0].proto.query_string))


def follow(at, page_file: str, query: dict[str, str]):
    """What the browser does on a page link: open the page with the link's query (a fresh address)."""
    at.switch_page(page_file)
    at.query_params.clear()
    at.query_params.update(query)
    return at.run()


def test_the_plan_page_links_every_step_with_its_settings(apptest):
    at = apptest(PLAN_PAGE)
    found = links(at, "Start the lesson", "Open")
    assert found["Start the lesson"] == ("Unfolded_RNN", {"input": "numbers", "numbers": "0,0,0,5,0,0,0,0,0,0,0,0",
                                                          "plan_step": "1", "lesson_plan": "20"})
    opens = [(x.proto.page, x.proto.query_string) for x in at.get("page_link") if x.proto.label == "Open"]
    assert opens[2] == ("Gradient_lab", "scale=3.0&T=300&plan_step=3&lesson_plan=20") and len(opens) == 5
    at.toggle(key="present_all").set_value(True).run()
    assert links(at, "Start the lesson")["Start the lesson"][1]["present"] == "true"


def test_a_lesson_plan_steps_forward_and_back(apptest):
    at = apptest(PLAN_PAGE)
    _, query = links(at, "Start the lesson")["Start the lesson"]
    follow(at, "pages/1_Unfolded_RNN.py", query)
    assert not at.exception and at.query_params["plan_step"] == ["1"]       # the address is the step's link,
    assert at.query_params["lesson_plan"] == ["20"]                          # its plan and its number
    assert any("Lesson plan, step 1 of 5" in m.value for m in at.markdown)
    found = links(at, "Previous", "Next")
    assert "Previous" not in found and found["Next"] == ("BPTT", {"plan_step": "2", "lesson_plan": "20"})
    assert next_link(at) == found["Next"]                                     # the page's end says the same
    follow(at, "pages/2_BPTT.py", found["Next"][1])
    assert any("step 2 of 5" in m.value for m in at.markdown)
    found = links(at, "Previous", "Next")
    assert found["Previous"][0] == "Unfolded_RNN" and found["Next"] == (
        "Gradient_lab", {"scale": "3.0", "T": "300", "plan_step": "3", "lesson_plan": "20"})
    follow(at, "pages/3_Gradient_lab.py", found["Next"][1])
    assert at.slider(key="T").value == 300 and at.slider(key="scale").value == 3.0 and not at.exception
    # step 4 is the Gradient lab again: its own link wins over what step 3 left in the widgets
    follow(at, "pages/3_Gradient_lab.py", links(at, "Next")["Next"][1])
    assert at.slider(key="forget_bias").value == 5.0 and at.slider(key="T").value == 100
    assert at.slider(key="scale").value == 1.0 and any("step 4 of 5" in m.value for m in at.markdown)
    follow(at, "pages/7_Memory_lab.py", links(at, "Next")["Next"][1])
    assert any("step 5 of 5" in m.value for m in at.markdown)
    assert "Next" not in links(at, "Next") and links(at, "The plan")["The plan"][0] == "Lesson_plan"
    assert next_link(at) == ("Lesson_plan", {})                          # after the last step: the plan
    at.switch_page("app.py").run()                                       # elsewhere: no bar
    assert not any("Lesson plan, step" in m.value for m in at.markdown)
    assert next_link(at) == ("Architectures", {})                        # and the course's own Next
    at.switch_page(PLAN_PAGE).run()
    assert links(at, "Resume at step 5")["Resume at step 5"][1]["plan_step"] == "5"


def test_a_plan_step_link_can_turn_presentation_mode_on(apptest):
    at = apptest(PLAN_PAGE, {"present_all": "true"})
    _, query = links(at, "Start the lesson")["Start the lesson"]
    follow(at, "pages/1_Unfolded_RNN.py", query)
    assert at.toggle(key="present").value is True and "font-size: 21px" in css(at)


def test_no_emoji_in_the_app_icons_are_material_symbols():
    """Icons come from the Material Symbols font that ships with Streamlit (`:material/…:`), so they render
    on a classroom PC without an emoji font. Text symbols with a plain glyph in ordinary fonts are allowed."""
    from kit import ROOT as root
    allowed = set("✓✕✗✂⌈⌉")
    found = {}
    for path in [root / "app.py", *(root / "pages").glob("*.py"), *(root / "rnnviz").rglob("*.py")]:
        for ch in path.read_text(encoding="utf-8"):
            o = ord(ch)
            emoji = (0x1F000 <= o <= 0x1FAFF or 0x2600 <= o <= 0x27BF or 0x2300 <= o <= 0x23FF
                     or 0x2B00 <= o <= 0x2BFF or o == 0xFE0F)
            if emoji and ch not in allowed:
                found.setdefault(ch, path.name)
    assert not found, found
