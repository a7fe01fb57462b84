"""The Memory lab's figures: each rebuilt with plotly's full validation gives the same JSON, and each draws
the numbers it is given (losses, the baseline and the line, explosions, per-step gradient shares, the
sweep's squares, the trained LSTM's gates)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from common import assert_plotly_accepts_unchanged

from rnnviz.topics.memory import figures as figs
from rnnviz.topics.memory import compute as memory
from rnnviz.topics.memory import inside as memory_inside
from rnnviz.topics.memory import runs as memory_runs
from rnnviz.topics.memory.compute import Config, Recovery


def progress(kind, losses, probes=(), recoveries=(), solved_at=None, budget=100, T=6):
    p = memory.new_progress(Config(T=T, steps=budget), kind)
    p.loss, p.grad_norm = list(losses), [2.0 * (i + 1) for i in range(len(losses))]
    p.probe_steps = [s for s, _ in probes]
    p.probe = [np.asarray(n, float) for _, n in probes]
    p.recoveries, p.solved_at = list(recoveries), solved_at
    p.status = "solved" if solved_at else "budget"
    return p


@pytest.fixture
def snap():
    boom = Recovery(step=3, value=float("inf"), what="loss", restored=2, lr=0.005)
    return {"rnn": progress("rnn", [1.0, 0.5, math.inf, 0.2, 0.17], [(0, [1e-8, 1e-4, 1.0, 2, 4, 8]),
                                                                    (10, [0, 1e-3, 1, 2, 4, 8])], [boom]),
            "lstm": progress("lstm", [1.0] + [0.005] * 11, [(0, [1, 1, 1, 1, 1, 2])], solved_at=12)}


def test_loss_curves(snap):
    fig = figs.loss_curves(snap, "adding", 6)
    assert_plotly_accepts_unchanged(fig)
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["RNN"].y[:5]) == pytest.approx([1.0, 0.75, 0.75, (1 + .5 + .2) / 3, 1.87 / 4])  # inf skipped
    assert isinstance(by_name["RNN"].y, np.ndarray)                  # sent as binary
    assert list(by_name["baseline 0.167: remembers nothing"].y) == [1 / 6, 1 / 6]
    assert list(by_name["solved below 0.01"].y) == [0.01, 0.01]
    boom = by_name["RNN exploded (1×)"]
    assert list(boom.x) == [3] and list(boom.customdata) == ["inf"] and boom.marker.symbol == "x"
    faint = [t for t in fig.data if t.opacity == 0.3]
    assert np.isnan(faint[0].y[2]) and faint[0].y[3] == 0.2         # inf is a gap on the log axis
    star = next(t for t in fig.data if t.text == ("LSTM ✓ 12",))
    assert list(star.x) == [12]
    lo, hi = fig.layout.yaxis.range
    assert lo < math.log10(0.005) and math.log10(1.0) < hi < 2          # the explosion does not stretch it


def test_gradient_maps_show_each_steps_share_of_the_largest(snap):
    fig = figs.gradient_maps(snap)
    assert_plotly_accepts_unchanged(fig)
    rnn, lstm = fig.data
    z = np.asarray(rnn.z, dtype=float)                                # (t, probes)
    assert z.shape == (6, 2)
    np.testing.assert_allclose(z[:, 0], np.log10(np.array([1e-8, 1e-4, 1, 2, 4, 8]) / 8))
    assert np.isnan(z[0, 1])                                          # an exact zero is blank, not -inf
    assert z[1, 1] == pytest.approx(math.log10(1e-3 / 8))
    assert rnn.xaxis == "x" and lstm.xaxis == "x2" and rnn.coloraxis == lstm.coloraxis
    assert fig.layout.xaxis.range == fig.layout.xaxis2.range             # one time scale
    tiny = figs.gradient_maps({"rnn": progress("rnn", [1.0], [(0, [1e-30, 1e-20, 1])])})
    assert np.asarray(tiny.data[0].z, dtype=float).min() == figs.FLOOR


def test_clipping_scope_draws_the_threshold(snap):
    fig = figs.clipping_scope(snap, 1.5)
    assert_plotly_accepts_unchanged(fig)
    names = [t.name for t in fig.data]
    assert "clipped above 1.5" in names and "RNN" in names
    assert list(fig.data[names.index("clipped above 1.5")].y) == [1.5, 1.5]
    off = figs.clipping_scope(snap, 0.0)
    assert not any("clipped above" in (t.name or "") for t in off.data)
    assert "clipping is off" in off.layout.title.text


def test_sweep_grid():
    cfg = Config(cells=("rnn", "lstm"), steps=50)
    done = progress("lstm", [0.005] * 10, solved_at=10, budget=50, T=5)
    failed = progress("rnn", [1 / 6] * 50, budget=50, T=5)
    squares = memory_runs.sweep_table(cfg, (5, 9), {("lstm", 5): done, ("rnn", 5): failed}, {})
    fig = figs.sweep_grid(squares, (5, 9))
    assert_plotly_accepts_unchanged(fig)
    heat = fig.data[0]
    assert [list(row) for row in heat.text] == [["✗ 100% of<br>the baseline", "waiting"],
                                                [f"✓ step 10<br>{done.seconds:.1f} s", "waiting"]]
    assert list(heat.x) == ["T = 5", "T = 9"] and heat.y[0].startswith("RNN (4,417 weights)")
    assert heat.z[0][0] == pytest.approx(0.0) and heat.z[0][1] is None
    assert memory_runs.sweep_summary(squares) == "RNN solved none of T = 5; LSTM solved T = 5."


def test_inside_figure():
    rng = np.random.default_rng(0)
    L = 12
    r = memory_inside.Inside(
        task="adding", marks=[2, 8], hold=(3, 8), labels=[f"{v:.2f}" for v in rng.random(L)], values=rng.random(L),
        units=[4, 1], input_gate=rng.random((L, 2)), forget_gate=rng.random((L, 2)), cell=rng.standard_normal((L, 2)),
        i_at_marks=np.array([0.8, 0.5]), i_elsewhere=np.array([0.1, 0.4]), f_between=np.array([0.99, 0.5]),
        kept=np.array([0.9, 0.01]), target="1.000", answer="0.990")
    fig = figs.inside(r, L)
    assert_plotly_accepts_unchanged(fig)
    assert [t.yaxis for t in fig.data] == ["y", "y2", "y3", "y4", "y2", "y3", "y4"]
    assert np.allclose(fig.data[1].y, r.input_gate[:, 0]) and np.allclose(fig.data[6].y, r.cell[:, 1])
    assert [(s.x0, s.x1) for s in fig.layout.shapes] == [(3.5, 8.5), (2.5, 3.5), (8.5, 9.5)]   # hold band, marks
    assert "writes where it should" in memory_inside.explain(r) and "keeps **90%**" in memory_inside.explain(r)
    r.kept[0] = 0.1
    assert memory_inside.explain(r).startswith("No unit remembers yet") and "forgets what it wrote" in \
        memory_inside.explain(r)
