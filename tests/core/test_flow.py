"""Hold rnnviz.flow against independent autograd references and against the theory it teaches.

The references never call the transparent cell's own step: `ref_step` below is written from the
torch.nn docs' equations with torch.nn.functional, reading the cell's weight blocks directly.
∂L/∂h_t (the total derivative through every later step) is taken the textbook way: a zero tensor
e_t is added to h_t inside the hand-written unroll and autograd differentiates with respect to e_t.
Everything is float64. Shape legend: T time, B batch, I input, H hidden.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from common import CASES, F64, IDS, gen, make, rand
from rnnviz import cells, flow
from rnnviz.topics.lab import compute as lab

TIGHT = dict(rtol=1e-10, atol=1e-12)


def state_for(kind, B, H, seed):
    h0 = rand(B, H, seed=seed + 50, scale=0.5)
    return (h0, rand(B, H, seed=seed + 60)) if kind == "lstm" else h0


# ----- the independent reference: the torch docs' equations, block by block --------------------
def ref_step(cell, x_t, h, c, ec_t=None):
    """One step of `cell`'s kind from the docs' equations and the cell's weights; returns (h, c).
    `ec_t` (LSTM) is added to c_t before h_t = o⊙tanh(c_t) reads it: a perturbation of c_t itself."""
    W_ih, W_hh, b_ih, b_hh = cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh
    H = cell.hidden_size

    def lin(k):                                               # W_i? x_t + b_i? + W_h? h + b_h?, block k
        s = slice(k * H, (k + 1) * H)
        return F.linear(x_t, W_ih[s], b_ih[s]) + F.linear(h, W_hh[s], b_hh[s])

    if cell.kind == "rnn":
        a = lin(0)
        return {"tanh": torch.tanh, "relu": F.relu, "linear": lambda v: v}[cell.nonlinearity](a), None
    if cell.kind == "lstm":                                   # (W_ii|W_if|W_ig|W_io)
        i, f, g, o = torch.sigmoid(lin(0)), torch.sigmoid(lin(1)), torch.tanh(lin(2)), torch.sigmoid(lin(3))
        c = f * c + i * g
        if ec_t is not None:
            c = c + ec_t
        return o * torch.tanh(c), c
    s = slice(2 * H, 3 * H)                                   # (W_ir|W_iz|W_in), reset after W_hn h + b_hn
    r, z = torch.sigmoid(lin(0)), torch.sigmoid(lin(1))
    n = torch.tanh(F.linear(x_t, W_ih[s], b_ih[s]) + r * F.linear(h, W_hh[s], b_hh[s]))
    return (1 - z) * n + z * h, None


def ref_total_grads(cell, x, loss_on, state=None):
    """(∂L/∂h_t, ∂L/∂c_t or None, ∂L/∂θ) by perturbation: h_t ← h_t + e_t, e_t = 0, grad w.r.t. e_t."""
    T, B, _ = x.shape
    H = cell.hidden_size
    lstm = cell.kind == "lstm"
    if state is None:
        h, c = torch.zeros(B, H, dtype=F64), torch.zeros(B, H, dtype=F64)
    else:
        h, c = state if lstm else (state, None)
    eh = [torch.zeros(B, H, dtype=F64, requires_grad=True) for _ in range(T)]
    ec = [torch.zeros(B, H, dtype=F64, requires_grad=True) for _ in range(T)] if lstm else []
    hs, cs = [], []
    for t in range(T):
        h, c = ref_step(cell, x[t], h, c, ec[t] if lstm else None)
        h = h + eh[t]
        if lstm:
            cs.append(c)
        hs.append(h)
    loss = loss_on(torch.stack(hs), torch.stack(cs) if lstm else None)
    params = [cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh]
    g = torch.autograd.grad(loss, eh + ec + params)
    dh = torch.stack(g[:T]).numpy()
    dc = torch.stack(g[T:2 * T]).numpy() if lstm else None
    names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    return dh, dc, {n: v.numpy() for n, v in zip(names, g[-4:])}


def losses(T, B, H, seed=0):
    """name → L(h, c): linear at the last step, linear at every step, and nonlinear ones."""
    R = rand(T, B, H, seed=seed + 90)
    M = rand(H, H, seed=seed + 91)
    return {
        "last": lambda h, c: (h[-1] * R[-1]).sum(),
        "every": lambda h, c: (h * R).sum(),
        "squares": lambda h, c: (h ** 2).sum(),
        "nonlinear_last": lambda h, c: (torch.tanh(h[-1] @ M) ** 2).sum()
        + ((c[-1] ** 2).sum() if c is not None else 0.0),     # the LSTM's cell state joins the loss
    }


# ----- ∂L/∂h_t: one backward pass against the perturbation reference --------------------------
@pytest.mark.parametrize("with_state", [False, True], ids=["zero-state", "given-state"])
@pytest.mark.parametrize("loss_name", ["last", "every", "squares", "nonlinear_last"])
@pytest.mark.parametrize("kind,nl", CASES, ids=IDS)
def test_hidden_grad_norms_match_perturbation_reference(kind, nl, loss_name, with_state):
    I, H, T, B, seed = 3, 5, 9, 3, 4
    cell = make(kind, nl, I, H, seed)
    x = rand(T, B, I, seed=seed)
    state = state_for(kind, B, H, seed) if with_state else None
    L = losses(T, B, H)[loss_name]

    def loss_fn(tr):
        return L(tr.h, tr.c)

    dh_ref, dc_ref, pg_ref = ref_total_grads(cell, x, L, state)
    norms = flow.hidden_grad_norms(cell, x, loss_fn, state)
    assert norms.shape == (T,)
    want = np.sqrt((dh_ref ** 2).sum(axis=(1, 2)))           # Frobenius over batch and units
    np.testing.assert_allclose(norms, want, **TIGHT)
    # the gradient really travelled: every step received something (also for the last-step losses)
    assert np.all(want > 1e-8), want

    g = flow.backward_through_time(cell, x, loss_fn, state)
    np.testing.assert_allclose(g.dh, dh_ref, **TIGHT)
    np.testing.assert_allclose(flow.step_norms(g.dh), want, **TIGHT)
    if kind == "lstm":
        np.testing.assert_allclose(g.dc, dc_ref, **TIGHT)
    else:
        assert g.dc is None
    for name, ref in pg_ref.items():
        np.testing.assert_allclose(g.param_grads[name], ref, **TIGHT)
    assert g.forward_exploded_at is None
    assert g.loss == pytest.approx(float(L(g.trace.h, g.trace.c).detach()), rel=1e-12)


def test_a_hidden_state_the_loss_never_sees_gets_zero_not_an_error():
    """A loss that reads only h_1 leaves ∂L/∂h_t = 0 for every later t (the graph has no path)."""
    cell = make("gru", "tanh")
    x = rand(6, 2, 3, seed=1)
    norms = flow.hidden_grad_norms(cell, x, lambda tr: tr.h_steps[0].sum())
    assert norms[0] > 0 and np.all(norms[1:] == 0)


@pytest.mark.parametrize("where", ["last", "every"])
def test_linear_readout_and_its_local_gradients(where):
    """L = Σ v·h_t (at T or at every t); the local gradient ℓ_t = ∂L_t/∂h_t is v where the loss is."""
    T, B, H = 5, 3, 7
    before = torch.random.get_rng_state()
    v = flow.readout_vector(H, seed=2)
    assert torch.equal(torch.random.get_rng_state(), before)
    assert v.dtype == F64 and float(v.norm()) == pytest.approx(1.0, abs=1e-15)
    assert torch.equal(v, flow.readout_vector(H, seed=2)) and not torch.equal(v, flow.readout_vector(H, seed=3))
    cell = make("lstm", "tanh", H=H)
    x = rand(T, B, 3, seed=2)
    tr = cell.unroll(x)
    loss = flow.linear_readout(H, where, seed=2)(tr)
    steps = tr.h if where == "every" else tr.h[-1:]
    torch.testing.assert_close(loss, (steps * v).sum(), rtol=1e-13, atol=1e-13)
    # ∂L/∂(the stacked h) is the partial derivative: exactly the local gradients
    local = torch.autograd.grad(loss, tr.h)[0]
    torch.testing.assert_close(flow.readout_local_grads(v, T, B, where), local, rtol=0, atol=1e-15)
    with pytest.raises(ValueError, match="where"):
        flow.linear_readout(H, "first")


# ----- the exact law of a ReLU RNN in its positive region -------------------------------------
def positive_relu_rnn(a, I=3, H=6, seed=0):
    """relu RNN with W_hh = a·I and positive W_ih, biases: with positive inputs every pre-activation
    stays positive, relu' = 1, so ∂h_{t+1}/∂h_t = a·I exactly."""
    cell = cells.Cell("rnn", I, H, nonlinearity="relu", dtype=F64)
    g = gen(seed)
    with torch.no_grad():
        cell.weight_ih.copy_(0.1 + torch.rand(H, I, generator=g, dtype=F64))
        cell.weight_hh.copy_(a * torch.eye(H, dtype=F64))
        cell.bias_ih.copy_(0.05 + torch.rand(H, generator=g, dtype=F64))
        cell.bias_hh.copy_(0.05 + torch.rand(H, generator=g, dtype=F64))
    return cell


