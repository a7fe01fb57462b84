"""A small many-to-many model: a recurrent cell reads a sequence and predicts the next value at every step.

    h_t = cell(x_t, h_{t−1})          an RNN, LSTM or GRU (rnnviz.cells), h_0 = 0
    y_t = W_hy h_t + b_y              a linear readout, one number per step
    L_t = ½ (y_t − x_{t+1})²,  L = Σ_t L_t

Weights are seeded; `train` takes a few Adam steps on the sequence itself with torch.nn's fused module
(fast) and loads the result into a transparent cell (the two agree to 1e-10 in float64), so the
predictions the BPTT lesson differentiates are better than noise. Everything is float64.
Shape legend: T time steps, H hidden units.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from rnnviz import cells

LEARNING_RATE = 0.03     # Adam, on the sequence itself
F64 = torch.float64

# The model's equations, as the lesson shows them (the backward pass's are in rnnviz.bptt_lesson).
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


def train(model: Model, values: np.ndarray, steps: int) -> Model:
    """`steps` Adam steps on L = Σ_t ½(y_t − x_{t+1})², with torch.nn's fused module (fast), whose
    weights then go back into a transparent cell (the two agree to 1e-10 in float64)."""
    if steps <= 0:
        return model
    net = model.cell.to_torch()
    readout = torch.nn.Linear(model.cell.hidden_size, 1).to(F64)
    with torch.no_grad():
        readout.weight.copy_(model.w_hy)
        readout.bias.copy_(model.b_y)
    seq = torch.as_tensor(values, dtype=F64)
    x, target = seq[:-1].view(-1, 1, 1), seq[1:]                       # (T, 1, 1), (T,)
    opt = torch.optim.Adam([*net.parameters(), *readout.parameters()], lr=LEARNING_RATE)
    for _ in range(int(steps)):
        out, _ = net(x)                                                 # (T, 1, H)
        loss = 0.5 * ((readout(out[:, 0]).squeeze(-1) - target) ** 2).sum()
        opt.zero_grad()
        loss.backward()
        # clipped (Pascanu et al. 2013) so that typed values up to ±100 cannot throw the weights far
        torch.nn.utils.clip_grad_norm_([*net.parameters(), *readout.parameters()], 10.0)
        opt.step()
    return Model(cells.from_torch(net), readout.weight.detach().clone(), readout.bias.detach().clone())


def forward(model: Model, values: np.ndarray) -> tuple[cells.Trace, Tensor, Tensor]:
    """(trace, y (T,), err (T,)) with no graph: the numbers of the forward pass."""
    seq = torch.as_tensor(values, dtype=F64)
    with torch.no_grad():
        trace = model.cell.unroll(seq[:-1].view(-1, 1, 1))              # h: (T, 1, H)
        y = trace.h[:, 0] @ model.w_hy[0] + model.b_y                   # (T,)
    return trace, y, y - seq[1:]
