"""Issue 19's smaller holes, each reproduced (AppTest and plain functions; the browser side is
tests/app/test_browser_security.py):

3. a lesson-plan note is markdown in the Previous/Next tooltips: an image there is fetched on hover;
4. `?seed=inf` (and -inf, Infinity, 1e309, huge numbers) emptied every page with a whole-number input,
   and a lesson-plan step carrying one likewise; sliders and the stepper's slider read their links safely;
5. typed web and e-mail addresses became links after escaping;
7. `plan_step=²` raised ValueError outside the page's boundary;
8. a CSV cell could start a spreadsheet formula (tests/shared/test_describe.py holds the cell-level rules).
"""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlencode

import pytest

from kit import ROOT
from rnnviz import ui
from rnnviz.ui import controls, frame, plan_bar

PLAN_PAGE = "pages/14_Lesson_plan.py"


def notes(at) -> list[str]:
    """The notes about the link (ui.frame.note) on the page."""
    return [w.value for w in at.warning if w.value.startswith("This link sets")]


def shown_in(note: str) -> str:
    """The value a note says the page shows instead."""
    return re.search(r"the page shows (\S+?)(?: \\\(its default\\\))? instead", note).group(1)


# ----------------------------------------------------------------------------- 5. no link from typed text
ADDRESSES = ["https://evil.example/phish", "see http://x.example/a?b=c", "WWW.Evil.Example", "www.evil.example/x",
             "me@evil.example", "mailto:me@evil.example", "xmpp:me@evil.example"]
