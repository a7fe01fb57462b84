"""The Image captions page through AppTest, with the shipped model: it opens on a composed scene and draws the
picture, both captions and the decoder's next-word distribution (the model's own numbers); each main control
changes what is drawn; a scene the model never saw is said; a bad link gives a note and the defaults; presets and
the URL set the view; the predict-then-reveal answer comes from the model; missing weights are a message."""
from __future__ import annotations

import numpy as np
import pytest
import common
from common import reveal, widget

from kit.charts import array, charts
from rnnviz import pretrained
from rnnviz.topics.captions import compute, data, view, words

PAGE = "pages/22_Image_captions.py"
DEEPER = ("cap_how", "cap_beam", "cap_scores", "cap_equations", "cap_data")
apptest = common.deeper_open(DEEPER)


@pytest.fixture(scope="module")
def shipped():
    return pretrained.load("captions")


def shown_text(at) -> str:
    return " ".join(x.value for x in [*at.markdown, *at.caption, *at.warning, *at.info]).replace("\\", "")


def greedy_line(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Greedy:**")).replace("\\", "")


def test_opens_on_its_main_view_with_the_rest_closed(apptest, shipped):
    model, meta = shipped
    at = apptest(PAGE)
    assert not at.exception and not at.warning
    assert at.title[0].value == "Image captions"
    assert set(charts(at)) == {"next_words"} and all(at.session_state[k] is False for k in DEEPER)
    scene = compute.compose("small red circle", "large yellow triangle", "left")
    c = compute.describe(model, compute.picture(scene, 0, 0.05), 3)
    spec = charts(at)["next_words"]
    assert spec["layout"]["xaxis"]["ticktext"] == [figures_word(w) for w in c.step_labels()]
    rows = compute.top_words(c.probs, c.vocab, k=9, always=c.greedy.tokens)
    assert np.allclose(array(spec["data"][0]["marker"]["color"]), c.probs[:, rows].T.ravel(), atol=1e-6)
    assert f"**Greedy:** {' '.join(c.greedy_words)}" in greedy_line(at)
    assert words.verdict(c, data.caption(scene)) in shown_text(at)
    assert len(at.get("image")) == 1
    m = meta["metrics"]
    assert f"**{m['seen_greedy_exact']:.0%}**" in shown_text(at)


def figures_word(w: str) -> str:
    return "(end)" if w == "</s>" else w


def in_order(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from in_order(child)


def test_nothing_above_the_question_gives_its_answer(apptest, shipped):
    _, meta = shipped
    at = apptest(PAGE)
    above = []
    for el in in_order(at.main):
        if getattr(el, "key", None) == "predict_guess":
            break
        if type(el).__name__ in ("Markdown", "Caption", "Warning", "Info"):
            above.append(el.value)
    text = " ".join(above)
    assert "**Greedy:**" in text and f"{meta['metrics']['seen_greedy_exact']:.0%}" in text
    assert "never saw a" not in text and f"**{meta['metrics']['unseen_greedy_exact']:.0%}**" not in text
    assert "large red triangle" not in " ".join(str(s.value) for s in at.selectbox)


def test_each_main_control_changes_what_is_drawn(apptest):
    at = apptest(PAGE)
    before = charts(at)["next_words"]
    for key, value in (("a", "large green triangle"), ("b", compute.NONE), ("where", "top"), ("noise", 0.3)):
        widget(at, key).set_value(value).run()
        assert not at.exception, key
        after = charts(at)["next_words"]
        assert after != before, key
        before = after
    assert "at the top" in greedy_line(at) or "Noise 0.3" in shown_text(at)
    at.toggle(key="overlap").set_value(True).run()
    assert "Overlap needs two things" in shown_text(at)
    widget(at, "b").set_value("large blue square").run()
    assert "The two things overlap" in shown_text(at) and not at.exception


def test_the_deeper_parts_draw_the_scores_and_the_beam(apptest, shipped):
    _, meta = shipped
    at = apptest(PAGE)
    spec = charts(at)
    assert {"score_exact", "score_word"} <= set(spec)
    bars = {d["name"]: d["y"] for d in spec["score_exact"]["data"]}
    m = meta["metrics"]
    assert bars["greedy"] == [m["seen_greedy_exact"], m["unseen_greedy_exact"]]
    assert len(at.get("latex")) == len(words.equations(pretrained.load("captions")[0]))
    table = at.dataframe[0].value
    assert list(table["step"])[0] == 1 and table["the winner's path"].any()


def test_a_pair_it_never_saw_is_said(apptest):
    at = apptest(PAGE, {"a": "large red triangle", "b": "none", "where": "left"})
    assert not at.exception and "never saw a red triangle" in shown_text(at)


@pytest.mark.parametrize("query", [{"a": "<b>huge</b> purple thing"}, {"where": "middle"}, {"noise": "inf"},
                                   {"seed": "1e309"}, {"width": "-3"}])
def test_a_bad_link_gives_a_note_and_the_page_keeps_working(apptest, query):
    at = apptest(PAGE, query)
    assert not at.exception
    assert "next_words" in charts(at)
    raw = " ".join(x.value for x in [*at.markdown, *at.caption, *at.warning, *at.info])
    assert "<b>" not in raw                                   # escaped: shown as text, never as markup


def test_presets_set_every_control(apptest):
    at = apptest(PAGE, {"noise": "0.2", "seed": "7"})
    for n, (label, overrides, _) in enumerate(words.PRESETS):
        at.button(key=f"try_{n}").click().run()
        assert not at.exception, label
        for c in view.CONTROLS:
            assert widget(at, c.key).value == overrides.get(c.key, c.default), (label, c.key)


def test_the_url_opens_a_view(apptest, shipped):
    model, _ = shipped
    at = apptest(PAGE, {"a": "small blue square", "b": "none", "where": "bottom", "noise": "0.1", "seed": "42",
                        "width": "5"})
    assert not at.exception
    scene = compute.compose("small blue square", compute.NONE, "bottom")
    c = compute.describe(model, compute.picture(scene, 42, 0.1), 5)
    assert f"**Beam (width 5):** {' '.join(c.beam_words)}" in greedy_line(at)


def test_predict_then_reveal_comes_from_the_model(apptest, shipped):
    model, _ = shipped
    best, why = words.answer(model)
    at = apptest(PAGE)
    wrong = next(a for i, a in enumerate(words.ANSWERS) if i != best)
    shown = " ".join(reveal(at, wrong))
    assert f"Not quite: {words.ANSWERS[best]}" in shown and why.split(":")[0] in shown
    assert " ".join(reveal(at, words.ANSWERS[best])).startswith("**Right.**")


def test_missing_weights_are_a_message_on_this_page_only(apptest, damaged_weights):
    damaged_weights(missing=["captions"])
    at = apptest(PAGE)
    assert not at.exception
    assert "are missing" in at.error[0].value and "python -m rnnviz.train captions" in at.error[0].value
    assert not charts(at)
