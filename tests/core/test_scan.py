"""The parallel scan (rnnviz/scan.py) against the step-by-step loop, the composition's algebra, the rounds
the lesson draws, and the minGRU against its equations."""
from __future__ import annotations

import pytest
import torch

from rnnviz import scan


def _gen(seed):
    return torch.Generator().manual_seed(seed)


def pairs(T, *shape, seed=0, dtype=torch.float64):
    """a in (0, 1) (a decaying memory, as σ gives), b ~ N(0, 1)."""
    a = torch.rand(T, *shape, generator=_gen(seed), dtype=torch.float64).to(dtype)
    b = torch.randn(T, *shape, generator=_gen(seed + 1), dtype=torch.float64).to(dtype)
    return a, b


@pytest.mark.parametrize("T", [1, 2, 3, 7, 8, 9, 64, 100, 1000])
def test_scan_equals_loop(T):
    a, b = pairs(T, 2, 5, seed=T)
    h0 = torch.randn(2, 5, generator=_gen(99), dtype=torch.float64)
    for start in (None, h0):
        want = scan.loop(a, b, start)
        torch.testing.assert_close(scan.scan(a, b, start), want, rtol=0, atol=1e-12)
        # float32, as a model runs: to 1e-6
        got32 = scan.scan(a.float(), b.float(), None if start is None else start.float())
        torch.testing.assert_close(got32, want.float(), rtol=1e-6, atol=1e-6)


def test_the_loop_is_the_recurrence():
    a, b = pairs(5, 3, seed=1)
    h = torch.zeros(3, dtype=torch.float64)
    for t, got in enumerate(scan.loop(a, b)):
        h = a[t] * h + b[t]
        torch.testing.assert_close(got, h, rtol=0, atol=1e-15)      # addcmul may fuse the multiply-add


def test_composition_is_associative_and_means_first_then():
    a, b = pairs(3, 4, seed=7)
    p = [(a[i], b[i]) for i in range(3)]
    left = scan.combine(scan.combine(p[0], p[1]), p[2])
    right = scan.combine(p[0], scan.combine(p[1], p[2]))
    for x, y in zip(left, right):
        torch.testing.assert_close(x, y, rtol=0, atol=1e-14)
    h = torch.randn(4, generator=_gen(3), dtype=torch.float64)
    A, B = scan.combine(p[0], p[1])
    torch.testing.assert_close(A * h + B, a[1] * (a[0] * h + b[0]) + b[1], rtol=0, atol=1e-14)
    # not commutative: the order of the steps matters
    A2, B2 = scan.combine(p[1], p[0])
    assert not torch.allclose(B, B2)


def test_the_rounds_for_eight_steps():
    """T = 8: three rounds; in round k position t reads t − 2^k; after round k, t holds steps max(1, t−2^(k+1)+1)..t."""
    a, b = pairs(8, seed=5)
    rounds = []
    h = scan.scan(a, b, rounds=rounds)
    assert len(rounds) == scan.n_rounds(8) == 3
    for k, r in enumerate(rounds):
        assert r.reads == [t - 2 ** k if t >= 2 ** k else -1 for t in range(8)]
        for t in range(8):                                   # position t now composes steps lo..t
            lo = max(0, t - 2 ** (k + 1) + 1)
            seg = scan.loop(a[lo:t + 1], b[lo:t + 1])[-1]    # the segment's effect from h = 0
            torch.testing.assert_close(r.b[t], seg, rtol=0, atol=1e-14)
            torch.testing.assert_close(r.a[t], torch.prod(a[lo:t + 1]), rtol=0, atol=1e-14)
    torch.testing.assert_close(rounds[-1].b, h)
    assert [scan.n_rounds(T) for T in (1, 2, 3, 4, 5, 4096)] == [0, 1, 2, 2, 3, 12]


@pytest.mark.parametrize("parallel", [True, False])
def test_min_gru_is_the_gru_without_the_previous_state(parallel):
    T, B, I, H = 6, 2, 3, 4
    g = _gen(11)
    x = torch.randn(T, B, I, generator=g, dtype=torch.float64)
    w_z, w_n = torch.randn(H, I, generator=g, dtype=torch.float64), torch.randn(H, I, generator=g, dtype=torch.float64)
    b_z, b_n = torch.randn(H, generator=g, dtype=torch.float64), torch.randn(H, generator=g, dtype=torch.float64)
    h0 = torch.randn(B, H, generator=g, dtype=torch.float64)
    h, z, n = scan.min_gru(x, w_z, b_z, w_n, b_n, h0, parallel=parallel)
    prev = h0
    for t in range(T):
        z_t = torch.sigmoid(x[t] @ w_z.T + b_z)              # no h_{t−1} in the gate
        n_t = x[t] @ w_n.T + b_n                              # nor in the candidate (and no tanh)
        prev = z_t * prev + (1 - z_t) * n_t
        torch.testing.assert_close(z[t], z_t, rtol=0, atol=1e-13)
        torch.testing.assert_close(n[t], n_t, rtol=0, atol=1e-13)
        torch.testing.assert_close(h[t], prev, rtol=0, atol=1e-12)
    # the GRU with its recurrent weights set to zero has the same gate z_t (its candidate keeps the tanh)
    gru = torch.nn.GRU(I, H).double()
    with torch.no_grad():
        gru.weight_hh_l0.zero_()
        gru.bias_hh_l0.zero_()
        gru.weight_ih_l0[H:2 * H] = w_z
        gru.bias_ih_l0[H:2 * H] = b_z
        gru.weight_ih_l0[2 * H:] = w_n
        gru.bias_ih_l0[2 * H:] = b_n
        out, _ = gru(x, h0[None])
        a, bb = z, (1 - z) * torch.tanh(n)
        torch.testing.assert_close(out, scan.loop(a, bb, h0), rtol=0, atol=1e-12)
