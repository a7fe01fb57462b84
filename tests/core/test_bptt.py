"""Hold the hand-written BPTT (rnnviz.bptt) against autograd, to 1e-10 in float64.

Full BPTT is compared with flow.backward_through_time (autograd through the cell) and with plain
torch.autograd.grad on the initial state. Per-step shares of ∂L/∂W_hh and truncated BPTT have no
autograd counterpart in rnnviz, so the references here are written from scratch: an unroll from the
torch.nn docs' equations in which each step can use its own copy of W_hh, and in which the state can
be detached at a chosen step. Shape legend: T time, B batch, I input, H hidden, G gates.
"""
from __future__ import annotations

import dataclasses

import pytest
import torch
import torch.nn.functional as F

from common import CASES, F64, IDS, make, rand
from rnnviz import bptt, cells, flow

TOL = dict(rtol=1e-10, atol=1e-10)
NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def setup(kind, nl, T=7, B=3, I=3, H=5, seed=0):
    """A cell, an input, a non-zero initial state (as leaves) and random local gradients ℓ_t."""
    cell = make(kind, nl, I, H, seed)
    x = rand(T, B, I, seed=seed + 1)
    h0 = rand(B, H, seed=seed + 2, scale=0.5).requires_grad_()
    c0 = rand(B, H, seed=seed + 3).requires_grad_() if kind == "lstm" else None
    local = rand(T, B, H, seed=seed + 4)
    return cell, x, h0, c0, local


def state_of(h0, c0):
    return h0 if c0 is None else (h0, c0)


def close(a, b, **tol):
    torch.testing.assert_close(torch.as_tensor(a), torch.as_tensor(b), **(tol or TOL))


# ----- full BPTT against autograd ---------------------------------------------------------------
@pytest.mark.parametrize("local_kind", ["random", "readout-last", "readout-every"])
@pytest.mark.parametrize("kind,nl", CASES, ids=IDS)
def test_backward_equals_autograd(kind, nl, local_kind):
    T, B, H = 7, 3, 5
    cell, x, h0, c0, local = setup(kind, nl, T, B, H=H, seed=3)
    if local_kind != "random":
        where = local_kind.split("-")[1]
        local = flow.readout_local_grads(flow.readout_vector(H, seed=1), T, B, where)

    def loss_fn(tr):                                         # L = Σ_t ℓ_t·h_t: exactly the given ∂L_t/∂h_t
        return (tr.h * local).sum()

    ref = flow.backward_through_time(cell, x, loss_fn, state_of(h0, c0))
    tr2 = cell.unroll(x, state_of(h0, c0))
    dh0_ref = torch.autograd.grad(loss_fn(tr2), h0)[0]

    with torch.no_grad():
        trace = cell.unroll(x, state_of(h0.detach(), None if c0 is None else c0.detach()))
    back = bptt.backward(cell, trace, local)
    assert back.dh.shape == (T, B, H) and back.dh0.shape == (B, H)
    assert not back.dh.requires_grad                         # no graph: the lab runs it under no_grad
    close(back.dh, ref.dh)
    if kind == "lstm":
        assert back.dc.shape == (T, B, H)
        close(back.dc, ref.dc)
    else:
        assert back.dc is None
    grads = back.param_grads(x)
    assert set(grads) == set(NAMES)
    for name in NAMES:
        assert grads[name].shape == getattr(cell, name).shape
        assert float(grads[name].abs().max()) > 1e-8, name   # a real gradient, not zeros on both sides
        close(grads[name], ref.param_grads[name])
    close(back.dh0, dh0_ref)
    if local_kind == "random":                               # (a last-step loss can die in a relu net)
        assert float(dh0_ref.abs().max()) > 1e-8
    close(back.h_prev[0], h0.detach())
    close(back.h_prev[1:], trace.h[:-1])


