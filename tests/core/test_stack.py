"""Stacked RNNs (rnnviz/stack.py, cells.from_torch / build_stack, flow.stack_grads) against torch.nn, the
torch docs' equations, an autograd reference, and the path-counting formula."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
import torch
from torch import nn

from rnnviz import cells, flow, stack

from core.test_cells import KIND_IDS, TORCH_KINDS, close, rand, reference

# (I, H, T, B, L, seed): the smallest stack, odd sizes, and the deepest the lessons build.
SIZES = [(1, 1, 4, 1, 2, 0), (3, 5, 6, 2, 3, 1), (4, 8, 7, 3, 4, 2)]
N_BLOCKS = {"rnn": 1, "lstm": 4, "gru": 3}


def torch_stack(kind, nl, I, H, L, seed, dtype=torch.float64):
    cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind]
    kw = {"nonlinearity": nl} if kind == "rnn" else {}
    torch.manual_seed(seed)                    # the module's own init; only this test's reference draws from it
    return cls(I, H, num_layers=L, **kw).to(dtype)


def layer_params(m, layer):
    """Layer `layer` of a fused module, with the *_l0 names the 1-layer reference reads."""
    return SimpleNamespace(**{f"{n}_l0": getattr(m, f"{n}_l{layer}")
                              for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")})


def states(kind, L, B, H, seed, dtype):
    """Non-zero initial states, torch's way ((L, B, H), a pair for the LSTM) and the stack's (a list per layer)."""
    h0 = rand(L, B, H, seed=seed + 50, dtype=dtype, scale=0.5)
    c0 = rand(L, B, H, seed=seed + 60, dtype=dtype)
    if kind == "lstm":
        return (h0, c0), [(h0[l], c0[l]) for l in range(L)]
    return h0, list(h0.unbind(0))


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("I,H,T,B,L,seed", SIZES)
@pytest.mark.parametrize("kind,nl", TORCH_KINDS, ids=KIND_IDS)
def test_every_state_and_gate_matches_torch(kind, nl, I, H, T, B, L, seed, dtype):
    m = torch_stack(kind, nl, I, H, L, seed, dtype)
    x = rand(T, B, I, seed=seed + 1, dtype=dtype)
    torch_state, per_layer = states(kind, L, B, H, seed, dtype)
    st = cells.from_torch(m)
    assert isinstance(st, stack.Stack) and st.num_layers == L
    with torch.no_grad():
        tr = st.unroll(x, per_layer)
        out, final = m(x, torch_state)
        # The top layer's states are torch.nn's output; every layer's last state is torch.nn's h_n (and c_n).
        close(tr.top.h, out, dtype)
        h_n, c_n = final if kind == "lstm" else (final, None)
        assert tr.h.shape == (L, T, B, H)
        close(tr.h[:, -1], h_n, dtype)
        if kind == "lstm":
            close(torch.stack([layer.c[-1] for layer in tr.layers]), c_n, dtype)
        # Every state and gate of every layer, against the docs' equations run layer on layer.
        below = x
        for layer in range(L):
            h, c, gates, pre = reference(kind, nl, layer_params(m, layer), below, per_layer[layer])
            close(tr.layers[layer].h, h, dtype)
            if kind == "lstm":
                close(tr.layers[layer].c, c, dtype)
            for name in gates:
                close(tr.layers[layer].gates[name], gates[name], dtype)
            if kind == "rnn":
                close(tr.layers[layer].pre, pre, dtype)
            below = h


@pytest.mark.parametrize("kind,nl", TORCH_KINDS, ids=KIND_IDS)
def test_to_torch_and_back(kind, nl):
    st = cells.build_stack(kind, 3, 5, 3, seed=4, nonlinearity=nl, dtype=torch.float64)
    m = st.to_torch()
    assert m.num_layers == 3 and m.hidden_size == 5 and m.input_size == 3
    x = rand(6, 2, 3, seed=9)
    with torch.no_grad():
        close(st.unroll(x).top.h, m(x)[0])
    back = cells.from_torch(m)
    for a, b in zip(back.parameters(), st.parameters()):
        assert torch.equal(a, b)


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_parameter_counts_per_layer(kind):
    """Layer 1: G·H·(I + H + 2); every layer above reads H, not I: G·H·(2H + 2); as torch.nn counts them."""
    I, H, L = 7, 5, 4
    G = N_BLOCKS[kind]
    st = cells.build_stack(kind, I, H, L)
    assert st.n_parameters_per_layer() == [G * H * (I + H + 2)] + [G * H * (2 * H + 2)] * (L - 1)
    m = st.to_torch()
    for layer, n in enumerate(st.n_parameters_per_layer()):
        assert n == sum(p.numel() for name, p in m.named_parameters() if name.endswith(f"_l{layer}"))
    assert st.n_parameters() == sum(p.numel() for p in m.parameters())


def test_bad_stacks_are_refused():
    with pytest.raises(ValueError, match="num_layers"):
        cells.build_stack("lstm", 2, 3, 0)
    with pytest.raises(ValueError, match="num_layers"):
        cells.build_stack("lstm", 2, 3, cells.MAX_LAYERS + 1)
    with pytest.raises(ValueError, match="dropout"):
        cells.from_torch(nn.LSTM(2, 3, num_layers=2, dropout=0.5))
    with pytest.raises(ValueError, match="same kind"):
        stack.Stack([cells.build("lstm", 2, 3), cells.build("gru", 3, 3)])
    with pytest.raises(ValueError, match="same kind"):
        stack.Stack([cells.build("lstm", 2, 3), cells.build("lstm", 4, 3)])   # layer 2 must read H = 3
    with pytest.raises(ValueError, match="initial states"):
        cells.build_stack("gru", 2, 3, 2).unroll(torch.zeros(4, 1, 2), [torch.zeros(1, 3)])


# ----- the gradient at every layer and step ----------------------------------------------------------
def autograd_reference(st, x, every_step):
    """Step by step with torch.nn's *Cell modules and retain_grad: ∂L/∂h_t^(l) as h.grad (the total derivative)."""
    cls = {"rnn": nn.RNNCell, "lstm": nn.LSTMCell, "gru": nn.GRUCell}[st.kind]
    layers = []
    for cell in st.layers:
        kw = {"nonlinearity": cell.nonlinearity} if st.kind == "rnn" else {}
        m = cls(cell.input_size, cell.hidden_size, **kw).double()
        with torch.no_grad():
            for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(m, n).copy_(getattr(cell, n))
        layers.append(m)
    B, H, L = x.shape[1], st.hidden_size, st.num_layers
    state = [(torch.zeros(B, H, dtype=x.dtype),) * 2 if st.kind == "lstm" else torch.zeros(B, H, dtype=x.dtype)
             for _ in range(L)]
    hs = [[None] * x.shape[0] for _ in range(L)]
    v = torch.linspace(-1, 1, H, dtype=x.dtype)
    loss = 0
    for t, x_t in enumerate(x):
        below = x_t
        for layer, m in enumerate(layers):
            state[layer] = m(below, state[layer])
            h = state[layer][0] if st.kind == "lstm" else state[layer]
            h.retain_grad()
            hs[layer][t] = h
            below = h
        if every_step or t == x.shape[0] - 1:
            loss = loss + (below @ v).sum()
    loss.backward()
    return torch.stack([torch.stack([h.grad for h in row]) for row in hs]).numpy()


