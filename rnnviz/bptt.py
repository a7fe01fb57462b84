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

Only the chain through time is sequential. Every local derivative (σ' = σ(1−σ), tanh' = 1 − tanh², the
gate values each product rule needs) is computed for all T steps at once from the forward trace; the
loop over time then does the few operations per step that carry δ back one step. No graph is needed,
so the loop runs on NumPy views of the trace's tensors: for these small (B, H) operands a NumPy call
costs about a third of a torch call, and a view a tenth. The results come back as tensors (no copy).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
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
        """∂L/∂θ as sums of per-step contributions (names as in torch.nn).

        Each sum over steps and examples is one matrix product over the T·B rows, in NumPy: its
        OpenBLAS runs these long, thin products about twice as fast as torch's MKL on this AMD CPU."""
        flat = lambda a: _np(a).reshape(-1, a.shape[-1])                # (T*B, ·): one product, not T
        outer = lambda dz, v: torch.from_numpy(flat(dz).T @ flat(v))    # Σ_t δz_t v_t^T   (G*H, ·)
        b_x = self.dz_x.sum(dim=(0, 1))
        return {"weight_ih": outer(self.dz_x, x),                         # Σ_t δz^x_t x_t^T
                "weight_hh": outer(self.dz_h, self.h_prev),               # Σ_t δz^h_t h_{t−1}^T
                "bias_ih": b_x,                                            # Σ_t δz^x_t
                "bias_hh": b_x.clone() if self.dz_h is self.dz_x else self.dz_h.sum(dim=(0, 1))}

    def whh_contributions(self) -> Tensor:
        """(T, G*H, H): step t's share δz^h_t h_{t−1}^T of ∂L/∂W_hh (summed over the batch)."""
        return torch.einsum("tbg,tbh->tgh", self.dz_h, self.h_prev)


def _np(t: Tensor) -> np.ndarray:
    return t.detach().numpy()


SCHEMES = ("sliding", "chunks")    # the two ways to truncate BPTT at k steps (see `backward`)


def backward(cell: Cell, trace: Trace, local: Tensor, truncate: int | None = None,
             scheme: str = "sliding") -> Backward:
    """BPTT for `cell` over `trace`, given ℓ_t = ∂L_t/∂h_t (T, B, H) from the loss at each step.

    `truncate=k` cuts the backward pass at k steps, in one of two ways (None is full BPTT):
      scheme="sliding"  a window that slides with each loss: the loss at step s reaches exactly
                        h_s, h_{s−1}, …, h_{s−k+1} (k states), whatever s is;
      scheme="chunks"   what a PyTorch training loop does with `h = h.detach()` every k steps: the
                        sequence is cut into chunks of k steps, and each loss reaches back only to the
                        start of its own chunk (1 state back at a chunk's first step, k at its last).
                        The first chunk also reaches h_0. Gradients of all chunks are summed with the
                        weights held fixed (a training loop usually takes an optimizer step per chunk).
    """
    if truncate is not None:
        if scheme == "chunks":
            return _chunked(cell, trace, local, int(truncate))
        if scheme != "sliding":
            raise ValueError(f"unknown truncation scheme {scheme!r}; choose one of {SCHEMES}")
        return _truncated(cell, trace, local, int(truncate))
    loc, h = _np(local), _np(trace.h)
    W = np.asfortranarray(_np(cell.weight_hh))                           # W_hh (G*H, H), column-major: BLAS
                                                                         # runs δz W faster in this layout
    kernel, widths = {"rnn": (_rnn, (1,)), "lstm": (_lstm, (1, 4)), "gru": (_gru, (3, 3))}[cell.kind]
    h_prev, dh, *work = _block(h.dtype, h.shape, 1, 1, *widths)
    h_prev[0], h_prev[1:] = _np(trace.h0), h[:-1]                        # h_{t−1}, h_0 first
    step_losses = bool(loc[:-1].any())    # False for a loss at the last step only: no ℓ_t to add before T
    with np.errstate(all="ignore"):       # an exploding gradient may overflow: inf/NaN is the answer then
        dc, dz_x, dz_h = (None if a is None else a.reshape(*h.shape[:2], -1)            # (T, B, ·)
                          for a in kernel(cell, trace, loc, step_losses, h_prev, W, dh, *work))
        dh0 = dz_h[0] @ W                                                # W_hh^T δz^h_1 reaches h_0 ...
        if cell.kind == "gru":
            dh0 += dh[0] * _np(trace.gates["update"][0])                 # ... and the GRU's δh_1⊙z_1
    dz_h = torch.from_numpy(dz_h)                                        # tensors on the same memory
    dz_x = dz_h if dz_x is None else torch.from_numpy(dz_x)
    return Backward(torch.from_numpy(dh), None if dc is None else torch.from_numpy(dc), dz_x, dz_h,
                    torch.from_numpy(dh0), torch.from_numpy(h_prev))


