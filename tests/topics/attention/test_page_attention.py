"""The Attention page through AppTest, with the shipped models: it opens on a number and draws both models' own
answers, the alignment α (rows sum to 1) and the contexts (the plain model's all one c); a typed number and the
units shown change what is drawn; bad input gives a message and never an exception or live HTML; presets and
the URL set the view; the length chart waits for the question and then draws the manifest's numbers; a
missing weights file is a message on this page."""
from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest
from common import deeper_open, reveal, widget

from kit.charts import charts
from rnnviz import pretrained
from rnnviz.topics.attention import compute, view, words

PAGE = "pages/15_Attention.py"
MAIN = {"alignment", "ctx_plain", "ctx_attention"}          # the contexts: in a lazy expander, opened here
apptest = deeper_open((view.CONTEXTS,))


def read(spec: dict) -> list[str]:
    """The characters the alignment map writes under its columns (its text trace, not tick labels)."""
    (trace,) = [t for t in spec["alignment"]["data"] if t.get("name") == "character read"]
    return trace["text"]


@pytest.fixture(scope="module")
def models():
    return pretrained.load(view.PLAIN)[0], pretrained.load(view.ATTENTIVE)[0]


def z_of(trace: dict) -> np.ndarray:
    z = trace["z"]
    if isinstance(z, dict):
        shape = tuple(int(n) for n in z["shape"].split(","))
        return np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"]).reshape(shape)
    return np.array(z, dtype=float)


def warnings(at) -> str:
    return " ".join(w.value for w in at.warning).replace("\\", "")


def test_opens_on_a_number_with_the_models_own_numbers(apptest, models):
    at = apptest(PAGE)
    assert not at.exception and at.title[0].value == "Attention"
    spec = charts(at)
    assert set(spec) == MAIN                                   # the length chart waits for the question
    r = compute.read(*models, view.DEFAULT)
    assert [m.value for m in at.metric] == [r.plain.text, r.attentive.text]
    alpha = z_of(spec["alignment"]["data"][0])
    assert alpha.shape == (len(r.attentive.symbols), len(view.DEFAULT))
    assert np.allclose(alpha, r.attentive.alphas, atol=1e-6) and np.allclose(alpha.sum(1), 1, atol=1e-6)
    plain = z_of(spec["ctx_plain"]["data"][0])
    assert np.allclose(plain, plain[:, :1], atol=1e-9)          # one c at every step
    assert any("Predict first" in i.value for i in at.info)


def test_opens_on_its_main_view_with_the_rest_closed(apptest):
    """Issue 22: the number beside both answers and the alignment map; the two context maps wait, closed, in a
    lazy expander under it (they send nothing until opened), with the units shown inside it."""
    at = apptest(PAGE)
    assert not at.exception and set(charts(at)) == {"alignment"}
    assert at.session_state[view.CONTEXTS] is False and len(at.metric) == 2
    assert not [w for w in at.button_group if w.key == "units"]  # units: in the expander


def test_a_typed_number_and_the_units_change_the_view(apptest, models):
    at = apptest(PAGE)
    at.text_input(key="number").set_value("Forty-Two").run()
    spec = charts(at)
    assert not at.exception
    assert read(spec) == list("forty-two")
    widget(at, "units").set_value("all").run()
    assert len(charts(at)["ctx_attention"]["data"][0]["y"]) == models[1].hidden_size


@pytest.mark.parametrize("typed, said", [
    ("", "The box is empty"),
    ("hello world", "not a number written the way the models learned"),
    ("twenty 😀", "never saw in training (😀)"),
    ("forty\x07two", "control character dropped (U+0007)"),
    ("<script>alert('x')</script>", "not a number written"),
    ("<b>Bold</b><img src=x onerror=alert(1)>", "not a number written"),
])
def test_bad_input_gives_a_message_and_the_rest_works(apptest, typed, said):
    at = apptest(PAGE, {"number": typed} if typed else None)
    if not typed:
        at.text_input(key="number").set_value("").run()
    assert not at.exception
    assert said in warnings(at), warnings(at)
    page = " ".join(x.value for x in [*at.markdown, *at.caption, *at.warning, *at.success, *at.info]) \
        + json.dumps(charts(at)) + " ".join(m.value for m in at.metric)
    assert not re.search(r"(?<!\\)<(script|b>|img)", page), page
    assert (set(charts(at)) == MAIN) == bool(typed)


def test_a_very_long_input_is_cut_with_a_message(apptest):
    at = apptest(PAGE)
    at.text_input(key="number").set_value("nine hundred ninety-nine thousand " * 3000).run()
    assert not at.exception and "You typed 102,000 characters" in warnings(at)
    assert len(read(charts(at))) <= compute.MAX_CHARS


def test_the_url_and_the_presets_set_the_view(apptest):
    at = apptest(PAGE, {"number": "forty-two", "units": "all"})
    assert not at.exception and at.text_input(key="number").value == "forty-two"
    assert read(charts(at)) == list("forty-two")
    assert len(charts(at)["ctx_plain"]["data"][0]["y"]) == pretrained.meta(view.PLAIN)["arch"]["hidden_size"]
    for n, (label, overrides, _) in enumerate(words.PRESETS):
        at.button(key=f"try_{n}").click().run()
        assert not at.exception, label
        assert at.text_input(key="number").value == overrides["number"]
        assert widget(at, "units").value == overrides.get("units", view.UNITS[0])


def test_the_length_chart_follows_the_question_and_the_manifest(apptest):
    plain, attentive = pretrained.meta(view.PLAIN), pretrained.meta(view.ATTENTIVE)
    curves = compute.by_length(plain, attentive)
    best, why = words.answer(curves)
    at = apptest(PAGE)
    wrong = next(a for i, a in enumerate(words.ANSWERS) if i != best)
    shown = " ".join(reveal(at, wrong))
    assert f"Not quite: {words.ANSWERS[best]}" in shown and why.split(". ")[0] in shown
    spec = charts(at)["length"]
    ys = {t["name"]: t["y"] for t in spec["data"]}
    assert ys["plain (single c)"] == curves.plain and ys["with attention"] == curves.attentive
    assert words.length_said(curves) in [c.value.replace("\\", "") for c in at.caption]


def test_missing_weights_are_a_message_on_this_page_only(apptest, damaged_weights):
    damaged_weights(missing=[view.ATTENTIVE])
    at = apptest(PAGE)
    assert not at.exception and "are missing" in at.error[0].value and not charts(at)
