"""Hold every number of rnnviz.cells against torch.nn: states, gates, gradients, weights both ways.

The references below are written straight from the torch.nn docs' equations, slicing the torch
module's own weight_ih_l0 / weight_hh_l0 blocks: they never call the transparent cell's code.
Shape legend: T time, B batch, I input, H hidden.
"""
from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from rnnviz import cells

# (kind, nonlinearity) pairs that torch.nn can run.
TORCH_KINDS = [("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh"), ("gru", "tanh")]
KIND_IDS = ["rnn-tanh", "rnn-relu", "lstm", "gru"]
# (I, H, T, B, seed): a 1×1 edge case, odd sizes, and a wider one.
SIZES = [(1, 1, 5, 1, 0), (3, 5, 7, 2, 1), (4, 16, 12, 3, 2)]
# float32: 1e-5 absolute, or relative for the large states an unbounded ReLU RNN reaches.
TOL = {torch.float64: dict(rtol=0, atol=1e-12), torch.float32: dict(rtol=1e-5, atol=1e-5)}
N_BLOCKS = {"rnn": 1, "lstm": 4, "gru": 3}


def _gen(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def _randomise(module: nn.Module, seed: int, scale: float = 0.8) -> nn.Module:
    """Weights in ±scale (larger than the default init, so gates spread over their whole range)."""
    g = _gen(1000 + seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_((torch.rand(p.shape, generator=g, dtype=torch.float64) * 2 - 1) * scale)
    return module


def torch_layer(kind, nl, I, H, seed, dtype=torch.float64, cell=False):
    """A fused nn.RNN/LSTM/GRU (or its *Cell with cell=True) with seeded random weights."""
    if cell:
        cls = {"rnn": nn.RNNCell, "lstm": nn.LSTMCell, "gru": nn.GRUCell}[kind]
    else:
        cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind]
    kw = {"nonlinearity": nl} if kind == "rnn" else {}
    return _randomise(cls(I, H, **kw), seed).to(dtype)


def rand(*shape, seed, dtype=torch.float64, scale=1.0):
    return (torch.randn(*shape, generator=_gen(seed), dtype=torch.float64) * scale).to(dtype)


def initial(kind, B, H, seed, dtype=torch.float64):
    """A non-zero initial state: h0, or (h0, c0) for the LSTM, each (B, H)."""
    h0 = rand(B, H, seed=seed + 50, dtype=dtype, scale=0.5)
    return (h0, rand(B, H, seed=seed + 60, dtype=dtype)) if kind == "lstm" else h0


def params(m, suffix="_l0"):
    return [getattr(m, f"{n}{suffix}") for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]


# ----- independent reference: the torch docs' equations, block by block ----------------------------
def reference(kind, nl, m, x, state):
    """Unroll `m`'s weights with the torch docs' equations. Returns (h, c, gates, pre), all (T, B, H)."""
    W_ih, W_hh, b_ih, b_hh = params(m)
    H = W_hh.shape[1]

    def blk(t, k):                                            # the k-th (H, ...) block of a stacked tensor
        return t[k * H:(k + 1) * H]

    act = {"tanh": torch.tanh, "relu": torch.relu, "linear": lambda v: v}[nl]
    h, c = (state if kind == "lstm" else (state, None))
    hs, cs, pres, gates = [], [], [], {}
    for x_t in x:
        if kind == "rnn":
            a = x_t @ W_ih.T + b_ih + h @ W_hh.T + b_hh
            h = act(a)
            pres.append(a)
            step = {}
        elif kind == "lstm":                                  # docs: (W_ii|W_if|W_ig|W_io)
            def lin(k):
                return x_t @ blk(W_ih, k).T + blk(b_ih, k) + h @ blk(W_hh, k).T + blk(b_hh, k)
            i, f, g, o = torch.sigmoid(lin(0)), torch.sigmoid(lin(1)), torch.tanh(lin(2)), torch.sigmoid(lin(3))
            c = f * c + i * g
            h = o * torch.tanh(c)
            step = {"input": i, "forget": f, "cell": g, "output": o}
        else:                                                 # docs: (W_ir|W_iz|W_in)
            def lin(k):
                return x_t @ blk(W_ih, k).T + blk(b_ih, k) + h @ blk(W_hh, k).T + blk(b_hh, k)
            r, z = torch.sigmoid(lin(0)), torch.sigmoid(lin(1))
            n = torch.tanh(x_t @ blk(W_ih, 2).T + blk(b_ih, 2) + r * (h @ blk(W_hh, 2).T + blk(b_hh, 2)))
            h = (1 - z) * n + z * h
            step = {"reset": r, "update": z, "new": n}
        hs.append(h)
        cs.append(c)
        for name, v in step.items():
            gates.setdefault(name, []).append(v)
    stack = torch.stack
    return (stack(hs), stack(cs) if kind == "lstm" else None,
            {k: stack(v) for k, v in gates.items()}, stack(pres) if kind == "rnn" else None)


def close(a, b, dtype=torch.float64):
    torch.testing.assert_close(a, b, **TOL[dtype])


# ----- states against the fused modules and the *Cell modules --------------------------------------
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("I,H,T,B,seed", SIZES)
@pytest.mark.parametrize("kind,nl", TORCH_KINDS, ids=KIND_IDS)
def test_unroll_matches_fused_module(kind, nl, I, H, T, B, seed, dtype):
    m = torch_layer(kind, nl, I, H, seed, dtype)
    cell = cells.from_torch(m)
    assert (cell.kind, cell.nonlinearity, cell.weight_hh.dtype) == (kind, nl, dtype)
    x = rand(T, B, I, seed=seed, dtype=dtype)
    state = initial(kind, B, H, seed, dtype)
    with torch.no_grad():
        if kind == "lstm":
            out, (hn, cn) = m(x, (state[0][None], state[1][None]))
        else:
            out, hn = m(x, state[None])
        tr = cell.unroll(x, state)
    assert tr.h.shape == (T, B, H) and tr.h.dtype == dtype
    close(tr.h, out, dtype)
    close(tr.h[-1], hn[0], dtype)
    if kind == "lstm":
        assert tr.c.shape == (T, B, H)
        close(tr.c[-1], cn[0], dtype)
    else:
        assert tr.c is None
    # The non-zero initial state mattered: from zeros the first step differs (for a ReLU RNN whose
    # units are all dead, h is 0 either way, but the pre-activation still differs).
    with torch.no_grad():
        free = cell.unroll(x)
    assert not torch.allclose(free.h[0], tr.h[0]) or not torch.allclose(free.pre[0], tr.pre[0])


@pytest.mark.parametrize("kind,nl", TORCH_KINDS, ids=KIND_IDS)
def test_zero_initial_state_is_the_default(kind, nl):
    m = torch_layer(kind, nl, 3, 4, seed=5)
    x = rand(6, 2, 3, seed=5)
    with torch.no_grad():
        out = m(x)[0]
        close(cells.from_torch(m).unroll(x).h, out)


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("kind,nl", TORCH_KINDS, ids=KIND_IDS)
def test_unroll_matches_cell_module_stepped(kind, nl, dtype):
    I, H, T, B, seed = 3, 6, 9, 2, 7
    m = torch_layer(kind, nl, I, H, seed, dtype, cell=True)
    cell = cells.from_torch(m)
    x = rand(T, B, I, seed=seed, dtype=dtype)
    state = initial(kind, B, H, seed, dtype)
    with torch.no_grad():
        tr = cell.unroll(x, state)
        s = state
        for t in range(T):
            s = m(x[t], s)
            if kind == "lstm":
                close(tr.h[t], s[0], dtype)
                close(tr.c[t], s[1], dtype)
            else:
                close(tr.h[t], s, dtype)


@pytest.mark.parametrize("kind,nl", TORCH_KINDS, ids=KIND_IDS)
def test_to_torch_round_trip(kind, nl):
    cell = cells.build(kind, 3, 5, seed=3, nonlinearity=nl, dtype=torch.float64)
    m = cell.to_torch()
    assert type(m) is {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind]
    assert m.num_layers == 1 and not m.batch_first and not m.bidirectional
    if kind == "rnn":
        assert m.nonlinearity == nl
    for mine, theirs in zip(params(cell, suffix=""), params(m)):
        assert theirs.dtype == torch.float64
        assert torch.equal(mine, theirs)
    x = rand(8, 2, 3, seed=3)
    with torch.no_grad():
        close(cell.unroll(x).h, m(x)[0])
    # The copy is independent: changing the torch module leaves the cell alone.
    with torch.no_grad():
        m.weight_hh_l0.add_(1.0)
    assert not torch.equal(m.weight_hh_l0, cell.weight_hh)
    # And back again gives the same weights.
    back = cells.from_torch(cell.to_torch())
    for a, b in zip(params(back, suffix=""), params(cell, suffix="")):
        assert torch.equal(a, b)


# ----- every gate against the docs' equations --------------------------------------------------------
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("I,H,T,B,seed", SIZES)
@pytest.mark.parametrize("kind,nl", TORCH_KINDS, ids=KIND_IDS)
def test_gates_match_independent_reference(kind, nl, I, H, T, B, seed, dtype):
    m = torch_layer(kind, nl, I, H, seed, dtype)
    x = rand(T, B, I, seed=seed + 1, dtype=dtype)
    state = initial(kind, B, H, seed, dtype)
    with torch.no_grad():
        tr = cells.from_torch(m).unroll(x, state)
        h, c, gates, pre = reference(kind, nl, m, x, state)
    assert tuple(tr.gates) == cells.GATES[kind] == tuple(gates)
    for name in gates:
        assert tr.gates[name].shape == (T, B, H)
        close(tr.gates[name], gates[name], dtype)
    close(tr.h, h, dtype)
    if kind == "lstm":
        close(tr.c, c, dtype)
    if kind == "rnn":
        close(tr.pre, pre, dtype)
        assert tr.gates == {}
    else:
        assert tr.pre is None


@pytest.mark.parametrize("I,H,T,B,seed", SIZES)
def test_linear_rnn_matches_reference(I, H, T, B, seed):
    """torch.nn.RNN has no identity nonlinearity: check against the docs' equation with φ(a) = a."""
    m = torch_layer("rnn", "tanh", I, H, seed)                # only its weights are used
    cell = cells.from_torch(m)
    linear = cells.Cell("rnn", I, H, nonlinearity="linear", dtype=torch.float64)
    linear.load_state_dict(cell.state_dict())
    x = rand(T, B, I, seed=seed)
    h0 = initial("rnn", B, H, seed)
    with torch.no_grad():
        tr = linear.unroll(x, h0)
        h, _, _, pre = reference("rnn", "linear", m, x, h0)
        tanh_h = cell.unroll(x, h0).h
    close(tr.h, h)
    close(tr.pre, pre)
    close(tr.h, tr.pre)                                       # identity: h_t is its own pre-activation
    assert not torch.allclose(tr.h, tanh_h)                   # and it really is not the tanh cell
    with pytest.raises(ValueError, match="linear"):
        linear.to_torch()


# ----- gradients ----------------------------------------------------------------------------------
def _loss(kind, hs, c_last, readout, readout_c):
    """A random linear readout of every h_t (and of the LSTM's final cell state)."""
    loss = (hs * readout).sum()
    return loss + (c_last * readout_c).sum() if kind == "lstm" else loss


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("kind,nl", TORCH_KINDS, ids=KIND_IDS)
def test_gradients_match_fused_module(kind, nl, dtype):
    I, H, T, B, seed = 3, 5, 10, 2, 11
    m = torch_layer(kind, nl, I, H, seed, dtype)
    cell = cells.from_torch(m)
    readout, readout_c = rand(T, B, H, seed=70, dtype=dtype), rand(B, H, seed=71, dtype=dtype)
    x0 = rand(T, B, I, seed=seed, dtype=dtype)
    s0 = initial(kind, B, H, seed, dtype)
    s0 = s0 if kind == "lstm" else (s0,)

    # torch
    x_t = x0.clone().requires_grad_()
    st_t = [s.clone().requires_grad_() for s in s0]
    if kind == "lstm":
        out, (_, cn) = m(x_t, (st_t[0][None], st_t[1][None]))
        c_last = cn[0]
    else:
        out, _ = m(x_t, st_t[0][None])
        c_last = None
    _loss(kind, out, c_last, readout, readout_c).backward()

    # transparent
    x_c = x0.clone().requires_grad_()
    st_c = [s.clone().requires_grad_() for s in s0]
    tr = cell.unroll(x_c, tuple(st_c) if kind == "lstm" else st_c[0])
    _loss(kind, tr.h, tr.c[-1] if kind == "lstm" else None, readout, readout_c).backward()

    tol = dict(rtol=1e-10, atol=1e-10) if dtype == torch.float64 else dict(rtol=1e-4, atol=1e-5)
    for mine, theirs in zip(params(cell, suffix=""), params(m)):
        assert mine.grad is not None and mine.grad.abs().sum() > 0
        torch.testing.assert_close(mine.grad, theirs.grad, **tol)
    torch.testing.assert_close(x_c.grad, x_t.grad, **tol)
    for a, b in zip(st_c, st_t):
        torch.testing.assert_close(a.grad, b.grad, **tol)
    assert x_c.grad.abs().sum() > 0


@pytest.mark.parametrize("kind,nl", TORCH_KINDS, ids=KIND_IDS)
def test_gradients_through_every_cell_state_match_stepped_cell_module(kind, nl):
    """Through *every* c_t (the fused LSTM only returns the last): step an nn.*Cell by hand."""
    I, H, T, B, seed = 2, 4, 8, 3, 13
    m = torch_layer(kind, nl, I, H, seed, cell=True)
    cell = cells.from_torch(m)
    R, Rc = rand(T, B, H, seed=80), rand(T, B, H, seed=81)
    x0 = rand(T, B, I, seed=seed)

    x_t = x0.clone().requires_grad_()
    s, hs, cs = None, [], []
    for t in range(T):
        s = m(x_t[t], s)
        hs.append(s[0] if kind == "lstm" else s)
        cs.append(s[1] if kind == "lstm" else None)
    loss = (torch.stack(hs) * R).sum() + ((torch.stack(cs) * Rc).sum() if kind == "lstm" else 0)
    loss.backward()

    x_c = x0.clone().requires_grad_()
    tr = cell.unroll(x_c)
    loss_c = (tr.h * R).sum() + ((tr.c * Rc).sum() if kind == "lstm" else 0)
    loss_c.backward()

    torch.testing.assert_close(loss_c, loss, rtol=1e-12, atol=1e-12)
    for mine, theirs in zip(params(cell, suffix=""), params(m, suffix="")):
        torch.testing.assert_close(mine.grad, theirs.grad, rtol=1e-10, atol=1e-10)
    torch.testing.assert_close(x_c.grad, x_t.grad, rtol=1e-10, atol=1e-10)


# ----- build: seeded, private randomness, torch's init range -------------------------------------
@pytest.mark.parametrize("kind", cells.KINDS)
def test_build_is_seeded_and_leaves_global_rng_alone(kind):
    before = torch.random.get_rng_state()
    a = cells.build(kind, 3, 9, seed=4)
    b = cells.build(kind, 3, 9, seed=4)
    c = cells.build(kind, 3, 9, seed=5)
    assert torch.equal(torch.random.get_rng_state(), before)
    bound = 1 / math.sqrt(9)
    for (name, pa), pb, pc in zip(a.named_parameters(), b.parameters(), c.parameters()):
        assert pa.dtype == torch.float32
        assert torch.equal(pa, pb), name
        assert not torch.equal(pa, pc), name
        assert pa.abs().max() <= bound, name
        assert pa.abs().max() > 0.5 * bound, name         # really spread over the range, not zeros
        assert (pa > 0).any() and (pa < 0).any(), name


def test_build_float64_and_its_range_scales_with_hidden_size():
    cell = cells.build("lstm", 2, 100, seed=0, dtype=torch.float64)
    assert cell.weight_hh.dtype == torch.float64
    assert cell.weight_hh.shape == (400, 100) and cell.weight_ih.shape == (400, 2)
    assert cell.weight_hh.abs().max() <= 0.1 < cells.build("lstm", 2, 4, seed=0).weight_hh.abs().max()


# ----- parameter counts ----------------------------------------------------------------------------
@pytest.mark.parametrize("I,H", [(1, 1), (3, 7), (10, 32)])
@pytest.mark.parametrize("kind,nl", TORCH_KINDS, ids=KIND_IDS)
def test_n_parameters_equals_torch_and_ignores_T(kind, nl, I, H):
    cell = cells.build(kind, I, H, nonlinearity=nl)
    expected = sum(p.numel() for p in cell.to_torch().parameters())
    assert expected == N_BLOCKS[kind] * H * (I + H + 2)
    assert cell.n_parameters() == expected
    for T in (1, 40):                                         # unrolling longer reuses the same weights
        cell.unroll(torch.zeros(T, 2, I))
        assert cell.n_parameters() == expected


# ----- clamps: intervention experiments --------------------------------------------------------------
def _cell_and_input(kind, H=4, T=8, B=3, seed=21):
    m = torch_layer(kind, "tanh", 3, H, seed)
    return cells.from_torch(m), rand(T, B, 3, seed=seed), initial(kind, B, H, seed)


def test_clamping_the_forget_gate_to_zero_erases_the_old_cell_state():
    cell, x, state = _cell_and_input("lstm")
    t, u = 3, 2
    with torch.no_grad():
        free = cell.unroll(x, state)
        tr = cell.unroll(x, state, clamps=[cells.Clamp("forget", t, u, 0.0)])
    g = tr.gates
    assert torch.all(g["forget"][t, :, u] == 0)
    close(tr.c[t, :, u], g["input"][t, :, u] * g["cell"][t, :, u])   # c_t = 0·c_{t-1} + i_t g_t
    assert not torch.allclose(free.c[t, :, u], tr.c[t, :, u])         # c_{t-1} was not zero
    # Steps before t are untouched; at step t only unit u changes; later steps feel it.
    for name in ("h", "c"):
        assert torch.equal(getattr(tr, name)[:t], getattr(free, name)[:t])
    others = [k for k in range(cell.hidden_size) if k != u]
    assert torch.equal(tr.c[t][:, others], free.c[t][:, others])
    for name in cells.GATES["lstm"]:
        assert torch.equal(tr.gates[name][:t + 1][..., others], free.gates[name][:t + 1][..., others])
    assert not torch.allclose(tr.h[t + 1:], free.h[t + 1:])
    assert not torch.allclose(tr.gates["forget"][t + 1:], free.gates["forget"][t + 1:])


@pytest.mark.parametrize("t", [0, 4])
def test_clamping_the_update_gate_to_one_copies_the_previous_state(t):
    cell, x, h0 = _cell_and_input("gru")
    u = 1
    with torch.no_grad():
        free = cell.unroll(x, h0)
        tr = cell.unroll(x, h0, clamps=(cells.Clamp("update", t, u, 1.0),))
    h_prev = h0 if t == 0 else tr.h[t - 1]
    assert torch.all(tr.gates["update"][t, :, u] == 1)
    close(tr.h[t, :, u], h_prev[:, u])                                # (1 - 1)·n_t + 1·h_{t-1}
    assert (free.h[t, :, u] - h_prev[:, u]).abs().min() > 1e-6
    assert torch.equal(tr.h[:t], free.h[:t])
    assert not torch.allclose(tr.h[t + 1:], free.h[t + 1:])


def test_clamping_the_gru_candidate():
    cell, x, h0 = _cell_and_input("gru")
    t, u, v = 2, 3, 0.5
    with torch.no_grad():
        tr = cell.unroll(x, h0, clamps=[cells.Clamp("new", t, u, v)])
    z = tr.gates["update"][t, :, u]
    assert torch.all(tr.gates["new"][t, :, u] == v)
    close(tr.h[t, :, u], (1 - z) * v + z * tr.h[t - 1, :, u])


def test_clamps_on_several_steps_and_units_combine():
    cell, x, state = _cell_and_input("lstm")
    clamps = [cells.Clamp("output", 1, 0, 0.0), cells.Clamp("output", 1, 3, 1.0), cells.Clamp("input", 5, 0, 0.0)]
    with torch.no_grad():
        tr = cell.unroll(x, state, clamps=clamps)
    assert torch.all(tr.h[1, :, 0] == 0)                              # h = 0·tanh(c)
    close(tr.h[1, :, 3], torch.tanh(tr.c[1, :, 3]))                   # h = 1·tanh(c)
    close(tr.c[5, :, 0], tr.gates["forget"][5, :, 0] * tr.c[4, :, 0])  # nothing new written


@pytest.mark.parametrize("kind,gate", [("lstm", "update"), ("gru", "forget"), ("rnn", "input"), ("lstm", "nope")])
def test_clamp_on_a_gate_the_cell_does_not_have_raises(kind, gate):
    cell, x, state = _cell_and_input(kind)
    with pytest.raises(ValueError, match=f"no gate '{gate}'"):
        cell.unroll(x, state, clamps=[cells.Clamp(gate, 0, 0, 0.0)])


# ----- clear errors --------------------------------------------------------------------------------
def test_unknown_kind_nonlinearity_and_sizes_raise():
    with pytest.raises(ValueError, match="unknown cell kind 'transformer'"):
        cells.build("transformer", 2, 3)
    with pytest.raises(ValueError, match="unknown nonlinearity 'sigmoid'"):
        cells.build("rnn", 2, 3, nonlinearity="sigmoid")
    for I, H in [(0, 3), (2, 0)]:
        with pytest.raises(ValueError, match="at least 1"):
            cells.build("lstm", I, H)


@pytest.mark.parametrize("kind", cells.KINDS)
def test_bad_input_and_state_shapes_raise(kind):
    cell = cells.build(kind, 3, 4, dtype=torch.float64)
    for bad in (torch.zeros(5, 3), torch.zeros(5, 2, 4), torch.zeros(5, 2, 3, 1)):
        with pytest.raises(ValueError, match=r"x must be \(T, B, 3\)"):
            cell.unroll(bad.double())
    x = torch.zeros(5, 2, 3, dtype=torch.float64)
    h = torch.zeros(2, 4, dtype=torch.float64)
    # torch.nn style (num_layers, B, H) states, a wrong batch, a wrong width:
    for bad in (h[None], torch.zeros(1, 4).double(), torch.zeros(2, 5).double()):
        with pytest.raises(ValueError, match="initial state must be"):
            cell.unroll(x, (bad, h) if kind == "lstm" else bad)
    if kind == "lstm":
        with pytest.raises(ValueError, match="pair"):
            cell.unroll(x, h)


def test_from_torch_rejects_what_it_cannot_represent():
    # (a stack, num_layers > 1, converts into a cells.Stack: tests/core/test_stack.py)
    for m in (nn.GRU(2, 3, bidirectional=True), nn.LSTM(2, 3, proj_size=2),
              nn.LSTM(2, 3, num_layers=2, bidirectional=True)):
        with pytest.raises(ValueError, match="unidirectional"):
            cells.from_torch(m)
    with pytest.raises(TypeError, match="Linear"):
        cells.from_torch(nn.Linear(2, 3))


# ----- what the lean unroll keeps: Trace.saved, Cell.step ------------------------------------------
@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_saved_tensors_are_what_the_equations_compute(kind):
    """Trace.saved holds what the hand-written backward reuses: the LSTM's tanh(c_t) and the GRU's
    W_hn h_{t-1} + b_hn, recomputed here from the trace and the weight blocks."""
    cell, x, state = _cell_and_input(kind)
    with torch.no_grad():
        tr = cell.unroll(x, state)
    if kind == "lstm":
        assert set(tr.saved) == {"tanh_c"}
        close(tr.saved["tanh_c"], torch.tanh(tr.c))
        close(tr.h, tr.gates["output"] * tr.saved["tanh_c"])
    else:
        assert set(tr.saved) == {"hn"}
        h_prev = torch.cat([state[None], tr.h[:-1]])
        b = cell.blocks()
        close(tr.saved["hn"], h_prev @ b["W_hn"].T + b["b_hn"])


@pytest.mark.parametrize("kind,nl", TORCH_KINDS, ids=KIND_IDS)
def test_step_is_the_first_step_of_unroll(kind, nl):
    cell = cells.from_torch(torch_layer(kind, nl, 3, 5, seed=3))
    x, state = rand(4, 2, 3, seed=3), initial(kind, 2, 5, seed=3)
    with torch.no_grad():
        tr = cell.unroll(x, state)
        new_state, parts = cell.step(x[0], state)
    close(new_state[0] if kind == "lstm" else new_state, tr.h[0])
    if kind == "lstm":
        close(new_state[1], tr.c[0])
    for name in ("pre",) if kind == "rnn" else cells.GATES[kind]:
        close(parts[name], (tr.pre if kind == "rnn" else tr.gates[name])[0])


def test_an_empty_sequence_is_a_clear_error():
    cell = cells.build("gru", 3, 4)
    with pytest.raises(ValueError, match="T ≥ 1"):
        cell.unroll(torch.zeros(0, 2, 3))