@pytest.mark.parametrize("kind,nl", CASES, ids=IDS)
def test_backward_from_the_default_zero_state(kind, nl):
    """trace.h0 is the zero state unroll made; BPTT still matches autograd (parameters and dh)."""
    cell, x, _, _, local = setup(kind, nl, seed=9)
    ref = flow.backward_through_time(cell, x, lambda tr: (tr.h * local).sum())
    with torch.no_grad():
        back = bptt.backward(cell, cell.unroll(x), local)
    close(back.dh, ref.dh)
    for name, g in back.param_grads(x).items():
        close(g, ref.param_grads[name])


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_backward_recomputes_what_the_trace_did_not_save(kind):
    """Trace.saved only spares recomputation: without it the backward gives the same numbers."""
    cell, x, h0, c0, local = setup(kind, "tanh", seed=4)
    with torch.no_grad():
        trace = cell.unroll(x, state_of(h0.detach(), None if c0 is None else c0.detach()))
    full = bptt.backward(cell, trace, local)
    bare = bptt.backward(cell, dataclasses.replace(trace, saved={}), local)
    for name in ("dh", "dc", "dz_x", "dz_h", "dh0"):
        a, b = getattr(full, name), getattr(bare, name)
        assert (a is None) == (b is None)
        if a is not None:
            close(a, b, rtol=0, atol=1e-13)


# ----- each step's share of ∂L/∂W_hh ---------------------------------------------------------
def ref_unroll(cell, x, state, whh=None, detach_at=None, eh=None, ec=None, stop=None):
    """Unroll with the torch docs' equations. whh: one W_hh tensor per step (default the cell's);
    detach_at=j (or a set of j): the state entering step j (0-based) is cut from the graph; eh/ec: tensors added to
    h_t / c_t (perturbations, for ∂L/∂h_t and ∂L/∂c_t); stop: run steps 0..stop only."""
    W_ih, b_ih, b_hh = cell.weight_ih, cell.bias_ih, cell.bias_hh
    H, kind = cell.hidden_size, cell.kind
    h, c = (state if kind == "lstm" else (state, None))
    hs, cs = [], []
    for t in range(x.shape[0] if stop is None else stop + 1):
        if t == detach_at or (isinstance(detach_at, (set, frozenset, range)) and t in detach_at):
            h, c = h.detach(), (None if c is None else c.detach())
        W_hh = cell.weight_hh if whh is None else whh[t]

        def lin(k):
            s = slice(k * H, (k + 1) * H)
            return F.linear(x[t], W_ih[s], b_ih[s]) + F.linear(h, W_hh[s], b_hh[s])

        if kind == "rnn":
            h = {"tanh": torch.tanh, "relu": F.relu, "linear": lambda v: v}[cell.nonlinearity](lin(0))
        elif kind == "lstm":
            i, f, g, o = torch.sigmoid(lin(0)), torch.sigmoid(lin(1)), torch.tanh(lin(2)), torch.sigmoid(lin(3))
            c = f * c + i * g
            if ec is not None:
                c = c + ec[t]
            h = o * torch.tanh(c)
        else:
            s = slice(2 * H, 3 * H)
            r, z = torch.sigmoid(lin(0)), torch.sigmoid(lin(1))
            n = torch.tanh(F.linear(x[t], W_ih[s], b_ih[s]) + r * F.linear(h, W_hh[s], b_hh[s]))
            h = (1 - z) * n + z * h
        if eh is not None:
            h = h + eh[t]
        hs.append(h)
        cs.append(c)
    return hs, cs


@pytest.mark.parametrize("kind,nl", CASES, ids=IDS)
def test_whh_contributions_are_each_steps_share(kind, nl):
    T = 7
    cell, x, h0, c0, local = setup(kind, nl, T, seed=5)
    with torch.no_grad():
        trace = cell.unroll(x, state_of(h0.detach(), None if c0 is None else c0.detach()))
    back = bptt.backward(cell, trace, local)
    contrib = back.whh_contributions()
    assert contrib.shape == (T, *cell.weight_hh.shape)
    total = flow.backward_through_time(cell, x, lambda tr: (tr.h * local).sum(),
                                       state_of(h0.detach(), None if c0 is None else c0.detach()))
    close(contrib.sum(0), total.param_grads["weight_hh"], rtol=0, atol=1e-10)
    close(contrib.sum(0), back.param_grads(x)["weight_hh"], rtol=0, atol=1e-10)
    # step t's share = ∂L/∂W_hh through step t's use of W_hh alone: give each step its own copy
    copies = [cell.weight_hh.detach().clone().requires_grad_() for _ in range(T)]
    hs, _ = ref_unroll(cell, x, state_of(h0.detach(), None if c0 is None else c0.detach()), whh=copies)
    shares = torch.autograd.grad((torch.stack(hs) * local).sum(), copies)
    close(contrib, torch.stack(shares))
    assert float(torch.stack(shares).abs().amax(dim=(1, 2)).min()) > 1e-10   # every step contributes


