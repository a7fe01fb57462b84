"""Hold the NumPy forward (rnnviz.forward, what the gradient lab runs) against torch.nn and against the
readable cells.Cell.unroll: every state, gate and saved tensor, both dtypes, every kind.
Shape legend: T time, B batch, I input, H hidden."""
from __future__ import annotations

import warnings

import pytest
import torch
from torch import nn

from common import CASES, F64, IDS, make, rand
from rnnviz import bptt, cells, forward

TOL = {torch.float64: dict(rtol=1e-12, atol=1e-12), torch.float32: dict(rtol=1e-5, atol=1e-6)}


def initial(kind, B, H, seed, dtype):
    h0 = rand(B, H, seed=seed + 50, scale=0.5).to(dtype)
    return (h0, rand(B, H, seed=seed + 60).to(dtype)) if kind == "lstm" else h0


def assert_same_trace(a: cells.Trace, b: cells.Trace, dtype) -> None:
    """Every tensor of two traces: h, c, pre, each gate, each saved tensor, and the per-step lists."""
    tol = TOL[dtype]
    for name in ("h", "c", "pre", "h0", "c0"):
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            torch.testing.assert_close(y, x, **tol)
    assert set(a.gates) == set(b.gates) and set(a.saved) == set(b.saved)
    for name in a.gates:
        assert b.gates[name].shape == a.gates[name].shape, name
        torch.testing.assert_close(b.gates[name], a.gates[name], **tol)
    for name in a.saved:
        torch.testing.assert_close(b.saved[name], a.saved[name], **tol)
    assert len(b.h_steps) == len(a.h_steps) and len(b.c_steps) == len(a.c_steps)
    torch.testing.assert_close(torch.stack(b.h_steps), b.h, rtol=0, atol=0)


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("T,B,I,H", [(1, 1, 1, 1), (7, 3, 4, 5), (40, 2, 3, 16)])
@pytest.mark.parametrize("kind,nl", CASES, ids=IDS)
def test_numpy_forward_equals_the_readable_cell(kind, nl, T, B, I, H, dtype):
    # Gain 2: gates use their whole range (a linear RNN keeps 1, or 40 steps grow it past the tolerance).
    cell = make(kind, nl, I, H, seed=T + H, gain=1.0 if nl == "linear" else 2.0).to(dtype)
    x = rand(T, B, I, seed=T).to(dtype)
    for state in (None, initial(kind, B, H, seed=H, dtype=dtype)):
        with torch.no_grad():
            ref = cell.unroll(x, state)
        assert_same_trace(ref, forward.unroll(cell, x, state), dtype)


@pytest.mark.parametrize("kind,nl", [("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh"), ("gru", "tanh")])
def test_numpy_forward_equals_torch_nn(kind, nl):
    T, B, I, H = 12, 3, 4, 16
    kw = {"nonlinearity": nl} if kind == "rnn" else {}
    m = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind](I, H, **kw).to(F64)
    with torch.no_grad():
        for p in m.parameters():
            p.mul_(3.0)                                       # saturate some gates
    cell = cells.from_torch(m)
    x = rand(T, B, I, seed=5)
    state = initial(kind, B, H, seed=2, dtype=F64)
    with torch.no_grad():
        out, last = m(x, tuple(s[None] for s in state) if kind == "lstm" else state[None])
    tr = forward.unroll(cell, x, state)
    torch.testing.assert_close(tr.h, out, **TOL[F64])
    if kind == "lstm":
        torch.testing.assert_close(tr.c[-1], last[1][0], **TOL[F64])


@pytest.mark.parametrize("kind,nl", CASES, ids=IDS)
def test_hand_bptt_gives_the_same_gradients_from_either_forward(kind, nl):
    cell = make(kind, nl, 3, 6, seed=1)
    x, local = rand(9, 2, 3, seed=1), rand(9, 2, 6, seed=2)
    with torch.no_grad():
        a = bptt.backward(cell, cell.unroll(x), local)
    b = bptt.backward(cell, forward.unroll(cell, x), local)
    for name in ("dh", "dz_x", "dz_h", "dh0"):
        torch.testing.assert_close(getattr(b, name), getattr(a, name), **TOL[F64])
    for name, g in a.param_grads(x).items():
        torch.testing.assert_close(b.param_grads(x)[name], g, **TOL[F64])


@pytest.mark.parametrize("kind,nl", CASES, ids=IDS)
def test_an_overflow_is_inf_or_nan_as_in_torch_never_an_error_or_a_warning(kind, nl):
    """The lab shows an overflow as 'exploded': the forward hands it over quietly, exactly as torch has it."""
    cell = make(kind, nl, 2, 4, seed=0, gain=1e155)
    x = rand(30, 2, 2, seed=0) * 1e155                        # pre-activations near 1e310: beyond float64
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tr = forward.unroll(cell, x)
    with torch.no_grad():
        ref = cell.unroll(x)
    torch.testing.assert_close(tr.h, ref.h, equal_nan=True, **TOL[F64])
    if kind == "rnn" and nl != "tanh":
        assert not torch.isfinite(tr.h).all()                  # an unbounded RNN overflows


def test_the_cell_is_left_untouched_and_bad_input_is_refused():
    cell = make("lstm", "tanh", 3, 5)
    before = [p.detach().clone() for p in cell.parameters()]
    tr = forward.unroll(cell, rand(4, 2, 3, seed=0))
    tr.gates["forget"].zero_()                                # the trace is the caller's to change
    for p, q in zip(cell.parameters(), before):
        assert torch.equal(p, q)
    with pytest.raises(ValueError, match="x must be"):
        forward.unroll(cell, rand(4, 3, seed=0))
    with pytest.raises(ValueError, match="initial state"):
        forward.unroll(cell, rand(4, 2, 3, seed=0), (torch.zeros(1, 2, 5, dtype=F64),) * 2)
    with pytest.raises(ValueError, match="float32 or float64"):
        forward.unroll(cell.to(torch.float16), rand(4, 2, 3, seed=0).half())
