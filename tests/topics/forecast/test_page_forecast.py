"""The forecasting page through AppTest, with the shipped models: it opens on the sunspots, draws the model's
own free run and one-step forecasts, each control changes what is drawn, the slider ends and a horizon past the
data give a message and no exception, bad URL parameters fall back to the defaults, presets set every control,
the predict-then-reveal answer comes from the model, and missing weights are a message on this page only."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest
from common import open_deeper, reveal, widget

from kit.charts import as_chart, charts, is_chart
from kit.words import chart_words, visible_text
from rnnviz import pretrained
from rnnviz.topics.forecast import compute as lesson
from rnnviz.topics.forecast import words

PAGE = "pages/13_Forecasting.py"
CHARTS = {"forecast", "horizon", "diagram"}
# Issue 22: the page opens on its main view (the forecast); the horizon chart, the two ways to feed a model, the
# equations and the notes wait in lazy expanders. These tests open them all, as a student who opened each
# (open_deeper); the first test checks what is drawn before any is opened.
DEEPER = ("fc_horizon", "fc_ways", "fc_equations", "fc_data")


@pytest.fixture(autouse=True)
def opened(monkeypatch):
    open_deeper(monkeypatch, DEEPER)


def test_opens_on_its_main_view_and_the_rest_waits_until_opened(apptest, monkeypatch):
    monkeypatch.undo()                                    # nothing opened: a student's first view
    at = apptest(PAGE)
    assert not at.exception and set(charts(at)) == {"forecast"}
    assert metrics(at)[0] == "11" and not at.get("latex")


@pytest.fixture(scope="module")
def shipped():
    out = {}
    for name in ("sunspots", "co2"):
        model, meta = pretrained.load(name)
        out[name] = (model, meta, lesson.Series.from_meta(meta))
    return out


def ys(spec: dict, name: str) -> np.ndarray:
    import base64

    trace = next(t for t in spec["data"] if t["name"] == name)
    y = trace["y"]
    if isinstance(y, dict):
        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"])
    return np.array(y, dtype=float)


FREE = "free running (fed its own forecasts)"


def warnings(at) -> str:
    return " ".join(w.value for w in at.warning)


def metrics(at) -> list[str]:
    return [m.value for m in at.metric]


def test_opens_on_the_sunspots_with_the_models_own_numbers(apptest, shipped):
    model, meta, s = shipped["sunspots"]
    at = apptest(PAGE)
    assert not at.exception and not at.warning
    assert at.title[0].value == "Forecasting"
    spec = charts(at)
    assert set(spec) == CHARTS
    origin = lesson.origin_index(s, 1978)
    assert np.allclose(ys(spec["forecast"], FREE)[1:], lesson.free_run(model, s.values, origin, 11))
    one = ys(spec["forecast"], "one step ahead (given the true past)")
    assert np.allclose(one, lesson.one_step(model, s.values)[-len(one) - (s.n - 1 - (origin + 11)):][:len(one)])
    m = meta["metrics"]
    scores = next(c.value for c in at.caption if "Held-out tail" in c.value)
    assert f"**{m['rmse_1']:.3g}**" in scores and f"{m['naive_rmse_1']:.3g}" in scores
    assert metrics(at)[0] == "11"
    e = lesson.forecast(model, s, origin, 11).errors()
    assert metrics(at)[1:] == [f"{e['free']:.3g}", f"{e['naive']:.3g}", f"{e['seasonal']:.3g}"]


def test_each_control_changes_what_is_drawn(apptest, shipped):
    at = apptest(PAGE)
    before = charts(at)
    at.slider(key="years").set_value(20).run()
    assert not at.exception and len(ys(charts(at)["forecast"], FREE)) == 21
    at.slider(key="year").set_value(1990).run()
    assert ys(charts(at)["forecast"], FREE)[0] == shipped["sunspots"][2].values[1990 - 1700]
    at.toggle(key="onestep").set_value(False).run()
    assert "one step ahead (given the true past)" not in {t["name"] for t in charts(at)["forecast"]["data"]}
    widget(at, "series").set_value("co2").run()
    assert not at.exception
    labels = [s.label for s in at.slider]
    assert "Horizon (months ahead)" in labels and "Horizon (years ahead)" not in labels
    after = charts(at)
    assert after["forecast"]["layout"]["yaxis"]["title"]["text"] == "ppm" != before["forecast"]["layout"]["yaxis"]["title"]["text"]
    model, _, s = shipped["co2"]
    assert np.allclose(ys(after["forecast"], FREE)[1:], lesson.free_run(model, s.values, lesson.origin_index(s, 1996), 24))


@pytest.mark.parametrize("query, said", [
    ({"year": 2008, "years": 40}, "no true value to compare with"),
    ({"year": 2000, "years": 30}, "the errors below use the first 8"),
    ({"series": "co2", "from": 2001, "months": 120}, "no true value to compare with"),
    ({"year": 1720, "years": 1}, "lie in the training part"),
    ({"series": "co2", "from": 1960, "months": 1}, "lie in the training part"),
])
def test_slider_ends_and_past_the_data_give_a_message(apptest, query, said):
    at = apptest(PAGE, query)
    assert not at.exception
    assert said in warnings(at), warnings(at)
    assert set(charts(at)) == CHARTS
    if said == "no true value to compare with" and query.get("year", 0) == 2008 or query.get("from") == 2001:
        assert metrics(at)[0] == "0" and metrics(at)[1] == "no truth"


@pytest.mark.parametrize("query", [
    {"series": "<script>alert(1)</script>"}, {"year": "abc", "years": "99999"}, {"year": "-5"},
    {"series": "co2", "from": "1e9", "months": "<b>x</b>"}, {"onestep": "maybe"}, {"series": "😀\x07"},
])
def test_bad_url_parameters_fall_back_to_the_defaults(apptest, query):
    at = apptest(PAGE, query)
    assert not at.exception
    assert set(charts(at)) == CHARTS
    page = json.dumps(charts(at)) + " ".join(x.value for x in [*at.markdown, *at.caption, *at.warning])
    page = re.sub(r"\\.", "", page)          # what is left unescaped (a note may quote the link, escaped)
    assert "<script" not in page and "alert(1)" not in page and "<b>x</b>" not in page


def test_presets_set_every_control(apptest):
    at = apptest(PAGE, {"year": 1800, "years": 3, "onestep": "false"})
    for n, (label, overrides, _) in enumerate(words.PRESETS):
        at.button(key=f"try_{n}").click().run()
        assert not at.exception, label
        assert widget(at, "series").value == overrides["series"]
        key_o, key_h = ("year", "years") if overrides["series"] == "sunspots" else ("from", "months")
        assert at.slider(key=key_o).value == overrides[key_o] and at.slider(key=key_h).value == overrides[key_h]
        assert at.toggle(key="onestep").value == overrides.get("onestep", True)
        assert at.metric[0].label == f"Forecasts scored (of {overrides[key_h]})"


def test_predict_then_reveal_comes_from_the_model(apptest, shipped):
    for name in ("sunspots", "co2"):
        model, _, s = shipped[name]
        right, why = words.answer(model, s)
        at = apptest(PAGE, {"series": name})
        wrong = next(a for i, a in enumerate(words.ANSWERS) if i != right)
        shown = " ".join(reveal(at, wrong))
        assert f"Not quite: {words.ANSWERS[right]}" in shown and why.split(";")[0] in shown
        shown = " ".join(reveal(at, words.ANSWERS[right]))
        assert shown.startswith("**Right.**")


@pytest.mark.parametrize("damage, message", [("missing", "are missing"), ("corrupt", "are corrupt")])
def test_missing_or_corrupt_weights_are_a_message_on_this_page_only(apptest, damaged_weights, damage, message):
    damaged_weights(**{damage: ["sunspots"]})
    at = apptest(PAGE)
    assert not at.exception
    assert message in " ".join(e.value for e in at.error) and "python -m rnnviz.train sunspots" in at.error[0].value
    assert not charts(at)
    assert not apptest().exception


def test_the_question_comes_before_the_horizon_chart_that_answers_it(apptest):
    """Issue 20: the horizon chart (RMSE at every horizon, model and baselines) showed the answer above the
    question; the question now comes first."""
    at = apptest(PAGE)

    def walk(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    order = []
    for el in walk(at.main):
        if getattr(el, "type", None) == "radio" and el.key == "predict_guess":
            order.append("question")
        elif is_chart(el):
            order.append(as_chart(el).key)
    assert order.index("question") < order.index("horizon") and order.index("forecast") < order.index("question")


def plain(text: str) -> str:
    return text.replace("\\", "")


def test_words_under_the_charts_and_the_answer_only_after_the_reveal(apptest, shipped):
    """Issue 22: a person's sentence under each chart, its number from the model; the automatic summary only in
    "The numbers"; the free run's score further ahead (the question's answer) waits for the reveal."""
    model, meta, s = shipped["sunspots"]
    at = apptest(PAGE)
    said, seen = chart_words(at), plain(visible_text(at))
    for key, w in said.items():
        assert w.numbers and plain(w.numbers) not in seen, key           # for a screen reader, not the eye
    f = lesson.forecast(model, s, lesson.origin_index(s, 1978), 11)
    miss = np.abs(f.free - f.truth)
    assert plain(said["forecast"].sentence) == words.forecast_said(s, f)
    assert f"misses most in {1979 + int(np.argmax(miss))}, by {miss.max():.3g} (sunspot number)" in seen
    m, k = meta["metrics"], meta["metrics"]["horizon"]
    answer = f"Free running {k} years ahead: model **{m[f'rmse_{k}']:.3g}**"
    c = lesson.horizon_curve(model, s, meta["hyper"]["max_horizon"])
    grows = f"to {c.model[-1]:.3g} at {len(c.model)} years"
    assert answer not in seen and grows not in seen and "answer the question below first" in seen
    reveal(at, words.ANSWERS[0])
    seen = plain(visible_text(at))
    assert answer in seen and grows in seen
