"""The forecasting figures: built from plain dicts exactly as plotly's own checks would build them, and drawing
the numbers they are given (the free run, the baselines, the truth only where it exists)."""
from __future__ import annotations

import numpy as np
import pytest
from common import assert_plotly_accepts_unchanged

from rnnviz import pretrained
from rnnviz.topics.forecast import figures as figs
from rnnviz.topics.forecast import compute as lesson


@pytest.fixture(scope="module", params=("sunspots", "co2"))
def shipped(request):
    model, meta = pretrained.load(request.param)
    return model, lesson.Series.from_meta(meta)


def traces(fig) -> dict[str, dict]:
    """{name: {"x": array, "y": array}} of each trace (plotly may hold arrays as typed binary)."""
    return {t.name: {"x": np.asarray(t.x, dtype=float), "y": np.asarray(t.y, dtype=float)} for t in fig.data}


def test_forecast_chart_draws_the_free_run_and_the_baselines(shipped):
    model, s = shipped
    f = lesson.forecast(model, s, s.n_train - 1, 8)
    fig = figs.forecast_chart(s, f, lesson.one_step(model, s.values), s.title)
    assert_plotly_accepts_unchanged(fig)
    t = traces(fig)
    free = t["free running (fed its own forecasts)"]
    assert np.allclose(free["y"][1:], f.free) and free["y"][0] == s.values[f.origin]
    assert np.allclose(t["naive: the last value"]["y"], s.values[f.origin])
    lo, hi = figs.window(s, f)
    assert np.allclose(t["true series"]["y"], s.values[lo:hi + 1])
    assert len(fig.layout.shapes) == 2                     # the held-out tail and the origin: all has truth


def test_past_the_end_is_shaded_and_the_truth_stops(shipped):
    model, s = shipped
    f = lesson.forecast(model, s, s.n - 4, 12)
    fig = figs.forecast_chart(s, f, None, s.title)
    assert_plotly_accepts_unchanged(fig)
    t = traces(fig)
    assert "one step ahead (given the true past)" not in t
    assert len(t["true series"]["y"]) == s.n - figs.window(s, f)[0]     # no value past the data
    assert len(fig.layout.shapes) == 3 and any("no data" in a.text for a in fig.layout.annotations)


def test_horizon_chart_and_diagram(shipped):
    model, s = shipped
    c = lesson.horizon_curve(model, s, 6)
    fig = figs.horizon_chart(s, c, 3)
    assert_plotly_accepts_unchanged(fig)
    t = traces(fig)
    assert np.allclose(t["model, free running"]["y"], c.model) and t["model, one step ahead"]["y"][0] == c.model[0]
    assert figs.horizon_chart(s, c, 99).layout.shapes == ()        # a horizon off the chart: no marker line
    assert_plotly_accepts_unchanged(figs.feeding_diagram())
