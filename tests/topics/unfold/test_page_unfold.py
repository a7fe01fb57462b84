"""The Unfolded-RNN page through AppTest: it runs, each control changes what is shown, the step buttons
and Play move t, bad input gives messages instead of exceptions, and the URL reopens the same view."""
from __future__ import annotations

import json
import re

import pytest
from kit.charts import chart_nodes, strings
from common import open_deeper, widget

from rnnviz.topics.unfold import compute as unfold
from rnnviz.topics.unfold import step as unfold_step

PAGE = "pages/1_Unfolded_RNN.py"
DEEPER = ("unfold_lines", "unfold_path", "unfold_weights")     # the closed expanders


@pytest.fixture
def apptest(apptest, monkeypatch):
    """The page with its deeper parts open, as a student who opened each of them (common.open_deeper)."""
    open_deeper(monkeypatch, DEEPER)
    return apptest


def shown(at) -> str:
    """Everything the page shows as one string: figures (JSON), LaTeX, markdown, captions, messages."""
    parts = [el.spec for el in chart_nodes(at)]
    parts += [el.value for kind in ("latex", "markdown", "caption", "warning", "info", "success") for el in at.get(kind)]
    return "\n".join(parts)


def step_numbers(at) -> list[str]:
    """The with-numbers equations on the page (each starts with \\begin{aligned})."""
    return [el.value.strip("$\n") for el in at.latex if "aligned" in el.value]


RANGED = {"t": "Time step t", "unit": "Unit", "at": "At step"}     # sliders whose range follows the data


def t_of(at) -> int:
    return _widget(at, "t").value


def _widget(at, key):
    return widget(at, key, RANGED)


def test_the_page_opens_on_the_step_control_beside_the_unrolled_cells(apptest):
    at = apptest(PAGE)
    for key in DEEPER:
        at.session_state[key] = False
    at.run_as_opened()                            # the page as it opens: every expander closed
    assert not at.exception
    assert [c.key for c in chart_nodes(at)] == ["unrolled"]
    assert not step_numbers(at) and any(m.value.startswith("**Step 1 of 11**") for m in at.markdown)
    step_view = next(c for c in at.columns if len(c.slider))     # the main view's narrow column
    assert [s.label for s in step_view.slider] == ["Time step t"] and t_of(at) == 1
    # Play sits with them, above the slider (drawn once per full run, outside the step's fragment)
    assert {b.key for b in step_view.button} == {"t__play", "t__start", "t__down", "t__up"}


def test_page_runs_with_defaults(apptest):
    at = apptest(PAGE)
    assert not at.exception
    assert at.title[0].value == "Unfolded RNN"
    assert t_of(at) == 1 and not at.warning
    assert len(chart_nodes(at)) == 3                       # diagram, the RNN's one line, the path
    u = unfold.run(unfold.UnfoldConfig())
    assert step_numbers(at) == [ln.numbers for ln in unfold_step.step_view(u, 1)]
    assert any("no gates to clamp" in i.value for i in at.info)
    assert "27" in shown(at) and "1·3·(4 + 3 + 2)" in shown(at)   # the RNN's parameter count


# (control key, a non-default value, extra query to make it apply)
MOVES = [("cell", "lstm", {}), ("cell", "gru", {}), ("H", 5, {}), ("input", "sine", {}), ("text", "abc", {}),
         ("numbers", "3, 1, 4, 1, 5", {"input": "numbers"}), ("T", 20, {"input": "random"}), ("seed", 7, {}),
         ("t", 4, {}), ("gate", "input", {"cell": "lstm"}), ("unit", 3, {"cell": "lstm"}), ("at", 5, {"cell": "gru"}),
         ("to", "1", {"cell": "gru"}), ("clamped", True, {"cell": "lstm"})]


@pytest.mark.parametrize("key,value,query", MOVES, ids=[f"{k}={v}" for k, v, _ in MOVES])
def test_each_control_changes_what_is_shown(apptest, key, value, query):
    at = apptest(PAGE, query)
    before = shown(at)
    _widget(at, key).set_value(value)
    at.run()
    assert not at.exception
    assert shown(at) != before, f"moving {key} to {value} changed nothing"


