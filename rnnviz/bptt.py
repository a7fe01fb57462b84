"""Backpropagation through time, written out by hand: the backward pass of each cell, step by step.

Autograd does this for us (flow.backward_through_time uses it); here every line is an equation a
student can check, and the loop runs without building a graph, so the gradient lab can afford it on
every slider move. A test holds every number here against autograd to 1e-10 (float64).

Shape legend: T time steps, B batch, I input, H hidden, G gates (RNN 1, LSTM 4, GRU 3).
Notation: δh_t = ∂L/∂h_t, the total derivative (through every later step); ℓ_t = ∂L_t/∂h_t, the part
from the loss at step t alone; δz_t = ∂L/∂z_t for the stacked pre-activations z_t of step t.

    δh_t = ℓ_t + W_hh^T δz^h_{t+1}        (the future's share arrives through the next step's W_hh)
    ∂L/∂W_hh = Σ_t δz^h_t h_{t−1}^T        (the same matrix is used at every step, so its gradient
    ∂L/∂W_ih = Σ_t δz^x_t x_t^T             is a sum of one contribution per step)
    ∂L/∂b_hh = Σ_t δz^h_t,  ∂L/∂b_ih = Σ_t δz^x_t

For the RNN and LSTM δz^x = δz^h; the GRU's reset gate multiplies W_hn h_{t−1} + b_hn, so its h-side
differs in the n block (δz^h_n = r_t ⊙ δz^x_n).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from rnnviz.cells import Cell, Trace


@dataclass
class Backward:
    dh: Tensor                 # (T, B, H)   δh_t = ∂L/∂h_t, total
    dc: Tensor | None          # (T, B, H)   ∂L/∂c_t for the LSTM (total), else None
    dz_x: Tensor               # (T, B, G*H) ∂L/∂(input-side pre-activations) at each step
    dz_h: Tensor               # (T, B, G*H) ∂L/∂(hidden-side pre-activations) at each step
    dh0: Tensor                # (B, H)      ∂L/∂h_0, what reaches the initial state
    h_prev: Tensor             # (T, B, H)   h_{t−1} at each step (h_0 first)

    def param_grads(self, x: Tensor) -> dict[str, Tensor]:
        """∂L/∂θ as sums of per-step contributions (names as in torch.nn)."""
        flat = lambda a: a.reshape(-1, a.shape[-1])                     # (T*B, ·): one product, not T
        return {"weight_ih": flat(self.dz_x).T @ flat(x),                 # Σ_t δz^x_t x_t^T
                "weight_hh": flat(self.dz_h).T @ flat(self.h_prev),       # Σ_t δz^h_t h_{t−1}^T
                "bias_ih": self.dz_x.sum(dim=(0, 1)), "bias_hh": self.dz_h.sum(dim=(0, 1))}

    def whh_contributions(self) -> Tensor:
        """(T, G*H, H): step t's share δz^h_t h_{t−1}^T of ∂L/∂W_hh (summed over the batch)."""
        return torch.einsum("tbg,tbh->tgh", self.dz_h, self.h_prev)


def _prev(first: Tensor, seq: Tensor) -> Tensor:
    """(T, B, H): the value one step earlier, with `first` (B, H) at t = 1."""
    return torch.cat([first.unsqueeze(0), seq[:-1]], dim=0)


