"""Transparent recurrent cells: a vanilla RNN, an LSTM and a GRU, one readable step at a time.

Every number these cells produce equals torch.nn's (same notation, same weight layout, same gate
order), so weights move both ways: `from_torch(module)` and `cell.to_torch()`. Training uses the fast
fused torch.nn modules; these cells load the same weights to show what happens inside.

Shape legend: T time steps, B batch, I input size, H hidden size, G gates (RNN 1, LSTM 4, GRU 3).

Weights, laid out exactly as torch.nn.RNN / LSTM / GRU lay them out:
    weight_ih  (G*H, I)   input-to-hidden blocks stacked in gate order
    weight_hh  (G*H, H)   hidden-to-hidden blocks stacked in gate order
    bias_ih    (G*H,)     bias_hh (G*H,)
Gate order: LSTM (W_ii|W_if|W_ig|W_io), GRU (W_ir|W_iz|W_in); the RNN has one block.

Equations (σ is the logistic sigmoid, ⊙ the element-wise product):

    RNN   h_t = φ(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh),   φ = tanh | relu | identity

    LSTM  i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)      input gate: how much new to write
          f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)      forget gate: how much of c_{t-1} to keep
          g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)   candidate cell values
          o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)      output gate: how much of the cell to show
          c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t                     the cell state: an additive "conveyor belt"
          h_t = o_t ⊙ tanh(c_t)

    GRU   r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)      reset gate
          z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)      update gate: how much of h_{t-1} to keep
          n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))   candidate state
          h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}

    Note (as in torch.nn, and unlike Cho et al. 2014): the GRU applies the reset gate *after* the
    matrix product W_hn h_{t-1} + b_hn, not to h_{t-1} before it.

The same LaTeX, generated from the same gate names, is in `EQUATIONS`; pages render that, and a test
recomputes every gate from the blocks its equation names, so a label cannot drift from the code.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import torch
from torch import Tensor, nn

from rnnviz.stack import Stack

KINDS = ("rnn", "lstm", "gru")
MAX_LAYERS = 4       # the deepest stack the lessons build (a deeper one reads the same way)
NONLINEARITIES = ("tanh", "relu", "linear")

# Gate names in weight-block order, with the letter torch.nn uses for each block (W_i<letter>).
GATES: dict[str, tuple[str, ...]] = {
    "rnn": (),
    "lstm": ("input", "forget", "cell", "output"),
    "gru": ("reset", "update", "new"),
}
LETTERS: dict[str, tuple[str, ...]] = {"rnn": ("h",), "lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n")}
# The symbol of each gate in the equations (the LSTM's "cell" gate is the candidate g_t).
SYMBOLS = {"input": "i", "forget": "f", "cell": "g", "output": "o", "reset": "r", "update": "z", "new": "n"}

_ACT = {"input": r"\sigma", "forget": r"\sigma", "cell": r"\tanh", "output": r"\sigma",
        "reset": r"\sigma", "update": r"\sigma"}


def _gate_latex(gate: str) -> str:
    s = SYMBOLS[gate]
    return rf"{s}_t = {_ACT[gate]}(W_{{i{s}}} x_t + b_{{i{s}}} + W_{{h{s}}} h_{{t-1}} + b_{{h{s}}})"


def _equations(kind: str, nonlinearity: str = "tanh") -> list[tuple[str, str]]:
    """(name, LaTeX) for each line of a cell's step, in the order the code computes them."""
    if kind == "rnn":
        phi = {"tanh": r"\tanh", "relu": r"\mathrm{relu}", "linear": ""}[nonlinearity]
        return [("hidden", rf"h_t = {phi}(W_{{ih}} x_t + b_{{ih}} + W_{{hh}} h_{{t-1}} + b_{{hh}})")]
    if kind == "lstm":
        return [(g, _gate_latex(g)) for g in GATES["lstm"]] + [
            ("c", r"c_t = f_t \odot c_{t-1} + i_t \odot g_t"),
            ("hidden", r"h_t = o_t \odot \tanh(c_t)"),
        ]
    return [(g, _gate_latex(g)) for g in ("reset", "update")] + [
        ("new", r"n_t = \tanh(W_{in} x_t + b_{in} + r_t \odot (W_{hn} h_{t-1} + b_{hn}))"),
        ("hidden", r"h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}"),
    ]


