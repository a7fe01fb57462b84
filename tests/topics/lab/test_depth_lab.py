"""The Gradient lab's stacked layers (rnnviz.topics.lab.depth and its lazy expander): the (layer × time) map is
flow.stack_grads' ‖∂L/∂h_t^(l)‖ and equals a step-by-step torch.nn autograd reference; the sentence's numbers are
T + L − 1 and C(T+L−2, L−1); the parameters per layer are torch.nn's; an overflow is an explosion, not a crash;
a link sets the depth (or says why it could not)."""
from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
import torch
from torch import nn

from common import assert_plotly_accepts_unchanged
from kit.charts import array, charts
from rnnviz import cells, flow, stack, ui
from rnnviz.topics.lab import compute as lab
from rnnviz.topics.lab import depth
from rnnviz.topics.lab import figures as figs
from rnnviz.topics.lab import words as text

PAGE = "pages/3_Gradient_lab.py"
SMALL = lab.LabConfig(T=12, H=6, seed=3)
EXPLODING = lab.LabConfig(T=200, H=8, precision="float32", nonlinearity="linear", scale_mode="radius", scale=3.0)


def autograd_reference(net: stack.Stack, cfg: lab.LabConfig) -> np.ndarray:
    """(L, T) ‖∂L/∂h_t^(l)‖ step by step with torch.nn's *Cell modules and retain_grad (the total derivative),
    for the lab's loss: the readout v on the top layer, at the last step or at every step."""
    cls = {"rnn": nn.RNNCell, "lstm": nn.LSTMCell, "gru": nn.GRUCell}[net.kind]
    layers = []
    for cell in net.layers:
        m = cls(cell.input_size, cell.hidden_size, **({"nonlinearity": cell.nonlinearity} if net.kind == "rnn" else {}))
        m = m.double()
        with torch.no_grad():
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(m, name).copy_(getattr(cell, name))
        layers.append(m)
    x = lab.make_input(cfg)[0]
    T, B, H = x.shape[0], x.shape[1], net.hidden_size
    v = flow.readout_vector(H, cfg.seed)
    state = [None] * len(layers)
    hs, loss = [[None] * T for _ in layers], 0
    for t in range(T):
        below = x[t]
        for layer, m in enumerate(layers):
            state[layer] = m(below, state[layer])
            h = state[layer][0] if net.kind == "lstm" else state[layer]
            h.retain_grad()
            hs[layer][t] = below = h
        if cfg.loss == "every" or t == T - 1:
            loss = loss + (below @ v).sum()
    loss.backward()
    return np.array([[float(h.grad.norm()) for h in row] for row in hs])


@pytest.mark.parametrize("L", [2, 3])
@pytest.mark.parametrize("kind", cells.KINDS)
@pytest.mark.parametrize("loss", ["last", "every"])
def test_the_map_is_the_gradient_at_every_layer_and_step(kind, L, loss):
    cfg = lab.LabConfig(**{**SMALL.__dict__, "loss": loss})
    r = depth.run_depth(cfg, kind, L)
    net = depth.make_stack(kind, lab.relevant(cfg, kind), L)
    assert r.norms.shape == (L, cfg.T)
    np.testing.assert_allclose(r.norms, autograd_reference(net, lab.relevant(cfg, kind)), rtol=1e-4, atol=1e-300)
    if loss == "last":               # the loss reads the top layer's last state; the layers below get it through it
        assert (r.norms[:, -1] > 0).all()