@pytest.mark.parametrize("a,kind", [(0.5, "vanishing"), (0.9, "vanishing"), (1.0, "stable"), (1.1, "exploding")])
def test_relu_rnn_gradient_scales_exactly_as_a_to_the_distance(a, kind):
    T, B, H = 100, 2, 6
    cell = positive_relu_rnn(a, H=H)
    x = torch.rand(T, B, 3, generator=gen(1), dtype=F64)     # positive inputs
    with torch.no_grad():
        assert bool((cell.unroll(x).pre > 0).all())          # the premise: relu' = 1 everywhere
    R = rand(B, H, seed=5)                                    # any loss at the last step
    norms = flow.hidden_grad_norms(cell, x, lambda tr: (tr.h[-1] * R).sum())
    law = float(R.norm()) * a ** np.arange(T - 1, -1, -1, dtype=float)
    np.testing.assert_allclose(norms, law, rtol=1e-10, atol=0)

    v = flow.verdict(norms)
    assert v.kind == kind and v.exploded_at is None and v.steps == T - 1
    assert v.factor == pytest.approx(a, rel=1e-9)
    assert v.ratio == pytest.approx(a ** (T - 1), rel=1e-9)
    if a == 1.0:
        assert v.factor == pytest.approx(1.0, abs=1e-12) and v.ratio == pytest.approx(1.0, abs=1e-12)
    assert f"{v.factor:.3g}" in v.text() and v.text().startswith(kind)


