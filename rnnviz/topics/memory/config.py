"""The Memory lab's settings: the cells, the tasks (what each asks, its baseline, when it counts as solved),
a run's Config, and each cell's size. compute.py trains with them; everything here is also importable from
compute (memory.Config, memory.TASKS, ...), as before the split."""
from __future__ import annotations

import math
from dataclasses import dataclass

from rnnviz import tasks, train
from rnnviz.topics.memory import modern
from rnnviz.topics.memory.modern import MODERN

CELLS = ("rnn", "lstm", "gru")        # the classic three, trained by default
ALL_CELLS = CELLS + MODERN           # ... and the two linear recurrences (modern.py), switched on by hand
GATES_PER_CELL = {"rnn": 1, "lstm": 4, "gru": 3}
LENGTHS = (10, 20, 50, 100)     # the sweep's T
SOLVE_WINDOW = 10               # "solved": the mean of the last 10 training losses is below the task's line
PROBE_EVERY = 10                # ‖∂L/∂h_t‖ every 10 training steps ...
PROBE_BATCH = 16                # ... on the same 16 held-out sequences (one forward, one backward: ~5 %)
MAX_RECOVERIES = 6              # explosions a run recovers from before it gives up
# An explosion: a loss or gradient that is inf/NaN, or a loss above 10× the reference (the larger of the
# first step's loss and the baseline). The weights kept for a recovery are the last whose loss was within
# 2× the reference: the weights just before a blow-up are often already thrown far off.
EXPLODED_ABOVE, SANE_BELOW = 10.0, 2.0
OPTIMIZERS = ("adam", "sgd")
COPY_MEMORY = 10                # copy memory: symbols to remember (tasks.copy_memory's m)
COPY_SYMBOLS = 8
MAP_FLOOR = -12                 # log10 of the smallest share of the gradient the maps tell apart (1e-12)


@dataclass(frozen=True)
class Task:
    name: str
    title: str
    metric: str                  # what the loss is: "MSE" or "cross-entropy"
    baseline_rule: str           # how the baseline is scored, in words
    solved_rule: str

    def length(self, T: int) -> int:
        """L, the number of steps the network reads."""
        return T + 2 * COPY_MEMORY if self.name == "copy" else T

    def baseline(self, T: int) -> float:
        """The loss of a model that remembers nothing (see tasks.py)."""
        if self.name == "adding":
            return 1 / 6                                   # always predict 1: Var(y) = 2 · 1/12
        if self.name == "copy":
            return COPY_MEMORY * math.log(COPY_SYMBOLS) / self.length(T)
        return math.log(len(tasks.TEMPORAL_CLASSES))       # a uniform guess among XX, XY, YX, YY

    def solved_below(self, T: int) -> float:
        return 0.01 if self.name == "adding" else self.baseline(T) / 10


TASKS = {
    "adding": Task("adding", "Adding problem", "MSE", "always answering 1 (the mean of the sum) scores 1/6 ≈ 0.167",
                   "MSE below 0.01 (an answer off by about 0.1 or less)"),
    "copy": Task("copy", "Copy memory", "cross-entropy",
                 "writing blanks, then guessing the 8 symbols at random, scores 10·log 8 / (T + 20)",
                 "cross-entropy below a tenth of the baseline (most symbols recalled)"),
    "temporal_order": Task("temporal_order", "Temporal order", "cross-entropy",
                           "guessing among XX, XY, YX, YY scores log 4 ≈ 1.386",
                           "cross-entropy below a tenth of the baseline (on a typical sequence the right order gets p ≈ 0.87 "
                           "or more: 4^−0.1)"),
}


@dataclass(frozen=True)
class Config:
    task: str = "adding"
    T: int = 50                  # the distance to bridge (copy memory: the delay between reading and writing)
    cells: tuple[str, ...] = CELLS
    steps: int = 800             # the step budget
    lr: float = 1e-2             # the learning rate (constant)
    optimizer: str = "adam"      # "adam" (Kingma & Ba 2015) or plain "sgd", which explosions hit hardest
    clip: float = 1.0            # clip ‖∇θ L‖ at this (Pascanu et al. 2013); 0 = off
    forget_bias: float = 0.0     # the LSTM's b_f = b_if + b_hf at the start (+1: Gers et al. 2000; Jozefowicz et al. 2015)
    seed: int = 0
    hidden: int = 64             # the LSTM's hidden units (and every cell's, unless `match`)
    batch: int = 128
    match: bool = False          # size the RNN and GRU to the LSTM's parameter count

    def __post_init__(self):
        if self.task not in TASKS:
            raise ValueError(f"task must be one of {sorted(TASKS)}; got {self.task!r}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {OPTIMIZERS}; got {self.optimizer!r}")
        if not self.cells or set(self.cells) - set(ALL_CELLS):
            raise ValueError(f"cells must be a non-empty choice of {ALL_CELLS}; got {self.cells!r}")


def label(kind: str) -> str:
    """How the page names a cell: RNN, LSTM, GRU, minGRU, Selective."""
    return modern.LABEL.get(kind, kind.upper())


def n_parameters(kind: str, task: str, hidden: int) -> int:
    """One recurrent layer, G·H·(I + H + 2) (minGRU and the selective layer: modern.layer_parameters), plus
    the read-out, (H + 1)·O."""
    n_in, n_out, _, _ = train.TASK_SHAPES[task]
    layer = (modern.layer_parameters(kind, n_in, hidden) if kind in MODERN
             else GATES_PER_CELL[kind] * hidden * (n_in + hidden + 2))
    return layer + (hidden + 1) * n_out


def hidden_size(cfg: Config, kind: str) -> int:
    """cfg.hidden, or with cfg.match the H whose parameter count is closest to the LSTM's at cfg.hidden
    (minGRU and the selective layer keep cfg.hidden: with no H×H matrix they would need dozens of times
    more units to match it)."""
    if not cfg.match or kind == "lstm" or kind in MODERN:
        return cfg.hidden
    target = n_parameters("lstm", cfg.task, cfg.hidden)
    return min(range(1, 8 * cfg.hidden), key=lambda h: abs(n_parameters(kind, cfg.task, h) - target))

