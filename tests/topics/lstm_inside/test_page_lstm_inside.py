"""The LSTM-inside page through AppTest, with the shipped char_lstm: it runs at its defaults, every main
control changes what is drawn, bad input gives a message (never an exception, never live HTML), the URL
reopens a view, presets set one, and missing or corrupt weights give a clear message on this page only. The page
opens on its main view (the stepper and its step view) with every other part in a lazy expander: `opened` opens
them all, so the checks below see every part, as before the page was split."""
from __future__ import annotations

import json

import numpy as np
import pytest
from common import widget

from kit.charts import charts
from rnnviz import pretrained
from rnnviz.shared import charlm
from rnnviz.topics.lstm_inside import neurons

PAGE = "pages/4_LSTM_inside.py"
OWN = "your own text"
SLIDERS = {"t": "Step t (the t-th character)", "from": "From step"}   # ranged sliders: found by label
CHARTS = {"heatmap", "step_view", "conveyor", "survival", "hunt_match", "intervention"}
DEEPER = ("li_text", "li_units", "li_clamp", "li_write", "li_equations", "li_about", "li_belt")   # lazy expanders


def opened(at):
    """Run the page with every deeper part open, as a student who opened them all sees it. (AppTest does
    not send an expander's state back as the browser does: each run that should see them opens them.)"""
    for key in DEEPER:
        at.session_state[key] = True
    return at.run()


@pytest.fixture(scope="module")
def shipped():
    """The shipped model and its opening passage, read outside the page (to check the page's numbers)."""
    model, meta = pretrained.load("char_lstm")
    text = meta["passages"]["Hamlet: To be, or not to be"]
    return model, meta, charlm.read(model, charlm.prepare(model, text).text)


def colored_html(at) -> str:
    """The text coloured by the unit: the first HTML block that is not a style sheet (ui.stage's)."""
    return next((h.proto.body for h in at.get("html") if not h.proto.body.startswith("<style>")), "")


def warnings(at) -> str:
    return " ".join(w.value for w in at.warning)


def code(at) -> str:
    return at.get("code")[0].value


def heat_shape(spec: dict) -> tuple[int, int]:
    """(units, characters) of the heatmap (plotly sends big arrays as typed binary with a shape)."""
    z = spec["heatmap"]["data"][0]["z"]
    return tuple(int(n) for n in z["shape"].split(",")) if isinstance(z, dict) else (len(z), len(z[0]))


def title(spec: dict) -> str:
    return spec["layout"].get("title", {}).get("text", "")


def step_mark(at) -> str:
    """Step t's marker over the step view: a style sheet (figures.step_mark). The chart itself is the same for
    every step of its window of characters; the marker moves."""
    return next((h.proto.body for h in at.get("html") if "st-key-step_view::after" in h.proto.body), "")


def snapshot(at) -> dict[str, str]:
    shot = {**{k: json.dumps(v, sort_keys=True) for k, v in charts(at).items()}, "text": colored_html(at),
            "code": code(at)}
    if "step_view" in shot:                                            # the step view: its chart and its marker
        shot["step_view"] += step_mark(at)
    return shot


def set_(at, key, value):
    box = [w for w in at.text_area if w.key == key]                    # the text areas: typed text, prompt
    return (box[0] if box else widget(at, key, SLIDERS)).set_value(value)


