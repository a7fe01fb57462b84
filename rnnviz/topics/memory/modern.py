"""The Memory lab's two linear recurrences beside the RNN, LSTM and GRU: minGRU (Feng et al. 2024) and a small
selective diagonal layer (Mamba's input-dependent step, Gu & Dao 2023), both in rnnviz/linear_cells.py.

They train in the lab's own loop (compute.train_cell) on the same batches and losses as the three classic
cells; only three things differ, and they are here: their weight count, their start (the selective layer
starts with small steps), and how the gradient probe gets ‖∂L/∂h_t‖ (the recurrence run backwards with
the layer's own a_t: linear_cells.grad_through_time, no transparent cell needed).
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import torch
from torch import nn

from rnnviz import flow, linear_cells
from rnnviz.tasks import TaskModel

MODERN = ("mingru", "selective")        # switched off by default: the default run is the classic three
LABEL = {"mingru": "minGRU", "selective": "Selective SSM"}


def layer_parameters(kind: str, n_in: int, hidden: int) -> int:
    return linear_cells.n_parameters(kind, n_in, hidden)


def prepare(model: TaskModel) -> None:
    """After the lab's uniform init: the selective layer's steps start small (ā ≈ 0.95 per step)."""
    if model.kind == "selective":
        model.rnn.reset_steps()


def hidden_grad_norms(model: TaskModel, loss: Callable, x: torch.Tensor, y: torch.Tensor) -> np.ndarray:
    """‖∂L/∂h_t‖ for t = 1..L (Frobenius over batch and units), the total derivative, in float64:
    forward once, ℓ_t = ∂L/∂h_t from the read-out alone (autograd), then g_t = ℓ_t + a_{t+1} ⊙ g_{t+1}."""
    layer = {k: v.detach().double() for k, v in model.state_dict().items()}
    twin = TaskModel(model.kind, model.rnn.input_size, model.hidden_size, model.head.out_features, model.every_step)
    twin.load_state_dict(layer)
    twin = twin.double()
    with torch.no_grad():
        a, b = twin.rnn.coefficients(x.double())
        h = linear_cells.scan.scan(a, b)
    h.requires_grad_()
    out = nn.functional.linear(h if twin.every_step else h[-1], twin.head.weight, twin.head.bias)
    (local,) = torch.autograd.grad(loss(out, y if y.dtype == torch.long else y.double()), h)
    with torch.no_grad():
        return flow.step_norms(linear_cells.grad_through_time(a, local).numpy())