# ----- Jacobians ∂h_T/∂h_t against torch.autograd.functional.jacobian -------------------------
@pytest.mark.parametrize("kind,nl", CASES, ids=IDS)
def test_jacobians_to_last_match_functional_jacobian(kind, nl):
    I, H, T, B, b = 3, 5, 8, 3, 1
    cell = make(kind, nl, I, H, seed=6)
    x = rand(T, B, I, seed=6)
    J = flow.jacobians_to_last(cell, x, b)
    assert J.shape == (T, H, H)
    assert torch.equal(J[-1], torch.eye(H, dtype=F64))        # J_T = I
    norms = flow.jacobian_norms(cell, x, b)
    assert norms.shape == (T,) and norms[-1] == pytest.approx(1.0, abs=1e-14)

    # the states of sequence b, from my own loop, then h_t ↦ h_T by running the remaining steps
    xb = x[:, b:b + 1]
    with torch.no_grad():
        h, c = torch.zeros(1, H, dtype=F64), torch.zeros(1, H, dtype=F64)
        states = []
        for t in range(T):
            h, c = ref_step(cell, xb[t], h, c)
            states.append((h, c))
    for t in (0, 3, T - 2):
        h_t, c_t = states[t]

        def rest(h_in, t=t, c_t=c_t):
            hh, cc = h_in.unsqueeze(0), c_t
            for s in range(t + 1, T):
                hh, cc = ref_step(cell, xb[s], hh, cc)
            return hh[0]

        ref = torch.autograd.functional.jacobian(rest, h_t[0].clone())     # ref[i, j] = ∂h_T[i]/∂h_t[j]
        torch.testing.assert_close(J[t], ref, **TIGHT)
        assert float(ref.abs().max()) > 1e-6                  # a non-trivial Jacobian
        assert norms[t] == pytest.approx(np.linalg.norm(ref.numpy(), 2), rel=1e-10)


