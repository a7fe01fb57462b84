"""The Gradient lab's cached calls: each cell's run, cached on the settings it uses (pure results, shared
read-only by every session: rnnviz.ui.cache.bounded)."""
from __future__ import annotations

from rnnviz.topics.lab import compute as lab
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
