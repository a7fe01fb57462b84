"""The video page through AppTest, with the shipped model: it opens on its main view (the clip's settings beside
the frames and the verdict after each, the model's own numbers), each control changes what is drawn, a bad link
gives a message and the page keeps working, presets set the view, the answer comes from the model, and missing
weights are a message on this page only."""
from __future__ import annotations

import numpy as np
import pytest
import common
from common import reveal, widget

from kit.charts import charts
from rnnviz import pretrained
from rnnviz.topics.video import compute, words

PAGE = "pages/21_Video_activity.py"
DEEPER = ("vid_how", "vid_scores", "vid_inside", "vid_eqs", "vid_data")

apptest = common.deeper_open(DEEPER)


@pytest.fixture(scope="module")
def shipped():
    return pretrained.load("video")


def lines(spec: dict) -> dict[str, list[float]]:
    return {d["name"]: d["y"] for d in spec["data"] if d["type"] == "scatter"}


def text(at) -> str:
    return " ".join(x.value for x in [*at.markdown, *at.caption, *at.warning]).replace("\\", "")


def in_order(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from in_order(child)


def test_opens_on_its_main_view_with_the_rest_closed(apptest, shipped):
    model, meta = shipped
    at = apptest(PAGE)
    assert not at.exception and not at.warning
    assert at.title[0].value == "Video activity"
    spec = charts(at)
    assert set(spec) == {"watch"}
    assert all(at.session_state[k] is False for k in DEEPER)
    keys = [getattr(el, "key", None) for el in in_order(at.main)]
    assert keys.index("motion") < keys.index("speed") < keys.index("noise") < keys.index("frames") \
        < keys.index("clip") < keys.index("predict_guess") < keys.index("try_0")
    w = compute.watch(model, compute.settings("right", 1.0, 0.1, 12, 0))
    drawn = lines(spec["watch"])
    assert list(drawn) == list(model.classes)
    assert np.allclose(np.array([drawn[c] for c in model.classes]).T, w.probs, atol=1e-9)
    assert len(spec["watch"]["layout"]["images"]) == 12
    assert words.frames_said(w) in text(at) and words.scores_caption(meta).replace("\\", "") in text(at)


def test_each_control_changes_what_is_drawn(apptest, shipped):
    model, _ = shipped
    at = apptest(PAGE)
    before = charts(at)["watch"]
    widget(at, "frames").set_value(5).run()
    assert not at.exception and len(charts(at)["watch"]["layout"]["images"]) == 5
    widget(at, "motion").set_value("anticlockwise").run()
    widget(at, "speed").set_value(2.0).run()
    widget(at, "noise").set_value(0.3).run()
    widget(at, "clip").set_value(7).run()
    assert not at.exception
    after = charts(at)["watch"]
    w = compute.watch(model, compute.settings("anticlockwise", 2.0, 0.3, 5, 7))
    assert np.allclose(np.array([lines(after)[c] for c in model.classes]).T, w.probs, atol=1e-9)
    assert after["layout"]["images"][0]["source"] != before["layout"]["images"][0]["source"]
    assert "A bar turning anticlockwise" in text(at)


def test_deeper_parts_show_the_held_out_scores(apptest, shipped):
    _, meta = shipped
    at = apptest(PAGE)
    spec = charts(at)
    assert {"watch", "by_frame", "confusion", "memory"} <= set(spec)
    assert lines(spec["by_frame"])["the GRU (frames 1..t)"] == meta["evaluation"]["accuracy_by_frame"]
    assert words.accuracy_said(meta) in text(at) and words.sure_said(meta) in text(at)


def test_the_memory_follows_the_clip(apptest, shipped):
    """The memory's maps (an expander outside the main view's fragment) are redrawn when the clip changes."""
    model, _ = shipped
    at = apptest(PAGE)
    widget(at, "frames").set_value(4).run()
    assert not at.exception
    images = charts(at)["memory"]["layout"]["images"]
    assert len(images) == 4 * model.maps
    w = compute.watch(model, compute.settings("right", 1.0, 0.1, 4, 0))
    assert words.memory_said(compute.memory(model, w.clip)) in text(at)


@pytest.mark.parametrize("query, said", [
    ({"speed": "fast"}, "is not a number"),
    ({"frames": "1e309"}, "too large to be a number"),
    ({"noise": "5"}, "above its highest value"),
    ({"motion": "<b>moonwalk</b>"}, "not one of its choices"),
    ({"clip": "-3"}, "below its lowest value"),
])
def test_a_bad_link_is_said_and_the_page_works(apptest, query, said):
    at = apptest(PAGE, query)
    assert not at.exception
    shown = " ".join(x.value for x in [*at.markdown, *at.caption, *at.warning, *at.info, *at.error])
    assert said in shown.replace("\\", ""), shown
    assert "<b>" not in shown and "watch" in charts(at)


def test_the_url_opens_a_view(apptest):
    at = apptest(PAGE, {"motion": "up", "frames": "3", "speed": "2"})
    assert not at.exception and widget(at, "motion").value == "up"
    assert len(charts(at)["watch"]["layout"]["images"]) == 3 and "A bar moving up" in text(at)


def test_presets_set_every_control(apptest):
    at = apptest(PAGE, {"noise": "0.5"})
    for n, (label, overrides, _) in enumerate(words.PRESETS):
        at.button(key=f"try_{n}").click().run()
        assert not at.exception, label
        assert widget(at, "frames").value == overrides.get("frames", 12)
        assert widget(at, "noise").value == pytest.approx(overrides.get("noise", 0.1))
        assert widget(at, "motion").value == overrides.get("motion", "right")


def test_predict_then_reveal_comes_from_the_model(apptest, shipped):
    best, why = words.answer(shipped[0])
    at = apptest(PAGE)
    wrong = next(a for i, a in enumerate(words.ANSWERS) if i != best)
    shown = " ".join(reveal(at, wrong))
    assert f"Not quite: {words.ANSWERS[best]}" in shown and why.split(". ")[0] in shown
    assert " ".join(reveal(at, words.ANSWERS[best])).startswith("**Right.**")


def test_missing_weights_are_a_message_on_this_page_only(apptest, damaged_weights):
    damaged_weights(missing=["video"])
    at = apptest(PAGE)
    assert not at.exception and "are missing" in at.error[0].value and "python -m rnnviz.train video" in at.error[0].value
    assert not charts(at)


def test_gunpoint_draws_the_tracked_hand_and_its_verdicts(apptest):
    from rnnviz.topics.video import gunpoint

    model, meta = pretrained.load("video_gunpoint")
    at = apptest(PAGE)
    widget(at, "data").set_value("GunPoint").run()
    widget(at, "gp").set_value(5).run()
    assert not at.exception
    spec = charts(at)
    drawn = lines(spec["watch"])
    xt, _ = gunpoint.split("test")
    w = compute.watch_series(model, 5)
    assert np.allclose(drawn["the hand's X position"], xt[5], atol=1e-6)
    assert np.allclose(drawn["p(gun-draw)"], w.probs[:, 0], atol=1e-9) and len(drawn["p(point)"]) == 150
    assert words.series_said(w) in text(at) and words.gunpoint_caption(meta).replace("\\", "") in text(at)
    assert "not pixels" in text(at)
    assert lines(spec["by_frame"])["the GRU (frames 1..t)"] == meta["evaluation"]["accuracy_by_frame"]
    assert "not the picture's pixels" in text(at) and words.HOW_TO_READ_GUNPOINT in text(at)   # the expanders
