"""The unfolded-RNN lesson's computation: a small cell reads a short sequence, one step at a time,
and every number of every equation at every step is kept for the page to show.

The input is a typed word or sentence (each character becomes a fixed 4-number vector from a tiny
seeded embedding table), or a number sequence (one number per step). The step view rebuilds each
equation line of `cells.equations` with the real numbers: the weight blocks it names, the vectors
it reads, its pre-activation, and the value the cell computed (taken from the trace).

Shape legend: T time steps, I input size, H hidden units; one sequence (a batch of 1).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch

from rnnviz import cells, stack
from rnnviz.shared import sequences

MAX_LAYERS = cells.MAX_LAYERS    # the deepest stack the lesson unfolds (L = 1–4)
MAX_STEPS = 40                   # the longest sequence the lesson unfolds (one step per character/number)
ALPHABET = "abcdefghijklmnopqrstuvwxyz .,!?'"
UNKNOWN = "�"                    # every character outside ALPHABET reads as this one symbol
EMBED_DIM = 4                    # I for text: each symbol is a fixed random 4-vector
EMBED_SEED = 2024                # the table is the same for every student and every session
INPUTS = ("text", "numbers", "sine", "steps", "random")
DEFAULT_TEXT = "hello world"
DEFAULT_NUMBERS = "1, 0, 2, 5"
NUMBER_LIMIT = 100.0             # typed numbers are clipped to ±100 (tanh is flat far beyond ±5 anyway)

# What each equation line computes, in words (keys are the names cells.equations gives the lines).
TITLES = {"input": "input gate", "forget": "forget gate", "cell": "candidate", "output": "output gate",
          "reset": "reset gate", "update": "update gate", "new": "candidate", "c": "cell state",
          "hidden": "hidden state"}
# What each line does, for the student reading it (the same facts as the comments in cells.py).
MEANING = {
    "hidden_rnn": "The new state mixes what the cell reads now ($W_{ih} x_t$) with what it remembers "
                  "($W_{hh} h_{t-1}$); tanh squashes each unit into (−1, 1).",
    "input": "How much of the candidate $g_t$ to write into the cell state: 0 = write nothing, 1 = all of it.",
    "forget": "How much of the old cell state $c_{t-1}$ to keep: 0 = forget it, 1 = keep all of it.",
    "cell": "The candidate: new values that could be written into the cell state, in (−1, 1).",
    "output": "How much of the cell state to show as the hidden state $h_t$.",
    "c": "The cell state: keep $f_t$ of the old memory, add $i_t$ of the candidate. $c_{t-1}$ reaches $c_t$ "
         "only through $f_t$ (no weight matrix on the way), so while $f_t$ stays near 1 an LSTM can carry "
         "information over many steps.",
    "hidden_lstm": "The hidden state is the cell state squashed by tanh, shown through the output gate.",
    "reset": "How much of the old state the candidate may use: 0 = ignore $h_{t-1}$ when proposing $n_t$.",
    "update": "How much of the old state to keep: 1 = copy $h_{t-1}$ unchanged, 0 = take the candidate $n_t$ "
              "(torch's convention, as in Cho et al. 2014; Chung et al. 2014 and many tutorials swap $z_t$ and "
              "$1 - z_t$).",
    "new": "The candidate state, from the input and the reset part of the old state (torch applies $r_t$ "
           "after the product $W_{hn} h_{t-1}$).",
    "hidden_gru": "The new state is a blend, unit by unit: $z_t$ of the old state and $1 - z_t$ of the candidate.",
}
# Which gates an intervention can clamp, per cell kind (the RNN has none).
CLAMPABLE = {"rnn": (), "lstm": ("forget", "input", "output"), "gru": ("update", "reset")}


@dataclass(frozen=True)
class UnfoldConfig:
    cell: str = "rnn"            # "rnn" | "lstm" | "gru"
    H: int = 3                   # hidden units (2..8: every number stays readable)
    input: str = "text"          # one of INPUTS
    text: str = DEFAULT_TEXT     # read when input == "text"
    numbers: str = DEFAULT_NUMBERS   # read when input == "numbers", e.g. "1, 0, 2, 5"
    T: int = 12                  # length of a generated sequence (sine, steps, random)
    seed: int = 0                # seeds the weights (and the random sequence)
    layers: int = 1              # L: stacked layers, each reading the states of the one below (1–4)


@dataclass
class Sequence:
    x: np.ndarray                # (T, I) the vectors the cell reads
    labels: list[str]            # what each step reads, as typed: raw user text, escape before display
    encoding: str                # one sentence: how the input became vectors
    messages: list[str] = field(default_factory=list)   # what was cut, mapped or left out, and why


@dataclass
class Unfolded:
    config: UnfoldConfig
    seq: Sequence
    blocks: dict[str, np.ndarray]        # W_ih, W_hh, b_ih, ... by the names the equations use
    h: np.ndarray                        # (T, H) h_1..h_T
    c: np.ndarray | None                 # (T, H) LSTM c_1..c_T
    gates: dict[str, np.ndarray]         # (T, H) each gate by name
    pre: np.ndarray | None               # (T, H) the RNN's pre-activation
    h0: np.ndarray                       # (H,) the initial state (zeros)
    c0: np.ndarray | None
    n_parameters: int
    equations: list[tuple[str, str]]     # (name, LaTeX) from cells.equations
    clamp: cells.Clamp | None = None
    layer: int = 1                       # which layer of the stack this is (1 reads the input)
    above: list["Unfolded"] = field(default_factory=list)   # layer 1 only: layers 2..L, each reading the one below

    @property
    def layers(self) -> list["Unfolded"]:
        """Every layer of the stack, layer 1 (this one) first: [u] for a one-layer network."""
        return [self, *self.above]

    @property
    def L(self) -> int:
        return 1 + len(self.above)

    @property
    def kind(self) -> str:
        return self.config.cell

    @property
    def T(self) -> int:
        return self.h.shape[0]

    @property
    def H(self) -> int:
        return self.h.shape[1]

    @property
    def I(self) -> int:  # noqa: E743 (the shape legend's letter)
        return self.seq.x.shape[1]

    def value(self, name: str, t: int) -> np.ndarray:
        """What line `name` computed at step t (1-based): a gate, c_t or h_t, exactly from the trace."""
        if name == "hidden":
            return self.h[t - 1]
        if name == "c":
            return self.c[t - 1]
        return self.gates[name][t - 1]

    def previous(self, t: int) -> tuple[np.ndarray, np.ndarray | None]:
        """(h_{t-1}, c_{t-1}) at step t (1-based): the initial state at t = 1."""
        h = self.h0 if t == 1 else self.h[t - 2]
        c = None if self.c is None else (self.c0 if t == 1 else self.c[t - 2])
        return h, c


# ----- input: text and numbers into vectors -------------------------------------------------------
def embedding_table() -> np.ndarray:
    """(len(ALPHABET) + 1, EMBED_DIM): one fixed random vector per symbol, the unknown symbol last."""
    gen = torch.Generator().manual_seed(EMBED_SEED)
    return torch.randn(len(ALPHABET) + 1, EMBED_DIM, generator=gen, dtype=torch.float64).numpy()


def encode_text(text: str) -> Sequence:
    """Characters → (T, 4) vectors. Upper case reads as lower case; anything else outside the
    alphabet becomes the unknown symbol, and the messages say how many and which."""
    messages = []
    if len(text) < 2:
        messages.append(f"Type at least 2 characters to unfold; showing “{DEFAULT_TEXT}” meanwhile.")
        text = DEFAULT_TEXT
    if len(text) > MAX_STEPS:
        messages.append(f"The lesson unfolds at most {MAX_STEPS} steps (one per character); it reads the "
                        f"first {MAX_STEPS} of your {len(text):,} characters.")
        text = text[:MAX_STEPS]
    unknown = [ch for ch in text if ch.lower() not in ALPHABET]
    if unknown:
        shown = ", ".join(f"“{ch}”" for ch in dict.fromkeys(unknown))
        messages.append(f"{len(unknown)} character(s) are not in the alphabet (a–z, space and . , ! ? '): "
                        f"{shown}. Each one reads as the unknown symbol {UNKNOWN}.")
    index = [ALPHABET.index(ch.lower()) if ch.lower() in ALPHABET else len(ALPHABET) for ch in text]
    encoding = (f"Each character is looked up in a tiny fixed embedding: a table of {len(ALPHABET) + 1} random "
                f"{EMBED_DIM}-number vectors (seed {EMBED_SEED}, the same for everyone), one per symbol of "
                f"a–z, space, . , ! ? ' and {UNKNOWN} for anything else; capitals read as small letters.")
    return Sequence(embedding_table()[index], list(text), encoding, messages)


def parse_numbers(typed: str) -> Sequence:
    """"1, 0, 2, 5" → (T, 1). Tokens are separated by commas, semicolons or spaces; a token that is not
    a finite number is named in a message and left out."""
    values, messages = [], []
    for n, tok in enumerate(sequences.split_tokens(typed), start=1):
        v, problem = sequences.read_number(tok)
        if problem:
            messages.append(f"Item {n}, “{tok}”, {problem}: it was left out.")
            continue
        if abs(v) > NUMBER_LIMIT:
            messages.append(f"Item {n}, {tok}, was clipped to {math.copysign(NUMBER_LIMIT, v):g} "
                            f"(numbers are limited to ±{NUMBER_LIMIT:g}).")
            v = math.copysign(NUMBER_LIMIT, v)
        values.append(v)
    if len(values) > MAX_STEPS:
        messages.append(f"The lesson unfolds at most {MAX_STEPS} steps; it reads the first {MAX_STEPS} of "
                        f"your {len(values):,} numbers.")
        values = values[:MAX_STEPS]
    if len(values) < 2:
        messages.append(f"Type at least 2 numbers, e.g. “{DEFAULT_NUMBERS}”; showing that meanwhile.")
        return Sequence(parse_numbers(DEFAULT_NUMBERS).x, DEFAULT_NUMBERS.split(", "), _NUMBERS_SAY, messages)
    return Sequence(np.array(values)[:, None], [f"{v:g}" for v in values], _NUMBERS_SAY, messages)


_NUMBERS_SAY = "Each number is one step's input: x_t is a vector of length 1."


def generated(kind: str, T: int, seed: int) -> Sequence:
    """A sine (period 8 steps), steps (0 for four steps, then 1 for four, ...: as in the BPTT lesson) or
    random N(0, 1) numbers."""
    T = int(min(max(T, 2), MAX_STEPS))
    t = np.arange(1, T + 1)
    if kind == "sine":
        x, say = np.sin(2 * np.pi * t / 8), "x_t = sin(2πt/8): a sine wave with a period of 8 steps."
    elif kind == "steps":
        x, say = ((t - 1) // 4 % 2).astype(float), "x_t = 0 for four steps, then 1 for four, and so on."
    elif kind == "random":
        gen = torch.Generator().manual_seed(int(seed))
        x, say = torch.randn(T, generator=gen, dtype=torch.float64).numpy(), \
            f"x_t drawn from N(0, 1) with seed {seed}."
    else:
        raise ValueError(f"unknown input {kind!r}; choose one of {INPUTS}")
    return Sequence(x[:, None], [f"{v:.2f}" for v in np.round(x, 2) + 0.0], say)   # + 0.0: no "-0.00"


def make_sequence(cfg: UnfoldConfig) -> Sequence:
    if cfg.input == "text":
        return encode_text(cfg.text)
    if cfg.input == "numbers":
        return parse_numbers(cfg.numbers)
    return generated(cfg.input, cfg.T, cfg.seed)


# ----- the run --------------------------------------------------------------------------------------
def make_stack(cfg: UnfoldConfig, input_size: int) -> stack.Stack:
    """L layers with torch.nn's default initialisation, layer l from seed + l − 1 (cells.build_stack), in
    float64. One layer is exactly the cell cells.build(kind, I, H, seed) gives."""
    if not 1 <= cfg.H <= 8:
        raise ValueError(f"H must be between 1 and 8 for the lesson; got {cfg.H}")
    if not 1 <= cfg.layers <= MAX_LAYERS:
        raise ValueError(f"layers must be between 1 and {MAX_LAYERS} for the lesson; got {cfg.layers}")
    return cells.build_stack(cfg.cell, input_size, int(cfg.H), int(cfg.layers), seed=cfg.seed, dtype=torch.float64)


def make_cell(cfg: UnfoldConfig, input_size: int) -> cells.Cell:
    """Layer 1 of the config's stack: the cell that reads the input."""
    return make_stack(cfg, input_size).layers[0]


