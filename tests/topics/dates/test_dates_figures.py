"""The date demo's figures: built from plain dicts exactly as plotly would check them, drawing the reading's own
numbers (c is the heatmap's last column, greedy's choice is ringed, the beam's kept / dropped / winner nodes),
and typed characters escaped."""
from __future__ import annotations

import numpy as np
import torch
from common import assert_plotly_accepts_unchanged

from rnnviz import train
from rnnviz.topics.dates import figures as figs
from rnnviz.topics.dates import compute as lesson
from rnnviz.topics.dates.model import Seq2Seq
from rnnviz.topics.dates import recipe


def model() -> Seq2Seq:
    m = Seq2Seq("gru", recipe.source_symbols(), recipe.TARGET, 8, 16)
    train.init_parameters(m, torch.Generator().manual_seed(1))
    return m.eval()


def test_every_figure_is_valid_plotly_and_draws_the_reading():
    m = model()
    r = lesson.read(m, "<b>21</b> nov 2026", 3)
    units = figs.strongest_units(r.c, 8)
    assert len(units) == 8 and set(np.argsort(-np.abs(r.c))[:8]) == set(units)
    enc = figs.encoder_states(r.shown, r.states, units)
    ctx = figs.context(r.c, units)
    dec = figs.decoder_steps(r.symbols, r.greedy.probs, r.greedy.tokens)
    tree = figs.beam_tree(r.beam, r.symbols)
    board = figs.scoreboard({"test_exact_greedy": 0.99, "test_exact_beam": 0.995, "test_char_accuracy": 0.998,
                             "majority_exact": 0.0, "majority_char_accuracy": 0.45}, 3)
    for fig in (enc, ctx, dec, tree, board):
        assert_plotly_accepts_unchanged(fig)
        spec = fig.to_json()
        assert "<b>" not in spec and "</s>" not in spec
    z = np.array(enc.data[0].z)
    assert np.allclose(z[:, -1], r.c[units]) and list(enc.layout.xaxis.ticktext)[:3] == ["?", "b", "?"]
    assert figs.shown("<") == "&lt;" and "&lt;" in figs.encoder_states(list("<b>"), r.states[:3], units).to_json()
    assert np.allclose(ctx.data[0].x, r.c[units])
    rows = list(dec.layout.yaxis.categoryarray)          # one tile per symbol and step, rows in this order
    assert "&lt;pad&gt;" not in rows and lesson.END_SHOWN in rows and len(rows) == 12
    K = len(r.greedy.tokens)
    assert list(dec.data[0].y) == [name for name in rows for _ in range(K)] and list(dec.data[0].x[:K]) == \
        list(range(1, K + 1))
    p = np.array(dec.data[0].marker.color).reshape(len(rows), K)
    assert np.allclose(p.sum(axis=0), 1, atol=1e-6)                # each step's distribution, every symbol drawn
    assert list(dec.data[1].y) == [figs.shown(r.symbols[t]) for t in r.greedy.tokens]
    kinds = {t.name: t for t in tree.data if t.mode == "markers+text"}
    n_win = len(kinds["the winner's path"].x)
    assert n_win == len(r.beam.path()) and list(kinds["the winner's path"].x) == list(range(1, n_win + 1))
    drawn = len(kinds["dropped"].x) + len(kinds["kept in the beam"].x) + n_win
    steps = {n.step for n in r.beam.nodes}
    assert drawn == sum(min(6, sum(n.step == s for n in r.beam.nodes)) for s in steps)     # the best 2 × width
    assert sum(n.kept for n in r.beam.nodes) == len(kinds["kept in the beam"].x) + n_win   # every kept one drawn
    everything = figs.beam_tree(r.beam, r.symbols, rows=10_000)
    assert sum(len(t.x) for t in everything.data if t.mode == "markers+text") == len(r.beam.nodes) + 1


def test_all_units_and_a_space():
    m = model()
    r = lesson.read(m, "1 jan 2000", 1)
    fig = figs.encoder_states(r.shown, r.states, figs.strongest_units(r.c, None))
    assert np.array(fig.data[0].z).shape == (16, 10) and "␣" in fig.layout.xaxis.ticktext