# ----- the Pascanu et al. bound ---------------------------------------------------------------
@pytest.mark.parametrize("scale", [0.5, 1.0, 3.0])
def test_tanh_rnn_jacobian_never_exceeds_the_bound(scale):
    cfg = lab.LabConfig(T=40, H=16, scale=scale, seed=3)
    cell = lab.make_cell("rnn", cfg)
    x, _ = lab.make_input(cfg)
    _, rho, sigma = flow.spectrum(flow.recurrent_matrix(cell))
    bound = flow.rnn_bound(sigma, cfg.T, 1.0)                 # (σ_max)^(T−t), γ = 1 for tanh
    np.testing.assert_allclose(bound, sigma ** np.arange(cfg.T - 1, -1, -1, dtype=float), rtol=1e-12)
    for b in (0, 5):
        measured = flow.jacobian_norms(cell, x, b)
        assert np.all(measured <= bound * (1 + 1e-9)), (measured / bound).max()


def test_bound_is_attained_by_a_linear_orthogonal_rnn():
    """Control for the inequality above: with φ = identity and W_hh orthogonal, ∂h_T/∂h_t = (W^T)^(T−t)
    is itself orthogonal, so its norm equals the bound 1^(T−t) at every t."""
    cfg = lab.LabConfig(T=30, H=8, init="orthogonal", nonlinearity="linear")
    cell = lab.make_cell("rnn", cfg)
    x, _ = lab.make_input(cfg)
    _, _, sigma = flow.spectrum(flow.recurrent_matrix(cell))
    assert sigma == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(flow.jacobian_norms(cell, x), flow.rnn_bound(sigma, cfg.T, 1.0), rtol=1e-10)


@pytest.mark.parametrize("loss", ["last", "every"])
@pytest.mark.parametrize("scale", [0.5, 1.0, 3.0])
def test_lab_curve_never_exceeds_its_bound(scale, loss):
    res = lab.run(lab.LabConfig(T=60, H=16, scale=scale, loss=loss), kinds=("rnn",)).results["rnn"]
    assert res.bound is not None and res.bound.shape == res.norms.shape
    assert np.all(res.norms <= res.bound * (1 + 1e-9)), (res.norms / res.bound).max()
    # both start from the same local gradient at t = T: ‖ℓ_T‖ = ‖v‖·√B
    assert res.norms[-1] == pytest.approx(math.sqrt(lab.BATCH), rel=1e-12)
    assert res.bound[-1] == pytest.approx(math.sqrt(lab.BATCH), rel=1e-12)


@pytest.mark.parametrize("q", [0.5, 1.0, 2.0])
def test_every_step_bound_is_the_geometric_sum(q):
    T, last, gamma = 6, 1.7, 0.8
    sigma = q / gamma
    got = flow.rnn_bound(sigma, T, last, where="every", gamma=gamma)
    want = [last * sum(q ** j for j in range(T - t + 1)) for t in range(1, T + 1)]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(flow.rnn_bound(sigma, T, last, gamma=gamma),
                               [last * q ** (T - t) for t in range(1, T + 1)], rtol=1e-12)


