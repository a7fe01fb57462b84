"""Synthetic long-range tasks: problems a vanilla RNN fails and gated cells solve.

Each task hides the one thing that matters far back in a long sequence of noise, so the gradient that
would teach the network to remember it has to travel back through many time steps. That is exactly
where a vanilla RNN's gradient vanishes (see flow.py) and an LSTM's or GRU's additive path survives.

Shape legend: T time steps (sequence length), n examples (the batch).

Every call draws from its own `torch.Generator` seeded with `seed`: the same seed gives the same data,
and the global random state (torch.manual_seed) is never read or changed, so students sharing a server
never disturb each other's draws.

    x, y = adding_problem(seq_len=50, n=128, seed=0)      # x (T, n, 2) float,  y (n, 1) float
    x, y = copy_memory(seq_len=20, n=128, seed=0)         # x (L, n, S+2) float, y (L, n) long, L = T + 2m
    x, y = temporal_order(seq_len=100, n=128, seed=0)     # x (T, n, 8) float,  y (n,) long
    TaskModel("lstm", 8, 64, 4)(x)                        # (n, 4) logits: the model that learns them
"""
from __future__ import annotations

from typing import Callable

import torch
from torch import Tensor, nn

from rnnviz import linear_cells

# temporal_order's alphabet, in one-hot order: four distractors, the two relevant symbols, begin, end.
TEMPORAL_SYMBOLS = ("a", "b", "c", "d", "X", "Y", "B", "E")
TEMPORAL_CLASSES = ("XX", "XY", "YX", "YY")


def _check(seq_len: int, n: int, min_len: int = 2) -> None:
    if int(seq_len) != seq_len or seq_len < min_len:
        raise ValueError(f"seq_len must be an integer >= {min_len}; got {seq_len!r}")
    if int(n) != n or n < 1:
        raise ValueError(f"n (the number of examples) must be an integer >= 1; got {n!r}")


def _generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(int(seed))


def adding_problem(seq_len: int = 50, n: int = 128, seed: int = 0) -> tuple[Tensor, Tensor]:
    """The adding problem (Hochreiter & Schmidhuber 1997), in the form of Le et al. (2015).

    Each input step carries two numbers: a value drawn uniformly from [0, 1) and a marker, 0 or 1.
    Exactly two steps are marked, one in the first half of the sequence and one in the second half.
    The target is the sum of the two marked values. Everything else is noise the network must ignore,
    and it must hold the first marked value in its state until the end of the sequence.

    Returns:
        x: (T, n, 2) float32; x[..., 0] the values, x[..., 1] the markers (two 1s per example:
           one at a step in [0, T//2), one at a step in [T//2, T)).
        y: (n, 1) float32, the sum of the two marked values, in [0, 2).

    Baseline: predicting the mean (1.0) for every sequence scores MSE = Var(y) = 2 · (1/12) = 1/6 ≈ 0.167.
    A model has learnt something only once its MSE is well below that; a vanilla tanh RNN at T = 50
    typically stays stuck there, while an LSTM or GRU gets below 0.01.
    """
    _check(seq_len, n)
    T, gen, half = int(seq_len), _generator(seed), int(seq_len) // 2
    values = torch.rand(T, n, generator=gen)                                   # (T, n)
    first = torch.randint(0, half, (n,), generator=gen)                        # (n,) in the first half
    second = torch.randint(half, T, (n,), generator=gen)                       # (n,) in the second half
    markers = torch.zeros(T, n)                                                # (T, n)
    cols = torch.arange(n)
    markers[first, cols] = 1.0
    markers[second, cols] = 1.0
    x = torch.stack([values, markers], dim=2)                                  # (T, n, 2)
    y = (values[first, cols] + values[second, cols]).unsqueeze(1)              # (n, 1)
    return x, y


def copy_memory(seq_len: int = 20, n: int = 128, n_symbols: int = 8, memory: int = 10,
                seed: int = 0) -> tuple[Tensor, Tensor]:
    """The copy memory task (Hochreiter & Schmidhuber 1997; in the form of Arjovsky et al. 2016).

    The network reads `memory` random symbols, then waits `seq_len` steps, then must write the same
    symbols back in the same order. While waiting it sees only blanks; a delimiter on the last
    waiting step says "start recalling now". The delay seq_len (the paper's T) is the distance the
    memory has to bridge; the whole sequence is L = seq_len + 2·memory steps long:

        step   0 … m-1        m … m+T-2      m+T-1       m+T … L-1
        input  s_1 … s_m      blank …        delimiter   blank …
        target blank …        blank …        blank       s_1 … s_m

    Classes: the data symbols are 0 … n_symbols-1, the blank is n_symbols, the delimiter (input only)
    is n_symbols+1. A model predicts one of n_symbols+1 classes (data symbols and blank) at every step.

    Returns:
        x: (L, n, n_symbols + 2) float32, one-hot inputs.
        y: (L, n) int64, the target class at every step (the loss is averaged over all L steps).

    Baseline: output blank until the delimiter, then guess symbols uniformly at random. That is right
    on every blank step and has cross-entropy log(n_symbols) on the m recall steps, so its mean
    cross-entropy per step is m · log(n_symbols) / L (0.52 for the defaults: 8 symbols, m = 10, T = 20).
    A model that merely learns the blank pattern, and remembers nothing, sits on that line.
    """
    _check(seq_len, n)
    if int(n_symbols) != n_symbols or n_symbols < 2:
        raise ValueError(f"n_symbols must be an integer >= 2; got {n_symbols!r}")
    if int(memory) != memory or memory < 1:
        raise ValueError(f"memory (the number of symbols to copy) must be an integer >= 1; got {memory!r}")
    T, m, S, gen = int(seq_len), int(memory), int(n_symbols), _generator(seed)
    blank, delimiter = S, S + 1
    L = T + 2 * m
    data = torch.randint(0, S, (m, n), generator=gen)                          # (m, n) symbols to copy
    inputs = torch.full((L, n), blank, dtype=torch.long)                       # (L, n) symbol per step
    inputs[:m] = data
    inputs[m + T - 1] = delimiter
    y = torch.full((L, n), blank, dtype=torch.long)                            # (L, n)
    y[m + T:] = data
    x = torch.nn.functional.one_hot(inputs, S + 2).float()                     # (L, n, S+2)
    return x, y


