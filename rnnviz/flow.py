"""Gradient flow through time: how much of the loss's gradient reaches each hidden state h_t.

Shape legend: T time steps, B batch, H hidden units. Steps are numbered t = 1..T in what a student
reads; arrays are indexed 0..T-1.

Backpropagation through time sends ∂L/∂h_T back through the chain of Jacobians

    ∂L/∂h_t = ∂L_t/∂h_t + (∂h_{t+1}/∂h_t)^T ∂L/∂h_{t+1},     ∂h_{t+1}/∂h_t = diag(φ'(a_{t+1})) W_hh  (RNN)

so with a loss at the last step only, ∂L/∂h_t = (∂h_T/∂h_t)^T ∂L/∂h_T, and ‖∂h_T/∂h_t‖ ≤ (γ σ_max)^(T−t),
where σ_max is the largest singular value of W_hh and γ bounds |φ'| (1 for tanh, relu and linear).
When γ σ_max < 1 the gradient must vanish exponentially (Pascanu, Mikolov & Bengio 2013, "On the
difficulty of training recurrent neural networks"); when the spectral radius is > 1 it can explode.
The LSTM escapes through its cell state: ∂c_t/∂c_{t−1} contains diag(f_t) directly, an additive path
whose gain is the forget gate (Hochreiter & Schmidhuber 1997; Gers et al. 2000).

Everything here is computed in ONE forward and ONE backward pass: ∂L/∂h_t for all t comes from a
single `torch.autograd.grad` with respect to the per-step tensors the cell kept in its graph.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch
from torch import Tensor

from rnnviz.cells import Cell, Trace
from rnnviz.stack import Stack, StackTrace

LossFn = Callable[[Trace], Tensor]

# γ = sup |φ'(a)|: the largest slope of the RNN's nonlinearity (tanh' ≤ 1 at 0; relu' and identity' = 1).
GAMMA = {"tanh": 1.0, "relu": 1.0, "linear": 1.0}


@dataclass
class Grads:
    """One forward + one backward pass: the trace and every gradient the lab draws (numpy)."""

    trace: Trace
    loss: float
    dh: np.ndarray                 # (T, B, H) ∂L/∂h_t, the total derivative through all later steps
    dc: np.ndarray | None          # (T, B, H) ∂L/∂c_t for the LSTM, else None
    param_grads: dict[str, np.ndarray]   # ∂L/∂θ for weight_ih, weight_hh, bias_ih, bias_hh
    forward_exploded_at: int | None      # first step t (1-based) whose h_t is inf/NaN, else None


def backward_through_time(cell: Cell, x: Tensor, loss_fn: LossFn, state=None) -> Grads:
    """Unroll `cell` on x (T, B, I), L = loss_fn(trace), and take every gradient in one backward pass."""
    trace = cell.unroll(x, state)
    loss = loss_fn(trace)
    inputs = list(trace.h_steps) + list(trace.c_steps)
    params = [cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh]
    grads = torch.autograd.grad(loss, inputs + params, allow_unused=True)
    T = len(trace.h_steps)
    zeros = torch.zeros_like(trace.h_steps[0])
    fill = [zeros if g is None else g for g in grads[: len(inputs)]]   # an h_t the loss never saw
    dh = torch.stack(fill[:T]).detach().numpy()
    dc = torch.stack(fill[T:]).detach().numpy() if trace.c_steps else None
    names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    pg = {n: (np.zeros(tuple(p.shape)) if g is None else g.detach().numpy())
          for n, p, g in zip(names, params, grads[len(inputs):])}
    return Grads(trace=trace, loss=float(loss.detach()), dh=dh, dc=dc, param_grads=pg,
                 forward_exploded_at=first_nonfinite(trace.h))


@dataclass
class StackGrads:
    """One forward + one backward pass through a Stack: ∂L/∂h_t^(l) for every layer l and step t."""

    trace: StackTrace
    loss: float
    dh: np.ndarray                 # (L, T, B, H) the total derivative at every layer and step
    norms: np.ndarray              # (L, T) its Frobenius norm over batch and units (step_norms per layer)


def stack_grads(stack: Stack, x: Tensor, loss_fn: Callable[[StackTrace], Tensor], state=None) -> StackGrads:
    """Unroll `stack` on x (T, B, I), L = loss_fn(trace), and take ∂L/∂h_t^(l) for all l, t in ONE backward
    pass (autograd.grad with respect to every layer's per-step tensors at once). In the (layer × time) map
    the gradient spreads from where the loss reads: along each layer back in time, and down the layers."""
    trace = stack.unroll(x, state)
    loss = loss_fn(trace)
    inputs = [h for layer in trace.layers for h in layer.h_steps]
    grads = torch.autograd.grad(loss, inputs, allow_unused=True)
    zeros = torch.zeros_like(inputs[0])
    T = x.shape[0]
    dh = torch.stack([zeros if g is None else g for g in grads]).detach().numpy()
    dh = dh.reshape(stack.num_layers, T, *dh.shape[1:])
    return StackGrads(trace=trace, loss=float(loss.detach()), dh=dh,
                      norms=np.stack([step_norms(layer) for layer in dh]))


def first_nonfinite(seq: Tensor) -> int | None:
    """The first step t (1-based) at which (T, B, H) `seq` holds an inf or NaN, else None."""
    seq = seq.detach()
    if torch.isfinite(seq.sum()):        # a sum is finite only if every term is: the common case, fast
        return None
    finite = torch.isfinite(seq).flatten(1).all(dim=1)                   # (T,)
    bad = (~finite).nonzero()
    return int(bad[0]) + 1 if len(bad) else None


def step_norms(per_step: np.ndarray) -> np.ndarray:
    """(T, B, H) → (T,): the Frobenius norm over batch and units at each step, summed in float64
    (a float32 gradient of 1e20 is finite, but its square would overflow float32)."""
    flat = per_step.reshape(per_step.shape[0], -1).astype(np.float64, copy=False)
    return np.sqrt(np.einsum("ti,ti->t", flat, flat))


def hidden_grad_norms(cell: Cell, x: Tensor, loss_fn: LossFn, state=None) -> np.ndarray:
    """‖∂L/∂h_t‖ for t = 1..T (Frobenius over batch and units), the total derivative, one backward pass."""
    return step_norms(backward_through_time(cell, x, loss_fn, state).dh)


def unit_grad_magnitudes(dh: np.ndarray) -> np.ndarray:
    """(T, B, H) → (T, H): the root-mean-square over the batch of each unit's ∂L/∂h_t."""
    dh = dh.astype(np.float64, copy=False)
    return np.sqrt(np.einsum("tbh,tbh->th", dh, dh) / dh.shape[1])


def linear_readout(hidden_size: int, where: str = "last", seed: int = 0,
                   dtype: torch.dtype = torch.float64) -> LossFn:
    """L = Σ_b v·h_T[b] (where="last") or Σ_t Σ_b v·h_t[b] (where="every"), v a fixed random unit vector.

    A linear loss makes the local gradient ∂L_t/∂h_t = v for every example, so whatever happens to
    ‖∂L/∂h_t‖ along the sequence is the recurrence's doing alone.
    """
    v = readout_vector(hidden_size, seed, dtype)                         # (H,)
    if where not in ("last", "every"):
        raise ValueError(f"where must be 'last' or 'every'; got {where!r}")

    def loss(trace: Trace) -> Tensor:
        h = trace.h if where == "every" else trace.h[-1:]                # (T or 1, B, H)
        return (h @ v).sum()
    return loss


def readout_vector(hidden_size: int, seed: int = 0, dtype: torch.dtype = torch.float64) -> Tensor:
    """The fixed random unit vector v of `linear_readout` (its own seeded generator)."""
    gen = torch.Generator().manual_seed(int(seed) + 7919)
    v = torch.randn(hidden_size, generator=gen, dtype=dtype)
    return v / v.norm()


def readout_local_grads(v: Tensor, T: int, B: int, where: str = "last") -> Tensor:
    """ℓ_t = ∂L_t/∂h_t of `linear_readout`, (T, B, H): v at the loss's steps, 0 elsewhere."""
    local = torch.zeros(T, B, v.shape[0], dtype=v.dtype)
    if where == "every":
        local[:] = v
    else:
        local[-1] = v
    return local


# ----- Jacobians and the theory ------------------------------------------------------------------

def jacobians_to_last(cell: Cell, x: Tensor, b: int = 0) -> Tensor:
    """J_t = ∂h_T/∂h_t for t = 1..T of one sequence x[:, b]: (T, H, H), with J_T = I.

    One backward pass: run H copies of the sequence and let copy k carry the loss h_T[k]; the
    gradient that copy k's h_t receives is then row k of ∂h_T/∂h_t.
    """
    H = cell.hidden_size
    xs = x[:, b:b + 1].expand(-1, H, -1)                                 # (T, H, I): H identical copies
    trace = cell.unroll(xs)
    eye = torch.eye(H, dtype=trace.h.dtype)
    loss = (trace.h_steps[-1] * eye).sum()                               # Σ_k h_T[k, k]
    grads = torch.autograd.grad(loss, trace.h_steps, allow_unused=True)
    return torch.stack([torch.zeros(H, H, dtype=eye.dtype) if g is None else g for g in grads]).detach()


def jacobian_norms(cell: Cell, x: Tensor, b: int = 0) -> np.ndarray:
    """‖∂h_T/∂h_t‖₂ (largest singular value) for t = 1..T of sequence b: (T,)."""
    return torch.linalg.matrix_norm(jacobians_to_last(cell, x, b), ord=2).numpy()


def recurrent_matrix(cell: Cell) -> np.ndarray:
    """The H×H matrix the hidden state is multiplied by each step: W_hh for the RNN, all of its recurrence.
    For the LSTM and GRU only ONE of their blocks, the candidate's (W_hg, W_hn), the path that carries
    h_{t−1} into the new content: their other blocks feed the gates, and their gradient also takes a path
    that no weight matrix multiplies (the cell state through f_t; the GRU's h_{t−1} through z_t), so these
    eigenvalues alone do not decide whether a gated cell's gradient vanishes."""
    H = cell.hidden_size
    k = {"rnn": 0, "lstm": 2, "gru": 2}[cell.kind]
    return cell.weight_hh.detach()[k * H:(k + 1) * H].numpy()


def spectrum(w: np.ndarray) -> tuple[np.ndarray, float, float]:
    """(eigenvalues, spectral radius ρ = max|λ|, largest singular value σ_max) of a square matrix."""
    eig = torch.linalg.eigvals(torch.from_numpy(w)).numpy()             # (LAPACK's geev, as numpy's)
    return eig, float(np.max(np.abs(eig))), float(np.linalg.norm(w, ord=2))


def rnn_bound(sigma_max: float, T: int, last_norm: float, where: str = "last",
              gamma: float = 1.0) -> np.ndarray:
    """Upper bound on ‖∂L/∂h_t‖, t = 1..T, for a vanilla RNN (Pascanu, Mikolov & Bengio 2013).

    last:  ‖∂L/∂h_t‖ ≤ ‖∂L/∂h_T‖ (γ σ_max)^(T−t)
    every: ‖∂L/∂h_t‖ ≤ Σ_{s≥t} ‖∂L_s/∂h_s‖ (γ σ_max)^(s−t), with the same local norm at every step
    Computed in log space; values beyond float64 are capped at 1e±300 (still "exploded").
    """
    k = np.arange(T)[::-1].astype(float)                                 # T−t for t = 1..T
    log_rate = math.log(max(gamma * sigma_max, 1e-300))
    if where == "last":
        log_b = math.log(max(last_norm, 1e-300)) + k * log_rate
    else:                                                                # geometric sum 1 + q + ... + q^k
        logs = np.log(max(last_norm, 1e-300)) + np.outer(np.ones(T), np.arange(T) * log_rate)
        mask = np.arange(T)[None, :] <= k[:, None]
        logs = np.where(mask, logs, -np.inf)
        m = logs.max(axis=1, keepdims=True)
        log_b = (m + np.log(np.exp(logs - m).sum(axis=1, keepdims=True)))[:, 0]
    return np.exp(np.clip(log_b, -690, 690))


def forget_survival(forget: Tensor) -> np.ndarray:
    """The mean over batch and units of Π_{s=t+1..T} f_s, t = 1..T: the share of c_t's content that the
    forget gates alone let through to the last step (the LSTM's direct path ∂c_T/∂c_t = Π f_s)."""
    f = forget.detach().double().flatten(1).numpy()                     # (T, B*H)
    after = np.ones_like(f)                                              # after[t] = Π_{s>t} f_s; 1 at t = T
    for t in range(len(f) - 2, -1, -1):                                  # a running product, from the end back
        np.multiply(after[t + 1], f[t + 1], out=after[t])                # (a row at a time: np.cumprod down
    return after.mean(axis=1)                                            #  axis 0 took 6× as long)


# ----- a verdict a student can read --------------------------------------------------------------

# The verdict reads the mean factor per step back, f = (‖g_1‖/‖g_T‖)^(1/(T−1)), never the total ratio:
# the same f is the same phenomenon whether the sequence is 5 or 300 steps long (a total ratio would
# call ×0.54 per step "stable" at T = 5 and "vanishing" at T = 100). "Stable" is a band around 1 that
# changes the gradient by less than ×10 over 100 steps: 10^(−1/100) ≈ 0.977 < f < 10^(1/100) ≈ 1.023.
STABLE_BAND = 10.0 ** (1 / 100)


def half_life(factor: float) -> float:
    """Steps back over which a gradient shrinking (growing) by `factor` per step halves (doubles):
    ln 2 / |ln f|; inf when f = 1."""
    if not (math.isfinite(factor) and factor > 0) or factor == 1.0:
        return math.inf
    return math.log(2) / abs(math.log(factor))


@dataclass
class Verdict:
    kind: str                  # "vanishing" | "stable" | "exploding" | "exploded"
    factor: float              # mean factor per step backwards, (‖g_1‖/‖g_T‖)^(1/(T−1))
    ratio: float               # ‖g_1‖ / ‖g_T‖
    steps: int                 # T − 1
    exploded_at: int | None    # 1-based step where inf/NaN first appears
    where: str = "backward"    # "forward" when the hidden state itself overflowed
    underflow_at: int | None = None   # 1-based latest step whose gradient is exactly 0 (float underflow)

    def pace(self) -> str:
        """"halves every 1.1 steps" / "doubles every 12 steps", or "" when the factor is 1 or 0."""
        n = half_life(self.factor)
        if not math.isfinite(n) or self.factor <= 0:
            return ""
        return f"{'halves' if self.factor < 1 else 'doubles'} every {n:.2g} steps" if n < 10 else \
            f"{'halves' if self.factor < 1 else 'doubles'} every {n:.0f} steps"

    def text(self) -> str:
        if self.underflow_at is not None:
            return (f"vanishing: ×{self.factor:.3g} per step, then exactly 0 from step {self.underflow_at} "
                    "back (underflow)")
        if self.kind == "exploded":
            if self.where == "forward":
                return f"exploded: the hidden state overflowed to inf/NaN at step {self.exploded_at}"
            return f"exploded at step {self.exploded_at}: the gradient overflowed to inf/NaN"
        pace = self.pace()
        return (f"{self.kind}: ×{self.factor:.3g} per step{f' ({pace})' if pace else ''}, "
                f"{self.ratio:.1e} after {self.steps} steps")


def kind_of(factor: float) -> str:
    """"vanishing", "stable" or "exploding" from the factor per step alone (STABLE_BAND)."""
    return "vanishing" if factor < 1 / STABLE_BAND else "exploding" if factor > STABLE_BAND else "stable"


def verdict(norms: np.ndarray, forward_exploded_at: int | None = None) -> Verdict:
    """Classify a ‖∂L/∂h_t‖ curve by its mean factor per step back (see STABLE_BAND): how much of the
    last step's gradient reaches the first step, per step travelled."""
    T = len(norms)
    if forward_exploded_at is not None:
        return Verdict("exploded", math.inf, math.inf, T - 1, forward_exploded_at, "forward")
    bad = np.flatnonzero(~np.isfinite(norms))
    if len(bad):                       # the backward pass reaches step T first: report the latest bad step
        return Verdict("exploded", math.inf, math.inf, T - 1, int(bad[-1]) + 1)
    if T < 2 or norms[-1] == 0:
        return Verdict("stable", 1.0, 1.0, max(T - 1, 0), None)
    zero = np.flatnonzero(norms == 0)
    if len(zero):                      # too small for the number format: it became exactly 0
        k = int(zero[-1]) + 1
        rest = norms[k:]               # the non-zero tail, steps k+1..T
        factor = float((rest[0] / rest[-1]) ** (1.0 / (len(rest) - 1))) if len(rest) > 1 else 0.0
        return Verdict("vanishing", factor, 0.0, T - 1, None, underflow_at=k)
    ratio = float(norms[0] / norms[-1])
    factor = ratio ** (1.0 / (T - 1)) if ratio > 0 else 0.0
    return Verdict(kind_of(factor), factor, ratio, T - 1, None)


def clip_norm(param_grads: dict[str, np.ndarray], threshold: float | None) -> tuple[float, float]:
    """(raw ‖∂L/∂θ‖, norm after clipping): torch.nn.utils.clip_grad_norm_'s rule, g ← g·min(1, c/‖g‖).
    Clipping rescales the whole gradient (Pascanu et al. 2013): it tames an explosion but keeps the
    direction, so it cannot bring back a gradient that has vanished."""
    with np.errstate(over="ignore", invalid="ignore"):
        raw = float(np.sqrt(sum(float(np.sum(np.square(g.astype(np.float64)))) for g in param_grads.values())))
    if not threshold:
        return raw, raw
    if not math.isfinite(raw):         # torch turns an inf/NaN gradient into NaN: clipping cannot fix it
        return raw, math.nan
    return raw, raw * min(1.0, threshold / (raw + 1e-6))


# ----- the equations the lab shows, next to the code above that computes them -------------------
EQUATIONS = {
    "bptt": r"\frac{\partial L}{\partial h_t} = \underbrace{\frac{\partial L_t}{\partial h_t}}_{\text{local loss}}"
            r" + \underbrace{\Big(\frac{\partial h_{t+1}}{\partial h_t}\Big)^{\!\top}"
            r"\frac{\partial L}{\partial h_{t+1}}}_{\text{from the future}}",
    "rnn_jacobian": r"\frac{\partial h_{t+1}}{\partial h_t} = \operatorname{diag}\big(\varphi'(a_{t+1})\big)\,W_{hh}",
    "bound": r"\Big\|\frac{\partial h_T}{\partial h_t}\Big\|_2 \le \prod_{s=t+1}^{T}"
             r"\big\|\operatorname{diag}(\varphi'(a_s))\big\|\,\|W_{hh}\|_2 \le (\gamma\,\sigma_{\max})^{T-t}",
    "lstm_path": r"\frac{\partial c_T}{\partial c_t} = \prod_{s=t+1}^{T} \operatorname{diag}(f_s)"
                 r" \;+\; \text{(paths through } h\text{)}",
    "gru_path": r"\frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}(z_t)"
                r" \;+\; \text{(paths through } r_t, z_t, n_t\text{)}",
    "clip": r"g \leftarrow g \cdot \min\!\Big(1, \frac{c}{\|g\|}\Big)",
}