@pytest.mark.parametrize("every_step", [False, True], ids=["loss-at-last", "loss-every-step"])
@pytest.mark.parametrize("kind,nl", TORCH_KINDS, ids=KIND_IDS)
def test_stack_grads_match_autograd(kind, nl, every_step):
    st = cells.build_stack(kind, 3, 6, 3, seed=2, nonlinearity=nl, dtype=torch.float64)
    x = rand(9, 2, 3, seed=5)
    v = torch.linspace(-1, 1, 6, dtype=torch.float64)

    def loss_fn(tr):
        top = tr.top.h if every_step else tr.top.h[-1:]
        return (top @ v).sum()

    g = flow.stack_grads(st, x, loss_fn)
    ref = autograd_reference(st, x, every_step)
    assert g.dh.shape == (3, 9, 2, 6) and g.norms.shape == (3, 9)
    torch.testing.assert_close(torch.from_numpy(g.dh), torch.from_numpy(ref), rtol=1e-4, atol=1e-12)
    ref_norms = torch.from_numpy(ref).flatten(2).norm(dim=2)
    torch.testing.assert_close(torch.from_numpy(g.norms), ref_norms, rtol=1e-4, atol=1e-12)
    if not every_step:                          # a loss on h_T^(L) alone: the lower layers see it only through
        assert (g.norms[:, -1] > 0).all()       # the layers above, at every step
    # One backward pass: the same numbers as flow's single-layer function on a 1-layer stack.
    one = cells.build_stack(kind, 3, 6, 1, seed=2, nonlinearity=nl, dtype=torch.float64)
    single = flow.hidden_grad_norms(one.layers[0], x, lambda tr: loss_fn(stack.StackTrace([tr])))
    torch.testing.assert_close(torch.from_numpy(flow.stack_grads(one, x, loss_fn).norms[0]),
                               torch.from_numpy(single), rtol=1e-12, atol=0)


