"""Small helpers shared by the core tests: the cell kinds to sweep, seeded random tensors, and cells
whose gates use more of their range than torch's default initialisation."""
from __future__ import annotations

import torch

from rnnviz import cells

CASES = [("rnn", "tanh"), ("rnn", "relu"), ("rnn", "linear"), ("lstm", "tanh"), ("gru", "tanh")]
IDS = ["rnn-tanh", "rnn-relu", "rnn-linear", "lstm", "gru"]
F64 = torch.float64


def gen(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def rand(*shape, seed, scale=1.0):
    return torch.randn(*shape, generator=gen(seed), dtype=F64) * scale


def make(kind, nl, I=3, H=5, seed=0, gain=2.0) -> cells.Cell:
    """A float64 cell with torch's init times `gain`: gates use more of their range, some relu units die."""
    cell = cells.build(kind, I, H, seed=seed, nonlinearity=nl, dtype=F64)
    with torch.no_grad():
        for p in cell.parameters():
            p.mul_(gain)
    return cell
