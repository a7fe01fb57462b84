"""Stacked (deep) recurrent networks: L layers of cells, each reading the states of the one below.

    h_t^(l) = cell^(l)(h_t^(l−1), h_{t−1}^(l)),      h_t^(0) = x_t,      l = 1..L

The network is a grid, time along and depth up: h_t^(l) has two parents, h_{t−1}^(l) (its own layer's
previous state) and h_t^(l−1) (the layer below, this step). Every route from x_1 to the top state h_T^(L)
takes T−1 steps along and L steps up (the first from x_1 into layer 1): T + L − 1 Jacobian factors, the
same for every route, and there are C(T+L−2, L−1) routes. A deeper stack adds L−1 factors to every
gradient path while each layer still backpropagates through its own T steps.

Built with cells.build_stack or cells.from_torch(nn.LSTM(..., num_layers=L)); every state and gate equals
torch.nn's (tests/core/test_stack.py). flow.stack_grads gives ∂L/∂h_t^(l) for every layer and step in one
backward pass. This module knows a cell only by what it offers (unroll, kind, sizes, to_torch), so that
cells.py, which builds the layers, can import it.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import comb
from typing import TYPE_CHECKING

import torch
from torch import Tensor, nn

if TYPE_CHECKING:                                   # for the annotations only: cells imports this module
    from rnnviz.cells import Cell, Trace


@dataclass
class StackTrace:
    """What every layer of a Stack computed: layers[l] is layer l+1's Trace (layer 1 reads x).

    Layer l+1 reads layer l's h, the stack of layer l's h_steps, so ∂L/∂h_t^(l) taken with respect to those
    h_steps is the total derivative: along the layer's own recurrence and up through the layers above."""

    layers: list[Trace]

    @property
    def h(self) -> Tensor:
        """(L, T, B, H): every layer's hidden states."""
        return torch.stack([tr.h for tr in self.layers])

    @property
    def top(self) -> Trace:
        """The last layer's Trace: what a readout on top of the stack reads."""
        return self.layers[-1]


class Stack(nn.Module):
    """L recurrent layers of one kind, stacked in depth (Graves, Mohamed & Hinton 2013, "Speech recognition
    with deep recurrent neural networks"; Pascanu et al. 2014, "How to construct deep recurrent neural
    networks"): layer l reads the states of layer l−1 at the same step, layer 1 reads the input,

        h_t^(l) = cell^(l)(h_t^(l−1), h_{t−1}^(l)),      h_t^(0) = x_t,

    exactly as torch.nn.RNN/LSTM/GRU(num_layers=L) computes (with no dropout between layers). Each layer
    is a Cell with its own weights: layer 1's W_ih is (G·H, I), every other layer's is (G·H, H)."""

    def __init__(self, layers: list[Cell]):
        super().__init__()
        if not layers:
            raise ValueError("a stack needs at least one layer")
        first = layers[0]
        for below, above in zip(layers, layers[1:]):
            if (above.kind, above.nonlinearity) != (first.kind, first.nonlinearity) \
                    or above.input_size != below.hidden_size or above.hidden_size != first.hidden_size:
                raise ValueError("every layer must be the same kind and width, each reading the one below: "
                                 f"got {[(c.kind, c.input_size, c.hidden_size) for c in layers]}")
        self.layers = nn.ModuleList(layers)
        self.kind, self.nonlinearity = first.kind, first.nonlinearity
        self.input_size, self.hidden_size = first.input_size, layers[-1].hidden_size

    @property
    def num_layers(self) -> int:
        return len(self.layers)

    def n_parameters_per_layer(self) -> list[int]:
        """G·H·(I + H + 2) for layer 1, G·H·(H + H + 2) for each layer above it."""
        return [cell.n_parameters() for cell in self.layers]

    def n_parameters(self) -> int:
        return sum(self.n_parameters_per_layer())

    def initial_state(self, batch: int) -> list:
        return [cell.initial_state(batch) for cell in self.layers]

    def unroll(self, x: Tensor, state: list | None = None, clamps: tuple = (), clamp_layer: int = 1) -> StackTrace:
        """Read x (T, B, I) layer by layer; `state` is one initial state per layer (zeros by default), as
        torch's (num_layers, B, H) h0 split by layer. Layer by layer or step by step gives the same numbers
        (each h_t^(l) depends only on h_t^(l−1) and h_{t−1}^(l)); layer by layer lets each layer compute
        its whole input side in one product. `clamps` (cells.Clamp) force gates of layer `clamp_layer`
        (1-based) as Cell.unroll does; the layers above read its clamped states."""
        if clamps and not 1 <= clamp_layer <= self.num_layers:
            raise ValueError(f"clamp_layer must be 1–{self.num_layers}; got {clamp_layer}")
        state = [None] * self.num_layers if state is None else list(state)
        if len(state) != self.num_layers:
            raise ValueError(f"a {self.num_layers}-layer stack takes {self.num_layers} initial states; "
                             f"got {len(state)}")
        traces, inputs = [], x
        for layer, (cell, s) in enumerate(zip(self.layers, state), start=1):
            tr = cell.unroll(inputs, s, clamps if layer == clamp_layer else ())
            traces.append(tr)
            inputs = tr.h                                             # stack(h_steps): the graph runs through them
        return StackTrace(traces)

    def forward(self, x: Tensor, state=None) -> StackTrace:
        return self.unroll(x, state)

    def to_torch(self) -> nn.Module:
        """A fused torch.nn module with num_layers = L and exactly these weights."""
        fused = [cell.to_torch() for cell in self.layers]
        kw = {"nonlinearity": self.nonlinearity} if self.kind == "rnn" else {}
        m = type(fused[0])(self.input_size, self.hidden_size, num_layers=self.num_layers, **kw)
        m = m.to(self.layers[0].weight_hh.dtype)
        with torch.no_grad():
            for layer, f in enumerate(fused):
                for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                    getattr(m, f"{name}_l{layer}").copy_(getattr(f, f"{name}_l0"))
        return m


def path_length(T: int, L: int) -> int:
    """Jacobian factors on every route from x_1 to h_T^(L): T − 1 along, L up (the first from x_1 into
    layer 1). In a 1-layer RNN that is T: the stack adds L − 1."""
    return T + L - 1


def path_count(T: int, L: int) -> int:
    """How many routes lead from x_1 to h_T^(L): choose which L − 1 of the T + L − 2 moves after the first
    go up. A linear stack with scalar weights a (along) and b (up) has ∂h_T^(L)/∂x_1 = path_count·a^(T−1)·b^L."""
    return comb(T + L - 2, L - 1)
