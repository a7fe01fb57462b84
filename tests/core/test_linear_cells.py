"""rnnviz/linear_cells.py: minGRU equals scan.min_gru (Feng et al.'s convention against torch's) and its
equations; the selective layer equals its own step-by-step equations; scan and loop agree; gradients flow
(autograd against finite differences) and the backward recurrence gives autograd's ∂L/∂h_t."""
import math

import pytest
import torch

from rnnviz import linear_cells, scan, tasks

I, H, T, B = 3, 5, 9, 4


def _x(dtype=torch.float32, seed=0):
    return torch.randn(T, B, I, generator=torch.Generator().manual_seed(seed), dtype=dtype)


def test_min_gru_equals_scan_min_gru_in_torch_convention():
    torch.manual_seed(0)
    m = linear_cells.MinGRU(I, H)
    x = _x()
    h, h_last = m(x)
    # torch.nn's GRU convention keeps the old state with z: the same layer with W_z, b_z negated
    ref, _, _ = scan.min_gru(x, -m.z.weight, -m.z.bias, m.h.weight, m.h.bias)
    assert torch.allclose(h, ref, atol=1e-6) and torch.equal(h_last[0], h[-1])


@pytest.mark.parametrize("parallel", [True, False])
def test_min_gru_equals_its_equations_step_by_step(parallel):
    torch.manual_seed(1)
    m = linear_cells.MinGRU(I, H, parallel=parallel)
    x, h0 = _x(), torch.randn(B, H)
    h, _ = m(x, h0[None])
    prev = h0
    for t in range(T):
        z = torch.sigmoid(x[t] @ m.z.weight.T + m.z.bias)
        cand = x[t] @ m.h.weight.T + m.h.bias
        prev = (1 - z) * prev + z * cand                                  # Feng et al. 2024
        assert torch.allclose(h[t], prev, atol=1e-6)


@pytest.mark.parametrize("parallel", [True, False])
def test_selective_equals_its_loop(parallel):
    torch.manual_seed(2)
    m = linear_cells.Selective(I, H, parallel=parallel)
    with torch.no_grad():
        m.log_alpha.uniform_(-1, 1)
    x = _x()
    h, _ = m(x)
    alpha, prev = m.log_alpha.exp(), torch.zeros(B, H)
    for t in range(T):
        delta = torch.log1p(torch.exp(x[t] @ m.delta.weight.T + m.delta.bias))   # softplus
        a = torch.exp(-delta * alpha)
        prev = a * prev + (1 - a) * (x[t] @ m.u.weight.T + m.u.bias)
        assert torch.allclose(h[t], prev, atol=1e-6)
    m.reset_steps(0.05)
    with torch.no_grad():
        m.log_alpha.zero_()
    a, _ = m.coefficients(torch.zeros(1, 1, I))
    assert torch.allclose(a, torch.full_like(a, math.exp(-0.05)), atol=1e-6)   # α = 1, Δ = 0.05 at x = 0


@pytest.mark.parametrize("kind", ["mingru", "selective"])
def test_scan_equals_loop_and_counts_weights(kind):
    torch.manual_seed(3)
    m = linear_cells.LAYERS[kind](I, H)
    x = _x()
    m.parallel = False
    loop, _ = m(x)
    m.parallel = True
    assert torch.allclose(m(x)[0], loop, atol=1e-6)
    assert sum(p.numel() for p in m.parameters()) == linear_cells.n_parameters(kind, I, H)


@pytest.mark.parametrize("kind", ["mingru", "selective"])
def test_gradients_flow_autograd_equals_finite_differences(kind):
    torch.manual_seed(4)
    m = linear_cells.LAYERS[kind](2, 3).double()
    x = torch.randn(6, 2, 2, dtype=torch.float64)
    loss = lambda: (m(x)[0] ** 2).sum() + m(x)[1].sum()                  # noqa: E731
    params = list(m.parameters())
    grads = torch.autograd.grad(loss(), params)
    eps = 1e-6
    for p, g in zip(params, grads):
        assert g.abs().sum() > 0                                          # every weight gets a gradient
        flat, gflat = p.data.view(-1), g.reshape(-1)
        for i in range(flat.numel()):
            old = flat[i].item()
            flat[i] = old + eps
            up = loss().item()
            flat[i] = old - eps
            down = loss().item()
            flat[i] = old
            assert abs((up - down) / (2 * eps) - gflat[i].item()) < 1e-6 * max(1.0, abs(gflat[i].item()))


@pytest.mark.parametrize("kind", ["mingru", "selective"])
def test_grad_through_time_equals_autograd_per_step(kind):
    """g_t = ℓ_t + a_{t+1} ⊙ g_{t+1} gives the total ∂L/∂h_t that autograd gets with retain_grad."""
    torch.manual_seed(5)
    m = linear_cells.LAYERS[kind](I, H).double()
    x = _x(torch.float64)
    w = torch.randn(T, B, H, dtype=torch.float64)
    a, b = m.coefficients(x)
    a, b = a.detach(), b.detach().requires_grad_()
    hs, h = [], torch.zeros(B, H, dtype=torch.float64)
    for t in range(T):
        h = a[t] * h + b[t]
        h.retain_grad()
        hs.append(h)
    loss = sum((w[t] * hs[t]).sum() for t in range(T)) + (hs[-1] ** 2).sum()
    loss.backward()
    local = w.clone()
    local[-1] += 2 * hs[-1].detach()
    got = linear_cells.grad_through_time(a, local)
    assert torch.allclose(got, torch.stack([hh.grad for hh in hs]), rtol=1e-10, atol=1e-12)


def test_a_task_model_takes_them_like_a_gru():
    for kind in ("mingru", "selective"):
        model = tasks.TaskModel(kind, 2, 8, 1)
        assert model(torch.randn(7, 3, 2)).shape == (3, 1)
        model = tasks.TaskModel(kind, 10, 8, 9, every_step=True)
        assert model(torch.randn(7, 3, 10)).shape == (7, 3, 9)