def test_step_buttons_move_t_and_the_numbers(apptest):
    at = apptest(PAGE, {"cell": "lstm", "text": "abcdef"})
    first = step_numbers(at)
    assert at.button(key="t__down").disabled and at.button(key="t__start").disabled
    at.button(key="t__up").click().run()
    assert t_of(at) == 2 and step_numbers(at) != first
    u = unfold.run(unfold.UnfoldConfig(cell="lstm", text="abcdef"))
    assert step_numbers(at) == [ln.numbers for ln in unfold_step.step_view(u, 2)]
    at.button(key="t__up").click().run()
    at.button(key="t__up").click().run()
    assert t_of(at) == 4 and any("Step 4 of 6" in m.value for m in at.markdown)
    at.button(key="t__down").click().run()
    assert t_of(at) == 3
    at.button(key="t__start").click().run()
    assert t_of(at) == 1 and step_numbers(at) == first
    _widget(at, "t").set_value(6).run()
    assert at.button(key="t__up").disabled


def test_play_runs_to_the_end_and_stops(apptest):
    """Each run while playing is one tick of the fragment's timer: t moves by one and stops at T."""
    at = apptest(PAGE, {"input": "numbers", "numbers": "1, 2, 3, 4"})
    at.button(key="t__play").click().run()
    seen = [t_of(at)]
    for _ in range(6):
        at.run()
        seen.append(t_of(at))
    assert not at.exception
    assert seen[:3] == [2, 3, 4] and set(seen[3:]) == {4}, seen        # reaches T = 4, stays there
    assert at.session_state["t__playing"] is False
    assert at.button(key="t__play").label == "Play"
    at.button(key="t__play").click().run()                              # at the end, Play starts over
    assert t_of(at) == 2 and at.session_state["t__playing"] is True
    at.button(key="t__play").click().run()                              # Stop
    assert t_of(at) == 2 and at.session_state["t__playing"] is False
    at.run()
    assert t_of(at) == 2                                               # stopped means stopped


@pytest.mark.parametrize("query,message", [
    ({"text": ""}, "at least 2 characters"),
    ({"text": "x" * 10_000}, "at most 40 steps"),
    ({"text": "héllo wörld 日本"}, "not in the alphabet"),
    ({"input": "numbers", "numbers": "1, x, 3"}, "Item 2, “x”, is not a number"),
    ({"input": "numbers", "numbers": "nan, 1e999"}, "at least 2 numbers"),
])
def test_bad_input_gives_a_message_and_the_page_keeps_working(apptest, query, message):
    at = apptest(PAGE, query)
    assert not at.exception
    warnings = " ".join(w.value.replace("\\", "") for w in at.warning)
    assert message in warnings, warnings
    assert len(chart_nodes(at)) == 3 and step_numbers(at)


def test_typed_text_is_never_rendered_as_html(apptest):
    at = apptest(PAGE, {"text": "<img src=x onerror=alert(1)>*b*", "t": 1})
    assert not at.exception
    texts = [el.value for kind in ("markdown", "warning", "caption") for el in at.get(kind)]
    typed = [v for v in texts if "img" in v or "“" in v]
    assert typed and all(v.count("<") == v.count("\\<") for v in typed), typed   # every < is a literal
    assert any("“\\<”" in v for v in texts)                                        # x₁ = “<”, as typed
    labels = [s for el in chart_nodes(at) for s in strings(json.loads(el.spec))]
    assert any("&lt;" in s for s in labels) and not any("<img" in s for s in labels)
    assert {tag for s in labels for tag in re.findall(r"</?([A-Za-z]+)", s)} <= {"b", "sub", "sup", "br", "extra"}   # plotly's own hover tags


