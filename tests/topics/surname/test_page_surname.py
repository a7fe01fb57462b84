"""The surname page through AppTest, with the shipped model: it opens on a name and draws the model's verdict
after every letter (the numbers of the model itself), each control changes what is drawn, bad input gives
a message and never an exception or live HTML, presets and the URL set the view, the predict-then-reveal
answer comes from the model, and a missing or corrupt weights file is a message on this page only."""
from __future__ import annotations

import json

import numpy as np
import pytest
import common
from common import reveal, widget

from kit.charts import charts
from rnnviz import pretrained
from rnnviz.topics.surname import compute as lesson
from rnnviz.topics.surname import words

PAGE = "pages/9_Surname_language.py"
CHARTS = {"trajectory", "top_model", "top_bigram", "scoreboard", "per_language", "confusion_gru", "confusion_bigram"}
DEEPER = ("sur_how", "sur_top", "sur_scores", "sur_data")                      # the closed expanders


# the page with its deeper parts open, as a student who opened each of them, but in the main-view test
apptest = common.deeper_open(DEEPER)


@pytest.fixture(scope="module")
def shipped():
    model, meta = pretrained.load("surname")
    return model, meta, lesson.BigramNB.from_json(meta["baseline"]["counts"])


def z_of(spec: dict) -> np.ndarray:
    """A heatmap's z as plotly sends it (a typed binary array with a shape, or nested lists)."""
    import base64

    z = spec["data"][0]["z"]
    if isinstance(z, dict):
        shape = tuple(int(n) for n in z["shape"].split(","))
        return np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"]).reshape(shape)
    return np.array(z, dtype=float)


def warnings(at) -> str:
    return " ".join(w.value for w in at.warning)


def shown_text(at) -> str:
    return " ".join(x.value for x in [*at.markdown, *at.caption, *at.subheader, *at.warning])


def test_opens_on_schmidt_with_the_models_own_numbers(apptest, shipped):
    model, meta, nb = shipped
    at = apptest(PAGE)
    assert not at.exception and not at.warning
    assert at.title[0].value == "Surname → language"
    spec = charts(at)
    assert set(spec) == CHARTS
    probs = lesson.model_steps(model, "schmidt")
    order = np.argsort(-probs[-1], kind="stable")
    assert spec["trajectory"]["data"][0]["y"] == [model.classes[i] for i in order]    # likeliest on top
    assert np.allclose(z_of(spec["trajectory"]), probs[:, order].T, atol=1e-9)
    bars = spec["top_bigram"]["data"][0]
    final = nb.steps("schmidt")[-1]
    assert bars["y"][0] == model.classes[int(final.argmax())] and bars["x"][0] == pytest.approx(final.max())
    m = meta["metrics"]
    assert f"**{m['test_accuracy']:.0%}**" in at.caption[0].value and f"{m['bigram_accuracy']:.0%}" in at.caption[0].value
    board = {d["name"]: d["y"] for d in spec["scoreboard"]["data"] if d["type"] == "bar"}
    assert board["GRU (reads in order)"] == [m["test_accuracy"], m["test_balanced_accuracy"]]
    assert words.story(lesson.read(model, nb, "schmidt")) in [x.value.replace("\\", "") for x in at.markdown]


