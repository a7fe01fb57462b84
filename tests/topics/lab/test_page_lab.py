"""The gradient lab page through AppTest: it runs, each main control changes what is drawn, extremes
and bad input give messages instead of exceptions."""
from __future__ import annotations

import json

import pytest
from common import reveal, widget

from kit.charts import chart_nodes, charts
from rnnviz import ui
from rnnviz.topics.lab import view
from rnnviz.topics.lab import words as text

PAGE = "pages/3_Gradient_lab.py"


def cards(at) -> list[str]:
    """Each verdict card's words: the three cards are one markdown block, a box per card (view.verdict_row)."""
    rows = [m.value for m in at.markdown if m.value.startswith(view.CARDS.split("{}")[0])]
    return [card for row in rows for card in row.split(view.CARD.split("{}")[0])[1:]]


def verdicts(at) -> list[str]:
    """The three verdict cards' words. A card keeps its verdict until the question is answered (predict
    before reveal, issue 22), so this answers it first when it has not been."""
    if any(ui.HELD_VERDICT in c for c in cards(at)):
        reveal(at, text.ANSWERS[0])
    return cards(at)


DEEPER = ("lab_math", "lab_spectrum", "lab_units", "lab_memory")     # the expanders below the main view


def opened(at):
    """The page with every deeper expander opened, as a student clicking each of them."""
    for key in DEEPER:
        at.session_state[key] = True
    return at.run()


def test_page_runs_with_defaults(apptest):
    at = apptest(PAGE)
    assert not at.exception
    assert at.title[0].value == "Gradient lab"
    v = verdicts(at)
    assert len(v) == 3 and all("vanishing" in s for s in v), v   # default init, T=100: all three vanish
    assert len(chart_nodes(at)) == 1 and not at.latex      # the main view; the rest waits, closed
    opened(at)
    assert not at.exception
    assert len(chart_nodes(at)) == 5
    assert at.latex, "the math expander renders equations"


def test_the_main_controls_sit_beside_the_main_chart_not_in_the_sidebar(apptest):
    at = apptest(PAGE)
    sidebar = {w.key for w in at.sidebar.slider} | {w.key for w in at.sidebar.get("button_group")}
    assert not sidebar & {"scale", "T", "nonlinearity", "forget_bias"}, sidebar
    main_view = at.columns[0]
    assert {w.key for w in main_view.slider} == {"scale", "T", "forget_bias"}
    assert at.slider(key="scale").value == 1.0 and widget(at, "nonlinearity").value == "tanh"
    assert at.number_input(key="seed") in list(at.sidebar.number_input)     # a rare setting stays there


def test_a_main_control_moved_with_a_deeper_part_open_redraws_it(apptest):
    """The main view is a fragment; a part below that draws the same settings is drawn with them (in a
    browser the whole page reruns when such a part is open: ui.stage.follow_page)."""
    at = opened(apptest(PAGE))
    before = charts(at)["spectrum"]
    at.slider(key="scale").set_value(2.0)
    opened(at)
    assert not at.exception
    assert charts(at)["spectrum"] != before


# (control key, a non-default value) for every control of the page
MOVES = [("T", 40), ("H", 8), ("scale", 2.5), ("scale_mode", "radius"), ("nonlinearity", "relu"),
         ("init", "orthogonal"), ("forget_bias", 3.0), ("input", "sine"), ("loss", "every"),
         ("clip", 1.0), ("seed", 7), ("precision", "float32")]


def _set(at, key, value):
    return widget(at, key).set_value(value)


@pytest.mark.parametrize("key,value", MOVES)
def test_each_control_changes_the_figures(apptest, key, value):
    at = opened(apptest(PAGE))
    before = charts(at)
    _set(at, key, value)
    opened(at)                 # AppTest forgets an expander's state between runs (a browser keeps it)
    assert not at.exception
    after = charts(at)
    changed = [k for k in before if json.dumps(before[k], sort_keys=True) != json.dumps(after.get(k), sort_keys=True)]
    assert changed, f"moving {key} to {value} changed no figure"


