"""GRU vs LSTM: small pure computations that put two trained character models' readings of one text
side by side (the page "GRU vs LSTM" draws them).

    q = quantity(reading, "1-update")       # (T, H): a gate, a state, or the GRU's write share 1 − z_t
    units = pick_units(q, 24, "change")     # the 24 units whose value changes most over the text
    d = duel(gru_reading, lstm_reading)     # per-character surprisal of both, who wins where
    by_class(reading, ("update",))          # mean gate value per kind of character (letter, space, …)
    parameter_count("gru", H=296, V=74)     # (recurrent layer, read-out) parameters; parameter_latex too

The two models correspond gate for gate only loosely; `PAIRS` says which quantities play the same
role (a GRU keeps z_t of its past and writes 1 − z_t, an LSTM chooses f_t and i_t freely).

Shape legend: T characters read, H hidden units (each model its own), V alphabet size.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnviz import cells
from rnnviz.shared.charlm import Reading
from rnnviz.shared.char_model import UNKNOWN

KINDS = ("gru", "lstm")              # the page's order: left column, right column


@dataclass(frozen=True)
class Pair:
    """Two quantities that play the same role in a GRU and an LSTM."""

    gru: str
    lstm: str
    title: str
    note: str


PAIRS: dict[str, Pair] = {
    "keep": Pair("update", "forget", "How much of the past is kept",
                 "The GRU keeps $z_t$ of its old state $h_{t-1}$; the LSTM keeps $f_t$ of its old cell "
                 "state $c_{t-1}$. Bright = keep, dark = forget."),
    "write": Pair("1-update", "input", "How much new is written",
                  "The GRU writes exactly what it does not keep: $1 - z_t$ of the candidate $n_t$. The "
                  "LSTM's input gate $i_t$ is a separate choice: it can keep everything *and* write."),
    "reset": Pair("reset", "output", "What of the past each one uses, or shows",
                  "The GRU's reset gate $r_t$ acts inside its own step: it decides how much of "
                  "$W_{hn} h_{t-1} + b_{hn}$ the same step's candidate $n_t$ uses. The LSTM has no reset gate: "
                  "its output gate $o_t$ decides how much of the cell state reaches $h_t$, which the read-out "
                  "uses now and the gates read at the next step."),
    "candidate": Pair("new", "cell", "The candidate new values",
                      "What each model proposes to write, in $(-1, 1)$: the GRU's $n_t$, the LSTM's $g_t$."),
}

# Quantities beyond the gates: the states and the GRU's write share.
SIGMOID = {"input", "forget", "output", "reset", "update", "1-update"}     # values in 0 … 1


def quantity(reading: Reading, name: str) -> np.ndarray:
    """(T, H): a gate by name, "hidden", "cell state" or "1-update" (see charlm.Reading.quantity)."""
    return reading.quantity(name)


ORDERS = ("change", "mean", "index")


def pick_units(values: np.ndarray, n: int, order: str = "change") -> np.ndarray:
    """Indices of n units of values (T, H): "change" the largest standard deviation over the text first
    (the busiest units), "mean" the largest average first (for a gate: the most open), "index" 0, 1, …"""
    T, H = values.shape
    n = max(1, min(int(n), H))
    if order == "index":
        return np.arange(n)
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}; got {order!r}")
    score = values.std(0) if order == "change" else values.mean(0)
    return np.argsort(-score, kind="stable")[:n]


def window(length: int, start: int, width: int) -> tuple[int, int]:
    """0-based [lo, hi) of the characters shown, from `start` (1-based) for `width` characters,
    shifted back so a window at the end of the text is still full."""
    width = max(1, min(int(width), length))
    lo = min(max(int(start) - 1, 0), length - width)
    return lo, lo + width


# ------------------------------------------------------------------------------------------ surprise

@dataclass
class Duel:
    """Surprisal in bits of each model at each character it had to predict (position 1 … T−1 of the
    text; the first character has no prediction), and who was less surprised where."""

    text: str
    gru: np.ndarray                 # (T−1,) −log2 p_GRU(char_k | char_0 … char_k−1), k = 1 … T−1
    lstm: np.ndarray                # (T−1,)
    tie: float = 0.05               # bits: closer than this counts as a tie

    @property
    def advantage(self) -> np.ndarray:
        """(T−1,) LSTM bits − GRU bits: positive where the GRU was less surprised."""
        return self.lstm - self.gru

    @property
    def gru_wins(self) -> int:
        return int((self.advantage > self.tie).sum())

    @property
    def lstm_wins(self) -> int:
        return int((self.advantage < -self.tie).sum())

    @property
    def ties(self) -> int:
        return len(self.gru) - self.gru_wins - self.lstm_wins

    def bpc(self, kind: str) -> float:
        bits = getattr(self, kind)
        return float(bits.mean()) if len(bits) else float("nan")

    def biggest(self, kind: str, n: int = 5, context: int = 14) -> list[dict]:
        """The n characters where `kind` ("gru" | "lstm") beat the other by the most bits, each with
        the text just before it: {position (1-based), before, char, gru, lstm, margin}."""
        margin = self.advantage if kind == "gru" else -self.advantage
        order = np.argsort(-margin, kind="stable")[:n]
        return [{"position": int(k) + 2, "before": self.text[max(0, k + 1 - context):k + 1],
                 "char": self.text[k + 1], "gru": float(self.gru[k]), "lstm": float(self.lstm[k]),
                 "margin": float(margin[k])} for k in order if margin[k] > self.tie]


def duel(gru: Reading, lstm: Reading) -> Duel:
    if gru.text != lstm.text:
        raise ValueError("both models must read the same text")
    return Duel(gru.text, gru.surprisal, lstm.surprisal)


# -------------------------------------------------------------------------------- kinds of character

CLASSES = ("letter", "capital", "space", "new line", "punctuation", "unknown")


def char_class(ch: str) -> str:
    if ch == UNKNOWN:
        return "unknown"
    if ch == "\n":
        return "new line"
    if ch.isspace():
        return "space"
    if ch.isalpha():
        return "capital" if ch.isupper() else "letter"
    return "punctuation"          # digits, brackets, quotes and dashes count here too


def by_class(reading: Reading, names: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """{quantity: {class: mean over the characters of that class and over all units}} for the classes
    present in the text: e.g. how open the GRU's update gate is, on average, while reading a space."""
    kinds = np.array([char_class(UNKNOWN if i == 0 else ch) for ch, i in zip(reading.text, reading.ids)])
    present = [c for c in CLASSES if (kinds == c).any()]
    return {name: {c: float(quantity(reading, name)[kinds == c].mean()) for c in present} for name in names}