@pytest.mark.parametrize("where", ["last", "every"])
@pytest.mark.parametrize("rate", [1e10, 1e200, 1e308, 0.0])
def test_bound_stays_finite_at_extreme_rates(rate, where):
    b = flow.rnn_bound(rate, 400, 2.0, where=where)
    assert b.shape == (400,) and np.all(np.isfinite(b)) and np.all(b > 0)
    assert b[-1] == pytest.approx(2.0, rel=1e-12)             # t = T: no step to amplify yet
    if rate >= 1:
        assert np.all(np.diff(b) <= 0)                        # growing backwards in time
        assert b[0] >= 1e299                                  # capped, still reads as astronomically large
    elif where == "last":
        assert np.all(b[:-1] <= 1e-299)                       # rate 0: nothing gets past one step
    else:
        np.testing.assert_allclose(b, 2.0, rtol=1e-12)        # ... only each step's own local gradient


# ----- the LSTM's forget-gate path, spectra --------------------------------------------------------
def test_forget_survival_is_the_mean_product_of_later_forget_gates():
    T, B, H = 5, 2, 3
    f = torch.rand(T, B, H, generator=gen(8), dtype=F64) * 0.9 + 0.05
    want = np.zeros(T)
    for t in range(T):
        prod = torch.ones(B, H, dtype=F64)
        for s in range(t + 1, T):
            prod = prod * f[s]
        want[t] = float(prod.mean())
    got = flow.forget_survival(f)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
    assert got[-1] == 1.0 and np.all(np.diff(got) > 0)
    # also on a real LSTM trace (float32 gates are promoted)
    cell = cells.build("lstm", 2, 4, seed=0)
    tr = cell.unroll(torch.randn(6, 3, 2, generator=gen(9)))
    fg = tr.gates["forget"].detach().double()
    explicit = [float(torch.prod(fg[t + 1:], dim=0).mean()) for t in range(6)]
    np.testing.assert_allclose(flow.forget_survival(tr.gates["forget"]), explicit, rtol=1e-12)


def test_spectrum_agrees_with_numpy():
    w = rand(7, 7, seed=12).numpy()
    eig, rho, sigma = flow.spectrum(w)
    np.testing.assert_allclose(np.sort_complex(eig), np.sort_complex(np.linalg.eigvals(w)), rtol=1e-12)
    assert rho == pytest.approx(np.abs(np.linalg.eigvals(w)).max(), rel=1e-12)
    assert sigma == pytest.approx(np.linalg.svd(w, compute_uv=False)[0], rel=1e-12)
    # radius and σ_max really differ: a nilpotent matrix has ρ = 0 but σ_max = 2
    _, rho0, sigma0 = flow.spectrum(np.array([[0.0, 2.0], [0.0, 0.0]]))
    assert rho0 == 0.0 and sigma0 == pytest.approx(2.0)


@pytest.mark.parametrize("kind", cells.KINDS)
def test_recurrent_matrix_is_the_documented_block(kind):
    cell = cells.build(kind, 2, 4, seed=1, dtype=F64)
    k = {"rnn": 0, "lstm": 2, "gru": 2}[kind]                 # W_hh, W_hg, W_hn
    name = {"rnn": "W_hh", "lstm": "W_hg", "gru": "W_hn"}[kind]
    np.testing.assert_array_equal(flow.recurrent_matrix(cell), cell.blocks()[name].detach().numpy())
    np.testing.assert_array_equal(flow.recurrent_matrix(cell), cell.weight_hh.detach()[4 * k:4 * k + 4].numpy())


# ----- the verdict ------------------------------------------------------------------------------
def test_verdict_nonfinite_norms_explode_at_the_latest_bad_step():
    norms = np.array([np.nan, np.nan, np.inf, 3.0, 2.0, 1.0])
    v = flow.verdict(norms)
    assert (v.kind, v.exploded_at, v.where) == ("exploded", 3, "backward")
    assert math.isinf(v.factor) and math.isinf(v.ratio) and v.steps == 5
    assert "exploded at step 3" in v.text()
    v2 = flow.verdict(np.array([1.0, np.inf, 2.0, 1.0]))
    assert v2.exploded_at == 2 and "exploded at step 2" in v2.text()


def test_verdict_forward_overflow_wins():
    v = flow.verdict(np.array([4.0, 2.0, 1.0]), forward_exploded_at=7)
    assert (v.kind, v.where, v.exploded_at) == ("exploded", "forward", 7)
    assert "step 7" in v.text() and "exploded" in v.text()