EQUATIONS: dict[str, list[tuple[str, str]]] = {k: _equations(k) for k in KINDS}


def equations(kind: str, nonlinearity: str = "tanh") -> list[tuple[str, str]]:
    """The LaTeX lines of one step of `kind`, in computation order (see the module docstring)."""
    if kind not in KINDS:
        raise ValueError(f"unknown cell kind {kind!r}; choose one of {KINDS}")
    if nonlinearity not in NONLINEARITIES:
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}; choose one of {NONLINEARITIES}")
    return _equations(kind, nonlinearity)


@dataclass(frozen=True)
class Clamp:
    """An intervention: force `gate` of hidden `unit` to `value` at time step `step` (0-based)."""

    gate: str
    step: int
    unit: int
    value: float


@dataclass
class Trace:
    """Everything a cell computed while reading a sequence. All tensors are (T, B, H).

    h, c and gates are part of the autograd graph, so a loss built from them can be differentiated.
    """

    h: Tensor                                   # hidden states h_1..h_T
    c: Tensor | None                            # LSTM cell states c_1..c_T; None for RNN and GRU
    gates: dict[str, Tensor] = field(default_factory=dict)  # LSTM i,f,g,o; GRU r,z,n (by name)
    pre: Tensor | None = None                   # RNN pre-activation a_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
    h0: Tensor | None = None                    # the initial state (B, H)
    c0: Tensor | None = None
    # The per-step tensors exactly as they sit in the autograd graph: h_steps[t] is h_{t+1} (B, H).
    # ∂L/∂h_t is taken with respect to these (h is a stacked copy made after the recurrence).
    h_steps: list[Tensor] = field(default_factory=list)
    c_steps: list[Tensor] = field(default_factory=list)
    # What the hand-written backward (bptt.py) reuses instead of recomputing, as autograd saves tensors
    # for its backward: the LSTM's tanh(c_t), the GRU's W_hn h_{t-1} + b_hn, each (T, B, H).
    saved: dict[str, Tensor] = field(default_factory=dict)