def run(cfg: UnfoldConfig, clamp: cells.Clamp | None = None) -> Unfolded:
    """Unroll the config's stack (rnnviz.stack, L = 1–4) over its sequence (optionally with one gate of layer 1
    clamped) and keep every number: layer 1 returned, the layers above it in .above, each as an Unfolded whose
    input x_t is the layer below's h_t."""
    seq = make_sequence(cfg)
    net = make_stack(cfg, seq.x.shape[1])
    if clamp is not None and not (0 <= clamp.step < len(seq.x) and 0 <= clamp.unit < net.hidden_size):
        raise ValueError(f"clamp {clamp} is outside T = {len(seq.x)}, H = {net.hidden_size}")
    with torch.no_grad():
        traces = net.unroll(torch.from_numpy(seq.x).unsqueeze(1), clamps=(clamp,) if clamp else ()).layers  # x: (T, 1, I)
    counts = net.n_parameters_per_layer()
    first = lambda a: None if a is None else a[:, 0].numpy()             # (T, 1, H) → (T, H)
    runs, x = [], seq
    for layer, (cell, tr, count) in enumerate(zip(net.layers, traces, counts), start=1):
        runs.append(Unfolded(
            config=cfg, seq=x, blocks={k: v.detach().numpy().copy() for k, v in cell.blocks().items()},
            h=first(tr.h), c=first(tr.c), gates={g: first(v) for g, v in tr.gates.items()}, pre=first(tr.pre),
            h0=tr.h0[0].numpy(), c0=None if tr.c0 is None else tr.c0[0].numpy(),
            n_parameters=count, equations=cell.equations(), clamp=clamp if layer == 1 else None, layer=layer))
        x = Sequence(first(tr.h), seq.labels, f"Layer {layer + 1} reads layer {layer}'s h_t as its x_t.")
    runs[0].above = runs[1:]
    return runs[0]