def _block(dtype, shape: tuple[int, int, int], *widths: int) -> list[np.ndarray]:
    """Arrays (T, B, H), or (T, B, w, H) for w > 1, carved from ONE allocation. A fresh page costs a
    fault (microseconds on a VM); one block of a few MB is reused whole by the next call, and NumPy
    backs blocks from 4 MB on with huge pages, so it faults once per 2 MB, not once per 4 KB."""
    T, B, H = shape
    block, out, at = np.empty(T * B * H * sum(widths), dtype), [], 0
    for w in widths:
        out.append(block[at:at + T * B * w * H].reshape((T, B, w, H) if w > 1 else (T, B, H)))
        at += T * B * w * H
    return out


# Each kernel fills δh (and its work arrays) and returns (δc or None, δz^x or None when it equals δz^h,
# δz^h). Each step's local factors are used once, at that step, so its δ overwrites them in place.
def _rnn(cell: Cell, trace: Trace, loc: np.ndarray, step_losses: bool, h_prev: np.ndarray, W: np.ndarray,
         dh: np.ndarray, dz: np.ndarray):
    # h_t = φ(a_t): δa_t = δh_t ⊙ φ'(a_t);  φ' = 1 − h² (tanh), [a > 0] (relu), 1 (linear)
    h, a = _np(trace.h), _np(trace.pre)
    if cell.nonlinearity == "tanh":
        np.multiply(h, h, out=dz)
        np.subtract(1, dz, out=dz)
    else:
        dz[...] = (a > 0) if cell.nonlinearity == "relu" else 1
    dh[-1] = loc[-1]
    for t in range(len(dh) - 1, 0, -1):
        dz[t] *= dh[t]                                                   # δa_t = δh_t ⊙ φ'(a_t)
        np.dot(dz[t], W, out=dh[t - 1])                                  # δh_{t−1} = W_hh^T δa_t
        if step_losses:
            dh[t - 1] += loc[t - 1]                                      #   + ℓ_{t−1}
    dz[0] *= dh[0]
    return None, None, dz                                                # δz^x = δz^h


def _lstm(cell: Cell, trace: Trace, loc: np.ndarray, step_losses: bool, h_prev: np.ndarray, W: np.ndarray,
          dh: np.ndarray, M: np.ndarray, K: np.ndarray):
    # h_t = o⊙tanh(c_t), c_t = f⊙c_{t−1} + i⊙g.  δc_t collects two paths: through h_t and through c_{t+1}:
    #   δc_t = δh_t ⊙ M_t + δc_{t+1} ⊙ f_{t+1},   M_t = ∂h_t/∂c_t = o⊙(1 − tanh²c_t)
    # and each pre-activation's share is δc_t or δh_t times a local factor K:
    #   δz_i = δc⊙g⊙i(1−i),  δz_f = δc⊙c_{t−1}⊙f(1−f),  δz_g = δc⊙i⊙(1−g²),  δz_o = δh⊙tanh(c)⊙o(1−o)
    i, f, g, o = (_np(trace.gates[k]) for k in ("input", "forget", "cell", "output"))
    c = _np(trace.c)
    tanh_c = _np(trace.saved["tanh_c"]) if "tanh_c" in trace.saved else np.tanh(c)
    (T, B, H), G = c.shape, 4
    K_i, K_f, K_g, K_o = (K[:, :, k] for k in range(G))                 # every step at once, block by block
    np.subtract(1, i, out=K_i); K_i *= i; K_i *= g                       # g⊙i(1−i)
    np.subtract(1, f, out=K_f); K_f *= f                                 # c_{t−1}⊙f(1−f)
    K_f[1:] *= c[:-1]; K_f[0] *= _np(trace.c0)
    np.multiply(g, g, out=K_g); np.subtract(1, K_g, out=K_g); K_g *= i   # i⊙(1−g²)
    np.subtract(1, o, out=K_o); K_o *= o; K_o *= tanh_c                  # tanh(c)⊙o(1−o)
    np.multiply(tanh_c, tanh_c, out=M); np.subtract(1, M, out=M); M *= o   # o⊙(1 − tanh²c)
    dc, dz = M, K                                                        # δc_t, δz_t overwrite M_t, K_t
    dh[-1], carry = loc[-1], np.zeros_like(c[0])                         # carry = δc_{t+1}⊙f_{t+1}
    back = zip(range(T - 1, -1, -1), dc[::-1], dh[::-1], dz[::-1], dz.reshape(T, B, G * H)[::-1])
    for t, dc_t, dh_t, dz_t, dz_row in back:                             # step t's views, last step first
        dc_t *= dh_t
        dc_t += carry                                                    # δc_t
        dz_t[:, :3] *= dc_t[:, None]                                     # δz_i, δz_f, δz_g from δc_t
        dz_t[:, 3] *= dh_t                                               # δz_o from δh_t
        if t:
            np.multiply(dc_t, f[t], out=carry)
            np.dot(dz_row, W, out=dh[t - 1])                             # δh_{t−1} = W_hh^T δz_t
            if step_losses:
                dh[t - 1] += loc[t - 1]                                  #   + ℓ_{t−1}
    return dc, None, dz                                                  # δz^x = δz^h


