"""The unfolded-RNN figures: built from plain dicts without plotly's checks (style.figure), so each is
rebuilt here WITH full validation and must come out identical; and they draw the unfold's real numbers."""
from __future__ import annotations

import json
import math

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from common import assert_plotly_accepts_unchanged

from rnnviz.topics.unfold import compute as unfold
from rnnviz.topics.unfold import step as unfold_step
from rnnviz.topics.unfold import figures as figs

CONFIGS = {
    "defaults": unfold.UnfoldConfig(),
    "lstm, numbers": unfold.UnfoldConfig(cell="lstm", H=5, input="numbers", numbers="0, 0, 0, 5, 0, 0, 0, 0"),
    "gru, typed html": unfold.UnfoldConfig(cell="gru", H=4, text="<b>hi</b> & bye", seed=7),
    "rnn, sine T=40": unfold.UnfoldConfig(H=2, input="sine", T=40, seed=3),
}
CLAMPS = {"lstm": ("forget", 3, 2, 0.0), "gru": ("update", 2, 1, 1.0)}   # gate, step, unit, value


@pytest.fixture(scope="module", params=list(CONFIGS))
def u(request):
    return unfold.run(CONFIGS[request.param])


def steps(u) -> list[int]:
    return sorted({1, 2, u.T // 2, u.T})


def as_json(fig: go.Figure) -> dict:
    return json.loads(pio.to_json(fig, validate=False))


def heatmaps(fig: go.Figure) -> list[np.ndarray]:
    return [np.asarray(tr.z) for tr in fig.data if tr.type == "heatmap"]


# ----- every figure is one plotly accepts unchanged ---------------------------------------------------
def test_diagram_path_and_every_equation_line_plotly_accepts_unchanged(u):
    for t in steps(u):
        assert_plotly_accepts_unchanged(figs.unrolled(u, t))
        assert_plotly_accepts_unchanged(figs.state_path(u, t))
        for line in unfold_step.step_view(u, t):
            assert_plotly_accepts_unchanged(figs.equation_line(line, t))


@pytest.mark.parametrize("name", ["lstm, numbers", "gru, typed html"])
def test_intervention_and_the_clamped_run_plotly_accepts_unchanged(name):
    cfg = CONFIGS[name]
    gate, at, unit, value = CLAMPS[cfg.cell]
    iv = unfold.intervene(cfg, gate, at, unit, value)
    assert_plotly_accepts_unchanged(figs.intervention(iv, gate, unit, at, value))
    for t in (1, at, iv.clamped.T):
        assert_plotly_accepts_unchanged(figs.unrolled(iv.clamped, t, clamp_step=at, clamp_label="x := 0"))
        for line in unfold_step.step_view(iv.clamped, t):
            assert_plotly_accepts_unchanged(figs.equation_line(line, t))


# ----- what is drawn -----------------------------------------------------------------------------------
def test_equation_heatmaps_are_the_steps_real_numbers(u):
    for t in steps(u):
        for line in unfold_step.step_view(u, t):
            fig = figs.equation_line(line, t)
            drawn = heatmaps(fig)
            expected = [op.value for op in line.operands] + ([line.pre] if line.activation else []) + [line.value]
            assert len(drawn) == len(expected)
            for z, want in zip(drawn, expected):
                np.testing.assert_array_equal(z, want if want.ndim == 2 else want[:, None])   # vectors as columns
            np.testing.assert_array_equal(drawn[-1][:, 0], u.value(line.name, t))           # what the cell computed
            for op, z in zip(line.operands, drawn):                     # each symbol is what it names
                if op.symbol.startswith("W_"):
                    np.testing.assert_array_equal(z, u.blocks["W_" + op.symbol[3:-1]])
                elif op.symbol in ("x_t", "h_{t-1}"):
                    np.testing.assert_array_equal(z[:, 0], u.seq.x[t - 1] if op.symbol == "x_t" else u.previous(t)[0])
            axes = [(tr.xaxis, tr.yaxis) for tr in fig.data]
            assert axes == [(f"x{n}", f"y{n}") for n in [""] + [str(k) for k in range(2, len(drawn) + 1)]]
            domains = [fig.layout[f"xaxis{n}"].domain for n in [""] + [str(k) for k in range(2, len(drawn) + 1)]]
            assert all(0 <= a[0] < a[1] <= b[0] <= 1 for a, b in zip(domains, domains[1:])), "panels in reading order"
            assert "shapes" not in as_json(fig)["layout"]


def test_a_clamped_value_is_framed_in_its_row():
    cfg = CONFIGS["lstm, numbers"]
    gate, at, unit, value = CLAMPS["lstm"]
    clamped = unfold.intervene(cfg, gate, at, unit, value).clamped
    line = next(ln for ln in unfold_step.step_view(clamped, at) if ln.name == gate)
    layout = as_json(figs.equation_line(line, at))["layout"]
    (frame,) = layout["shapes"]
    assert (frame["y0"], frame["y1"]) == (unit - 1.5, unit - 0.5)
    assert frame["xref"] == f"x{len(line.operands) + 2}"              # operands, the pre-activation, the value
    assert layout["annotations"][-1]["text"].endswith("✂")
    assert heatmaps(figs.equation_line(line, at))[-1][unit - 1, 0] == value


def test_diagram_hover_shows_the_states_read_so_far(u):
    for t in steps(u):
        trace = as_json(figs.unrolled(u, t))["data"][0]
        shown = trace["x"]
        assert t in shown and len(shown) == min(u.T, figs.WINDOW) and shown == list(range(shown[0], shown[-1] + 1))
        for k, text in zip(shown, trace["customdata"]):
            if k <= t:
                assert [float(v) for v in text.split(", ")] == pytest.approx(u.h[k - 1], abs=0.005)
            else:
                assert text == "not yet read"


def test_diagram_colours_one_square_per_unit_of_each_state_read():
    u = unfold.run(CONFIGS["defaults"])
    t = 4
    layout = as_json(figs.unrolled(u, t))["layout"]
    squares = [s for s in layout["shapes"] if s["y0"] == 0.48]
    assert len(squares) == t * u.H
    # every label is a point of a text trace (no annotations): the inputs read, in bold, one per copy
    assert "annotations" not in layout
    assert [s for tr in as_json(figs.unrolled(u, t))["data"] if tr["mode"] == "text" for s in tr["text"]
            if s.startswith("<b>") and "W" not in s] == [f"<b>{figs._safe(ch)}</b>" for ch in u.seq.labels]


def test_typed_html_is_escaped_in_every_label():
    u = unfold.run(CONFIGS["gru, typed html"])
    assert u.seq.labels[:3] == ["<", "b", ">"]
    notes = [s for tr in as_json(figs.unrolled(u, 3))["data"] if tr["mode"] == "text" for s in tr["text"]]
    assert "<b>&lt;</b>" in notes and "<b>&gt;</b>" in notes and "<b><</b>" not in notes and "<b>></b>" not in notes
    path = as_json(figs.state_path(u, 3))["data"][1]["text"]                  # read so far: h0 .. h3
    assert path[1:] == ["h1: read “&lt;”", "h2: read “b”", "h3: read “&gt;”"]


def test_path_is_the_first_two_units_split_at_step_t(u):
    h = np.vstack([u.h0, u.h])
    for t in steps(u):
        fig = figs.state_path(u, t)
        later, so_far, now = fig.data
        np.testing.assert_array_equal(np.column_stack([so_far.x, so_far.y]), h[:t + 1, :2])
        np.testing.assert_array_equal(np.column_stack([later.x, later.y]), h[t:, :2])
        assert (now.x[0], now.y[0]) == (h[t, 0], h[t, 1])
        r = fig.layout.xaxis.range[1]
        assert list(fig.layout.yaxis.range) == [-r, r] and r >= np.abs(h[:, :2]).max()


@pytest.mark.parametrize("name", ["lstm, numbers", "gru, typed html"])
def test_intervention_draws_both_runs_and_the_change_from_the_clamp_on(name):
    cfg = CONFIGS[name]
    gate, at, unit, value = CLAMPS[cfg.cell]
    iv = unfold.intervene(cfg, gate, at, unit, value)
    fig = figs.intervention(iv, gate, unit, at, value)
    by_name = {tr.name: tr for tr in fig.data}
    for q in ("h", "c") if cfg.cell == "lstm" else ("h",):
        free, clamped = by_name[f"{q}<sub>t</sub> free"], by_name[f"{q}<sub>t</sub> clamped"]
        np.testing.assert_array_equal(free.y, getattr(iv.original, q)[:, unit - 1])
        np.testing.assert_array_equal(clamped.y, getattr(iv.clamped, q)[:, unit - 1])
        bars = by_name[f"max |Δ{q}<sub>t</sub>|"]
        d = iv.dh if q == "h" else iv.dc
        assert all(math.isnan(v) for v in bars.y[:at - 1])                  # nothing changes before the clamp
        np.testing.assert_array_equal(bars.y[d > 0], d[d > 0])
        assert (bars.xaxis, bars.yaxis, free.yaxis) == ("x2", "y2", "y")
    assert "c<sub>t</sub> free" in by_name if cfg.cell == "lstm" else "c<sub>t</sub> free" not in by_name
    assert [(s.x0, s.xref, s.yref) for s in fig.layout.shapes] == [(at, "x", "y domain"), (at, "x2", "y2 domain")]
    top, bottom = fig.layout.yaxis.domain, fig.layout.yaxis2.domain
    assert bottom[0] == 0 and bottom[1] < top[0] and top[1] == 1
