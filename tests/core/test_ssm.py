"""rnnviz.ssm against theory: ZOH is the exact solution of the continuous system, |λ| < 1 iff α > 0, the time
constant and period, the selective Δ is softplus (and Mamba's Theorem 1 gate), the gradient is the product."""
import numpy as np
import pytest
import torch

from rnnviz import scan, ssm


def test_zoh_equals_the_matrix_exponential_of_the_continuous_system_over_one_step():
    """The augmented system d/ds [h; x] = [[A, B], [0, 0]] [h; x] (x held constant) solved over Δ by expm gives
    h(Δ) = exp(ΔA) h(0) + (∫_0^Δ exp(sA) ds B) x: exactly Ā h_0 + B̄ x (Van Loan's block exponential)."""
    rng = np.random.default_rng(0)
    A = np.array([-0.5 + 3j, -2.0 + 0j, -0.01 + 0.5j, 0j])             # the last: A = 0, the limit Δ·B
    B = rng.standard_normal(4) + 1j * rng.standard_normal(4)
    h0, x, delta = rng.standard_normal(4) + 1j * rng.standard_normal(4), 0.7, 0.3
    Ab, Bb = ssm.zoh(A, delta, B)
    for n in range(4):
        M = np.array([[A[n], B[n]], [0, 0]], dtype=complex)
        E = torch.linalg.matrix_exp(torch.from_numpy(delta * M)).numpy()
        exact = E[0, 0] * h0[n] + E[0, 1] * x
        assert abs(Ab[n] * h0[n] + Bb[n] * x - exact) < 1e-12
    # and the ODE itself, integrated finely (Euler with 20,000 steps), lands there too
    n, steps = 0, 20000
    h, ds = h0[0], delta / 20000
    for _ in range(steps):
        h = h + ds * (A[n] * h + B[n] * x)
    assert abs(h - (Ab[0] * h0[0] + Bb[0] * x)) < 1e-3


@pytest.mark.parametrize("alpha", [-0.3, -1e-3, 0.0, 1e-3, 0.5, 4.0])
@pytest.mark.parametrize("delta", [0.01, 0.1, 1.0])
def test_an_eigenvalue_lies_inside_the_unit_circle_iff_alpha_is_positive(alpha, delta):
    lam = ssm.eigenvalues(np.array([-alpha + 2.0j]), delta)[0]
    assert (abs(lam) < 1) == (alpha > 0)
    assert abs(abs(lam) - np.exp(-delta * alpha)) < 1e-12 and abs(np.angle(lam) - 2.0 * delta) < 1e-12


def test_time_constant_is_when_the_memory_falls_to_one_over_e_and_period_a_full_turn():
    A, delta = np.array([-0.5 + 0.2j, -2.0 + 0j, 0.1 + 1j, -1 + np.pi / 0.25j]), 0.25
    lam = ssm.eigenvalues(A, delta)
    tau = ssm.time_constant(lam)
    assert tau[0] == pytest.approx(1 / (delta * 0.5)) and tau[1] == pytest.approx(1 / (delta * 2.0))
    assert abs(lam[0]) ** tau[0] == pytest.approx(np.exp(-1))              # |λ|^τ = 1/e
    assert tau[2] == np.inf                                                 # α < 0: it grows, never fades
    per = ssm.period(lam)
    assert per[0] == pytest.approx(2 * np.pi / (0.2 * delta)) and per[1] == np.inf
    assert lam[0] ** per[0] / abs(lam[0]) ** per[0] == pytest.approx(1)     # one period: back to the start
    assert ssm.period(np.array([-0.5]))[0] == pytest.approx(2)             # a negative λ flips each step
    m = ssm.memories(lam)
    assert m[0].tau == pytest.approx(tau[0]) and m[1].period == np.inf


def test_s4d_initialisations():
    assert np.allclose(ssm.s4d_lin(3), [-0.5, -0.5 + np.pi * 1j, -0.5 + 2 * np.pi * 1j])
    assert np.allclose(ssm.s4d_real(3), [-1, -2, -3])


def test_lru_ring_puts_every_eigenvalue_on_the_ring_with_the_phase_in_range():
    lam = ssm.lru_ring(2000, 0.4, 0.9, max_phase=np.pi / 2, seed=1)
    r = np.abs(lam)
    assert r.min() >= 0.4 - 1e-12 and r.max() <= 0.9 + 1e-12
    assert np.all((np.angle(lam) >= 0) & (np.angle(lam) <= np.pi / 2 + 1e-12))
    # uniform over the ring's area: |λ|² uniform on [r_min², r_max²], so its mean is the middle
    assert np.mean(r ** 2) == pytest.approx((0.16 + 0.81) / 2, abs=0.02)