@torch.no_grad()
def backward(cell: Cell, trace: Trace, local: Tensor, truncate: int | None = None) -> Backward:
    """BPTT for `cell` over `trace`, given ℓ_t = ∂L_t/∂h_t (T, B, H) from the loss at each step.

    `truncate=k` stops the future's share after k steps back (truncated BPTT): each step's loss
    reaches only h_t, h_{t−1}, …, h_{t−k+1}. None is full BPTT.
    """
    if truncate is not None:
        return _truncated(cell, trace, local, int(truncate))
    kind, T = cell.kind, local.shape[0]
    W = cell.weight_hh.detach()                                          # (G*H, H)
    h_prev = _prev(trace.h0, trace.h.detach())                          # (T, B, H)
    if kind == "rnn":
        # h_t = φ(a_t): δa_t = δh_t ⊙ φ'(a_t);  φ' = 1 − h² (tanh), [a > 0] (relu), 1 (linear)
        h, a = trace.h.detach(), trace.pre.detach()
        dphi = {"tanh": lambda: 1 - h * h, "relu": lambda: (a > 0).to(h.dtype),
                "linear": lambda: torch.ones_like(h)}[cell.nonlinearity]()
        dh, dz = [None] * T, [None] * T
        loc, dphi = local.unbind(0), dphi.unbind(0)                      # per-step views, sliced once
        g = loc[T - 1]
        for t in range(T - 1, -1, -1):
            dh[t] = g
            dz[t] = g * dphi[t]                                          # δa_t        (B, H)
            if t:
                g = torch.addmm(loc[t - 1], dz[t], W)                    # ℓ_{t−1} + W_hh^T δa_t
        dz_t = torch.stack(dz)
        return Backward(torch.stack(dh), None, dz_t, dz_t, dz[0] @ W, h_prev)
    if kind == "lstm":
        gt = {k: v.detach() for k, v in trace.gates.items()}
        i, f, gg, o = gt["input"], gt["forget"], gt["cell"], gt["output"]
        c = trace.c.detach()
        c_prev, tanh_c = _prev(trace.c0, c), torch.tanh(c)
        # h_t = o⊙tanh(c_t):  ∂h_t/∂c_t = o⊙(1 − tanh²c_t);  c_t = f⊙c_{t−1} + i⊙g
        # δz_i = δc⊙g⊙i(1−i), δz_f = δc⊙c_{t−1}⊙f(1−f), δz_g = δc⊙i⊙(1−g²), δz_o = δh⊙tanh(c)⊙o(1−o)
        K = torch.cat([gg * i * (1 - i), c_prev * f * (1 - f), i * (1 - gg * gg),
                       tanh_c * o * (1 - o)], dim=2)                     # (T, B, 4H)
        M = o * (1 - tanh_c * tanh_c)                                    # (T, B, H)
        dh, dc, dz = [None] * T, [None] * T, [None] * T
        loc, M, K, f = local.unbind(0), M.unbind(0), K.unbind(0), f.unbind(0)   # per-step views
        g, carry = loc[T - 1], torch.zeros_like(loc[0])                  # carry = δc_{t+1}⊙f_{t+1}
        for t in range(T - 1, -1, -1):
            gc = torch.addcmul(carry, g, M[t])                           # δc_t = δh_t⊙∂h/∂c + δc_{t+1}⊙f_{t+1}
            dh[t], dc[t] = g, gc
            dz[t] = torch.cat([gc, gc, gc, g], dim=1) * K[t]             # (B, 4H)
            carry = gc * f[t]
            if t:
                g = torch.addmm(loc[t - 1], dz[t], W)
        dz_t = torch.stack(dz)
        return Backward(torch.stack(dh), torch.stack(dc), dz_t, dz_t, dz[0] @ W, h_prev)
    # GRU: h_t = (1−z)⊙n + z⊙h_{t−1},  n = tanh(z^x_n + r⊙(W_hn h_{t−1} + b_hn))
    gt = {k: v.detach() for k, v in trace.gates.items()}
    r, z, n = gt["reset"], gt["update"], gt["new"]
    H = cell.hidden_size
    hn = h_prev @ W[2 * H:].T + cell.bias_hh.detach()[2 * H:]            # W_hn h_{t−1} + b_hn (T, B, H)
    A = (1 - z) * (1 - n * n)                                            # δz_n = δh⊙(1−z)⊙(1−n²)
    Bz = (h_prev - n) * z * (1 - z)                                      # δz_z = δh⊙(h_{t−1}−n)⊙z(1−z)
    C = A * hn * r * (1 - r)                                             # δz_r = δz_n⊙(W_hn h + b_hn)⊙r(1−r)
    Kx = torch.cat([C, Bz, A], dim=2)                                    # (T, B, 3H) input side
    Kh = torch.cat([C, Bz, A * r], dim=2)                                # hidden side: r⊙ inside
    dh, dzh = [None] * T, [None] * T
    loc, zs, Khs = local.unbind(0), z.unbind(0), Kh.unbind(0)            # per-step views, sliced once
    g = loc[T - 1]
    for t in range(T - 1, -1, -1):
        dh[t] = g
        dzh[t] = g.repeat(1, 3) * Khs[t]                                 # (B, 3H)
        if t:
            g = torch.addmm(torch.addcmul(loc[t - 1], g, zs[t]), dzh[t], W)   # ℓ + δh⊙z + W_hh^T δz^h
    dh_t = torch.stack(dh)
    dh0 = dh_t[0] * z[0] + dzh[0] @ W
    return Backward(dh_t, None, dh_t.repeat(1, 1, 3) * Kx, torch.stack(dzh), dh0, h_prev)


def _truncated(cell: Cell, trace: Trace, local: Tensor, k: int) -> Backward:
    """Truncated BPTT(k): the loss at step s sends its gradient back at most k steps (s, …, s−k+1).

    Done as T separate short backward passes, one per loss, each stopped after k steps; summed.
    """
    if k < 1:
        raise ValueError("the truncation window k must be at least 1")
    T = local.shape[0]
    parts = []
    for s in range(T):
        lo = s - k + 1                     # the window is steps lo..s; lo < 0 means it reaches h_0
        one = torch.zeros_like(local)
        one[s] = local[s]
        parts.append(_window(cell, trace, one, lo, s))
    total = parts[0]
    for p in parts[1:]:
        total = Backward(total.dh + p.dh, None if total.dc is None else total.dc + p.dc,
                         total.dz_x + p.dz_x, total.dz_h + p.dz_h, total.dh0 + p.dh0, total.h_prev)
    return total


def _window(cell: Cell, trace: Trace, local: Tensor, lo: int, hi: int) -> Backward:
    """Full backward of `local` (non-zero only at step hi), kept only on steps lo..hi (0-based).
    h_0 is the state *entering* step 0: like h_{lo−1} for a later window it is cut off, unless lo < 0."""
    full = backward(cell, trace, local)
    keep = torch.zeros(local.shape[0], 1, 1, dtype=local.dtype)
    keep[max(lo, 0):hi + 1] = 1
    return Backward(full.dh * keep, None if full.dc is None else full.dc * keep,
                    full.dz_x * keep, full.dz_h * keep,
                    full.dh0 * (1.0 if lo < 0 else 0.0), full.h_prev)