@dataclass
class Intervention:
    original: Unfolded
    clamped: Unfolded
    dh: np.ndarray                       # (T,) max over units of |h'_t − h_t|
    dc: np.ndarray | None                # (T,) the same for the LSTM's cell state

    @property
    def first_change(self) -> int | None:
        """The first step (1-based) whose state differs at all, or None."""
        moved = np.flatnonzero((self.dh > 0) | (self.dc > 0 if self.dc is not None else False))
        return int(moved[0]) + 1 if moved.size else None


def intervene(cfg: UnfoldConfig, gate: str, step: int, unit: int, value: float) -> Intervention:
    """Clamp `gate` of hidden `unit` to `value` at `step` (both 1-based) and compare with the free run."""
    if gate not in CLAMPABLE[cfg.cell]:
        raise ValueError(f"a {cfg.cell} has no clampable gate {gate!r}; choose one of {CLAMPABLE[cfg.cell]}")
    orig = run(cfg)
    clamped = run(cfg, cells.Clamp(gate=gate, step=step - 1, unit=unit - 1, value=float(value)))
    dc = None if orig.c is None else np.abs(clamped.c - orig.c).max(axis=1)
    return Intervention(orig, clamped, np.abs(clamped.h - orig.h).max(axis=1), dc)


@dataclass
class Reach:
    """What changing the first input does to the later states."""
    change: str                          # what was changed, in words (may quote typed text: escape it)
    dh: np.ndarray                       # (T,) ‖h'_t − h_t‖ per step

    @property
    def answer(self) -> str:
        """"all": every h_t moved; "first": only h_1; "some": the difference died out exactly."""
        moved = np.flatnonzero(self.dh > 0)
        return "all" if moved.size == len(self.dh) else "first" if moved.tolist() == [0] else "some"

    @property
    def zero_from(self) -> int | None:
        """The step (1-based) from which every later difference is exactly 0, or None."""
        moved = np.flatnonzero(self.dh > 0)
        last = int(moved[-1]) + 1 if moved.size else 0
        return last + 1 if last < len(self.dh) else None