@pytest.mark.parametrize("kind", cells.KINDS)
def test_one_layer_is_the_main_charts_curve_and_layer_1_is_the_one_layer_cell(kind):
    cfg = lab.LabConfig(T=30, H=8)
    np.testing.assert_allclose(depth.run_depth(cfg, kind, 1).norms[0], lab.run(cfg).results[kind].norms, rtol=1e-9)
    one, three = lab.make_cell(kind, cfg), depth.make_stack(kind, cfg, 3)
    assert torch.equal(three.layers[0].weight_hh, one.weight_hh)
    assert not torch.equal(three.layers[1].weight_hh, three.layers[2].weight_hh)     # each layer its own weights
    radius = depth.make_stack(kind, lab.LabConfig(H=8, scale_mode="radius", scale=2.0), 3)   # scaled the same way
    for layer in radius.layers:
        for block in layer.weight_hh.detach().split(8):
            assert float(torch.linalg.eigvals(block).abs().max()) == pytest.approx(2.0, rel=1e-9)


@pytest.mark.parametrize("kind", cells.KINDS)
def test_parameters_per_layer_are_torch_nns(kind):
    cfg = lab.LabConfig(H=16)
    r = depth.run_depth(cfg, kind, 3)
    m = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind](lab.INPUT_SIZE, 16, num_layers=3)
    torch_counts = [sum(p.numel() for n, p in m.named_parameters() if n.endswith(f"_l{layer}")) for layer in range(3)]
    assert r.params == r.torch_params == torch_counts
    G = {"rnn": 1, "lstm": 4, "gru": 3}[kind]
    assert r.params == [G * 16 * (lab.INPUT_SIZE + 16 + 2)] + [G * 16 * (2 * 16 + 2)] * 2
    said = text.params_said(depth_results(cfg, 3))
    assert f"{sum(r.params):,}" in said and "count the same" in said


def depth_results(cfg, L):
    return {kind: depth.run_depth(cfg, kind, L) for kind in cells.KINDS}


@pytest.mark.parametrize("T,L", [(12, 1), (12, 2), (100, 3), (300, 4)])
def test_the_sentence_counts_the_factors_and_the_paths(T, L):
    res = depth_results(lab.LabConfig(T=min(T, 40), H=4), L)        # the words read the paths, not the map
    said = text.depth_said(depth.paths(T, L), res, revealed=False)
    assert f"T + L − 1 = {T + L - 1} Jacobian factors" in said
    assert f"C(T+L−2, L−1) = {math.comb(T + L - 2, L - 1):,} " in said
    assert f"{T - 1} steps back in time, " + (f"{L} down the layers and into x₁" if L > 1 else "1 into x₁") in said
    assert (f"L − 1 = {L - 1} more than one layer's T = {T}" in said) == (L > 1)
    assert "‖∂L/∂h₁⁽¹⁾‖ / ‖∂L/∂h_T⁽ᴸ⁾‖ is:" not in said                                  # what reaches h₁ waits for the reveal
    shown = text.depth_said(depth.paths(T, L), res, revealed=True)
    ratios = ", ".join(f"{k.upper()} ×{r.norms[0, 0] / r.norms[-1, -1]:.2g}" for k, r in res.items())
    assert f"‖∂L/∂h₁⁽¹⁾‖ / ‖∂L/∂h_T⁽ᴸ⁾‖ is: {ratios}." in shown, shown


def test_an_overflow_is_an_explosion_named_on_the_map_not_a_crash():
    res = depth_results(EXPLODING, 2)
    assert res["rnn"].exploded is not None and res["rnn"].exploded[0] in ("forward", "backward")
    assert "exploded (overflow)" in text.depth_said(depth.paths(200, 2), res, revealed=True)
    fig = figs.depth_map(res, 200)
    assert_plotly_accepts_unchanged(fig)
    titles = [a["text"] for a in fig.to_dict()["layout"]["annotations"]]
    assert any(re.match(r"RNN: (h|gradient) overflowed at l = \d, t = \d+$", t) for t in titles), titles


def test_the_gradient_overflow_named_is_the_one_the_backward_pass_reaches_first():
    inf, nan = float("inf"), float("nan")
    assert depth._nearest_nonfinite(np.array([[1, inf, 1, 1], [1, 1, nan, 1], [1, 1, nan, 1]])) == (3, 3)
    assert depth._nearest_nonfinite(np.ones((2, 5))) is None


