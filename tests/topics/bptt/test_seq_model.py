"""The BPTT lesson's training (rnnviz.topics.bptt.model.train) against the same training done the usual way:
torch.nn's module, autograd, torch.nn.utils.clip_grad_norm_ and torch.optim.Adam.

seq_model.train computes every gradient with the hand-written BPTT and does Adam and the clipping by
hand, so these tests hold the whole loop (not only one gradient) to what torch would have trained.
"""
from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest
import torch

from rnnviz import cells
from rnnviz.topics.bptt import model as seq_model
from rnnviz.shared.sequences import make_sequence

F64 = torch.float64
KINDS = cells.KINDS


def torch_train(model: seq_model.Model, values: np.ndarray, steps: int):
    """The reference: the same steps with torch.nn, autograd and torch.optim. Returns (cell, w_hy, b_y)
    and the gradient norm of every step before clipping."""
    net = model.cell.to_torch()
    readout = torch.nn.Linear(model.cell.hidden_size, 1).to(F64)
    with torch.no_grad():
        readout.weight.copy_(model.w_hy)
        readout.bias.copy_(model.b_y)
    seq = torch.as_tensor(values, dtype=F64)
    x, target = seq[:-1].view(-1, 1, 1), seq[1:]
    params = [*net.parameters(), *readout.parameters()]
    opt = torch.optim.Adam(params, lr=seq_model.LEARNING_RATE)
    norms = []
    for _ in range(steps):
        out, _ = net(x)
        loss = 0.5 * ((readout(out[:, 0]).squeeze(-1) - target) ** 2).sum()
        opt.zero_grad()
        loss.backward()
        norms.append(float(torch.nn.utils.clip_grad_norm_(params, seq_model.CLIP_NORM)))
        opt.step()
    return cells.from_torch(net), readout.weight.detach(), readout.bias.detach(), norms


def max_diff(a: seq_model.Model, cell, w_hy, b_y) -> float:
    pairs = [(a.cell.weight_ih, cell.weight_ih), (a.cell.weight_hh, cell.weight_hh),
             (a.cell.bias_ih, cell.bias_ih), (a.cell.bias_hh, cell.bias_hh), (a.w_hy, w_hy), (a.b_y, b_y)]
    return max(float((p - q).detach().abs().max()) for p, q in pairs)


# (source, typed text, T, Adam steps, tolerance). Rounding differs in the last bit between the two
# loops; Adam divides by √v, which magnifies it where a gradient hovers near 0, hence the looser
# tolerance after 200 steps.
CASES = [("sine", "", 12, 20, 1e-12),
         ("steps", "", 16, 200, 1e-8),
         ("typed", "100, -100, 100, -100, 100, -100", 0, 50, 1e-9)]       # clipping at work


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("source,text,T,steps,tol", CASES)
def test_hand_training_equals_torch_nn_with_torch_optim(kind, source, text, T, steps, tol):
    values = make_sequence(source, T, text)[0]
    model = seq_model.build_model(kind, 4, seed=3)
    trained = seq_model.train(model, values, steps)
    cell, w_hy, b_y, norms = torch_train(model, values, steps)
    assert max_diff(trained, cell, w_hy, b_y) < tol
    assert max_diff(trained, model.cell, model.w_hy, model.b_y) > 1e-3          # it did move
    if source == "typed":
        assert max(norms) > 10 * seq_model.CLIP_NORM                             # clipped, and often
    start = seq_model.forward(model, values)[2].pow(2).sum()
    end = seq_model.forward(trained, values)[2].pow(2).sum()
    assert end < start                                                          # and it learned


def test_training_leaves_the_given_model_alone_and_zero_steps_return_it():
    values = make_sequence("sine", 10, "")[0]
    model = seq_model.build_model("lstm", 3, seed=1)
    before = copy.deepcopy(model)
    seq_model.train(model, values, 5)
    assert max_diff(model, before.cell, before.w_hy, before.b_y) == 0.0
    assert seq_model.train(model, values, 0) is model


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_clipping_treats_nan_and_inf_as_torch_does(bad):
    """An explosion stays visible: the same NaN/inf/0 pattern as clip_grad_norm_, no exception."""
    grads = {"a": torch.tensor([[1.0, bad], [3.0, 4.0]], dtype=F64), "b": torch.tensor([2.0, -1.0], dtype=F64)}
    ref = [torch.nn.Parameter(g.clone()) for g in grads.values()]
    for p, g in zip(ref, grads.values()):
        p.grad = g.clone()
    torch.nn.utils.clip_grad_norm_(ref, seq_model.CLIP_NORM)
    seq_model._clip(grads, seq_model.CLIP_NORM)
    for p, g in zip(ref, grads.values()):
        np.testing.assert_array_equal(g.numpy(), p.grad.numpy())


def test_clipping_scales_only_a_long_gradient():
    small = {"a": torch.tensor([3.0, 4.0], dtype=F64)}                           # ‖g‖ = 5 ≤ 10: kept
    seq_model._clip(small, 10.0)
    np.testing.assert_allclose(small["a"].numpy(), [3.0, 4.0], rtol=1e-6)
    big = {"a": torch.tensor([30.0, 40.0], dtype=F64), "b": torch.zeros(3, dtype=F64)}   # ‖g‖ = 50
    seq_model._clip(big, 10.0)
    assert float(torch.linalg.vector_norm(big["a"])) == pytest.approx(10.0, rel=1e-6)


@pytest.mark.parametrize("kind", KINDS)
def test_an_overflowing_gradient_norm_is_handled_as_torch_does(kind):
    """Inputs of 1e300 (the page caps typed values at ±100; the core must not depend on it): the squared
    norm overflows to inf, both loops scale the gradient by 0, and nothing warns or raises."""
    values = np.array([0.0, 1e300, -1e300, 1e300, 0.5, 1.0])
    model = seq_model.build_model(kind, 3, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trained = seq_model.train(model, values, 5)
    cell, w_hy, b_y, norms = torch_train(model, values, 5)
    assert norms == [float("inf")] * 5
    for mine, theirs in [(trained.cell.weight_hh, cell.weight_hh), (trained.cell.weight_ih, cell.weight_ih),
                         (trained.w_hy, w_hy), (trained.b_y, b_y)]:
        np.testing.assert_array_equal(mine.detach().numpy(), theirs.detach().numpy())