class Cell(nn.Module):
    """A recurrent cell whose every intermediate value is visible. Build with `build` or `from_torch`."""

    def __init__(self, kind: str, input_size: int, hidden_size: int, nonlinearity: str = "tanh",
                 dtype: torch.dtype = torch.float32):
        super().__init__()
        if kind not in KINDS:
            raise ValueError(f"unknown cell kind {kind!r}; choose one of {KINDS}")
        if nonlinearity not in NONLINEARITIES:
            raise ValueError(f"unknown nonlinearity {nonlinearity!r}; choose one of {NONLINEARITIES}")
        if input_size < 1 or hidden_size < 1:
            raise ValueError("input_size and hidden_size must be at least 1")
        self.kind, self.input_size, self.hidden_size = kind, input_size, hidden_size
        self.nonlinearity = nonlinearity if kind == "rnn" else "tanh"
        G, H = len(LETTERS[kind]), hidden_size
        self.n_blocks = G
        self.weight_ih = nn.Parameter(torch.zeros(G * H, input_size, dtype=dtype))  # (G*H, I)
        self.weight_hh = nn.Parameter(torch.zeros(G * H, H, dtype=dtype))           # (G*H, H)
        self.bias_ih = nn.Parameter(torch.zeros(G * H, dtype=dtype))                # (G*H,)
        self.bias_hh = nn.Parameter(torch.zeros(G * H, dtype=dtype))                # (G*H,)

    # ----- names and blocks ---------------------------------------------------------------------
    @property
    def gate_names(self) -> tuple[str, ...]:
        return GATES[self.kind]

    def blocks(self) -> dict[str, Tensor]:
        """Each weight block by the name the equations use: 'W_if' is rows H..2H of weight_ih, etc."""
        H, out = self.hidden_size, {}
        for k, s in enumerate(LETTERS[self.kind]):
            rows = slice(k * H, (k + 1) * H)
            name_i, name_h = ("ih", "hh") if self.kind == "rnn" else (f"i{s}", f"h{s}")
            out[f"W_{name_i}"], out[f"W_{name_h}"] = self.weight_ih[rows], self.weight_hh[rows]
            out[f"b_{name_i}"], out[f"b_{name_h}"] = self.bias_ih[rows], self.bias_hh[rows]
        return out

    def equations(self) -> list[tuple[str, str]]:
        return equations(self.kind, self.nonlinearity)

    def n_parameters(self) -> int:
        """G·H·(I + H + 2): the count does not depend on the sequence length T."""
        return sum(p.numel() for p in self.parameters())

    def initial_state(self, batch: int) -> Tensor | tuple[Tensor, Tensor]:
        z = self.weight_hh.new_zeros(batch, self.hidden_size)
        return (z, z.clone()) if self.kind == "lstm" else z

    # ----- one step and a whole sequence --------------------------------------------------------
    def step(self, x_t: Tensor, state, clamps: tuple[Clamp, ...] = ()):
        """One time step from the raw input x_t (B, I): (new_state, parts), parts the gates by name
        (the RNN's: {"pre": a_t}), each (B, H). Every clamp given applies, whatever its step."""
        tr = self.unroll(x_t.unsqueeze(0), state, tuple(replace(cl, step=0) for cl in clamps))
        parts = {"pre": tr.pre[0]} if self.kind == "rnn" else {g: v[0] for g, v in tr.gates.items()}
        return ((tr.h_steps[0], tr.c_steps[0]) if self.kind == "lstm" else tr.h_steps[0]), parts

    def unroll(self, x: Tensor, state=None, clamps: tuple[Clamp, ...] | list[Clamp] = ()) -> Trace:
        """Read x (T, B, I) from the initial state (zeros by default); return the full Trace.

        The same weights are used at every step. Only the recurrence is sequential: the input side
        W_ih x_t + b_ih is computed for all T steps at once before the loop, the loop does the least
        each step needs, and stacking the states and gates happens once after it. Iterating with
        unbind (not xw[t]) keeps the backward pass linear in T.
        `clamps` force chosen gate values at chosen steps (an intervention experiment).
        """
        xw = self.input_side(x)                                      # (T, B, G*H), checks x's shape
        state = self.initial_state(x.shape[1]) if state is None else state
        self._check_state(state, x.shape[1])
        by_step: dict[int, tuple[Clamp, ...]] = {}
        for cl in clamps:
            if cl.gate not in self.gate_names:
                raise ValueError(f"a {self.kind} has no gate {cl.gate!r}; it has {self.gate_names}")
            by_step[cl.step] = by_step.get(cl.step, ()) + (cl,)
        return {"rnn": self._unroll_rnn, "lstm": self._unroll_lstm, "gru": self._unroll_gru}[self.kind](xw, state, by_step)

    def input_side(self, x: Tensor) -> Tensor:
        """(T, B, G*H): the input side of every step in one product, W_ih x_t + b_ih, plus b_hh where it
        simply adds (the GRU keeps b_hn apart: its reset gate multiplies W_hn h_{t-1} + b_hn)."""
        if x.dim() != 3 or x.shape[2] != self.input_size or x.shape[0] < 1:
            raise ValueError(f"x must be (T, B, {self.input_size}) with T ≥ 1; got {tuple(x.shape)}")
        H, b_hh = self.hidden_size, self.bias_hh
        bias = self.bias_ih + (torch.cat([b_hh[:2 * H], b_hh.new_zeros(H)]) if self.kind == "gru" else b_hh)
        return torch.addmm(bias, x.flatten(0, 1), self.weight_ih.T).view(*x.shape[:2], -1)

    # Each loop does only what step t needs from step t-1 and keeps its tensors in one tuple per step;
    # zip(*steps) regroups them by name and each is stacked once, after the loop.
    def _unroll_rnn(self, xw: Tensor, h0: Tensor, _clamps) -> Trace:
        phi = {"tanh": torch.tanh, "relu": torch.relu, "linear": None}[self.nonlinearity]
        h, w_hh_t, steps = h0, self.weight_hh.T, []                  # W_hh^T (H, H), transposed once
        for xw_t in xw.unbind(0):
            a = torch.addmm(xw_t, h, w_hh_t)                         # a_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
            h = a if phi is None else phi(a)                         # h_t = φ(a_t)
            steps.append((h, a))
        hs, pre = map(list, zip(*steps))
        return Trace(h=torch.stack(hs), c=None, pre=torch.stack(pre), h0=h0, h_steps=hs)

    def _unroll_lstm(self, xw: Tensor, state, clamps) -> Trace:
        H, w_hh_t, steps = self.hidden_size, self.weight_hh.T, []    # W_hh^T (H, 4H), transposed once
        h, c = state
        for t, xw_t in enumerate(xw.unbind(0)):
            z = torch.addmm(xw_t, h, w_hh_t)                         # all four pre-activations (B, 4H)
            i, f, _, o = torch.sigmoid(z).chunk(4, dim=1)            # σ of every block in one call (g's unused)
            g = torch.tanh(z[:, 2 * H:3 * H])                        # the candidate g_t
            if t in clamps:
                i, f, g, o = _apply_clamps(dict(zip(GATES["lstm"], (i, f, g, o))), clamps[t]).values()
            c = torch.addcmul(f * c, i, g)                           # c_t = f⊙c_{t-1} + i⊙g
            tanh_c = torch.tanh(c)
            h = o * tanh_c                                           # h_t = o⊙tanh(c_t)
            steps.append((h, c, tanh_c, i, f, g, o))
        hs, cs, tanh_c, *gates = map(list, zip(*steps))
        return Trace(h=torch.stack(hs), c=torch.stack(cs), h0=state[0], c0=state[1], h_steps=hs, c_steps=cs,
                     gates={name: torch.stack(v) for name, v in zip(GATES["lstm"], gates)},
                     saved={"tanh_c": torch.stack(tanh_c)})

    def _unroll_gru(self, xw: Tensor, h0: Tensor, clamps) -> Trace:
        H, h, steps = self.hidden_size, h0, []                       # x_rz holds b_hr, b_hz too
        w_rz_t, w_n_t, b_hn = self.weight_hh[:2 * H].T, self.weight_hh[2 * H:].T, self.bias_hh[2 * H:]
        for t, (x_rz, x_n) in enumerate(zip(xw[..., :2 * H].unbind(0), xw[..., 2 * H:].unbind(0))):
            r, z = torch.sigmoid(torch.addmm(x_rz, h, w_rz_t)).chunk(2, dim=1)   # both gates in one call
            if t in clamps:
                r, z = _apply_clamps({"reset": r, "update": z}, clamps[t]).values()
            hn = torch.addmm(b_hn, h, w_n_t)                         # W_hn h_{t-1} + b_hn
            n = torch.tanh(torch.addcmul(x_n, r, hn))                # the reset gate applies after the product
            if t in clamps:
                n = _apply_clamps({"new": n}, clamps[t])["new"]
            h = torch.lerp(n, h, z)                                  # h_t = (1 - z)⊙n + z⊙h_{t-1}: a blend
            steps.append((h, hn, r, z, n))
        hs, hn, *gates = map(list, zip(*steps))
        return Trace(h=torch.stack(hs), c=None, h0=h0, h_steps=hs, saved={"hn": torch.stack(hn)},
                     gates={name: torch.stack(v) for name, v in zip(GATES["gru"], gates)})

    def _check_state(self, state, batch: int) -> None:
        """The state must be (B, H) (a pair of them for the LSTM): a torch-style (1, B, H) h0 would
        otherwise broadcast silently into a (T, 1, B, H) trace."""
        parts = state if self.kind == "lstm" else (state,)
        if self.kind == "lstm" and (not isinstance(state, (tuple, list)) or len(state) != 2):
            raise ValueError("an lstm's state is a pair (h0, c0), each (B, H)")
        want = (batch, self.hidden_size)
        for s in parts:
            if not isinstance(s, Tensor) or tuple(s.shape) != want:
                got = tuple(s.shape) if isinstance(s, Tensor) else type(s).__name__
                raise ValueError(f"initial state must be (B, H) = {want}; got {got}")

    def forward(self, x: Tensor, state=None) -> Trace:
        return self.unroll(x, state)

    # ----- moving weights to and from torch.nn --------------------------------------------------
    def to_torch(self) -> nn.Module:
        """A fused torch.nn.RNN / LSTM / GRU (1 layer, sequence-first) with exactly these weights."""
        cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[self.kind]
        kw = {"nonlinearity": self.nonlinearity} if self.kind == "rnn" else {}
        if self.kind == "rnn" and self.nonlinearity == "linear":
            raise ValueError("torch.nn.RNN has no linear nonlinearity; use the transparent cell")
        m = cls(self.input_size, self.hidden_size, **kw).to(self.weight_hh.dtype)
        with torch.no_grad():
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(m, f"{name}_l0").copy_(getattr(self, name))
        return m

    def extra_repr(self) -> str:
        nl = f", nonlinearity={self.nonlinearity}" if self.kind == "rnn" else ""
        return f"{self.kind}, input_size={self.input_size}, hidden_size={self.hidden_size}{nl}"