def test_run_is_the_linear_recurrence_and_the_scan_gives_the_same_states():
    Ab, Bb = ssm.zoh(ssm.s4d_lin(5), 0.2)
    x = ssm.spike_input(40, 7, seed=3)
    h = ssm.run(Ab, Bb, x)
    ref, state = [], np.zeros(5, dtype=complex)
    for xt in x:
        state = Ab * state + Bb * xt
        ref.append(state)
    assert np.abs(h - np.array(ref)).max() < 1e-12
    a = torch.from_numpy(np.broadcast_to(Ab, (40, 5)).copy())
    b = torch.from_numpy(Bb[None, :] * x[:, None])
    assert np.abs(scan.scan(a, b).numpy() - h).max() < 1e-12


def test_selective_delta_is_softplus_and_the_gate_is_a_sigmoid():
    x = np.linspace(-50, 50, 101)
    d = ssm.selective_delta(x, 3.0, -1.0)
    z = 3.0 * x - 1.0
    small = z < 30                                 # log(1 + e^z) by the book where e^z does not overflow
    assert np.allclose(d[small], np.log1p(np.exp(z[small])), rtol=1e-12)
    assert np.allclose(d, torch.nn.functional.softplus(torch.from_numpy(z)).numpy(), rtol=1e-9, atol=1e-300)   # torch returns z itself above z = 20
    assert np.all(np.isfinite(d)) and np.all(d > 0)
    # Mamba's Theorem 1 (Gu & Dao 2023): with A = −1, B = 1, the update is the gate g = σ(w·x + b)
    s = ssm.selective(x[:20] / 10, 3.0, -1.0)
    g = 1 / (1 + np.exp(-(3.0 * s.x - 1.0)))
    assert np.allclose(s.write, g, atol=1e-12) and np.allclose(s.a, 1 - g, atol=1e-12)
    h, ref = 0.0, []
    for xt, gt in zip(s.x, g):
        h = (1 - gt) * h + gt * xt
        ref.append(h)
    assert np.allclose(s.h, ref, atol=1e-12)


def test_w_zero_is_one_delta_for_every_step():
    d = ssm.selective_delta(ssm.spike_input(30, 5), 0.0, -2.0)
    assert np.allclose(d, np.log1p(np.exp(-2.0)))


def test_a_spike_with_a_selective_delta_resets_the_state_and_then_it_keeps_it():
    x = ssm.spike_input(32, 8, seed=0)
    s = ssm.selective(x, 10.0, -6.0)
    assert s.a[7] < 0.05                          # the spike: the state is (nearly) reset and x written
    assert abs(s.h[7] - 1.0) < 0.05
    assert np.all(s.a[np.arange(32) != 7] > 0.95)  # the noise: kept
    assert s.h[-1] > 0.8                           # remembered 24 steps later


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_the_product_formula_equals_autograd_of_the_unrolled_recurrence(dtype):
    x = ssm.spike_input(50, 20, seed=2)
    s = ssm.selective(x, 6.0, -3.0)
    a = torch.tensor(s.a, dtype=dtype)
    b = torch.tensor(s.write * x, dtype=dtype)
    h = torch.zeros((), dtype=dtype, requires_grad=True)
    hs = []
    for t in range(50):                           # unrolled step by step: h_t = a_t h_{t−1} + b_t
        h = a[t] * h + b[t]
        h.retain_grad()
        hs.append(h)
    hs[-1].backward()
    auto = np.array([hh.grad.item() for hh in hs])
    tol = 1e-6 if dtype == torch.float64 else 1e-5
    assert np.allclose(s.grad, auto, rtol=tol, atol=1e-30)
    assert s.grad[-1] == 1.0 and s.grad[18] < 1e-2                # the spike's reset cuts the gradient


def test_the_product_formula_per_complex_unit_is_what_a_nudge_of_h_t_does_to_h_T():
    """h_T is linear in h_t: nudging h_t by ε moves h_T by ε·∏_{k>t} λ_k (exact, also for complex λ)."""
    Ab, Bb = ssm.zoh(ssm.s4d_lin(3), 0.3)
    a = np.broadcast_to(Ab, (12, 3))
    g = ssm.state_grad(a)
    x = ssm.spike_input(12, 2)
    for t in (0, 5, 11):
        h = np.zeros(3, dtype=complex)
        nudged = None
        for k in range(12):
            h = Ab * h + Bb * x[k]
            if k == t:
                nudged = h + 1e-3
            elif nudged is not None:
                nudged = Ab * nudged + Bb * x[k]
        assert np.allclose((nudged - h) / 1e-3, g[t], atol=1e-9)
    assert np.allclose(g[0], Ab ** 11)


def test_steady_is_selective_with_w_zero():
    x = ssm.spike_input(20, 4)
    s, f = ssm.selective(x, 0.0, -1.5), ssm.steady(x, float(np.log1p(np.exp(-1.5))))
    assert np.allclose(s.h, f.h, atol=1e-15) and np.allclose(s.grad, f.grad, atol=1e-15)
    assert np.allclose(f.grad, f.a[0] ** np.arange(19, -1, -1))          # one Δ: a geometric fade
