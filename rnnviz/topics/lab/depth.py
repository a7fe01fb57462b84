"""The gradient lab in depth: the same cells stacked L layers high (rnnviz.stack), and how much of the loss's
gradient reaches every layer at every step, ‖∂L/∂h_t^(l)‖, from ONE backward pass (flow.stack_grads).

Layer 1 is exactly the one-layer lab's cell (compute.make_cell), so at L = 1 the map's one row is the main
chart's curve; each layer above reads the one below (H inputs), with its own seed and the same
initialisation, scale and forget-gate bias. The loss is the lab's linear readout, on the TOP layer's states.
The gradient reaches x_1 from the last step's loss through T + L − 1 Jacobian factors on every path (T − 1
back in time, L down the layers), and there are C(T+L−2, L−1) such paths (stack.path_length, path_count).

Overflow is kept, not raised: an inf or NaN in the forward or backward pass is reported where it first
appears, and the map leaves it as a marked gap (the page names it as an explosion).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from rnnviz import flow, stack
from rnnviz.topics.lab import compute as lab

LAYERS = (1, 4)                    # the depth control's range (cells.MAX_LAYERS is the core's)


@dataclass
class DepthResult:
    kind: str
    L: int
    norms: np.ndarray              # (L, T) ‖∂L/∂h_t^(l)‖, row l − 1 is layer l (inf/NaN kept: an explosion)
    params: list[int]              # parameters per layer, from the core
    torch_params: list[int]        # the same, counted on torch.nn's module with these weights (a live check)
    exploded: tuple[str, int, int] | None = None   # ("forward", layer, step): the first state that overflowed;
                                                   # ("backward", layer, step): the first gradient the backward
                                                   # pass made inf/NaN (nearest the loss)

    @property
    def reach(self) -> float:
        """‖∂L/∂h_1^(1)‖ / ‖∂L/∂h_T^(L)‖: the share of the gradient at the top, last state that arrives at the
        bottom, first one (the state that reads x_1). NaN when either is not finite or the top is 0."""
        top, bottom = self.norms[-1, -1], self.norms[0, 0]
        if not (np.isfinite(top) and np.isfinite(bottom)) or top == 0:
            return float("nan")
        return float(bottom / top)


def make_stack(kind: str, cfg: lab.LabConfig, L: int) -> stack.Stack:
    """L layers of the lab's `kind`, layer 1 the one-layer lab's cell, cast to the config's precision."""
    if not LAYERS[0] <= L <= LAYERS[1]:
        raise ValueError(f"the lab stacks {LAYERS[0]}–{LAYERS[1]} layers; got {L}")
    return stack.Stack([lab.make_cell(kind, cfg, layer) for layer in range(L)])


def _nearest_nonfinite(rows: np.ndarray) -> tuple[int, int] | None:
    """(layer, step), 1-based, of the inf/NaN in an (L, T) array of gradients that the backward pass reaches
    first (the latest step, then the highest layer: nearest the loss), else None."""
    bad = np.argwhere(~np.isfinite(rows))
    if not len(bad):
        return None
    layer, step = max(bad.tolist(), key=lambda lt: (lt[1], lt[0]))
    return layer + 1, step + 1


def run_depth(cfg: lab.LabConfig, kind: str, L: int) -> DepthResult:
    """One cell kind stacked L high on the lab's input: one forward pass, one backward pass (autograd)."""
    net = make_stack(kind, lab.relevant(cfg, kind), L)
    x, _ = lab.make_input(cfg)
    x = x.to(lab.PRECISIONS[cfg.precision])
    readout = flow.linear_readout(net.hidden_size, cfg.loss, cfg.seed, x.dtype)     # L = Σ v·h^(L)
    with np.errstate(over="ignore", invalid="ignore"):
        grads = flow.stack_grads(net, x, lambda trace: readout(trace.top))
    exploded = None
    forward = [flow.first_nonfinite(layer.h) for layer in grads.trace.layers]
    if any(t is not None for t in forward):
        layer = next(i for i, t in enumerate(forward) if t is not None)
        exploded = ("forward", layer + 1, forward[layer])
    elif (where := _nearest_nonfinite(grads.norms)) is not None:
        exploded = ("backward", *where)
    return DepthResult(kind=kind, L=L, norms=grads.norms, params=net.n_parameters_per_layer(),
                       torch_params=torch_params_per_layer(net), exploded=exploded)


def torch_params_per_layer(net: stack.Stack) -> list[int]:
    """The same count read from torch.nn's module of the same shape, nn.RNN/LSTM/GRU(I, H, num_layers=L): its
    weight_*_l{l} and bias_*_l{l} tensors, layer by layer (a live check; the count does not depend on φ, and
    torch.nn has no linear RNN)."""
    module = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[net.kind]
    with torch.device("meta"):                       # shapes only: no memory, no random numbers drawn
        fused = module(net.input_size, net.hidden_size, num_layers=net.num_layers)
    return [sum(p.numel() for name, p in fused.named_parameters() if name.endswith(f"_l{layer}"))
            for layer in range(net.num_layers)]


@dataclass(frozen=True)
class Paths:
    """The routes from x_1 to the top, last state: every one crosses `length` Jacobian factors."""
    T: int
    L: int
    length: int                    # T + L − 1
    count: int                     # C(T + L − 2, L − 1)


def paths(T: int, L: int) -> Paths:
    return Paths(T, L, stack.path_length(T, L), stack.path_count(T, L))