def test_page_runs_with_defaults(apptest, shipped):
    model, meta, r = shipped
    at = apptest(PAGE)
    assert not at.exception
    assert at.title[0].value == "LSTM inside" and not at.warning
    assert set(charts(at)) == {"step_view"} and not colored_html(at) and not at.get("code")  # the rest waits
    opened(at)
    assert not at.exception and not at.warning
    assert set(charts(at)) == CHARTS
    spans = colored_html(at).count("<span ")
    assert spans == len(r.text)                                        # one span per character
    # the page opens on the unit that best follows the position in the line
    line = neurons.correlations(r.c, neurons.features(r.text)["position in the line"])
    best = int(np.nanargmax(np.abs(line)))
    assert at.number_input(key="unit").value == best
    assert any(f"(r = {line[best]:+.2f})" in c.value for c in at.caption), "the caption gives the cell state's r"
    assert any(r"f_t &= \sigma" in x.value and r"c_t &= f_t \odot c_{t-1}" in x.value for x in at.latex)
    assert code(at).startswith("HAMLET.\n") and len(code(at)) == len("HAMLET.\n") + 300
    assert at.dataframe[0].value.iloc[0]["best unit"] >= 0
    spec = charts(at)
    assert heat_shape(spec) == (model.hidden_size, len(r.text))               # every unit × every character
    assert any(f"{meta['metrics']['val_bpc']:.2f} bits per character" in c.value for c in at.caption)


# (control, new value, what must change). Run in this order on one AppTest: each move starts from the last.
MOVES = [
    ("q", "forget", {"text", "heatmap", "hunt_match"}),
    ("unit", 5, {"text", "step_view", "conveyor", "survival", "intervention"}),
    ("order", "busiest", {"heatmap"}),
    ("feature", "vowel", {"hunt_match"}),
    ("clamp", 0.5, {"intervention"}),
    ("from", 10, {"intervention"}),
    ("t", 7, {"step_view", "conveyor", "survival"}),
    ("temp", 1.5, {"code"}),
    ("n", 100, {"code"}),
    ("seed", 3, {"code"}),
    ("prompt", "MACBETH.\n", {"code"}),
    ("passage", "Macbeth: the witches", {"text", "heatmap", "hunt_match", "intervention"}),
    ("passage", OWN, {"text", "heatmap"}),
    ("text", "To be, or not to be: that is the question.\n", {"text", "heatmap", "step_view"}),
]


def test_each_control_changes_what_is_drawn(apptest):
    at = opened(apptest(PAGE))
    for key, value, expected in MOVES:
        before = snapshot(at)
        set_(at, key, value)
        opened(at)
        assert not at.exception, (key, at.exception)
        after = snapshot(at)
        unchanged = {part for part in expected if before.get(part) == after.get(part)}
        assert not unchanged, f"moving {key} to {value!r} left {unchanged} as they were"
    assert len(code(at)) == len("MACBETH.\n") + 100


def test_bad_input_gives_messages_not_exceptions(apptest):
    at = opened(apptest(PAGE, {"passage": OWN, "text": ""}))
    assert not at.exception
    assert "The text is empty" in warnings(at)
    assert not charts(at) and code(at).startswith("HAMLET.")           # generation still works

    at.text_area(key="text").set_value("a")
    opened(at)
    assert not at.exception and "at least two" in warnings(at)

    at.text_area(key="text").set_value("To be. " * 14_286)             # 100,002 characters
    opened(at)
    assert not at.exception
    assert "You typed 100,002 characters" in warnings(at) and "at most 1,000" in warnings(at)
    assert heat_shape(charts(at))[1] == charlm.MAX_CHARS

    typed = "<script>alert('x')</script><b>bold</b> café ☃"
    at.text_area(key="text").set_value(typed)
    opened(at)
    assert not at.exception
    w = warnings(at)
    assert "12 characters outside the model's alphabet" in w and "<" not in w.replace("\\<", "")
    page = colored_html(at) + json.dumps(charts(at)) + " ".join(m.value for m in [*at.markdown, *at.caption])
    assert "<script" not in page and "<b>bold" not in page and "&lt;" in colored_html(at)   # figures bold their
                                                                                              # own numbers only
    assert colored_html(at).count("underline dotted") == 12               # the unknown ones are marked
    assert set(charts(at)) == CHARTS