def in_order(node):
    """Every element of the page in the order it is drawn."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from in_order(child)


def test_opens_on_its_main_view_with_the_rest_closed(apptest, shipped):
    """Issue 22: the page opens on the name box and its two display controls beside the letter-by-letter
    chart (the main view, not the sidebar); the deeper parts are closed and send nothing; the question and
    the presets come right under it."""
    model, _, nb = shipped
    at = apptest(PAGE)
    assert not at.exception
    assert set(charts(at)) == {"trajectory"}
    assert all(at.session_state[k] is False for k in DEEPER)                        # drawn, closed
    keys = [getattr(el, "key", None) for el in in_order(at.main)]
    assert keys.index("name") < keys.index("order") < keys.index("both") < keys.index("predict_guess") \
        < keys.index("try_0")
    assert not at.sidebar.text_input and "both" not in [t.key for t in at.sidebar.toggle]
    assert words.story(lesson.read(model, nb, "schmidt")) in [x.value.replace("\\", "") for x in at.markdown]


def test_each_control_changes_what_is_drawn(apptest):
    at = apptest(PAGE)
    before = charts(at)
    at.text_input(key="name").set_value("Kowalski").run()
    after = charts(at)
    assert not at.exception
    assert len(after["trajectory"]["layout"]["xaxis"]["ticktext"]) == 8 != len(before["trajectory"]["layout"]["xaxis"]["ticktext"])
    assert after["top_model"] != before["top_model"] and after["scoreboard"] == before["scoreboard"]

    widget(at, "order").set_value("alphabetical").run()
    rows = charts(at)["trajectory"]["data"][0]["y"]
    assert rows == sorted(rows)

    at.toggle(key="both").set_value(True).run()
    spec = charts(at)
    assert not at.exception and "baseline_trajectory" in spec
    assert spec["baseline_trajectory"]["data"][0]["y"] == rows


@pytest.mark.parametrize("typed, said, reads", [
    ("", "The box is empty", None),
    ("12345", "Nothing in the box is a letter", None),
    ("van Dijk", "A surname is one word here", "vandijk"),
    ("Smith2000", "Digits are not part of a surname", "smith"),
    ("Nakamura😀", "1 character (😀) dropped", "nakamura"),
    ("Bell\x07", "control character (U+0007)", "bell"),
    ("<script>alert('x')</script>", "dropped: the model reads letters", "scriptalert'x'script"),
    ("<b>Bold</b><img src=x onerror=alert(1)>", "dropped: the model reads letters", None),
    ("Øyvindsdóttirþ", "never saw in training", None),
])
def test_bad_input_gives_a_message_and_the_rest_works(apptest, typed, said, reads):
    at = apptest(PAGE, {"name": typed} if typed else None)
    if not typed:
        at.text_input(key="name").set_value("").run()
    assert not at.exception
    assert said in warnings(at).replace("\\", ""), warnings(at)
    page = shown_text(at) + json.dumps(charts(at))
    assert "<script" not in page and "<b>" not in page and "<img" not in page
    assert {"scoreboard", "per_language", "confusion_gru"} <= set(charts(at))        # the rest still works
    if reads:
        assert f"Reading “{reads}”" in " ".join(s.value for s in at.subheader).replace("\\", "")


def test_100000_characters_are_cut_with_a_message(apptest):
    at = apptest(PAGE)
    at.text_input(key="name").set_value("Kowalski" * 12_500).run()
    assert not at.exception
    assert "You typed 100,000 characters" in warnings(at) and at.text_input(key="name").value == ("Kowalski" * 5)[:40]
    assert len(charts(at)["trajectory"]["layout"]["xaxis"]["ticktext"]) == lesson.MAX_LETTERS


def test_the_url_opens_a_view(apptest):
    at = apptest(PAGE, {"name": "Nakamura", "order": "alphabetical", "both": "true"})
    assert not at.exception and at.text_input(key="name").value == "Nakamura"
    spec = charts(at)
    assert spec["trajectory"]["layout"]["xaxis"]["ticktext"] == list("nakamura")
    assert spec["trajectory"]["data"][0]["y"] == sorted(spec["trajectory"]["data"][0]["y"])
    assert "baseline_trajectory" in spec


def test_presets_set_every_control(apptest):
    at = apptest(PAGE, {"order": "alphabetical", "both": "true"})
    for n, (label, overrides, _) in enumerate(words.PRESETS):
        at.button(key=f"try_{n}").click().run()
        assert not at.exception, label
        assert at.text_input(key="name").value == overrides["name"]
        assert at.toggle(key="both").value == overrides.get("both", False)
        assert ("baseline_trajectory" in charts(at)) == overrides.get("both", False)


def test_predict_then_reveal_comes_from_the_model(apptest, shipped):
    model = shipped[0]
    best, why = words.answer(model)
    at = apptest(PAGE)
    wrong = next(a for i, a in enumerate(words.ANSWERS) if i != best)
    shown = " ".join(reveal(at, wrong))
    assert f"Not quite: {words.ANSWERS[best]}" in shown and why.split(". ")[0] in shown
    shown = " ".join(reveal(at, words.ANSWERS[best]))
    assert shown.startswith("**Right.**")


@pytest.mark.parametrize("damage, message", [("missing", "are missing"), ("corrupt", "are corrupt")])
def test_missing_or_corrupt_weights_are_a_message_on_this_page_only(apptest, damaged_weights, damage, message):
    damaged_weights(**{damage: ["surname"]})
    at = apptest(PAGE)
    assert not at.exception
    assert message in " ".join(e.value for e in at.error) and "python -m rnnviz.train surname" in at.error[0].value
    assert not charts(at)
    assert not apptest().exception