@pytest.mark.parametrize("rate,kind", [(0.9, "vanishing"), (1.0, "stable"), (1.02, "stable"), (1.2, "exploding")])
def test_verdict_thresholds_and_factor(rate, kind):
    T = 51
    norms = rate ** np.arange(T - 1, -1, -1, dtype=float) * 3.0
    v = flow.verdict(norms)
    assert v.kind == kind and v.factor == pytest.approx(rate, rel=1e-12) and v.steps == T - 1
    assert v.ratio == pytest.approx(rate ** (T - 1), rel=1e-12)


def test_verdict_edge_cases():
    assert flow.verdict(np.array([5.0])).kind == "stable"                  # T = 1: nothing to travel
    v = flow.verdict(np.array([0.0, 1.0]))                                 # a gradient that died completely
    assert v.kind == "vanishing" and v.factor == 0.0 and v.ratio == 0.0
    assert flow.first_nonfinite(torch.tensor([[[1.0]], [[2.0]]])) is None
    assert flow.first_nonfinite(torch.tensor([[[1.0]], [[math.nan]], [[math.inf]]])) == 2
    big = torch.full((3, 1, 2), 1e308, dtype=torch.float64)    # finite, though their sum overflows
    assert flow.first_nonfinite(big) is None


def test_forward_overflow_is_reported_by_backward_through_time():
    """A linear RNN with W_hh ×1e3 overflows float64 in the forward pass: reported, not raised."""
    cell = make("rnn", "linear", I=2, H=4, seed=3, gain=1.0)
    with torch.no_grad():
        cell.weight_hh.mul_(1e3)
    x = rand(150, 2, 2, seed=3)
    with np.errstate(over="ignore", invalid="ignore"):
        g = flow.backward_through_time(cell, x, lambda tr: tr.h[-1].sum())
        norms = flow.step_norms(g.dh)
    with torch.no_grad():
        h = torch.zeros(2, 4, dtype=F64)
        first = None
        for t in range(150):
            h, _ = ref_step(cell, x[t], h, None)
            if first is None and not bool(torch.isfinite(h).all()):
                first = t + 1
    assert first is not None and g.forward_exploded_at == first
    v = flow.verdict(norms, g.forward_exploded_at)
    assert (v.kind, v.where, v.exploded_at) == ("exploded", "forward", first)


# ----- clipping: torch's rule -------------------------------------------------------------------
def _torch_clip(grads: dict[str, np.ndarray], c: float) -> tuple[float, float]:
    ps = []
    for g in grads.values():
        p = torch.nn.Parameter(torch.zeros(g.shape, dtype=F64))
        p.grad = torch.tensor(g, dtype=F64)
        ps.append(p)
    raw = float(torch.nn.utils.clip_grad_norm_(ps, c))
    after = float(torch.sqrt(sum((p.grad ** 2).sum() for p in ps)))
    return raw, after


@pytest.mark.parametrize("c", [0.1, 1.0, 3.0, 1e6])
def test_clip_norm_equals_torch(c):
    grads = {"a": rand(4, 3, seed=20).numpy(), "b": rand(5, seed=21).numpy() * 0.1}
    raw, clipped = flow.clip_norm(grads, c)
    t_raw, t_clipped = _torch_clip(grads, c)
    assert raw == pytest.approx(t_raw, rel=1e-12)
    assert clipped == pytest.approx(t_clipped, rel=1e-12)
    assert clipped == pytest.approx(min(raw, c), rel=1e-5)
    assert flow.clip_norm(grads, None) == (raw, raw) == flow.clip_norm(grads, 0.0)


@pytest.mark.parametrize("bad", [math.inf, math.nan])
def test_clip_norm_of_a_nonfinite_gradient_is_nan_like_torch(bad):
    grads = {"a": np.array([1.0, bad, 2.0]), "b": np.ones((2, 2))}
    raw, clipped = flow.clip_norm(grads, 1.0)
    t_raw, t_clipped = _torch_clip(grads, 1.0)
    assert not math.isfinite(raw) and not math.isfinite(t_raw)
    assert math.isnan(clipped) and math.isnan(t_clipped)


