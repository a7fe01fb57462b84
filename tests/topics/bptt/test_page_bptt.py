"""The BPTT page through AppTest: it runs, every control changes what is shown, the step buttons move
the backward pass, bad typed sequences give warnings (not exceptions), and URL parameters restore a view."""
from __future__ import annotations

import json

import pytest

import common
from kit.charts import chart_nodes

PAGE = "pages/2_BPTT.py"
DEEPER = ("bptt_numbers", "bptt_forward", "bptt_equations", "bptt_truncation", "bptt_trunc_more")   # the closed expanders


# The page with its deeper parts open, as a student who opened each of them (common.open_deeper), except in the
# test of what opens truncation by itself
apptest = common.deeper_open(DEEPER, closed=("test_a_link_or_a_preset_about_truncation_opens_it",))


def shown(at) -> str:
    """Everything the page shows that depends on the computation: figures, equations, metrics."""
    figs = [json.loads(el.spec) for el in chart_nodes(at)]
    return json.dumps([figs, [e.value for e in at.latex], [m.value for m in at.metric]], sort_keys=True)


STEP = "Backward pass at step t"    # the stepper's slider: a fresh widget key whenever code moves it


def widget(at, key):
    return common.widget(at, key, {"step": STEP})


def step_of(at) -> int:
    return widget(at, "step").value


