"""What a checkpoint of "Your text" measures on the model being trained: how well it predicts, what it
writes, and how far back in time its training signal reaches.

    bpc(model, ids)                  bits per character (on held-out text: text it never trained on)
    sample(model, seed)              200 characters at τ = 0.8, from a newline, with a seeded generator
    grad_by_step(model, window_ids)  ‖∂L/∂h_t‖ for t = 1..W on one held-out window (flow.py's definition)

Shape legend: W characters in a window, V alphabet size, H hidden units.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from rnnviz import cells, flow
from rnnviz.shared import charlm
from rnnviz.shared.char_model import CharModel
from rnnviz.shared.char_recipe import bits_per_char

SAMPLE_CHARS = 200
TEMPERATURE = 0.8
EVAL_CHARS = 20_000          # at most this many characters are scored per checkpoint (held-out and training)
STREAM_CHARS = 256           # each scoring stream reads at least this many characters in a row


def bpc(model: CharModel, ids: torch.Tensor) -> float:
    """−mean log2 p(c_{t+1} | c_1..c_t) over `ids` (at most EVAL_CHARS of them), read as a few streams side
    by side, each carrying its state along (char_recipe.bits_per_char), so every character but a stream's
    first is predicted with the context before it."""
    ids = ids[:EVAL_CHARS]
    streams = max(1, min(16, (len(ids) - 1) // STREAM_CHARS))
    return bits_per_char(model, ids, streams=streams)


def sample(model: CharModel, seed: int) -> str:
    """SAMPLE_CHARS characters the model writes after a newline, drawn at temperature TEMPERATURE.

    The same seed at every checkpoint: the dice are the same, so what changes between two samples is the
    model's doing, not luck."""
    return charlm.generate(model, "\n", SAMPLE_CHARS, temperature=TEMPERATURE, seed=seed)


def window_loss(model: CharModel, targets: torch.Tensor):
    """L = the mean cross-entropy (nats) of the window's W next-character predictions, read out from the
    transparent cell's h_t with the model's head in float64: the training loss, on one window."""
    weight, bias = model.head.weight.detach().double(), model.head.bias.detach().double()

    def loss(trace) -> torch.Tensor:
        logits = trace.h[:, 0] @ weight.T + bias                       # (W, V)
        return nn.functional.cross_entropy(logits, targets)
    return loss


def grad_by_step(model: CharModel, window_ids: torch.Tensor) -> np.ndarray:
    """(W,) ‖∂L/∂h_t‖ for t = 1..W: reading window_ids[:-1], predicting window_ids[1:].

    The total derivative, through every later step (flow.hidden_grad_norms: the transparent cell, loaded
    with the trained weights by cells.from_torch, in float64, one backward pass). At step t it is

        ∂L/∂h_t = ∂L_t/∂h_t + (∂h_{t+1}/∂h_t)^T ∂L/∂h_{t+1}

    the loss of predicting the next character plus everything h_t passes on; how far back it stays large
    is how far back training can still teach the model to use what it read."""
    cell = cells.from_torch(model.rnn).double()
    x = model.onehot(window_ids[:-1]).double()[:, None]                 # (W, 1, V)
    return flow.hidden_grad_norms(cell, x, window_loss(model, window_ids[1:]))