@pytest.mark.parametrize("T,L", [(1, 1), (5, 1), (1, 3), (4, 2), (6, 3), (5, 4)])
def test_every_route_from_x1_has_T_plus_L_minus_1_factors(T, L):
    """A linear stack with one unit, weight a along (W_hh) and b up (W_ih), no biases: each route from x_1
    to h_T^(L) multiplies T − 1 a's and L b's, so ∂h_T^(L)/∂x_1 = (number of routes) · a^(T−1) · b^L."""
    a, b = 0.9, 1.3
    layers = []
    for _ in range(L):
        cell = cells.Cell("rnn", 1, 1, nonlinearity="linear", dtype=torch.float64)
        with torch.no_grad():
            cell.weight_hh.fill_(a)
            cell.weight_ih.fill_(b)
        layers.append(cell)
    st = stack.Stack(layers)
    x = torch.zeros(T, 1, 1, dtype=torch.float64, requires_grad=True)
    (grad,) = torch.autograd.grad(st.unroll(x).top.h[-1].sum(), x)
    factors = stack.path_length(T, L)
    assert factors == (T - 1) + L
    assert grad[0].item() == pytest.approx(stack.path_count(T, L) * a ** (T - 1) * b ** L, rel=1e-12)
    # and a later input x_t is T − t steps nearer: its routes have T − t + L factors
    for t in range(T):
        assert grad[t].item() == pytest.approx(stack.path_count(T - t, L) * a ** (T - 1 - t) * b ** L, rel=1e-12)


@pytest.mark.parametrize("layer", [1, 2])
def test_a_clamp_forces_one_layers_gate_and_the_layers_above_read_its_states(layer):
    """Stack.unroll(clamps, clamp_layer): the clamped layer is Cell.unroll with the clamp, the others read
    what the layer below computed (the Unfolded RNN's intervention uses layer 1)."""
    net = cells.build_stack("lstm", 3, 4, 3, seed=5, dtype=torch.float64)
    x = torch.randn(6, 1, 3, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    clamp = cells.Clamp(gate="forget", step=2, unit=1, value=0.0)
    got = net.unroll(x, clamps=(clamp,), clamp_layer=layer)
    inputs = x
    for k, cell in enumerate(net.layers, start=1):
        tr = cell.unroll(inputs, None, (clamp,) if k == layer else ())
        assert torch.equal(got.layers[k - 1].h, tr.h)
        inputs = tr.h
    assert got.layers[layer - 1].gates["forget"][2, 0, 1] == 0.0
    assert not torch.equal(got.top.h, net.unroll(x).top.h)            # the clamp reaches the top
    with pytest.raises(ValueError, match="clamp_layer must be 1–3"):
        net.unroll(x, clamps=(clamp,), clamp_layer=4)