def test_url_reopens_the_same_view(apptest):
    query = {"cell": "gru", "H": 4, "text": "abcdefgh", "t": 5, "gate": "reset", "unit": 2, "at": 3, "to": "1",
             "clamped": "true"}
    at = apptest(PAGE, query)
    assert not at.exception
    assert (_widget(at, "cell").value, at.slider(key="H").value, t_of(at)) == ("gru", 4, 5)
    assert (at.selectbox(key="gate").value, _widget(at, "unit").value, _widget(at, "at").value) == ("reset", 2, 3)
    cfg = unfold.UnfoldConfig(cell="gru", H=4, text="abcdefgh")
    clamped = unfold.intervene(cfg, "reset", step=3, unit=2, value=1.0).clamped
    assert step_numbers(at) == [ln.numbers for ln in unfold_step.step_view(clamped, 5)]
    assert any("Step 5 of 8 of the clamped run" in m.value for m in at.markdown)


def test_the_clamped_step_says_what_was_forced(apptest):
    at = apptest(PAGE, {"cell": "lstm", "t": 2, "at": 2, "clamped": "true"})
    assert any("Clamped: unit 1 of $f_t$ is forced to 0" in w.value for w in at.warning)
    spec = next(s for s in (json.loads(el.spec) for el in chart_nodes(at))
                if "forced" in json.dumps(s["layout"].get("title", {}), ensure_ascii=False))
    assert "forget gate of unit 1 forced to 0 at step 2" in spec["layout"]["title"]["text"]
    assert [tr["type"] for tr in spec["data"]].count("bar") == 2                 # |Δh| and |Δc|
    assert any("Before step 2 every difference is exactly 0. From step 2 on" in c.value for c in at.caption)


def test_presets_set_the_whole_view(apptest):
    at = apptest(PAGE, {"seed": 3, "H": 6})
    next(b for b in at.button if "shut the forget gate" in b.label).click().run()
    assert not at.exception
    assert (_widget(at, "cell").value, at.selectbox(key="gate").value, _widget(at, "at").value) == ("lstm", "forget", 6)
    assert at.slider(key="H").value == 3 and at.number_input(key="seed").value == 0   # the rest: defaults
    assert at.toggle(key="clamped").value is True and t_of(at) == 6
    assert any(w.value.startswith("Clamped: unit 1 of $f_t$") for w in at.warning)
    next(b for b in at.button if "impulse" in b.label).click().run()
    assert not at.exception and _widget(at, "input").value == "numbers" and _widget(at, "cell").value == "rnn"


def test_predict_then_reveal(apptest):
    at = apptest(PAGE)
    at.radio(key="predict_guess").set_value(at.radio(key="predict_guess").options[1]).run()
    at.button(key="predict_reveal").click().run()
    assert not at.exception
    assert unfold.first_input_effect(unfold.UnfoldConfig()).answer == "all"       # option 1 is right here
    assert len(at.success) == 1 and "11 of 11 states changed" in at.success[0].value


def test_coming_from_the_lab_with_its_own_settings(apptest):
    """Pages share session state: the lab's H = 100 and T = 300 must not break this page's sliders."""
    at = apptest("pages/3_Gradient_lab.py", {"H": 100, "T": 300})
    at.switch_page(PAGE).run()
    assert not at.exception
    at.run()                      # a new page forgets the last one's open expanders: open them again
    assert not at.exception
    assert "1·3·(4 + 3 + 2)" in shown(at)                                   # the page's own default H = 3


def _in_order(node):
    """Every element of the page, top to bottom (AppTest's tree, children in the order drawn)."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _in_order(child)


def test_the_question_is_asked_before_the_intervention_that_would_answer_it(apptest):
    """The intervention's chart shows a clamped step's change reaching the last step: the question (how far
    does a change of x₁ reach?) comes first (issue 20)."""
    at = apptest(PAGE, {"cell": "lstm"})
    heads = [getattr(n, "value", "") for n in _in_order(at.main) if getattr(n, "type", "") == "subheader"]
    assert heads.index("Predict, then reveal") < heads.index("Intervene: clamp a gate, watch the future change")
    assert heads.index("Intervene: clamp a gate, watch the future change") < heads.index("What to try")
