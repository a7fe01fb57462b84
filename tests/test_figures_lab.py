"""The gradient lab's figures: built from plain dicts without plotly's checks (style.figure), so each is
rebuilt here WITH full validation and must come out identical; and they draw what the result holds."""
from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from common import assert_plotly_accepts_unchanged

from rnnviz.lessons import lab
from rnnviz.figures import lab as figs

FIGURES = ("grad_norms", "spectrum", "unit_heatmaps", "lstm_memory", "clipping")
CONFIGS = {
    "defaults": lab.LabConfig(T=40, H=8),
    "explosion, clipped": lab.LabConfig(T=120, H=8, precision="float32", nonlinearity="linear",
                                        scale_mode="radius", scale=3.0, clip=2.0),
    "irnn, forget bias 5": lab.LabConfig(T=60, H=8, init="identity", nonlinearity="relu", forget_bias=5.0),
}


@pytest.fixture(scope="module", params=list(CONFIGS))
def result(request):
    return lab.run(CONFIGS[request.param])


def as_json(fig: go.Figure) -> dict:
    return json.loads(pio.to_json(fig, validate=False))


@pytest.mark.parametrize("name", FIGURES)
def test_every_key_is_one_plotly_accepts_unchanged(result, name):
    assert_plotly_accepts_unchanged(getattr(figs, name)(result))


def test_the_curves_are_the_results_numbers_with_gaps_for_zero_and_overflow(result):
    fig = as_json(figs.grad_norms(result))
    by_name = {t["name"]: t for t in fig["data"]}
    for kind, name in (("rnn", "RNN"), ("lstm", "LSTM"), ("gru", "GRU")):
        norms = result.results[kind].norms
        drawn = by_name[name]["y"]
        assert len(drawn) == result.T
        for v, d in zip(norms, drawn):
            assert (d is None) if not (np.isfinite(v) and v > 0) else d == pytest.approx(float(v))


def test_explosion_is_marked_and_the_clipping_threshold_drawn_at_its_value():
    res = lab.run(CONFIGS["explosion, clipped"])
    main = as_json(figs.grad_norms(res))
    at = res.results["rnn"].verdict.exploded_at
    assert at is not None
    assert any(s["x0"] == at for s in main["layout"]["shapes"])
    assert any(f"exploded at step {at}" in a["text"] for a in main["layout"]["annotations"])
    clip = as_json(figs.clipping(res))
    assert clip["layout"]["shapes"][0]["y0"] == 2.0     # shapes on a log axis take data values
    assert any(t["name"] == "threshold c = 2" for t in clip["data"])   # named in the legend


def test_heatmaps_share_one_colour_scale_and_one_unit_axis(result):
    fig = as_json(figs.unit_heatmaps(result))
    heat = [t for t in fig["data"] if t["type"] == "heatmap"]
    assert [t["xaxis"] for t in heat] == ["x", "x2", "x3"] and {t["yaxis"] for t in heat} == {"y"}
    assert {t["coloraxis"] for t in heat} == {"coloraxis"}
    assert fig["layout"]["coloraxis"]["cmin"] < fig["layout"]["coloraxis"]["cmax"]
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["RNN", "LSTM", "GRU"]


def test_bar_labels_are_the_gradient_norms_short_enough_not_to_run_into_each_other():
    """At scale 3, T = 300 the RNN's ‖∂L/∂θ‖ is ~1e8: '2.35e+08' beside '2.35e+08' ran together."""
    res = lab.run(lab.LabConfig(T=300, H=32, scale=3.0))
    raw, clipped = as_json(figs.clipping(res))["data"][:2]
    for kind, a, b in zip(res.results, raw["text"], clipped["text"]):
        r = res.results[kind]
        assert len(a) <= 6 and len(b) <= 6, (a, b)
        assert float(a) == pytest.approx(r.grad_norm, rel=0.05) and float(b) == pytest.approx(r.clipped_norm, rel=0.05)
    assert "e" in raw["text"][0] and res.results["rnn"].grad_norm > 1e6