# ----- truncated BPTT ---------------------------------------------------------------------------
def truncated_reference(cell, x, h0, c0, local, k):
    """Σ_s autograd of L_s = ℓ_s·h_s through a graph whose state entering step s−k+1 is detached:
    the loss at step s reaches h_s, …, h_{s−k+1} and no further. Returns dh, dc, param grads, dh0."""
    T, B, _ = x.shape
    H = cell.hidden_size
    lstm = cell.kind == "lstm"
    params = [getattr(cell, n) for n in NAMES]
    dh = torch.zeros(T, B, H, dtype=F64)
    dc = torch.zeros(T, B, H, dtype=F64)
    dh0 = torch.zeros(B, H, dtype=F64)
    pg = [torch.zeros_like(p) for p in params]
    for s in range(T):
        lo = s - k + 1                                        # 0-based: the window is steps lo..s
        eh = [torch.zeros(B, H, dtype=F64, requires_grad=True) for _ in range(T)]
        ec = [torch.zeros(B, H, dtype=F64, requires_grad=True) for _ in range(T)] if lstm else None
        hs, _ = ref_unroll(cell, x, state_of(h0, c0), detach_at=lo if lo >= 0 else None,
                           eh=eh, ec=ec, stop=s)
        loss = (hs[s] * local[s]).sum()
        wrt = [h0] + eh[:s + 1] + (ec[:s + 1] if lstm else []) + params
        g = torch.autograd.grad(loss, wrt, allow_unused=True)
        z = [torch.zeros_like(w) if v is None else v for v, w in zip(g, wrt)]
        dh0 += z[0]
        dh[:s + 1] += torch.stack(z[1:s + 2])
        if lstm:
            dc[:s + 1] += torch.stack(z[s + 2:2 * s + 3])
        for acc, v in zip(pg, z[-4:]):
            acc += v
    return dh, (dc if lstm else None), dict(zip(NAMES, pg)), dh0


@pytest.mark.parametrize("k", [1, 2, 3, 5, 7])
@pytest.mark.parametrize("kind,nl", CASES, ids=IDS)
def test_truncated_bptt_equals_detached_autograd(kind, nl, k):
    T = 7                                                     # k = T: only h_0 is out of the last loss's reach
    cell, x, h0, c0, local = setup(kind, nl, T, seed=11)
    with torch.no_grad():
        trace = cell.unroll(x, state_of(h0.detach(), None if c0 is None else c0.detach()))
    back = bptt.backward(cell, trace, local, truncate=k)
    dh, dc, pg, dh0 = truncated_reference(cell, x, h0, c0, local, k)
    close(back.dh, dh)
    if kind == "lstm":
        close(back.dc, dc)
    for name, g in back.param_grads(x).items():
        close(g, pg[name])
    close(back.dh0, dh0)
    full = bptt.backward(cell, trace, local)
    if k > 1:                                                 # losses 1..k−1 reach h_0, and it is not nothing
        assert float(dh0.abs().max()) > 1e-10
        assert not torch.allclose(back.dh0, full.dh0)        # ... but the later losses' share is missing
    if k < T:                                                 # truncation changed ∂L/∂W_hh
        w_full, w_trunc = full.param_grads(x)["weight_hh"], back.param_grads(x)["weight_hh"]
        assert (w_full - w_trunc).abs().max() > 1e-6 * w_full.abs().max()


@pytest.mark.parametrize("kind,nl", CASES, ids=IDS)
def test_truncation_at_least_T_is_full_bptt_and_k1_is_local_only(kind, nl):
    T = 6
    cell, x, h0, c0, local = setup(kind, nl, T, seed=13)
    with torch.no_grad():
        trace = cell.unroll(x, state_of(h0.detach(), None if c0 is None else c0.detach()))
    full = bptt.backward(cell, trace, local)
    for k in (T, T + 1, T + 5):
        tb = bptt.backward(cell, trace, local, truncate=k)
        for f in ("dh", "dc", "dz_x", "dz_h"):
            if getattr(full, f) is not None:
                close(getattr(tb, f), getattr(full, f), rtol=1e-12, atol=1e-12)
        for name, g in tb.param_grads(x).items():
            close(g, full.param_grads(x)[name], rtol=1e-12, atol=1e-12)
        if k > T:                                             # h_0 is T+1 states back from h_T
            close(tb.dh0, full.dh0, rtol=1e-12, atol=1e-12)
    one = bptt.backward(cell, trace, local, truncate=1)
    close(one.dh, local, rtol=0, atol=0)                      # k = 1: each step keeps only its own ℓ_t
    assert not torch.allclose(full.dh, local)                 # while full BPTT adds the future's share
    assert float(one.dh0.abs().max()) == 0.0                  # and no loss reaches the state before step 1
    with pytest.raises(ValueError, match="at least 1"):
        bptt.backward(cell, trace, local, truncate=0)