def _apply_clamps(gates: dict[str, Tensor], clamps: tuple[Clamp, ...]) -> dict[str, Tensor]:
    """Overwrite chosen (gate, unit) values; the rest of the graph is untouched."""
    for cl in clamps:
        if cl.gate in gates:
            g = gates[cl.gate].clone()
            g[:, cl.unit] = cl.value
            gates[cl.gate] = g
    return gates


def build(kind: str, input_size: int, hidden_size: int, seed: int = 0, nonlinearity: str = "tanh",
          dtype: torch.dtype = torch.float32) -> Cell:
    """A new cell with torch.nn's default initialisation, U(-1/√H, 1/√H) for every weight and bias,
    drawn from its own seeded generator (never the global random state)."""
    cell = Cell(kind, input_size, hidden_size, nonlinearity, dtype)
    gen = torch.Generator().manual_seed(int(seed))
    k = 1.0 / math.sqrt(hidden_size)
    with torch.no_grad():
        for p in (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh):
            p.uniform_(-k, k, generator=gen)
    return cell


def from_torch(module: nn.Module) -> Cell | Stack:
    """Transparent cells with the weights of a torch.nn.RNN/LSTM/GRU (or RNNCell/LSTMCell/GRUCell): a Cell
    for one layer, a Stack of Cells for num_layers > 1 (layer l's weights are torch's *_l{l})."""
    kinds = {nn.RNN: "rnn", nn.RNNCell: "rnn", nn.LSTM: "lstm", nn.LSTMCell: "lstm",
             nn.GRU: "gru", nn.GRUCell: "gru"}
    kind = kinds.get(type(module))
    if kind is None:
        raise TypeError(f"expected a torch.nn RNN, LSTM or GRU (or its Cell); got {type(module).__name__}")
    is_layer = isinstance(module, nn.RNNBase)
    if is_layer and (module.bidirectional or getattr(module, "proj_size", 0)):
        raise ValueError("only unidirectional modules without projection can be converted")
    if is_layer and module.num_layers > 1:
        if module.dropout:
            raise ValueError("a stack with dropout between layers trains differently from how it reads: "
                             "convert it with dropout=0 (eval mode reads the same numbers)")
        return Stack([_layer_from_torch(module, kind, layer) for layer in range(module.num_layers)])
    return _layer_from_torch(module, kind, 0 if is_layer else None)


