"""GunPoint, the real clips: read from the sktime wheel's .ts files (the archive's own split and labels), the
shipped model's manifest against both baselines and recomputed on the 150 test clips, the single-frame stumps,
and what the page says about it."""
from __future__ import annotations

import numpy as np
import pytest

from rnnviz import pretrained
from rnnviz.topics.video import compute, gunpoint, recipe_gunpoint, words


def test_a_ts_file_is_parsed_with_its_labels():
    text = "#a comment\n@problemName X\n@classLabel true 1 2\n@data\n0.5,-1,2:1\n1,2,3:2\n"
    x, y = gunpoint.parse(text)
    assert x.tolist() == [[0.5, -1, 2], [1, 2, 3]] and y.tolist() == [0, 1]


def test_the_archives_split():
    gunpoint.fetch()
    x, y = gunpoint.split("train")
    xt, yt = gunpoint.split("test")
    assert x.shape == (50, gunpoint.FRAMES) and xt.shape == (150, gunpoint.FRAMES)
    assert np.bincount(y).tolist() == [24, 26] and np.bincount(yt).tolist() == [76, 74]
    assert np.allclose(xt.mean(1), 0, atol=1e-4) and np.allclose(xt.std(1), 1, atol=0.01)     # standardised clips
    with pytest.raises(ValueError):
        gunpoint.split("validation")


def test_stumps_find_the_threshold():
    x = np.array([[0.0, 5], [1, 5], [2, 5], [3, 5]])
    y = np.array([0, 0, 1, 1])
    (thr, sign, acc), (_, _, acc2) = recipe_gunpoint.stumps(x, y)
    assert acc == 1.0 and sign == 1 and 1 < thr < 2 and acc2 == 0.5
    assert recipe_gunpoint.stump_accuracy(recipe_gunpoint.stumps(x, y), x, y)[0] == 1.0


@pytest.fixture(scope="module")
def shipped():
    gunpoint.fetch()
    return pretrained.load("video_gunpoint")


def test_manifest_and_recomputed_accuracy(shipped):
    model, meta = shipped
    m, ev = meta["metrics"], meta["evaluation"]
    assert meta["arch"]["class"] == "SeriesGRU" and model.classes == list(gunpoint.CLASSES)
    assert meta["bytes"] <= 500_000 and meta["data"]["sha256"] == gunpoint.SHA256
    assert m["test_accuracy"] > m["single_frame_best_accuracy"] > m["majority_accuracy"]
    assert m["single_frame_accuracy"] > m["majority_accuracy"]             # real single frames do tell something
    xt, yt = gunpoint.split("test")
    p = recipe_gunpoint.probs_of(model, xt)
    assert float((p[-1].argmax(1) == yt).mean()) == pytest.approx(m["test_accuracy"], abs=1e-4)
    x, y = gunpoint.split("train")
    rules = recipe_gunpoint.stumps(x, y)
    assert recipe_gunpoint.stump_accuracy(rules, xt, yt) == pytest.approx(ev["single_frame_by_frame"], abs=1e-4)
    assert meta["data"]["majority_motion"] == "point" and m["majority_accuracy"] == pytest.approx(74 / 150, abs=1e-4)


def test_what_the_page_says_about_a_clip(shipped):
    model, meta = shipped
    w = compute.watch_series(model, 3)
    said = words.series_said(w)
    final, p = w.final
    assert f"Test clip 3 is a {w.truth}." in said and f"says {final} at {p:.0%}" in said
    assert ("(correct)" in said) == (final == w.truth)
    caption = words.gunpoint_caption(meta)
    assert f"**{meta['metrics']['test_accuracy']:.0%}**" in caption
    assert f"frame {meta['evaluation']['single_frame_best_frame']}" in caption
