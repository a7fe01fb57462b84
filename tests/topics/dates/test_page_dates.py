"""The date-translation page through AppTest, with the shipped model: it opens on a date and draws the model's own
numbers (the encoder's states and c, the decoder's distributions, the beam tree), a typed date and the beam width
change what is drawn, bad input gives a message and never an exception or live HTML, presets and the URL set the
view, the predict-then-reveal answer comes from the model, and a missing weights file is a message on this page."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest
from common import open_deeper, reveal, widget

from kit.charts import charts
from rnnviz import pretrained
from rnnviz.topics.dates import compute as lesson
from rnnviz.topics.dates import decoding
from rnnviz.topics.dates import words

PAGE = "pages/12_Date_translation.py"
CHARTS = {"encoder", "context", "decoder", "beam", "scoreboard"}
# Issue 22: the page opens on its main view (the decoder's steps); the beam tree, the encoder and the model's
# score wait in lazy expanders. These tests open them all, as a student who opened each (open_deeper); the
# first test checks what is drawn before any is opened.
DEEPER = ("dates_beam", "dates_encoder", "dates_score", "dates_equations", "dates_data")


@pytest.fixture(autouse=True)
def opened(monkeypatch):
    open_deeper(monkeypatch, DEEPER)


@pytest.fixture(scope="module")
def shipped():
    return pretrained.load("dates")


def z_of(trace: dict) -> np.ndarray:
    import base64

    z = trace["z"]
    if isinstance(z, dict):
        shape = tuple(int(n) for n in z["shape"].split(","))
        return np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"]).reshape(shape)
    return np.array(z, dtype=float)


def xs(trace: dict) -> np.ndarray:
    import base64

    x = trace["x"]
    if isinstance(x, dict):
        return np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"])
    return np.array(x, dtype=float)


def colors(trace: dict) -> np.ndarray:
    import base64

    c = trace["marker"]["color"]
    if isinstance(c, dict):
        return np.frombuffer(base64.b64decode(c["bdata"]), dtype=c["dtype"])
    return np.array(c, dtype=float)


def warnings(at) -> str:
    return " ".join(w.value for w in at.warning).replace("\\", "")


def metrics(at) -> list[str]:
    return [m.value for m in at.metric]


def test_opens_on_its_main_view_and_the_rest_waits_until_opened(apptest, monkeypatch):
    monkeypatch.undo()                                    # nothing opened: a student's first view
    at = apptest(PAGE)
    assert not at.exception and set(charts(at)) == {"decoder"}
    assert metrics(at) == ["2026-11-21", "2026-11-21"]
    assert not at.get("latex") and not at.dataframe     # the equations and the distances: not sent while closed
    assert not [w for w in at.button_group if w.key == "units"]   # the units shown: in the encoder's expander


def test_opens_on_a_date_with_the_models_own_numbers(apptest, shipped):
    model, meta = shipped
    at = apptest(PAGE)
    assert not at.exception and not at.warning
    assert at.title[0].value == "Date translation"
    spec = charts(at)
    assert set(spec) == CHARTS
    r = lesson.read(model, "Saturday, November 21st 2026", 3)
    assert metrics(at) == ["2026-11-21", "2026-11-21"]
    assert "Greedy wrote 2026-11-21: right." in [s.value.replace("\\", "") for s in at.success]
    ticks = spec["encoder"]["layout"]["xaxis"]["ticktext"]
    assert len(ticks) == 28 and ticks[9] == "␣"
    units = [int(u) for u in spec["encoder"]["data"][0]["y"]]
    assert len(units) == 32 and np.allclose(z_of(spec["encoder"]["data"][0])[:, -1], r.c[units], atol=1e-6)
    assert np.allclose(xs(spec["context"]["data"][0]), r.c[units], atol=1e-6)
    assert spec["decoder"]["data"][1]["y"] == list("2026-11-21") + [lesson.END_SHOWN]
    rows = spec["decoder"]["layout"]["yaxis"]["categoryarray"]      # the decoder's tiles: p, row by row
    p = colors(spec["decoder"]["data"][0]).reshape(len(rows), -1)
    assert np.allclose(p[:, 0].sum(), 1, atol=1e-6)
    m = meta["metrics"]
    shown = next(c.value for c in at.caption if "held-out dates it never saw" in c.value)
    assert f"**{m['test_exact_greedy']:.1%}**" in shown and f"{m['majority_exact']:.1%}" in shown
    bars = spec["scoreboard"]["data"][0]["y"]
    assert bars == [m["test_exact_greedy"], m["test_exact_beam"], m["majority_exact"]]
    assert [x.value for x in at.get("latex")][1] == "c = h_T" or any("c = h_T" in x.value for x in at.get("latex"))


def test_a_typed_date_and_the_width_change_the_view(apptest, shipped):
    model, _ = shipped
    at = apptest(PAGE)
    before = charts(at)
    at.text_input(key="date").set_value("04.03.2026").run()
    after = charts(at)
    assert not at.exception and metrics(at)[0] == "2026-03-04"
    assert after["encoder"]["layout"]["xaxis"]["ticktext"] == list("04.03.2026")
    assert after["decoder"] != before["decoder"] and after["scoreboard"] == before["scoreboard"]
    widget(at, "width").set_value(1).run()
    tree = charts(at)["beam"]
    assert not at.exception and "width 1" in tree["layout"]["title"]["text"]
    dropped = next(t for t in tree["data"] if t.get("name") == "dropped")
    assert len(dropped["x"]) == 0                                # width 1 keeps every candidate it makes
    widget(at, "width").set_value(6).run()
    tree = charts(at)["beam"]
    b = decoding.beam(model, decoding.encode(model, "04.03.2026"), 6)
    per_step = [sum(n.step == s for n in b.nodes) for s in {n.step for n in b.nodes}]
    assert sum(len(t["x"]) for t in tree["data"] if t.get("mode") == "markers+text") == \
        sum(min(12, k) for k in per_step) + 1                    # the best 2 × 6 of each step, and the start
    widget(at, "units").set_value("all").run()
    assert len(charts(at)["encoder"]["data"][0]["y"]) == model.hidden_size


@pytest.mark.parametrize("typed, said", [
    ("", "The box is empty"),
    ("hello 😀", "never saw in training (😀)"),
    ("21 nov\x07 2026", "control character dropped (U+0007)"),
    ("<script>alert('x')</script>", "is not a date in any of the forms"),
    ("<b>Bold</b><img src=x onerror=alert(1)>", "is not a date in any of the forms"),
    ("february 30 2026", "February 2026 has no day 30"),
    ("13/45/2026", "there is no month 13"),
    ("1 jan 1850", "outside the years the model learned"),
])
def test_bad_input_gives_a_message_and_the_rest_works(apptest, typed, said):
    at = apptest(PAGE, {"date": typed} if typed else None)
    if not typed:
        at.text_input(key="date").set_value("").run()
    assert not at.exception
    assert said in warnings(at), warnings(at)
    page = " ".join(x.value for x in [*at.markdown, *at.caption, *at.warning, *at.success, *at.info]) \
        + json.dumps(charts(at)) + " ".join(metrics(at))
    assert not re.search(r"(?<!\\)<(script|b>|img)", page), page        # escaped (\<b\>, &lt;b&gt;) or absent
    assert "scoreboard" in charts(at)                                    # the rest still works
    if typed:
        assert {"encoder", "decoder", "beam"} <= set(charts(at))         # and the model still shows what it does


def test_100000_characters_are_cut_with_a_message(apptest):
    at = apptest(PAGE)
    at.text_input(key="date").set_value(("21 november 2026 " * 5_883)[:100_000]).run()
    assert not at.exception
    assert "You typed 100,000 characters" in warnings(at)
    assert len(at.text_input(key="date").value) == lesson.MAX_CHARS
    assert len(charts(at)["encoder"]["layout"]["xaxis"]["ticktext"]) <= lesson.MAX_CHARS


def test_the_url_opens_a_view(apptest):
    at = apptest(PAGE, {"date": "03/04/2026", "width": "5", "units": "all"})
    assert not at.exception and at.text_input(key="date").value == "03/04/2026"
    assert metrics(at)[0] == "2026-03-04" and "width 5" in charts(at)["beam"]["layout"]["title"]["text"]


def test_presets_set_every_control(apptest):
    at = apptest(PAGE, {"width": "7", "units": "all"})
    for n, (label, overrides, _) in enumerate(words.PRESETS):
        at.button(key=f"try_{n}").click().run()
        assert not at.exception, label
        assert at.text_input(key="date").value == overrides["date"]
        assert widget(at, "width").value == overrides.get("width", 3)
        assert widget(at, "units").value == overrides.get("units", "strongest 32")


def test_predict_then_reveal_comes_from_the_model(apptest, shipped):
    model, _ = shipped
    best, why = words.answer(model)
    at = apptest(PAGE)
    wrong = next(a for i, a in enumerate(words.ANSWERS) if i != best)
    shown = " ".join(reveal(at, wrong))
    assert f"Not quite: {words.ANSWERS[best]}" in shown and why.split(". ")[0] in shown
    assert any(s.startswith("**Right.**") for s in reveal(at, words.ANSWERS[best]))


def test_missing_weights_are_a_message_on_this_page_only(apptest, damaged_weights):
    damaged_weights(missing=["dates"])
    at = apptest(PAGE)
    assert not at.exception and "are missing" in at.error[0].value
    assert "python -m rnnviz.train dates" in at.error[0].value and not charts(at)


def test_the_charts_and_c_are_said_from_the_reading(apptest, shipped):
    """Issue 20: the decoder's automatic caption printed "(at -, 8)"; each chart now has a sentence written
    from the reading, and the encoder's note measures c against other forms and another date."""
    model, _ = shipped
    at = apptest(PAGE, {"date": "03/04/2026"})
    captions = [c.value.replace("\\", "") for c in at.caption]
    r = lesson.read(model, "03/04/2026", 3)
    assert words.decoder_said(model, r.greedy) in captions
    assert words.beam_said(r) in captions
    assert not any(re.search(r"\(at [^)]*, [^)]*\)", c) for c in captions)
    assert words.context_said(lesson.context_pairs(model, "03/04/2026")) in captions
    table = at.dataframe[0].value
    assert list(table["B"]) == ["4 march 2026", "2026-03-04", "03/05/2026", "5 march 2026", "2026-03-05"]
    at.text_input(key="date").set_value("hello").run()
    assert not at.exception and any("Type a real date" in c.value for c in at.caption)
