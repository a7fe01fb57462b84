"""The Gradient lab's cached calls: each cell's run, cached on the settings it uses (pure results, shared
read-only by every session: rnnviz.ui.cache.bounded)."""
from __future__ import annotations

from dataclasses import replace

from rnnviz import cells
from rnnviz.topics.lab import compute as lab
from rnnviz.topics.lab import depth
from rnnviz.ui.cache import MB, bounded


# worst entry 0.32 MB (T = 300, H = 128, a loss at every step); the defaults (T = 100, H = 32) 0.03 MB
@bounded(max_entries=192, max_bytes=24 * MB)
def _lab_cell(cfg: lab.LabConfig, kind: str) -> lab.CellResult:
    return lab.run_cell(cfg, kind)


def lab_cell(cfg: lab.LabConfig, kind: str) -> lab.CellResult:
    """One cell of the gradient lab, cached on the settings it uses (a preset note's numbers)."""
    return _lab_cell(lab.relevant(cfg, kind), kind)


def lab_run(cfg: lab.LabConfig) -> lab.LabResult:
    """The gradient lab for one configuration, each cell cached on the settings it uses (the config
    is a frozen dataclass, so it is the key): moving the forget-gate bias recomputes the LSTM alone."""
    return lab.run(cfg, cell_runner=_lab_cell)


# worst entry (L = 4, T = 300): 4 × 300 floats and a few ints, under 0.02 MB
@bounded(max_entries=96, max_bytes=4 * MB)
def _depth_cell(cfg: lab.LabConfig, kind: str, L: int) -> depth.DepthResult:
    return depth.run_depth(cfg, kind, L)


def depth_run(cfg: lab.LabConfig, L: int) -> dict[str, depth.DepthResult]:
    """Each cell stacked L high, cached on the settings it uses (one forward and one backward pass each; clipping
    changes the weights' gradient, never ∂L/∂h, so a clip move reuses the map)."""
    return {kind: _depth_cell(replace(lab.relevant(cfg, kind), clip=0.0), kind, L) for kind in cells.KINDS}