def test_empty_prompt_and_extreme_settings(apptest, shipped):
    at = apptest(PAGE, {"prompt": "", "temp": 0.1, "n": 600, "clamp": 1.0, "from": 1})
    assert not at.exception
    assert {"intervention"} <= set(charts(at)) and at.get("code")    # a link's settings open their parts
    assert "The prompt is empty" in warnings(at)
    assert code(at).strip() == charlm.generate(shipped[0], "\n", 600, temperature=0.1, seed=0).strip()
    assert "f<sub>t</sub> of unit" in title(charts(at)["intervention"])


def test_url_reopens_the_same_view(apptest):
    query = {"passage": "Macbeth: the witches", "unit": 5, "q": "forget", "order": "busiest", "feature": "vowel",
             "clamp": 0.5, "from": 10, "t": 7, "temp": 1.5, "seed": 3, "n": 100}
    at = opened(apptest(PAGE, query))
    assert not at.exception
    assert at.selectbox(key="passage").value == "Macbeth: the witches"
    assert (at.number_input(key="unit").value, widget(at, "q").value, widget(at, "order").value) == (5, "forget",
                                                                                                      "busiest")
    assert widget(at, "feature").value == "vowel" and at.slider(key="clamp").value == 0.5
    assert widget(at, "t", SLIDERS).value == 7 and widget(at, "from", SLIDERS).value == 10
    spec = charts(at)
    assert "step 7" in title(spec["conveyor"]) and "unit 5" in title(spec["conveyor"])
    assert "step 10" in title(spec["intervention"]) and ":= 0.5" in title(spec["intervention"])
    assert "forget gate" in title(spec["heatmap"]) and "vowel" in title(spec["hunt_match"])
    expects = next(m.value for m in at.markdown if m.value.startswith("**After step 7**"))
    assert expects.count("%") == 6 and "what came" in expects                    # top 5, and the true one
    assert len(code(at)) == len("HAMLET.\n") + 100


def test_presets_and_follow_set_the_view(apptest):
    at = apptest(PAGE, {"seed": 9})
    next(b for b in at.button if b.label.startswith("Hot")).click().run()
    assert at.get("code")                                      # the preset opened "Let it write"
    assert at.slider(key="temp").value == 1.5 and at.number_input(key="seed").value == 0

    next(b for b in at.button if b.label.startswith("Wipe")).click().run()
    assert not at.exception
    note = next(m.value for m in at.markdown if "keeps the most" in m.value)
    unit = at.number_input(key="unit").value
    assert note.startswith(f"Unit {unit} ") and at.slider(key="clamp").value == 0.0
    assert widget(at, "from", SLIDERS).value == widget(at, "t", SLIDERS).value > 1

    next(b for b in at.button if "stage directions" in b.label).click().run()
    assert not at.exception
    assert at.selectbox(key="passage").value == "Macbeth: the witches"
    assert (widget(at, "feature").value, widget(at, "order").value) == ("stage", "feature")
    assert "stage directions" in title(charts(at)["hunt_match"])

    set_(at, "feature", "space").run()
    best = int(at.dataframe[0].value.set_index("feature").loc["space", "best unit"])
    follow = next(b for b in at.button if b.label.startswith("Follow unit"))
    assert follow.label == f"Follow unit {best}"
    follow.click().run()
    assert at.number_input(key="unit").value == best and not at.exception


@pytest.mark.parametrize("damage, message", [
    ("missing", "are missing"), ("corrupt", "are corrupt"), ("unlisted", "no pretrained model named"),
])
def test_missing_or_corrupt_weights_are_a_message_on_this_page_only(apptest, damaged_weights, damage, message):
    damaged_weights(**{damage: ["char_lstm"]})
    at = apptest(PAGE)
    assert not at.exception
    assert message in warnings(at) and "keep working" in warnings(at)
    if damage != "unlisted":
        assert "`python -m rnnviz.train char_lstm`" in warnings(at)
    assert not charts(at) and not at.get("code")
    home = apptest()
    assert not home.exception and home.title