def first_input_effect(cfg: UnfoldConfig) -> Reach:
    """Change the first input only and read again with the same weights. It answers the lesson's
    question: which later states does x_1 reach?"""
    seq = make_sequence(cfg)
    x2 = seq.x.copy()                                                    # (T, I)
    if cfg.input == "text":
        new = "z" if seq.labels[0].lower() != "z" else "a"
        x2[0] = embedding_table()[ALPHABET.index(new)]
        change = f"the first character “{seq.labels[0]}” → “{new}”"
    else:
        x2[0] += 1.0
        change = f"the first number {seq.labels[0]} → {float(seq.x[0, 0]) + 1:g}"
    net = make_stack(cfg, seq.x.shape[1])
    with torch.no_grad():                                                # the top layer's states: h_t^(L)
        h1, h2 = (net.unroll(torch.from_numpy(x).unsqueeze(1)).top.h[:, 0] for x in (seq.x, x2))   # (T, H)
    return Reach(change, torch.linalg.vector_norm(h2 - h1, dim=1).numpy())


def meaning(kind: str, name: str) -> str:
    """One sentence on what equation line `name` of a `kind` cell does."""
    return MEANING[f"hidden_{kind}" if name == "hidden" else name]


def parameter_formula(u: Unfolded) -> tuple[str, int]:
    """("G·H·(I + H + 2) = 4·3·(4 + 3 + 2)", count) for layer 1 (a layer above reads the H states below:
    "G·H·(H + H + 2) = ..."): the count does not depend on T."""
    G = len(cells.LETTERS[u.kind])
    count = G * u.H * (u.I + u.H + 2)
    assert count == u.n_parameters, "the formula must match the cell's real parameter count"
    return f"G·H·({'I' if u.layer == 1 else 'H'} + H + 2) = {G}·{u.H}·({u.I} + {u.H} + 2)", count


def layer_parameters(u: Unfolded) -> list[tuple[str, int]]:
    """parameter_formula for every layer of the stack (Stack.n_parameters_per_layer's counts, equal to torch.nn's
    num_layers = L module: tests/topics/unfold/test_page_unfold_stack.py)."""
    return [parameter_formula(layer) for layer in u.layers]