def keep_and_write(reading: Reading, level: float = 0.8) -> float:
    """The share of (character, unit) pairs where the LSTM keeps *and* writes: f_t > level and i_t > level.
    A GRU unit cannot do both: it keeps z_t and writes 1 − z_t, and only one of them can exceed 0.5."""
    g = reading.gates
    return float(((g["forget"] > level) & (g["input"] > level)).mean())


# ------------------------------------------------------------------------------------------ the states

def state_ranges(reading: Reading) -> dict[str, float]:
    """How far the states stray from 0: h_t = o ⊙ tanh(c) (LSTM) or a blend of tanh values (GRU) stays
    inside (−1, 1); the LSTM's cell state is a running sum and need not."""
    out = {"h_max": float(np.abs(reading.h).max())}
    if reading.c is not None:
        out["c_max"] = float(np.abs(reading.c).max())
        out["c_beyond_1"] = float((np.abs(reading.c) > 1).mean())
    return out


# ------------------------------------------------------------------------------------- parameter count

GATE_BLOCKS = {"lstm": 4, "gru": 3}


def parameter_count(kind: str, H: int, V: int) -> tuple[int, int]:
    """(recurrent layer, read-out) parameters of a character model.

    Each of the G gate blocks (LSTM 4, GRU 3) owns W_i· (H×V), W_h· (H×H) and the biases b_i·, b_h·
    (H each): G·H·(V + H + 2). The read-out W_y (V×H) and b_y (V) adds V·(H + 1). A test holds the sum
    against the model's own count and charlm.parameter_table's rows.
    """
    return GATE_BLOCKS[kind] * H * (V + H + 2), V * (H + 1)


def parameter_latex(kind: str, H: int, V: int) -> str:
    """The count as an aligned LaTeX block: the formula, then with the numbers, then the total."""
    G, (layer, readout) = GATE_BLOCKS[kind], parameter_count(kind, H, V)
    n = lambda x: f"{x:,}".replace(",", "{,}")                                   # noqa: E731
    return (r"\begin{aligned}"
            rf"&{G}\,H\,(V + H + 2) + V\,(H + 1) \\ "
            rf"&= {G} \cdot {H} \cdot ({V} + {H} + 2) + {V} \cdot ({H} + 1) \\ "
            rf"&= {n(layer)} + {n(readout)} = \mathbf{{{n(layer + readout)}}}"
            r"\end{aligned}")


# ------------------------------------------------------------------- an intervention: freeze the memory

FREEZE = {"gru": (("update", 1.0),), "lstm": (("forget", 1.0), ("input", 0.0))}
FROZEN = 1e-5        # a drift below this is float32 rounding (the cells compute h = n + z ⊙ (h − n)), not a move


def freeze_clamps(kind: str, hidden_size: int, start: int, stop: int) -> tuple[cells.Clamp, ...]:
    """Clamps that stop a cell writing to its memory at steps start … stop−1 (0-based): every GRU unit's
    z = 1 (so h_t = h_{t−1}); every LSTM unit's f = 1 and i = 0 (so c_t = c_{t−1}, while
    h_t = o_t ⊙ tanh(c_t) still follows the output gate)."""
    return tuple(cells.Clamp(gate, t, unit, value) for gate, value in FREEZE[kind]
                 for t in range(int(start), int(stop)) for unit in range(int(hidden_size)))


def drift(reading: Reading, start: int, stop: int) -> dict[str, float]:
    """How far h (and c) moved at steps start … stop−1 (0-based, start ≥ 1) from their value just
    before: max over those steps and all units of |h_t − h_{start−1}|."""
    out = {"h": float(np.abs(reading.h[start:stop] - reading.h[start - 1]).max())}
    if reading.c is not None:
        out["c"] = float(np.abs(reading.c[start:stop] - reading.c[start - 1]).max())
    return out