# ----- chunk-and-detach: what `h = h.detach()` every k steps computes ---------------------------------
def chunked_reference(cell, x, h0, c0, local, k):
    """ONE autograd pass of L = Σ_s ℓ_s·h_s through the graph a PyTorch training loop builds when it
    detaches the state every k steps (entering steps k, 2k, …, 0-based): dh, dc, param grads, dh0."""
    T, B, _ = x.shape
    H = cell.hidden_size
    lstm = cell.kind == "lstm"
    params = [getattr(cell, n) for n in NAMES]
    eh = [torch.zeros(B, H, dtype=F64, requires_grad=True) for _ in range(T)]
    ec = [torch.zeros(B, H, dtype=F64, requires_grad=True) for _ in range(T)] if lstm else None
    hs, _ = ref_unroll(cell, x, state_of(h0, c0), detach_at=set(range(k, T, k)), eh=eh, ec=ec)
    loss = sum((h * l).sum() for h, l in zip(hs, local))
    wrt = [h0] + eh + (ec if lstm else []) + params
    g = [torch.zeros_like(w) if v is None else v
         for v, w in zip(torch.autograd.grad(loss, wrt, allow_unused=True), wrt)]
    return (torch.stack(g[1:T + 1]), torch.stack(g[T + 1:2 * T + 1]) if lstm else None,
            dict(zip(NAMES, g[-4:])), g[0])


@pytest.mark.parametrize("k", [1, 2, 3, 5, 7])
@pytest.mark.parametrize("kind,nl", CASES, ids=IDS)
def test_chunked_bptt_equals_autograd_with_detach_every_k_steps(kind, nl, k):
    T = 7
    cell, x, h0, c0, local = setup(kind, nl, T, seed=17)
    with torch.no_grad():
        trace = cell.unroll(x, state_of(h0.detach(), None if c0 is None else c0.detach()))
    back = bptt.backward(cell, trace, local, truncate=k, scheme="chunks")
    dh, dc, pg, dh0 = chunked_reference(cell, x, h0, c0, local, k)
    close(back.dh, dh)
    if kind == "lstm":
        close(back.dc, dc)
    for name, g in back.param_grads(x).items():
        close(g, pg[name])
    close(back.dh0, dh0)
    assert float(dh0.abs().max()) > 1e-10                     # the first chunk always reaches h_0
    sliding = bptt.backward(cell, trace, local, truncate=k)
    if 1 < k < T:                                             # the two schemes keep different pieces
        w_s, w_c = sliding.param_grads(x)["weight_hh"], back.param_grads(x)["weight_hh"]
        assert (w_s - w_c).abs().max() > 1e-6 * w_s.abs().max()


@pytest.mark.parametrize("kind,nl", CASES, ids=IDS)
def test_chunks_of_T_are_full_bptt_and_chunks_of_1_keep_each_steps_own_loss(kind, nl):
    T = 6
    cell, x, h0, c0, local = setup(kind, nl, T, seed=19)
    with torch.no_grad():
        trace = cell.unroll(x, state_of(h0.detach(), None if c0 is None else c0.detach()))
    full = bptt.backward(cell, trace, local)
    for k in (T, T + 3):                                      # one chunk: nothing is cut, h_0 included
        tb = bptt.backward(cell, trace, local, truncate=k, scheme="chunks")
        for f in ("dh", "dc", "dz_x", "dz_h", "dh0"):
            if getattr(full, f) is not None:
                close(getattr(tb, f), getattr(full, f), rtol=1e-12, atol=1e-12)
    one = bptt.backward(cell, trace, local, truncate=1, scheme="chunks")
    sliding_one = bptt.backward(cell, trace, local, truncate=1)
    for f in ("dh", "dz_h"):                                  # k = 1: both schemes keep each loss's own step ...
        close(getattr(one, f), getattr(sliding_one, f), rtol=0, atol=0)
    assert float(one.dh0.abs().max()) > 0 == float(sliding_one.dh0.abs().max())   # ... but chunk 1 holds h_0
    with pytest.raises(ValueError, match="scheme"):
        bptt.backward(cell, trace, local, truncate=2, scheme="diagonal")