@pytest.mark.parametrize("query", [
    {"T": 5}, {"T": 300, "scale": 3.0}, {"H": 2}, {"H": 128, "T": 300}, {"scale": 0.1},
    {"forget_bias": -3.0}, {"forget_bias": 5.0}, {"clip": 10.0, "scale": 3.0},
    {"nonlinearity": "linear", "scale_mode": "radius", "scale": 3.0, "T": 300},
    {"init": "identity", "nonlinearity": "relu", "T": 300},
])
def test_extremes_raise_nothing(apptest, query):
    at = apptest(PAGE, query)
    assert not at.exception
    assert len(verdicts(at)) == 3


def test_url_state_sets_the_controls(apptest):
    at = apptest(PAGE, {"T": 120, "scale": 2.0, "nonlinearity": "relu"})
    assert at.slider(key="T").value == 120
    assert at.slider(key="scale").value == 2.0
    assert widget(at, "nonlinearity").value == "relu"


def test_explosion_is_named_not_crashed(apptest):
    """float32 overflows: the verdict says where, the chart still draws with a marker."""
    at = apptest(PAGE, {"precision": "float32", "nonlinearity": "linear", "scale_mode": "radius",
                        "scale": 3.0, "T": 300})
    assert not at.exception
    rnn = verdicts(at)[0]
    assert "exploded" in rnn and "step" in rnn
    fig = charts(at)
    main = next(f for f in fig.values() if "‖∂L/∂h" in json.dumps(f["layout"].get("title", {}), ensure_ascii=False))
    texts = json.dumps(main["layout"].get("annotations", []), ensure_ascii=False)
    assert "exploded" in texts


def test_underflow_is_named(apptest):
    at = apptest(PAGE, {"precision": "float32", "T": 300})
    assert "underflow" in verdicts(at)[0]


def test_typed_sentence_sets_T_and_bad_text_gives_a_message(apptest):
    at = apptest(PAGE, {"input": "text", "text": "hello world"})
    assert not at.exception
    assert "after 10 steps" in verdicts(at)[0]
    at.text_input(key="text").set_value("").run()
    assert not at.exception and any("at least 2 characters" in w.value for w in at.warning)
    at.text_input(key="text").set_value("<script>alert(1)</script>" * 20).run()
    assert not at.exception and any("at most 300" in w.value for w in at.warning)
    at.text_input(key="text").set_value("日本語のテキスト").run()
    assert not at.exception and any("outside Latin-1" in w.value for w in at.warning)


def test_presets_set_the_whole_view(apptest):
    at = apptest(PAGE, {"seed": 3})
    button = next(b for b in at.button if "Triple the RNN's weights" in b.label)
    button.click().run()
    assert at.slider(key="T").value == 300 and at.slider(key="scale").value == 3.0
    assert at.number_input(key="seed").value == 0          # everything else back to its default
    assert "exploding" in verdicts(at)[0]


def test_predict_then_reveal(apptest):
    at = apptest(PAGE)
    shown = reveal(at, "It grows, but far less than the bound")
    assert len(shown) == 1 and "bound allows" in shown[0]


# ----- the words on the running page (issue 20; docs/claims/lessons-a.md) -------------------------------
def test_the_page_opens_on_the_lstm_keeping_its_gradient_and_quotes_the_forget_bias_5_numbers(apptest):
    at = apptest(PAGE)
    assert at.slider(key="forget_bias").value == 1.0
    rnn, lstm_, gru = verdicts(at)
    assert "×0.525 per step" in rnn and "×0.801 per step" in lstm_        # what test_lab holds, as shown
    notes = [m.value for m in at.markdown]
    assert any("product over the 99 steps is 0.51" in n and "= 0.27" in n for n in notes)
    assert any("Of what the last step's loss teaches" in c.value for c in at.caption)


def test_a_loss_at_every_step_says_why_the_solid_curves_stay_level(apptest):
    at = apptest(PAGE, {"loss": "every"})
    assert not at.exception
    assert all("vanishing" in v for v in verdicts(at)), verdicts(at)    # the same per-step factor as "last"
    assert any("hide the decay" in c.value for c in at.caption)


def test_nothing_above_the_question_gives_its_answer(apptest):
    at = apptest(PAGE)
    shown = "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption]).lower()
    for giveaway in ("far less than the bound", "far below the bound", "saturating tanh", "it still vanishes"):
        assert giveaway not in shown