def _gru(cell: Cell, trace: Trace, loc: np.ndarray, step_losses: bool, h_prev: np.ndarray, W: np.ndarray,
         dh: np.ndarray, K: np.ndarray, dz_h: np.ndarray):
    # h_t = (1−z)⊙n + z⊙h_{t−1},  n = tanh(z^x_n + r⊙(W_hn h_{t−1} + b_hn)).  h_{t−1} reaches h_t directly
    # (through z) and through the pre-activations:  δh_{t−1} = ℓ_{t−1} + δh_t⊙z_t + W_hh^T δz^h_t, with
    #   δz_n = δh⊙(1−z)(1−n²) =: δh⊙A,  δz_z = δh⊙(h_{t−1}−n)⊙z(1−z),  δz_r = δz_n⊙(W_hn h + b_hn)⊙r(1−r)
    # on the input side; on the hidden side δz^h_n = r⊙δz_n (the reset gate multiplies W_hn h + b_hn).
    r, z, n = (_np(trace.gates[k]) for k in ("reset", "update", "new"))
    (T, B, H), G = n.shape, 3
    hn = (_np(trace.saved["hn"]) if "hn" in trace.saved                  # W_hn h_{t−1} + b_hn (T, B, H)
          else h_prev @ W[2 * H:].T + _np(cell.bias_hh)[2 * H:])
    K_r, K_z, K_n = (K[:, :, k] for k in range(G))                      # input side, every step at once
    one_minus_z = np.subtract(1, z, out=K_r)                             # (K_r is free until the last line)
    np.multiply(n, n, out=K_n); np.subtract(1, K_n, out=K_n); K_n *= one_minus_z     # A = (1−z)(1−n²)
    np.subtract(h_prev, n, out=K_z); K_z *= z; K_z *= one_minus_z        # (h_{t−1}−n)⊙z(1−z)
    np.subtract(1, r, out=K_r); K_r *= r; K_r *= hn; K_r *= K_n          # A⊙(W_hn h + b_hn)⊙r(1−r)
    dz_h[...] = K                                                        # the hidden side: r⊙ in the n block
    dz_h[:, :, 2] *= r                                                   # (δz^h_t overwrites it in place)
    dh[-1], direct = loc[-1], np.empty_like(dh[0])
    back = zip(range(T - 1, -1, -1), dh[::-1], dz_h[::-1], dz_h.reshape(T, B, G * H)[::-1])
    for t, dh_t, dz_t, dz_row in back:                                   # step t's views, last step first
        dz_t *= dh_t[:, None]                                            # δz^h_t = [δh, δh, δh]⊙K^h_t
        if t:
            np.dot(dz_row, W, out=dh[t - 1])                             # δh_{t−1} = W_hh^T δz^h_t
            np.multiply(dh_t, z[t], out=direct)
            dh[t - 1] += direct                                          #   + δh_t⊙z_t
            if step_losses:
                dh[t - 1] += loc[t - 1]                                  #   + ℓ_{t−1}
    K *= dh[:, :, None]                                                  # δz^x_t = [δh, δh, δh]⊙K, in place
    return None, K, dz_h


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


def _chunked(cell: Cell, trace: Trace, local: Tensor, k: int) -> Backward:
    """Chunk-and-detach BPTT(k): the state entering each chunk of k steps is cut from the graph, so the
    losses of chunk [a, b] send their gradient back to step a at most (and chunk 0's to h_0 as well).
    One short backward pass per chunk, summed."""
    if k < 1:
        raise ValueError("the truncation window k must be at least 1")
    T = local.shape[0]
    total = None
    for a in range(0, T, k):
        b = min(a + k, T) - 1              # this chunk's steps a..b (0-based)
        one = torch.zeros_like(local)
        one[a:b + 1] = local[a:b + 1]
        part = _window(cell, trace, one, a if a > 0 else -1, b)    # lo < 0: the first chunk reaches h_0
        total = part if total is None else Backward(
            total.dh + part.dh, None if total.dc is None else total.dc + part.dc,
            total.dz_x + part.dz_x, total.dz_h + part.dz_h, total.dh0 + part.dh0, total.h_prev)
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
