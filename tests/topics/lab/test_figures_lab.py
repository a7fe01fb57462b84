"""The gradient lab's figures: built from plain dicts without plotly's checks (style.figure), so each is
rebuilt here WITH full validation and must come out identical; and they draw what the result holds."""
from __future__ import annotations

import json
import re

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from common import assert_plotly_accepts_unchanged

from rnnviz.topics.lab import compute as lab
from rnnviz.topics.lab import figures as figs

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
        drawn, x = by_name[name]["y"], by_name[name]["x"]
        assert len(drawn) == result.T
        trace = next(t for t in figs.grad_norms(result).data if t.name == name)
        assert list(trace.x) == list(range(result.T))            # k = T − t steps back: h_T at 0, h_1 at T − 1
        assert list(trace.customdata) == list(range(result.T, 0, -1))   # ... and the t of each point
        for v, d in zip(norms[::-1], drawn):
            assert (d is None) if not (np.isfinite(v) and v > 0) else d == pytest.approx(float(v))


def test_explosion_is_marked_and_the_clipping_threshold_drawn_at_its_value():
    res = lab.run(CONFIGS["explosion, clipped"])
    main = as_json(figs.grad_norms(res))
    at = res.results["rnn"].verdict.exploded_at
    assert at is not None
    assert any(s["x0"] == res.T - at for s in main["layout"]["shapes"])      # drawn at k = T − t
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


# ----- the direction words hold on the chart (issue 20, Wrong 1) -----------------------------------
def test_a_vanishing_gradient_falls_from_left_to_right_and_an_exploding_one_rises():
    """The intro says "a curve that falls from left to right is a vanishing gradient, one that rises an
    exploding one": on the x axis k = T − t both are now true of what is drawn."""
    from rnnviz.shared.style import COLOR

    for cfg, kind in ((lab.LabConfig(), "vanishing"), (lab.LabConfig(scale=3.0, T=300), "exploding")):
        res = lab.run(cfg)
        fig = figs.grad_norms(res)
        rnn = next(t for t in fig.data if t.name == "RNN")
        y = np.asarray(rnn.y, dtype=float)
        assert res.results["rnn"].verdict.kind == kind
        assert list(rnn.x)[:2] == [0, 1] and fig.layout.xaxis.title.text.startswith("steps back from the last step")
        left, right = np.log10(y[:10]).mean(), np.log10(y[-10:]).mean()
        assert (right < left - 5) if kind == "vanishing" else (right > left + 3)
        bound = fig.data[0]
        assert bound.name.startswith("RNN bound") and bound.line.dash == "dash" and bound.line.color == COLOR["bound"]
    heat, memory = figs.unit_heatmaps(res), figs.lstm_memory(res)      # the same axis on every chart over time
    assert [heat.layout[a].title.text for a in ("xaxis", "xaxis2", "xaxis3")] == ["steps back k"] * 3
    assert memory.layout.xaxis.title.text.startswith("steps back from the last step")


def test_with_a_loss_at_every_step_each_cell_gets_its_dotted_twin():
    res = lab.run(lab.LabConfig(T=40, H=8, loss="every"))
    fig = figs.grad_norms(res)
    for kind, name in (("rnn", "RNN"), ("lstm", "LSTM"), ("gru", "GRU")):
        twin = next(t for t in fig.data if t.name == f"{name}: last step's loss alone")
        assert twin.line.dash == "dot"
        np.testing.assert_allclose(np.asarray(twin.y, dtype=float), res.results[kind].travel[::-1], rtol=1e-12)
    assert not any("alone" in t.name for t in figs.grad_norms(lab.run(lab.LabConfig(T=40, H=8))).data)


def test_the_heatmap_summary_names_a_highest_cell_at_k_0():
    """describe read x = 0 as "" and printed "(at 17, )"; the cell nearest the loss sits at k = 0."""
    from rnnviz.shared import describe

    res = lab.run(lab.LabConfig(T=40, H=8))
    s = describe.summary(figs.unit_heatmaps(res))
    assert re.search(r"the highest at hidden unit = \d+, steps back k = 0", s) and ", )" not in s
