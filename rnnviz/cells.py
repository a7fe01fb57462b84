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
from dataclasses import dataclass, field

import torch
from torch import Tensor, nn

KINDS = ("rnn", "lstm", "gru")
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

    # ----- one step -----------------------------------------------------------------------------
    def step(self, x_t: Tensor, state, clamps: tuple[Clamp, ...] = ()):
        """One time step from the raw input x_t (B, I). Returns (new_state, parts): the gates and more."""
        return self._step(x_t @ self.weight_ih.T + self.bias_ih, state, clamps)

    def _step(self, xw: Tensor, state, clamps: tuple[Clamp, ...] = (), w_hh_t: Tensor | None = None):
        """One time step, given the input already projected: xw = W_ih x_t + b_ih, (B, G*H).

        All G gates' pre-activations come from one stacked product, exactly as torch.nn computes them;
        `w_hh_t` (W_hh transposed) may be passed in so a long unroll transposes once, not every step.
        """
        h_prev = state[0] if self.kind == "lstm" else state                 # (B, H)
        w_hh_t = self.weight_hh.T if w_hh_t is None else w_hh_t              # (H, G*H)
        hw = torch.addmm(self.bias_hh, h_prev, w_hh_t)                       # W_hh h_{t-1} + b_hh (B, G*H)
        if self.kind == "rnn":
            a = xw + hw                                                      # pre-activation a_t (B, H)
            h = a if self.nonlinearity == "linear" else torch.tanh(a) if self.nonlinearity == "tanh" \
                else torch.relu(a)
            return h, {"pre": a}
        if self.kind == "lstm":
            zi, zf, zg, zo = (xw + hw).chunk(4, dim=1)                       # each (B, H), order i,f,g,o
            gates = {"input": torch.sigmoid(zi), "forget": torch.sigmoid(zf),
                     "cell": torch.tanh(zg), "output": torch.sigmoid(zo)}
            if clamps:
                gates = _apply_clamps(gates, clamps)
            c = torch.addcmul(gates["forget"] * state[1], gates["input"], gates["cell"])  # c_t = f⊙c_{t-1} + i⊙g
            h = gates["output"] * torch.tanh(c)                              # h_t = o⊙tanh(c_t)
            return (h, c), gates
        xr, xz, xn = xw.chunk(3, dim=1)                                      # each (B, H), order r,z,n
        hr, hz, hn = hw.chunk(3, dim=1)
        gates = {"reset": torch.sigmoid(xr + hr), "update": torch.sigmoid(xz + hz)}
        if clamps:
            gates = _apply_clamps(gates, clamps)
        gates["new"] = torch.tanh(xn + gates["reset"] * hn)                 # reset applied after W_hn h + b_hn
        if clamps:
            gates = _apply_clamps(gates, clamps)
        z, n = gates["update"], gates["new"]
        h = n + z * (h_prev - n)                  # = (1 - z)⊙n + z⊙h_{t-1}, in torch's order of operations
        return h, gates

    # ----- a whole sequence ---------------------------------------------------------------------
    def unroll(self, x: Tensor, state=None, clamps: tuple[Clamp, ...] | list[Clamp] = ()) -> Trace:
        """Read x (T, B, I) from the initial state (zeros by default); return the full Trace.

        The same weights are used at every step. The input projection W_ih x_t + b_ih is computed for
        all steps at once; iterating with unbind (not xw[t]) keeps the backward pass linear in T.
        `clamps` force chosen gate values at chosen steps (an intervention experiment).
        """
        if x.dim() != 3 or x.shape[2] != self.input_size:
            raise ValueError(f"x must be (T, B, {self.input_size}); got {tuple(x.shape)}")
        T, B, _ = x.shape
        state = self.initial_state(B) if state is None else state
        self._check_state(state, B)
        h0, c0 = (state if self.kind == "lstm" else (state, None))
        by_step: dict[int, tuple[Clamp, ...]] = {}
        for cl in clamps:
            if cl.gate not in self.gate_names:
                raise ValueError(f"a {self.kind} has no gate {cl.gate!r}; it has {self.gate_names}")
            by_step[cl.step] = by_step.get(cl.step, ()) + (cl,)
        xw = x @ self.weight_ih.T + self.bias_ih                     # (T, B, G*H)
        hs, cs, parts_by_step = [], [], []
        w_hh_t = self.weight_hh.T                                    # (H, G*H), transposed once
        for t, xw_t in enumerate(xw.unbind(0)):
            state, parts = self._step(xw_t, state, by_step.get(t, ()), w_hh_t)
            hs.append(state[0] if self.kind == "lstm" else state)
            if self.kind == "lstm":
                cs.append(state[1])
            parts_by_step.append(parts)
        h = torch.stack(hs)                                          # (T, B, H)
        c = torch.stack(cs) if cs else None
        names = self.gate_names
        gates = {g: torch.stack([p[g] for p in parts_by_step]) for g in names}
        pre = torch.stack([p["pre"] for p in parts_by_step]) if self.kind == "rnn" else None
        return Trace(h=h, c=c, gates=gates, pre=pre, h0=h0, c0=c0, h_steps=hs, c_steps=cs)

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


def from_torch(module: nn.Module) -> Cell:
    """A transparent cell with the weights of a 1-layer torch.nn.RNN/LSTM/GRU or RNNCell/LSTMCell/GRUCell."""
    kinds = {nn.RNN: "rnn", nn.RNNCell: "rnn", nn.LSTM: "lstm", nn.LSTMCell: "lstm",
             nn.GRU: "gru", nn.GRUCell: "gru"}
    kind = kinds.get(type(module))
    if kind is None:
        raise TypeError(f"expected a torch.nn RNN, LSTM or GRU (or its Cell); got {type(module).__name__}")
    is_layer = isinstance(module, nn.RNNBase)
    if is_layer and (module.num_layers != 1 or module.bidirectional or getattr(module, "proj_size", 0)):
        raise ValueError("only 1-layer, unidirectional modules without projection can be converted")
    suffix = "_l0" if is_layer else ""
    w_hh = getattr(module, f"weight_hh{suffix}")
    nonlinearity = getattr(module, "nonlinearity", "tanh") if kind == "rnn" else "tanh"
    cell = Cell(kind, module.input_size, module.hidden_size, nonlinearity, w_hh.dtype)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            src = getattr(module, f"{name}{suffix}", None)
            if src is not None:                                       # bias=False leaves zeros
                getattr(cell, name).copy_(src)
    return cell