def test_the_figure_draws_the_results_log_norms_with_h_T_at_k_0():
    res = depth_results(SMALL, 3)
    fig = figs.depth_map(res, SMALL.T)
    assert_plotly_accepts_unchanged(fig)
    for trace, r in zip(fig.data, res.values()):
        np.testing.assert_allclose(np.asarray(trace.z, dtype=float), np.log10(r.norms[:, ::-1]))
    assert fig.layout.yaxis.ticktext[-1] == "3: loss" and fig.layout.yaxis.ticktext[0] == "1: x in"


def test_a_bad_depth_is_refused_by_the_core_function():
    with pytest.raises(ValueError, match="1–4"):
        depth.make_stack("rnn", SMALL, 5)


# ----- the page ---------------------------------------------------------------------------------------
def the_map(at) -> dict:
    return charts(at)["depth_map"]


def captions(at) -> list[str]:
    """The captions as a student reads them (the page escapes its markdown: ui.escape_markdown)."""
    return [re.sub(r"\\(.)", r"\1", c.value) for c in at.caption]


def test_the_page_opens_with_the_stack_closed_and_a_link_with_L_opens_it(apptest):
    at = apptest(PAGE)
    assert "depth_map" not in charts(at) and not [s for s in at.slider if s.key == "L"]
    at = apptest(PAGE, {"L": 3, "T": 40, "H": 8})
    assert not at.exception
    assert at.slider(key="L").value == 3
    fig = the_map(at)
    cfg = lab.LabConfig(T=40, H=8)
    for trace, kind in zip(fig["data"], cells.KINDS):      # the map is flow.stack_grads' norms, cell by cell
        net = depth.make_stack(kind, lab.relevant(cfg, kind), 3)
        readout = flow.linear_readout(8, "last", 0)
        g = flow.stack_grads(net, lab.make_input(cfg)[0], lambda tr: readout(tr.top))
        np.testing.assert_allclose(array(trace["z"]).reshape(3, 40), np.log10(g.norms[:, ::-1]), rtol=1e-9)
    said = captions(at)
    assert any("T + L − 1 = 42 Jacobian factors" in s and f"C(T+L−2, L−1) = {math.comb(41, 2):,} " in s
               for s in said), said
    assert any("Parameters per layer" in s and "count the same" in s for s in said), said


def test_moving_the_depth_redraws_the_map_and_its_sentence(apptest):
    at = apptest(PAGE, {"L": 2, "T": 30, "H": 8})
    before = json.dumps(the_map(at))
    at.slider(key="L").set_value(4).run()
    assert not at.exception
    assert json.dumps(the_map(at)) != before and array(the_map(at)["data"][0]["z"]).shape == (4, 30)
    assert any("T + L − 1 = 33 Jacobian factors" in c for c in captions(at))


@pytest.mark.parametrize("given,shown", [("9", 4), ("0", 1), ("two", 1), ("2.5", 1)])
def test_a_bad_depth_in_the_link_is_said_and_shown_as_what_the_page_uses(apptest, given, shown):
    at = apptest(PAGE, {"L": given, "T": 20, "H": 4})
    assert not at.exception
    assert at.slider(key="L").value == shown
    notes = [w.value for w in at.warning]
    assert any("Layers L" in n and f"“{ui.escape_markdown(given)}”" in n for n in notes), notes
    assert array(the_map(at)["data"][0]["z"]).shape == (shown, 20)


def test_an_explosion_in_the_stack_is_named_on_the_page(apptest):
    at = apptest(PAGE, {"L": 2, **{k: getattr(EXPLODING, k) for k in ("T", "H", "precision", "nonlinearity",
                                                                          "scale_mode", "scale")}})
    assert not at.exception
    titles = [a["text"] for a in the_map(at)["layout"]["annotations"]]
    assert any(re.match(r"RNN: (h|gradient) overflowed at l = \d, t = \d+$", t) for t in titles), titles