# ----- the verdict reads the factor per step, never the total (issue 20) ----------------------------
@pytest.mark.parametrize("rate", [0.544, 0.9, 0.97, 0.99, 1.0, 1.01, 1.06, 1.3])
def test_the_verdict_depends_on_the_factor_per_step_not_on_T(rate):
    """The same factor per step is the same phenomenon at T = 5 and at T = 300: the old verdict (by the
    total ratio) called ×0.544 per step "stable" at T = 5 and "vanishing" at T = 100."""
    kinds = {T: flow.verdict(rate ** np.arange(T - 1, -1, -1, dtype=float)).kind for T in (5, 20, 100, 300)}
    assert len(set(kinds.values())) == 1, kinds
    band = flow.STABLE_BAND
    assert kinds[5] == ("vanishing" if rate < 1 / band else "exploding" if rate > band else "stable")


def test_the_stable_band_changes_a_gradient_less_than_tenfold_over_100_steps():
    assert flow.STABLE_BAND ** 100 == pytest.approx(10.0, rel=1e-12)
    assert flow.kind_of(0.976) == "vanishing" and flow.kind_of(0.978) == "stable"
    assert flow.kind_of(1.022) == "stable" and flow.kind_of(1.024) == "exploding"


@pytest.mark.parametrize("rate", [0.525, 0.8, 0.987, 1.06, 3.0])
def test_half_life_is_where_the_gradient_halves_or_doubles(rate):
    n = flow.half_life(rate)
    assert rate ** n == pytest.approx(0.5 if rate < 1 else 2.0, rel=1e-12)
    v = flow.verdict(rate ** np.arange(99, -1, -1, dtype=float))
    assert ("halves every" if rate < 1 else "doubles every") in v.text()
    shown = float(v.text().split(" every ")[1].split(" steps")[0])
    assert shown == pytest.approx(n, rel=0.05)
    assert flow.half_life(1.0) == math.inf and "every" not in flow.verdict(np.ones(10)).text()


# ----- what governs the gated cells' gradient path besides their weights ---------------------------
@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_the_gated_cells_have_a_path_no_weight_matrix_multiplies(kind):
    """With W_hh = 0 every path through a weight matrix is gone, and what is left is the direct path the
    lab's captions and equations name: ∂c_t/∂c_{t−1} = diag(f_t) (LSTM), ∂h_t/∂h_{t−1} = diag(z_t) (GRU)."""
    I, H = 3, 4
    cell = make(kind, "tanh", I, H, seed=3)
    with torch.no_grad():
        cell.weight_hh.zero_()
    x_t, h, c = rand(1, I, seed=1), rand(1, H, seed=2), rand(1, H, seed=3)
    if kind == "lstm":
        jac = torch.autograd.functional.jacobian(lambda c_: ref_step(cell, x_t, h, c_)[1], c)[0, :, 0]
        gate = cell.unroll(x_t[None], (h, c)).gates["forget"][0, 0]
    else:
        jac = torch.autograd.functional.jacobian(lambda h_: ref_step(cell, x_t, h_, None)[0], h)[0, :, 0]
        gate = cell.unroll(x_t[None], h).gates["update"][0, 0]
    torch.testing.assert_close(jac, torch.diag(gate.detach()), rtol=1e-12, atol=1e-12)
    assert r"\operatorname{diag}(f_s)" in flow.EQUATIONS["lstm_path"]
    assert r"\operatorname{diag}(z_t)" in flow.EQUATIONS["gru_path"]


@pytest.mark.parametrize("c", [0.1, 1.0, 5.0, 1e6])
def test_clipping_never_makes_a_gradient_larger(c):
    g = {"w": rand(4, 3, seed=1).numpy(), "b": rand(3, seed=2).numpy()}
    raw, clipped = flow.clip_norm(g, c)
    assert clipped <= raw and clipped == pytest.approx(min(raw, c), rel=1e-6)