# what GitHub-flavoured markdown links by itself (remark-gfm's autolink literal), after escapes are gone
AUTOLINK = re.compile(r"https?://|www\.|[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.IGNORECASE)


@pytest.mark.parametrize("text", ADDRESSES)
def test_escaped_text_holds_no_address_markdown_would_link(text):
    assert AUTOLINK.search(text)                                       # the pattern catches the raw text
    for escaped in (ui.escape_markdown(text), ui.escape(text)):
        unescaped = re.sub(r"\\(.)", r"\1", escaped)                   # what markdown reads, backslashes gone
        assert not AUTOLINK.search(unescaped), escaped
        assert unescaped.replace(ui.WORD_JOINER, "") == text           # and it reads as typed


def test_escape_markdown_still_makes_markup_literal():
    assert ui.escape_markdown("![x](http://a.b/c) *y*") == "\\!\\[x\\]\\(http\\:\u2060//a\\.b/c\\) \\*y\\*"
    assert ui.escape('<img src="x">') == "&lt;img src=&quot;x&quot;&gt;"


# ----------------------------------------------------------------------------- 3. lesson-plan notes
HOSTILE_NOTE = "![x](http://127.0.0.1:9/track) [click here](https://evil.example/phish) www.evil.example"
MARKUP = ("![x](", "](https:", "](http:", "://", "www.evil", "@evil")


def plan_links(at) -> dict[str, object]:
    return {link.proto.label: link for link in at.get("page_link")
            if link.proto.label in ("Previous", "Next", "Start the lesson", "Open")}


def test_plan_notes_are_plain_text_in_the_bar_and_its_tooltips(apptest):
    """The bar and the Previous/Next tooltips quote the neighbouring steps' notes, escaped: no image, no
    link, no bare address. (Unescaped, hovering Next made the browser fetch the tracking image.)"""
    from test_frame import follow

    plan = f"/BPTT | {HOSTILE_NOTE}\n/Gradient_lab?T=40 | {HOSTILE_NOTE}\n/Memory_lab | {HOSTILE_NOTE}"
    at = apptest(PLAN_PAGE, {"plan": plan})
    follow(at, "pages/3_Gradient_lab.py", {"T": "40", "plan_step": "2"})
    assert not at.exception
    bar = next(m.value for m in at.markdown if "Lesson plan, step 2 of 3" in m.value)
    tips = {label: link.proto.help for label, link in plan_links(at).items()}
    assert set(tips) == {"Previous", "Next"}
    for text in (bar, *tips.values()):
        assert "click here" in text and not [piece for piece in MARKUP if piece in text], text
    assert tips["Next"].startswith("Step 3\\: \\!\\[x\\]")


# ----------------------------------------------------------------------------- 4. numbers a widget cannot hold
def number_controls() -> list[tuple[str, str]]:
    """(page, key) of every whole-number input a page declares (ui.Number), found in its topic's views."""
    from rnnviz import catalog

    found = []
    for name, topic in catalog.TOPICS.items():
        for path in sorted((ROOT / "rnnviz" / "topics" / name).glob("view*.py")):
            for key in re.findall(r'ui\.Number\(\s*"(\w+)"', path.read_text(encoding="utf-8")):
                found.append((topic.path, key))
    return sorted(found)


NUMBERS = number_controls()


def test_the_pages_declare_whole_number_inputs():
    assert len(NUMBERS) >= 7 and ("pages/4_LSTM_inside.py", "unit") in NUMBERS


def assert_opened_at_a_sane_value(at, key: str, given: str, default_expected: bool = True) -> int:
    assert not at.exception, [e.value for e in at.exception]
    said = [n for n in notes(at) if f"“{given[:10]}" in n.replace("\\", "")]
    assert len(said) == 1, notes(at)
    value = at.number_input(key=key).value
    assert str(value) == shown_in(said[0])
    assert ("(its default)" in said[0].replace("\\", "")) == default_expected
    return value


@pytest.mark.parametrize("given", ["inf", "1e309"])
@pytest.mark.parametrize("page,key", NUMBERS, ids=[f"{p.split('_', 1)[1][:-3]}-{k}" for p, k in NUMBERS])
def test_a_link_with_a_number_no_input_can_hold_opens_the_page(apptest, page, key, given):
    """Streamlit's number input did int(float("inf")) on its URL value: OverflowError on every run."""
    at = apptest(page, {key: given})
    assert_opened_at_a_sane_value(at, key, given)
    assert key not in at.query_params                            # the address no longer carries it
    at.run()                                                     # and the next run is quiet
    assert not at.exception and not notes(at)


@pytest.mark.parametrize("given", ["-inf", "Infinity", "-Infinity", "nan", "NaN", "1e999", "9" * 5000, "²", "٣",
                                   "1_000", "0x10", "", "1.5", " 7"])
def test_every_kind_of_bad_number_on_the_gradient_lab(apptest, given):
    at = apptest("pages/3_Gradient_lab.py", {"seed": given})
    assert_opened_at_a_sane_value(at, "seed", given or "”")
    assert at.number_input(key="seed").value == 0


def test_numbers_out_of_range_are_clamped_and_said(apptest):
    at = apptest("pages/3_Gradient_lab.py", {"seed": "9" * 30, "T": "100000", "scale": "-1e300", "H": "3"})
    assert not at.exception
    assert at.number_input(key="seed").value == 9999 and at.slider(key="T").value == 300
    assert at.slider(key="scale").value == at.slider(key="scale").min and at.slider(key="H").value == 3
    assert len(notes(at)) == 3 and all("instead" in n and "default" not in n for n in notes(at)), notes(at)
    assert at.query_params["seed"] == ["9999"] and at.query_params["T"] == ["300"]


SLIDER_T = ["pages/3_Gradient_lab.py", "pages/1_Unfolded_RNN.py", "pages/2_BPTT.py", "pages/7_Memory_lab.py"]


@pytest.mark.parametrize("given", ["1e309", "nan"])
@pytest.mark.parametrize("page", SLIDER_T, ids=lambda p: p.split("_", 1)[1][:-3])
def test_a_slider_link_it_cannot_hold(apptest, page, given):
    at = apptest(page, {"T": given})
    assert not at.exception
    assert len(notes(at)) == 1 and f"to “{given}”" in notes(at)[0], notes(at)
    assert at.slider(key="T").value == int(shown_in(notes(at)[0]))


@pytest.mark.parametrize("page,key,given,expected", [
    ("pages/1_Unfolded_RNN.py", "t", "1e309", 1),
    ("pages/1_Unfolded_RNN.py", "t", "²", 1),
    ("pages/1_Unfolded_RNN.py", "t", "40", 11),          # the default word has 11 characters: clamped, said
    ("pages/2_BPTT.py", "step", "nan", 12),
])
def test_the_stepper_reads_its_link_safely(apptest, page, key, given, expected):
    """ui.stepper's slider keeps its own URL parameter (its range follows the data)."""
    at = apptest(page, {key: given})
    assert not at.exception
    assert [s.value for s in at.slider if s.key and s.key.startswith(f"{key}__")] == [expected]
    assert len(notes(at)) == 1 and f"to “{given}”" in notes(at)[0], notes(at)


@pytest.mark.parametrize("in_address", [True, False], ids=["in-the-address", "plan-only"])
def test_a_lesson_plan_step_with_values_no_widget_can_hold(apptest, in_address):
    """A step's link with seed=inf: the step opens (its other values set), says what it could not use, and
    the address it leaves carries only what the widgets hold. `plan-only`: the step's values reach the
    page through the plan alone (Streamlit dropped them from the address on the way)."""
    from test_frame import follow

    plan = "/BPTT | one\n/Gradient_lab?seed=inf&T=1e309&H=500&scale=3.0 | two\n/Memory_lab | three"
    at = apptest(PLAN_PAGE, {"plan": plan})
    query = {"seed": "inf", "T": "1e309", "H": "500", "scale": "3.0"} if in_address else {}
    follow(at, "pages/3_Gradient_lab.py", query | {"plan_step": "2"})
    assert not at.exception, [e.value for e in at.exception]
    assert any("Lesson plan, step 2 of 3" in m.value for m in at.markdown)           # the step did open
    assert at.number_input(key="seed").value == 0 and at.slider(key="T").value == 100
    assert at.slider(key="H").value == 128 and at.slider(key="scale").value == 3.0
    assert len(notes(at)) == 3, notes(at)
    restored = [h.proto.body for h in at.get("html")             # frame.finish's (the plan bar's script
                if "history.replaceState(history.state, ''" in h.proto.body]   # mentions replaceState too)
    for body in restored:                                    # the address put back holds no bad value
        query = dict(parse_qsl(json.loads(body.split("location.pathname + ", 1)[1].split(");", 1)[0])[1:]))
        assert query.pop("lesson_plan") == plan and query.pop("plan_step") == "2"   # the plan's text, as written
        body = urlencode(query)                              # and the widgets' values, which must be clean:
        assert "inf" not in body and "1e309" not in body and "500" not in body


def test_a_good_link_opens_as_given_with_no_note(apptest):
    at = apptest("pages/3_Gradient_lab.py", {"seed": "7", "T": "120", "scale": "3"})
    assert not at.exception and not notes(at)
    assert at.number_input(key="seed").value == 7 and at.slider(key="T").value == 120


def test_read_holds_the_rules():
    seed = ui.Number("seed", "Seed", 0, 9999, 0)
    scale = ui.Slider("scale", "Scale", 0.1, 4.0, 1.0)
    assert controls.read(seed, ["12"]) == (12, None) and controls.read(seed, ["1e3"]) == (1000, None)
    assert controls.read(seed, ["1", "5"]) == (5, None)                   # a repeated parameter: the last
    assert controls.read(seed, ["12345"]).value == 9999 and controls.read(seed, ["-3"]).value == 0
    for bad in ("inf", "nan", "1e309", "²", "12.5", "", "9" * 41):
        assert controls.read(seed, [bad]).value is None, bad
    assert controls.read(scale, ["2.5"]) == (2.5, None) and controls.read(scale, ["1e-300"]).value == 0.1
    assert controls.from_url(scale, ["99"]) is None                        # from_url: only values used as given
    assert controls.url_text(3.0) == "3" and controls.url_text(True) == "true" and controls.url_text(0.5) == "0.5"


# ----------------------------------------------------------------------------- 7. plan_step
@pytest.mark.parametrize("given", ["²", "٣", "１", "9" * 5000, "-1", "0", "99", "1.0", " 1", ""])
def test_a_plan_step_number_that_is_no_step(apptest, given):
    """'²'.isdigit() is true and int('²') fails: a ValueError outside the page's boundary."""
    at = apptest(PLAN_PAGE)
    at.switch_page("pages/3_Gradient_lab.py")
    at.query_params.clear()
    at.query_params["plan_step"] = given
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "plan_step" not in at.query_params
    assert not any("Lesson plan, step" in m.value for m in at.markdown)


def test_step_number_takes_short_ascii_numbers_only():
    assert plan_bar.step_number("3") == 3 and plan_bar.step_number("0030") == 30
    for bad in ("²", "٣", "１", "3 ", "+3", "12345", "", "3.0"):
        assert plan_bar.step_number(bad) is None, bad


# ----------------------------------------------------------------------------- 6. the tab icon
@pytest.mark.parametrize("icon", sorted({ui.HOME_ICON, *(lesson.icon for lesson in ui.LESSONS)}))
def test_every_page_has_its_own_local_tab_icon(icon):
    from PIL import Image

    path = ui.tab_icon(icon)
    assert path.name == icon.split("/")[1].rstrip(":") + ".png" and path.is_file()
    with Image.open(path) as image:
        assert image.format == "PNG" and image.size == (64, 64) and image.getbbox() is not None
