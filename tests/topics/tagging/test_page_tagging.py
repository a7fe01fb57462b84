"""The tagging page through AppTest, with the shipped taggers: it opens on "I can can a can." and draws both
taggers' numbers, the controls change what is drawn, bad input gives a message and never an exception or
live HTML, presets and the URL set the view, and the predict-then-reveal answer comes from the models."""
from __future__ import annotations

import base64
import json

import numpy as np
import pytest
import common
from common import reveal, widget

from kit.charts import charts
from rnnviz import pretrained
from rnnviz.topics.tagging import compute as lesson
from rnnviz.topics.tagging import words as text

PAGE = "pages/11_Tagging.py"
DEEPER = ("tag_how", "tag_scores", "tag_equations", "tag_data")                # the closed expanders


# the page with its deeper parts open, as a student who opened each of them, but in the main-view test
apptest = common.deeper_open(DEEPER)


def in_order(node):
    """Every element of the page in the order it is drawn."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from in_order(child)


def test_opens_on_its_main_view_with_the_rest_closed(apptest, shipped):
    """Issue 22: the page opens on the sentence box and the tag columns above both taggers' heatmaps (the
    main view, not the sidebar); the deeper parts are closed and send nothing; the question and the presets
    come right under it."""
    uni, bi = shipped
    at = apptest(PAGE)
    assert not at.exception
    assert set(charts(at)) == {"uni", "bi"}
    assert all(at.session_state[k] is False for k in DEEPER)                        # drawn, closed
    keys = [getattr(el, "key", None) for el in in_order(at.main)]
    assert keys.index("sentence") < keys.index("tags") < keys.index("predict_guess") < keys.index("try_0")
    assert not at.sidebar.text_input
    r = lesson.read(uni, bi, lesson.tokenize(text.NEITHER))
    assert text.ahead_note(bi, r) in [x.value.replace("\\", "") for x in at.info]
    assert text.legend() not in shown(at)                                           # how to read waits, closed


@pytest.fixture(scope="module")
def shipped():
    return pretrained.load("tagger")[0], pretrained.load("tagger_bi")[0]


def z_of(spec: dict) -> np.ndarray:
    z = spec["data"][0]["z"]
    if isinstance(z, dict):
        shape = tuple(int(n) for n in z["shape"].split(","))
        return np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"]).reshape(shape)
    return np.array(z, dtype=float)


def warnings(at) -> str:
    return " ".join(w.value for w in at.warning).replace("\\", "")


def shown(at) -> str:
    return " ".join(x.value for x in [*at.markdown, *at.caption, *at.subheader, *at.warning, *at.info])


def test_opens_where_reading_ahead_changes_a_tag_with_both_taggers_numbers(apptest, shipped):
    """Opening deliberately changed (issue 20): from "I can can a can." (both taggers: VERB three times) to a
    held-out line where reading ahead changes the bidirectional tagger's tag; the can story is a preset."""
    uni, bi = shipped
    at = apptest(PAGE)
    assert not at.exception and not at.warning
    assert at.title[0].value == "Tagging"
    spec = charts(at)
    assert set(spec) == {"uni", "bi", "scoreboard"}
    words = lesson.tokenize(text.NEITHER)
    assert np.allclose(z_of(spec["uni"]), lesson.tag_probs(uni, words), atol=1e-9)
    assert np.allclose(z_of(spec["bi"]), lesson.tag_probs(bi, words), atol=1e-9)
    r = lesson.read(uni, bi, words)
    assert len(spec["bi"]["layout"].get("shapes", [])) == len(r.disagree) == 1         # disagreements boxed
    assert text.ahead_note(bi, r) in [x.value.replace("\\", "") for x in at.info]
    at.button(key="try_1").click().run()                                                 # the can story, a preset
    can = lesson.read(uni, bi, lesson.tokenize(text.CAN))
    assert text.can_note(can) in [x.value.replace("\\", "") for x in at.info]
    m = pretrained.manifest()["models"]
    assert f"**{m['tagger']['metrics']['test_accuracy']:.1%}**" in at.caption[0].value
    assert f"**{m['tagger_bi']['metrics']['test_accuracy']:.1%}**" in at.caption[0].value
    board = {d["name"]: d["y"] for d in spec["scoreboard"]["data"]}
    assert board["most frequent tag per word"][0] == m["tagger"]["metrics"]["baseline_accuracy"]


