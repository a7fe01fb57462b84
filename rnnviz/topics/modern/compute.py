"""What the Modern RNNs page computes: a GRU and the minGRU made from its weights, reading the same short
sequence from two starting states; the parallel scan's tree for T = 8 with those numbers; and the costs of an
RNN, attention and a linear RNN as the sequence grows. Plain data out, no streamlit.

Letters: T time, H hidden units, I inputs (one here: a number per step), d a layer's width (for the costs).

The minGRU is made from the GRU's own input weights (W_iz, W_in and their input biases), with every weight
that reads h_{t−1} removed (W_hr, W_hz, W_hn, b_hr, b_hz, b_hn: so no reset gate) and the candidate's tanh
dropped (Feng et al. 2024): the same input, the same update gate's input weights, and nothing that reads the
state. rnnviz.scan.min_gru computes it (torch.nn's convention: z keeps the old state).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from rnnviz import cells, scan

I, H = 1, 3                          # one input number per step, three hidden units: small enough to read
T_MAX = 64                           # the longest example sequence (the page's slider)
TREE_T = 8                           # the scan tree is drawn for the first 8 steps: ⌈log2 8⌉ = 3 rounds
F64 = torch.float64


@dataclass
class Example:
    """One sequence read by the GRU and by the minGRU made from its weights, from two starting states.
    Arrays are (T, H) unless said; "alt" is the run from the other start h0_alt (the first runs from 0)."""

    x: np.ndarray                    # (T,) the input sequence
    h0_alt: np.ndarray               # (H,) the other starting state
    gru_h: np.ndarray
    gru_h_alt: np.ndarray
    gru_z: np.ndarray                # the GRU's update gate z_t (it reads h_{t−1})
    gru_z_alt: np.ndarray
    min_h: np.ndarray                # the minGRU's states, by the parallel scan
    min_h_alt: np.ndarray
    min_h_loop: np.ndarray           # the same, step by step (scan.loop)
    a: np.ndarray                    # the minGRU's a_t = z_t (from x_t alone)
    b: np.ndarray                    # the minGRU's b_t = (1 − z_t) ⊙ ñ_t (from x_t alone)
    a_alt: np.ndarray                # a_t from the other start: the same numbers (nothing reads the state)

    @property
    def T(self) -> int:
        return len(self.x)


def sequence(T: int, seed: int) -> torch.Tensor:
    """The example input (T, 1, I): the first T of T_MAX seeded normal numbers, so a longer T only adds steps
    (torch draws a long tensor differently from a short one: always draw T_MAX)."""
    gen = torch.Generator().manual_seed(int(seed))
    return torch.randn(T_MAX, 1, I, generator=gen, dtype=F64)[:T]


GAIN = 3.0                           # torch.nn's initialisation times 3: the gates use more of their range
KEEP = 2.0                           # added to the update gate's input bias b_iz: z_t ≈ σ(2) ≈ 0.88 at x = 0, so a
                                     # unit keeps most of its state per step (as an LSTM's forget-gate bias does)


def gru_cell(seed: int) -> cells.Cell:
    """The GRU, float64: torch.nn's initialisation U(−1/√H, 1/√H) (seeded) times GAIN, and the update gate's
    input bias raised by KEEP (torch.nn's gate order r, z, n: b_iz is rows H..2H of bias_ih)."""
    gru = cells.build("gru", I, H, seed=seed, dtype=F64)
    with torch.no_grad():
        for p in gru.parameters():
            p.mul_(GAIN)
        gru.bias_ih[H:2 * H] += KEEP
    return gru


def min_gru_weights(gru: cells.Cell) -> tuple[torch.Tensor, ...]:
    """(w_z, b_z, w_n, b_n) of the minGRU made from the GRU: its input weights and input biases only."""
    w = gru.blocks()
    return w["W_iz"], w["b_iz"], w["W_in"], w["b_in"]


def other_start(seed: int) -> torch.Tensor:
    """The second starting state (1, H): seeded, in (−1, 1) like any tanh state."""
    gen = torch.Generator().manual_seed(int(seed) + 1)
    return torch.rand(1, H, generator=gen, dtype=F64) * 1.8 - 0.9


@torch.no_grad()
def example(T: int, seed: int) -> Example:
    """The GRU and the minGRU on the same T inputs, each from h_0 = 0 and from another h_0."""
    x, gru, h0 = sequence(T, seed), gru_cell(seed), other_start(seed)
    g, g_alt = gru.unroll(x), gru.unroll(x, h0)
    wz, bz, wn, bn = min_gru_weights(gru)
    h, z, n = scan.min_gru(x, wz, bz, wn, bn)                     # (T, 1, H) each
    h_alt, z_alt, _ = scan.min_gru(x, wz, bz, wn, bn, h0=h0)
    h_loop, _, _ = scan.min_gru(x, wz, bz, wn, bn, parallel=False)
    one = lambda t: t[:, 0].numpy().copy()                         # (T, 1, H) → (T, H)
    return Example(x=x[:, 0, 0].numpy().copy(), h0_alt=h0[0].numpy().copy(),
                   gru_h=one(g.h), gru_h_alt=one(g_alt.h), gru_z=one(g.gates["update"]),
                   gru_z_alt=one(g_alt.gates["update"]), min_h=one(h), min_h_alt=one(h_alt),
                   min_h_loop=one(h_loop), a=one(z), b=one((1 - z) * n), a_alt=one(z_alt))


# ----------------------------------------------------------------------------- what the main chart says

@dataclass
class Starts:
    """How much the two starting states change a model's gates and states (the main chart's sentence)."""

    gate_gap: float                  # max_t,i |z_t − z_t'|: the gates' largest difference between the starts
    gate_step: int                   # at which step (1-based)
    first_gap: float                 # max_i |h_0 − h_0'|
    last_gap: float                  # max_i |h_T − h_T'|
    keep: float                      # for the minGRU: max_i ∏_t a_t,i, the part of the start h_T still holds


def starts(e: Example, minimal: bool) -> Starts:
    """The two runs compared. For the minGRU, h_T − h_T' = (∏_t a_t) ⊙ (h_0 − h_0') exactly (the recurrence
    is linear in h), so the gap shrinks by the product of the a's; the GRU has no such formula."""
    z, z_alt = (e.a, e.a_alt) if minimal else (e.gru_z, e.gru_z_alt)
    h, h_alt = (e.min_h, e.min_h_alt) if minimal else (e.gru_h, e.gru_h_alt)
    gaps = np.abs(z - z_alt)
    t = int(np.unravel_index(np.argmax(gaps), gaps.shape)[0])
    return Starts(gate_gap=float(gaps.max()), gate_step=t + 1, first_gap=float(np.abs(e.h0_alt).max()),
                  last_gap=float(np.abs(h[-1] - h_alt[-1]).max()), keep=float(np.prod(e.a, axis=0).max()))


# ----------------------------------------------------------------------------- the scan tree

@dataclass
class Tree:
    """The Hillis–Steele scan of one unit's (a_t, b_t), t = 1..8: rows[0] the inputs, rows[k] after round k.
    A row is (A, B), each (8,); reads[k-1][t] is the position t read in round k (−1: none, it kept its pair)."""

    rows: list[tuple[np.ndarray, np.ndarray]]
    reads: list[list[int]]
    loop: np.ndarray                 # (8,) the loop's h_t (h_0 = 0): equal to the last row's B

    @property
    def rounds(self) -> int:
        return len(self.reads)

    @property
    def compositions(self) -> int:
        """How many pairs were composed in all: T − 2^k in round k (the loop composes T − 1)."""
        return sum(sum(r >= 0 for r in reads) for reads in self.reads)


def tree(e: Example, unit: int = 0) -> Tree:
    """The scan tree for the first TREE_T steps of the minGRU's unit `unit` (the page draws unit 1)."""
    a = torch.from_numpy(e.a[:TREE_T, unit].copy())
    b = torch.from_numpy(e.b[:TREE_T, unit].copy())
    rounds: list[scan.Round] = []
    scan.scan(a, b, rounds=rounds)
    return Tree(rows=[(a.numpy(), b.numpy())] + [(r.a.numpy(), r.b.numpy()) for r in rounds],
                reads=[r.reads for r in rounds], loop=scan.loop(a, b).numpy())


def hillis_steele_compositions(T: int) -> int:
    """Σ_k (T − 2^k) over the ⌈log2 T⌉ rounds = T·R − (2^R − 1): the scan's work, in pairs composed."""
    R = scan.n_rounds(T)
    return T * R - (2 ** R - 1)


# ----------------------------------------------------------------------------- why attention, why recurrence

D_MODEL = 64                         # a layer's width d for the costs chart (the state size, the key size)
LENGTHS = np.array([2 ** k for k in range(4, 17)])     # T = 16 … 65,536 tokens
MARK = 4096                          # the length the chart's sentence reads off


@dataclass
class Costs:
    """Per layer, for a sequence of T tokens (arrays over LENGTHS), leading terms only: the shape of each
    curve (Vaswani et al. 2017, Table 1: a recurrent layer O(n·d²) work and O(n) sequential operations,
    self-attention O(n²·d) work and O(1) sequential operations), not a measured time."""

    T: np.ndarray
    depth: dict[str, np.ndarray]     # steps that must wait for each other while training on T tokens
    memory: dict[str, np.ndarray]    # numbers kept to write token T + 1 (generation)
    work: dict[str, np.ndarray]      # multiply-adds to read T tokens


KINDS = ("rnn", "attention", "linear")
LABEL = {"rnn": "RNN (LSTM, GRU)", "attention": "Attention (a Transformer layer)", "linear": "Linear RNN (minGRU, S4, Mamba)"}


def costs(T: np.ndarray = LENGTHS, d: int = D_MODEL) -> Costs:
    T = np.asarray(T, dtype=float)
    rounds = np.ceil(np.log2(T))
    depth = {
        "rnn": T,                                   # O(T): h_t needs h_{t−1}, step after step
        "attention": np.ones_like(T),               # O(1) per layer: every token attends to every other at once
        "linear": rounds,                           # O(log T): the scan's rounds (a_t, b_t come from x_t alone)
    }
    memory = {
        "rnn": np.full_like(T, d),                  # O(1): the state h_T, d numbers, whatever T is
        "attention": 2 * T * d,                     # O(T): the KV cache, a key and a value for every earlier token
        "linear": np.full_like(T, d),               # O(1): the state again (a diagonal SSM keeps N·d; still no T)
    }
    work = {
        "rnn": 2 * T * d * d,                       # O(T·d²): W_ih x_t and W_hh h_{t−1} at every step
        "attention": 4 * T * d * d + 2 * T * T * d, # O(T²·d): q, k, v, o projections; then QKᵀ and αV over T × T
        "linear": 2 * T * d * d + 2 * d * (T * rounds - (2 ** rounds - 1)),   # projections + the scan's
                                                    # compositions (2 multiply-adds each, hillis_steele_compositions)
    }
    return Costs(T=T, depth=depth, memory=memory, work=work)


def at(c: Costs, T: int = MARK) -> dict[str, dict[str, float]]:
    """{quantity: {kind: value}} at the length T (one of the chart's lengths)."""
    i = int(np.nonzero(c.T == T)[0][0])
    return {q: {k: float(v[i]) for k, v in getattr(c, q).items()} for q in ("depth", "memory", "work")}


def rounds_for(T: int) -> int:
    """The scan's sequential depth, ⌈log2 T⌉ (scan.n_rounds)."""
    return scan.n_rounds(T)