def numbers_header(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**With the numbers"))


def test_the_page_opens_on_the_step_control_beside_its_chart(apptest):
    at = apptest(PAGE)
    for key in DEEPER:
        at.session_state[key] = False
    at.run_as_opened()                            # the page as it opens: every expander closed
    assert not at.exception
    assert [c.key for c in chart_nodes(at)] == ["so_far"]
    assert not at.latex and not at.metric                         # truncation too waits in its closed expander
    step_view = next(c for c in at.columns if len(c.slider))     # the main view's narrow column: T, then the step
    assert [s.label for s in step_view.slider] == ["Predictions T", STEP] and step_of(at) == 12
    assert widget(at, "cell") in list(step_view.get("button_group"))
    assert {b.key for b in step_view.button} == {"step__play", "step__start", "step__down", "step__up"}
    at.session_state["bptt_truncation"] = True                    # opened: its window beside its chart
    at.run_as_opened()
    assert [c.key for c in chart_nodes(at)] == ["so_far", "window"]
    assert not at.latex and len(at.metric) == 2 * 3
    assert "k" not in {w.key for w in at.sidebar.slider}          # the window sits beside its own chart
    assert widget(at, "k").value == 3


def test_a_link_or_a_preset_about_truncation_opens_it(apptest):
    """Truncation is a closed expander, but a shared link that sets its window k opens it, and so do the
    preset that sets k (Cut hard); the others leave it as it was (Memory task's note points to it: its link
    carries no k, so it could not open it again)."""
    at = apptest(PAGE, {"k": 2})                                  # (every expander as the page opens it)
    assert widget(at, "k").value == 2 and len(at.metric) == 2 * 3
    assert "window" in [c.key for c in chart_nodes(at)]
    at = apptest(PAGE)
    assert not at.metric
    preset(at, "Untrained")
    assert not at.metric
    preset(at, "Memory task")
    assert not at.metric and "Open “Truncated BPTT” below" in " ".join(m.value for m in [*at.markdown, *at.caption, *at.info, *at.success])
    preset(at, "Cut hard")
    assert widget(at, "k").value == 1 and len(at.metric) == 2 * 3


def test_cell_and_T_sit_above_the_step_chart_not_in_the_sidebar(apptest):
    """Issue 22: the controls a class changes most are in the main column, above the chart they change (a new T
    reruns that part of the page alone, an st.fragment); the rare settings stay in the sidebar."""
    at = apptest(PAGE)
    sidebar = {w.key for w in at.sidebar.slider} | {w.key for w in at.sidebar.get("button_group")}
    assert not sidebar & {"cell", "T"}, sidebar
    assert {"H", "train"} <= sidebar and at.number_input(key="seed") in list(at.sidebar.number_input)
    assert widget(at, "T").value == 12 and widget(at, "cell").value == "rnn"
    widget(at, "T").set_value(8).run()
    assert not at.exception and step_of(at) == 8                  # the step follows the new T, as before


def test_page_runs_with_defaults(apptest):
    at = apptest(PAGE)
    assert not at.exception
    assert at.title[0].value == "Backpropagation through time"
    assert not at.warning
    assert len(chart_nodes(at)) == 8
    assert step_of(at) == 12 and "t = 12" in numbers_header(at)   # the backward pass starts at T
    assert len(at.latex) >= 10
    assert at.metric[0].value                                     # the total loss


# (control key, a non-default value, query to set first) for every control of the page
MOVES = [("cell", "lstm", {}), ("cell", "gru", {}), ("source", "steps", {}), ("source", "typed", {}),
         ("T", 20, {}), ("H", 6, {}), ("train", 60, {}), ("seed", 5, {}), ("k", 1, {}), ("step", 4, {}),
         ("seq", "3, 1, 4, 1, 5, 9, 2, 6", {"source": "typed"})]


@pytest.mark.parametrize("key,value,query", MOVES, ids=[f"{k}={v}" for k, v, _ in MOVES])
def test_each_control_changes_what_is_shown(apptest, key, value, query):
    at = apptest(PAGE, query)
    before = shown(at)
    widget(at, key).set_value(value)
    at.run()
    assert not at.exception
    assert shown(at) != before, f"moving {key} to {value} changed nothing on screen"


def test_step_buttons_move_the_step(apptest):
    at = apptest(PAGE)
    at.button(key="step__down").click().run()
    assert step_of(at) == 11 and "t = 11" in numbers_header(at)
    at.button(key="step__down").click().run()
    at.button(key="step__up").click().run()
    assert step_of(at) == 11
    widget(at, "step").set_value(1).run()
    assert at.button(key="step__down").disabled and "t = 1" in numbers_header(at)
    at.button(key="step__start").click().run()
    assert step_of(at) == 12 and at.button(key="step__up").disabled
    assert not at.exception


def test_buttons_step_from_a_deep_linked_step(apptest):
    at = apptest(PAGE, {"step": 6})
    assert not at.button(key="step__up").disabled and "t = 6" in numbers_header(at)
    at.button(key="step__down").click().run()
    assert step_of(at) == 5
    at.button(key="step__up").click().run()
    at.button(key="step__up").click().run()
    assert step_of(at) == 7


def test_play_turns_into_stop_and_back(apptest):
    """AppTest has no timer: the browser test checks the animation; here Play and Stop switch state."""
    at = apptest(PAGE, {"step": 1})
    at.button(key="step__play").click().run()
    assert at.button(key="step__play").label == "Stop"
    shown = next(s for s in at.slider if s.label == "Backward pass at step t")
    assert shown.disabled and shown.value == 12                   # at the end, Play starts over from T
    assert "t = 12" in numbers_header(at)
    at.button(key="step__play").click().run()
    assert at.button(key="step__play").label.startswith("Play")
    at.button(key="step__play").click().run()                  # play, then a step button stops it
    at.button(key="step__down").click().run()
    assert step_of(at) == 11 and at.button(key="step__play").label.startswith("Play")
    assert not at.exception


def test_a_new_length_keeps_the_step_if_it_still_exists(apptest):
    at = apptest(PAGE)
    at.slider(key="T").set_value(8).run()
    assert step_of(at) == 8 and not at.exception                  # at the start: the new start
    at = apptest(PAGE, {"step": 3})
    at.slider(key="T").set_value(8).run()
    assert step_of(at) == 3 and not at.exception                  # step 3 still exists
    at.slider(key="T").set_value(2).run()
    assert step_of(at) == 2 and not at.exception                  # it does not: start over at T


def test_url_restores_the_view(apptest):
    query = {"cell": "gru", "source": "steps", "T": 20, "H": 3, "train": 40, "seed": 4, "k": 5, "step": 7}
    at = apptest(PAGE, query)
    assert not at.exception
    for key, value in query.items():
        assert widget(at, key).value == value, key
    assert "t = 7" in numbers_header(at)
    assert any(r"L_{7}" in e.value for e in at.latex)


@pytest.mark.parametrize("query", [
    {"T": 2}, {"T": 2, "step": 1, "k": 41}, {"H": 1, "cell": "lstm"}, {"H": 16, "T": 40, "cell": "gru", "step": 1},
    {"train": 0, "source": "steps", "k": 1}, {"train": 200, "cell": "gru", "source": "steps"},
    {"source": "typed", "seq": "0, 0, 0"}, {"source": "typed", "seq": "100, -100, 100, -100", "train": 200},
])
def test_extremes_raise_nothing(apptest, query):
    at = apptest(PAGE, query)
    assert not at.exception and not at.warning
    assert len(chart_nodes(at)) == 8


def test_url_out_of_range_is_clamped_and_said(apptest):
    """A number out of range becomes the nearest end, an unknown choice the default; a note says each
    (ui.controls.clean_link, issue 19)."""
    from rnnviz.topics.bptt.compute import MAX_T

    at = apptest(PAGE, {"step": 99, "T": 500, "k": 0, "cell": "transformer"})
    assert not at.exception
    assert widget(at, "T").value == MAX_T and step_of(at) == MAX_T and widget(at, "k").value == 1
    assert widget(at, "cell").value == "rnn"
    notes = [w.value for w in at.warning if w.value.startswith("This link sets")]
    assert len(notes) == 4, notes


@pytest.mark.parametrize("text,expect", [
    ("", "empty"),
    ("1, x, 3", "token 2, “x”, is not a number"),
    ("0," * 5000, "at most 500"),
    ("1, inf, 3", "not a finite number"),
    ("1, nan, 3", "not a finite number"),
    ("1, 1e9, 3", "too large"),
    ("4, 2", "at least 3"),
])
def test_bad_typed_sequences_warn_and_the_page_keeps_working(apptest, text, expect):
    at = apptest(PAGE, {"source": "typed"})
    at.text_input(key="seq").set_value(text).run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1 and expect in warnings[0].replace("\\", ""), warnings
    assert "Showing the example" in warnings[0].replace("\\", "")
    assert len(chart_nodes(at)) == 8 and step_of(at) == 11    # the example: 12 numbers, T = 11


def test_typed_text_is_escaped_in_messages(apptest):
    at = apptest(PAGE, {"source": "typed"})
    at.text_input(key="seq").set_value("1, <b>x</b>, $y$, *z*").run()
    message = at.warning[0].value
    assert r"\<b\>x\</b\>" in message and r"\$y\$" in message and r"\*z\*" in message


def test_too_many_numbers_are_cut_with_a_note(apptest):
    at = apptest(PAGE, {"source": "typed"})
    at.text_input(key="seq").set_value(", ".join(str(i % 5) for i in range(50))).run()
    assert not at.exception and "first 41 of your 50" in at.warning[0].value.replace("\\", "")
    assert step_of(at) == 40


def test_full_window_says_so(apptest):
    at = apptest(PAGE, {"k": 13})
    assert any("full BPTT" in i.value for i in at.info)
    assert at.metric[1].value == "1.000"


def preset(at, words):
    next(b for b in at.button if words in b.label).click().run()
    assert not at.exception


def test_presets_set_the_whole_view_and_their_notes_hold(apptest):
    at = apptest(PAGE, {"seed": 3, "k": 7})
    preset(at, "Memory task")
    assert widget(at, "cell").value == "lstm" and widget(at, "source").value == "steps"
    assert widget(at, "train").value == 200 and widget(at, "k").value == 3 and widget(at, "seed").value == 0
    assert float(at.metric[1].value) < 0.8                        # measured (the reveal says it, no note does):
    preset(at, "Untrained")                                       # the cosine falls far below 1 ...
    assert float(at.metric[1].value) > 0.99                       # ... and untrained, a window of 3 keeps almost all
    preset(at, "Cut hard")
    assert widget(at, "k").value == 1 and float(at.metric[1].value) < 0.95
    preset(at, "A long sine")
    assert widget(at, "T").value == 40 and widget(at, "H").value == 16 and step_of(at) == 40


def test_notes_claims_in_the_core():
    """The preset notes describe these configurations; hold them to it."""
    from rnnviz.topics.bptt import compute as bl

    untrained = bl.run(bl.LessonConfig(train_steps=0)).part_norms()
    assert (untrained["local"] > untrained["future"]).mean() > 0.5   # ℓ_t is most of δh_t at most steps
    long = bl.run(bl.LessonConfig(T=40, H=16, train_steps=200))
    running = long.running_norms()
    assert running.max() > 3 * long.whh_norm                      # it climbs far above the full norm ...
    assert running[0] == pytest.approx(long.whh_norm)              # ... and ends on it


def test_predict_then_reveal(apptest):
    at = apptest(PAGE)
    out = common.reveal(at, "The trained one")
    assert len(out) == 1 and "cosine is" in out[0] and "after 200 steps" in out[0]


def test_both_ways_to_truncate_are_shown_and_named(apptest):
    """Sliding window and chunks + detach, each with its own metrics row, and the PyTorch loop that
    chunks; at k = T both keep all of ∂L/∂W_hh, and only the chunks reach h_0 with every loss."""
    at = apptest(PAGE)
    rows = [m.value for m in at.markdown if m.value.startswith("**Sliding window**") or m.value.startswith("**Chunks")]
    assert rows == ["**Sliding window**, k = 3", "**Chunks + detach**, k = 3"]
    assert any("h = h.detach()" in c.value for c in at.code)
    assert len(at.metric) == 1 + 2 * 3
    at = apptest(PAGE, {"k": 12})
    assert at.metric[1].value == at.metric[4].value == "1.000"       # cosine 1 for both at k = T
    assert any("chunks + detach cut nothing" in i.value for i in at.info)
    assert not any("sliding window" in i.value for i in at.info)   # it still misses the last loss's ∂L/∂h₀