def _layer_from_torch(module: nn.Module, kind: str, layer: int | None) -> Cell:
    """Layer `layer` of a fused module (None: a *Cell module, whose weights have no suffix)."""
    suffix = "" if layer is None else f"_l{layer}"
    w_ih, w_hh = getattr(module, f"weight_ih{suffix}"), getattr(module, f"weight_hh{suffix}")
    nonlinearity = getattr(module, "nonlinearity", "tanh") if kind == "rnn" else "tanh"
    cell = Cell(kind, w_ih.shape[1], module.hidden_size, nonlinearity, w_hh.dtype)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            src = getattr(module, f"{name}{suffix}", None)
            if src is not None:                                       # bias=False leaves zeros
                getattr(cell, name).copy_(src)
    return cell


def build_stack(kind: str, input_size: int, hidden_size: int, num_layers: int, seed: int = 0,
                nonlinearity: str = "tanh", dtype: torch.dtype = torch.float32) -> Stack:
    """L new layers, each initialised as `build` does, layer l from seed + l (its own generator)."""
    if not 1 <= num_layers <= MAX_LAYERS:
        raise ValueError(f"num_layers must be 1–{MAX_LAYERS}; got {num_layers}")
    return Stack([build(kind, input_size if layer == 0 else hidden_size, hidden_size, seed + layer,
                        nonlinearity, dtype) for layer in range(num_layers)])
