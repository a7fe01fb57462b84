"""A small many-to-many model: a recurrent cell reads a sequence and predicts the next value at every step.

    h_t = cell(x_t, h_{t−1})          an RNN, LSTM or GRU (rnnviz.cells), h_0 = 0
    y_t = W_hy h_t + b_y              a linear readout, one number per step
    L_t = ½ (y_t − x_{t+1})²,  L = Σ_t L_t

Weights are seeded; `train` takes a few Adam steps on the sequence itself, so the predictions the BPTT
lesson differentiates are better than noise. Each step's gradient comes from the backward pass the lesson
teaches (rnnviz.bptt, by hand), and Adam is written out below as torch.optim.Adam computes it: a test
holds the result equal to training torch.nn's module with torch.optim (1e-12 after 20 steps). At these sizes (T ≤ 40,
H ≤ 16) that is 3–4× faster than autograd, whose per-operation overhead dominates tiny tensors.
Everything is float64.
Shape legend: T time steps, H hidden units.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from rnnviz import bptt, cells
from rnnviz import forward as forward_pass

LEARNING_RATE = 0.03     # Adam, on the sequence itself
F64 = torch.float64

# The model's equations, as the lesson shows them (the backward pass's are in rnnviz.topics.bptt.compute).
EQUATIONS = {
    "output": r"y_t = W_{hy}\, h_t + b_y",
    "loss": r"L_t = \tfrac12\,(y_t - x_{t+1})^2, \qquad L = \sum_{t=1}^{T} L_t",
}


@dataclass
class Model:
    cell: cells.Cell            # the transparent cell (float64)
    w_hy: Tensor                # (1, H) readout weights
    b_y: Tensor                 # (1,)   readout bias


def build_model(kind: str, H: int, seed: int) -> Model:
    """Seeded weights: the cell as torch.nn initialises it, the readout as nn.Linear does."""
    cell = cells.build(kind, 1, H, seed=seed, dtype=F64)
    gen = torch.Generator().manual_seed(int(seed) + 104729)
    k = 1.0 / math.sqrt(H)
    w_hy = torch.empty(1, H, dtype=F64).uniform_(-k, k, generator=gen)
    b_y = torch.empty(1, dtype=F64).uniform_(-k, k, generator=gen)
    return Model(cell, w_hy, b_y)


CLIP_NORM = 10.0         # gradient clipping (Pascanu et al. 2013): typed values up to ±100 cannot
                         # throw the weights far
ADAM = dict(beta1=0.9, beta2=0.999, eps=1e-8)    # torch.optim.Adam's defaults


def train(model: Model, values: np.ndarray, steps: int) -> Model:
    """`steps` Adam steps on L = Σ_t ½(y_t − x_{t+1})², from a copy of `model` (which is left as it is).

    One step:  forward pass → y_t, and the error e_t = y_t − x_{t+1} = ∂L_t/∂y_t
               ∂L/∂W_hy = Σ_t e_t h_tᵀ,  ∂L/∂b_y = Σ_t e_t,  ℓ_t = ∂L_t/∂h_t = W_hyᵀ e_t
               BPTT (rnnviz.bptt) from the ℓ_t → ∂L/∂W_ih, ∂L/∂W_hh, ∂L/∂b_ih, ∂L/∂b_hh
               clip the whole gradient to norm ≤ 10, then one Adam update of every parameter."""
    if steps <= 0:
        return model
    cell = copy.deepcopy(model.cell)
    w_hy, b_y = model.w_hy.clone(), model.b_y.clone()
    params = {"weight_ih": cell.weight_ih.data, "weight_hh": cell.weight_hh.data,
              "bias_ih": cell.bias_ih.data, "bias_hh": cell.bias_hh.data, "w_hy": w_hy, "b_y": b_y}
    seq = torch.as_tensor(values, dtype=F64)
    x, target = seq[:-1].view(-1, 1, 1), seq[1:]                       # (T, 1, 1), (T,)
    adam = _Adam(params, LEARNING_RATE)
    for _ in range(int(steps)):
        trace = forward_pass.unroll(cell, x)                            # no graph: BPTT is by hand
        h = trace.h[:, 0]                                               # (T, H)
        err = h @ w_hy[0] + b_y - target                                # e_t = y_t − x_{t+1}
        grads = bptt.backward(cell, trace, err.view(-1, 1, 1) * w_hy[0]).param_grads(x)
        grads["w_hy"], grads["b_y"] = (err @ h).view(1, -1), err.sum().view(1)
        _clip(grads, CLIP_NORM)
        adam.step(grads)
    return Model(cell, w_hy, b_y)


def _clip(grads: dict[str, Tensor], max_norm: float) -> None:
    """Scale every gradient by min(1, max_norm / (‖g‖ + 1e-6)), ‖g‖ over all of them together (as
    torch.nn.utils.clip_grad_norm_ does, an inf or NaN total included)."""
    arrays = [g.numpy() for g in grads.values()]                       # views: scaled in place
    with np.errstate(all="ignore"):                                     # overflow → inf, inf · 0 → NaN, as torch
        total = math.sqrt(sum(float(np.dot(a.ravel(), a.ravel())) for a in arrays))
        scale = float(np.minimum(1.0, max_norm / (total + 1e-6)))     # np.minimum keeps a NaN, as torch
        for a in arrays:
            a *= scale


class _Adam:
    """Adam (Kingma & Ba 2015), in the order of operations of torch.optim.Adam's default path:

        m ← m + (1 − β₁)(g − m)            the running mean of the gradient
        v ← β₂ v + (1 − β₂) g²             the running mean of its square
        θ ← θ − lr/(1 − β₁ᵏ) · m / (√v / √(1 − β₂ᵏ) + ε)    at step k, with both means unbiased

    On NumPy views of the parameters: for these few tiny arrays a NumPy call costs a fifth of a torch one."""

    def __init__(self, params: dict[str, Tensor], lr: float):
        self.params = {n: p.numpy() for n, p in params.items()}         # views: updated in place
        self.lr, self.k = lr, 0
        self.m = {n: np.zeros_like(p) for n, p in self.params.items()}
        self.v = {n: np.zeros_like(p) for n, p in self.params.items()}

    def step(self, grads: dict[str, Tensor]) -> None:
        b1, b2, eps = ADAM["beta1"], ADAM["beta2"], ADAM["eps"]
        self.k += 1
        step_size = self.lr / (1 - b1 ** self.k)
        root_bc2 = (1 - b2 ** self.k) ** 0.5
        with np.errstate(all="ignore"):                                 # a NaN stays a NaN, silently as in torch
            for n, p in self.params.items():
                g, m, v = grads[n].numpy(), self.m[n], self.v[n]
                m += (1 - b1) * (g - m)
                v *= b2
                v += (1 - b2) * (g * g)
                p -= step_size * (m / (np.sqrt(v) / root_bc2 + eps))


def forward(model: Model, values: np.ndarray) -> tuple[cells.Trace, Tensor, Tensor]:
    """(trace, y (T,), err (T,)) with no graph: the numbers of the forward pass."""
    seq = torch.as_tensor(values, dtype=F64)
    with torch.no_grad():
        trace = model.cell.unroll(seq[:-1].view(-1, 1, 1))              # h: (T, 1, H)
        y = trace.h[:, 0] @ model.w_hy[0] + model.b_y                   # (T,)
    return trace, y, y - seq[1:]