def temporal_order(seq_len: int = 100, n: int = 128, seed: int = 0) -> tuple[Tensor, Tensor]:
    """The temporal order problem (Hochreiter & Schmidhuber 1997, experiment 6a).

    A sequence of symbols from the alphabet TEMPORAL_SYMBOLS = (a, b, c, d, X, Y, B, E) starts with B,
    ends with E, and is filled with random distractors a–d, except at two steps that hold X or Y.
    The class is the order of the two relevant symbols: XX, XY, YX or YY (TEMPORAL_CLASSES), so the
    network must remember *which* symbol came first, across a long gap, and ignore everything else.
    As in the paper (T = 100: first in steps 10–20, second in 50–60), the first relevant symbol sits
    in steps [T//10, T//5] and the second in [T//2, 6T//10] (clipped so that B and E keep their places).

    Returns:
        x: (T, n, 8) float32, one-hot symbols in TEMPORAL_SYMBOLS order.
        y: (n,) int64 class: 2·[first is Y] + [second is Y], i.e. 0 XX, 1 XY, 2 YX, 3 YY.

    Baseline: the four classes are equally likely, so guessing scores 25 % accuracy and cross-entropy
    log 4 ≈ 1.386. Needs seq_len >= 4 (B, two relevant symbols, E).
    """
    _check(seq_len, n, min_len=4)
    T, gen = int(seq_len), _generator(seed)
    lo1 = max(1, T // 10)
    hi1 = max(lo1, T // 5)
    lo2 = max(hi1 + 1, T // 2)
    hi2 = min(T - 2, max(lo2, 6 * T // 10))
    symbols = torch.randint(0, 4, (T, n), generator=gen)                       # (T, n) distractors a–d
    first_pos = torch.randint(lo1, hi1 + 1, (n,), generator=gen)               # (n,)
    second_pos = torch.randint(lo2, hi2 + 1, (n,), generator=gen)              # (n,)
    first_is_y = torch.randint(0, 2, (n,), generator=gen)                      # (n,) 0 = X, 1 = Y
    second_is_y = torch.randint(0, 2, (n,), generator=gen)
    cols = torch.arange(n)
    symbols[0] = TEMPORAL_SYMBOLS.index("B")
    symbols[T - 1] = TEMPORAL_SYMBOLS.index("E")
    symbols[first_pos, cols] = TEMPORAL_SYMBOLS.index("X") + first_is_y
    symbols[second_pos, cols] = TEMPORAL_SYMBOLS.index("X") + second_is_y
    x = torch.nn.functional.one_hot(symbols, len(TEMPORAL_SYMBOLS)).float()    # (T, n, 8)
    y = 2 * first_is_y + second_is_y                                           # (n,)
    return x, y


# name → task, as train.fit_task and the Memory lab page name them.
TASKS: dict[str, Callable[..., tuple[Tensor, Tensor]]] = {
    "adding": adding_problem,
    "copy": copy_memory,
    "temporal_order": temporal_order,
}


# ----------------------------------------------------------------------------- the model that learns them

# the linear recurrences (rnnviz/linear_cells.py: minGRU, a selective diagonal layer) are called like nn.GRU
TASK_LAYERS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU, **linear_cells.LAYERS}


class TaskModel(nn.Module):
    """One recurrent layer and a linear read-out, for the tasks above:

        h_t = cell(x_t, h_{t-1})                 (B, H)   a torch.nn.RNN (tanh) / LSTM / GRU layer
        y   = W_y h_T + b_y                      (B, O)   read at the last step (adding, temporal order)
        y_t = W_y h_t + b_y                      (T, B, O) or at every step (copy memory)

    The same weights load into the transparent cells (cells.from_torch(model.rnn)) to look inside.
    """

    def __init__(self, kind: str, input_size: int, hidden_size: int, output_size: int, every_step: bool = False):
        super().__init__()
        if kind not in TASK_LAYERS:
            raise ValueError(f"cell must be one of {sorted(TASK_LAYERS)}; got {kind!r}")
        self.kind, self.hidden_size, self.every_step = kind, int(hidden_size), every_step
        self.rnn = TASK_LAYERS[kind](input_size, self.hidden_size)
        self.head = nn.Linear(self.hidden_size, output_size)

    def forward(self, x: Tensor) -> Tensor:
        """x (T, B, I) → (T, B, O) when every_step, else (B, O) from the last step."""
        out, _ = self.rnn(x)                                         # (T, B, H)
        return self.head(out if self.every_step else out[-1])