def test_each_control_changes_what_is_drawn(apptest, shipped):
    at = apptest(PAGE)
    before = charts(at)
    at.text_input(key="sentence").set_value(text.QUESTION_INPUT).run()
    after = charts(at)
    assert not at.exception
    assert len(after["uni"]["layout"]["yaxis"]["ticktext"]) == 6 and after["uni"] != before["uni"]
    assert len(after["bi"]["layout"]["shapes"]) == 1                               # "weird" boxed; no can note
    r = lesson.read(*shipped, lesson.tokenize(text.QUESTION_INPUT))
    assert [x.value.replace("\\", "") for x in at.info] == [text.ahead_note(shipped[1], r)]
    assert after["scoreboard"] == before["scoreboard"]
    assert len(after["uni"]["data"][0]["x"]) == 12
    widget(at, "tags").set_value("only the tags used").run()
    assert not at.exception and 2 <= len(charts(at)["uni"]["data"][0]["x"]) < 12


@pytest.mark.parametrize("typed, said", [
    ("", "The box is empty"),
    ("😀😀", "Nothing in the box is a word"),
    ("I can 😀 fly", "1 character left out (😀)"),
    ("Hello\x07 there", "U+0007"),
    ("<script>alert('x')</script>", None),
    ("<b>Bold</b><img src=x onerror=alert(1)>", None),
    ("The flibbertigibbetish grobbles zoomed.", "the taggers never learned"),
])
def test_bad_input_gives_a_message_and_the_rest_works(apptest, typed, said):
    at = apptest(PAGE, {"sentence": typed} if typed else None)
    if not typed:
        at.text_input(key="sentence").set_value("").run()
    assert not at.exception
    if said:
        assert said in warnings(at), warnings(at)
    page = shown(at) + json.dumps(charts(at))
    assert "<script" not in page and "<b>" not in page and "<img" not in page
    assert "scoreboard" in charts(at)


def test_100000_characters_are_cut_with_a_message(apptest):
    at = apptest(PAGE)
    at.text_input(key="sentence").set_value("can " * 25_000).run()
    assert not at.exception
    assert "You typed 100,000 characters" in warnings(at)
    assert len(at.text_input(key="sentence").value) == lesson.MAX_CHARS
    assert len(charts(at)["bi"]["layout"]["yaxis"]["ticktext"]) == lesson.MAX_WORDS


def test_the_url_opens_a_view(apptest):
    at = apptest(PAGE, {"sentence": "To be or not to be.", "tags": "only the tags used"})
    assert not at.exception and at.text_input(key="sentence").value == "To be or not to be."
    spec = charts(at)
    assert len(spec["uni"]["layout"]["yaxis"]["ticktext"]) == 7 and len(spec["uni"]["data"][0]["x"]) < 12
    assert text.NER in [m.value for m in at.markdown]          # issue 25: why tags stand in for named entities


def test_presets_set_every_control(apptest):
    at = apptest(PAGE, {"tags": "only the tags used"})
    for n, (label, overrides, _) in enumerate(text.PRESETS):
        at.button(key=f"try_{n}").click().run()
        assert not at.exception, label
        assert at.text_input(key="sentence").value == overrides["sentence"]
        assert (len(charts(at)["uni"]["data"][0]["x"]) == 12) == ("tags" not in overrides)


def test_predict_then_reveal_comes_from_the_models(apptest, shipped):
    best, why = text.answer(*shipped)
    at = apptest(PAGE)
    wrong = next(a for i, a in enumerate(text.ANSWERS) if i != best)
    said = " ".join(reveal(at, wrong)).replace("\\", "")
    assert f"Not quite: {text.ANSWERS[best]}" in said and why.split(":")[0] in said
    assert " ".join(reveal(at, text.ANSWERS[best])).startswith("**Right.**")


def test_missing_weights_are_a_message_on_this_page_only(apptest, damaged_weights):
    damaged_weights(missing=["tagger_bi"])
    at = apptest(PAGE)
    assert not at.exception and "tagger_bi" in at.error[0].value and not charts(at)
    assert not apptest().exception
