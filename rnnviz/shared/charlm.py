"""What a trained character model does with a text: every gate, state and prediction, per character.

    prep = prepare(model, text)            # the text the model reads, what was unknown or cut, messages
    r = read(model, prep.text)             # Reading: h, c, gates (T, H); probs (T, V); surprisal
    chars, p = top_k(r, 5)                 # the 5 likeliest next characters after each position
    generate(model, "ROMEO.\\n", 200, temperature=0.8, seed=0)

The reading runs the *transparent* cell (rnnviz.cells) loaded with the trained torch.nn weights, so the
gates shown are the ones computed, and a test holds its predictions against the fused torch.nn model.
Generation uses the fused model (same weights, faster).

Shape legend: T characters read, H hidden units, V alphabet size. Arrays are numpy float64 copies.
"""
from __future__ import annotations

import collections
import math
from dataclasses import dataclass, field

import numpy as np
import torch

from rnnviz import cells
from rnnviz.shared.char_model import UNKNOWN, CharModel

MAX_CHARS = 1000   # the lessons read at most this many characters (a stated limit: heatmaps stay legible)
# Typographic characters a student's keyboard makes, written the way the 1990s Gutenberg texts write them.
NORMALISE = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2014": "--", "\u2013": "-",
             "\r\n": "\n", "\r": "\n", "\t": " ", "\u00a0": " "}


@dataclass
class Prepared:
    text: str                                   # what the model reads (normalised, at most `limit` chars)
    unknown: collections.Counter = field(default_factory=collections.Counter)  # char → count, read as UNKNOWN
    cut: int = 0                                # characters left out beyond the limit

    def messages(self, limit: int = MAX_CHARS) -> list[str]:
        """Plain-text notes for the page (the page escapes them); empty when all is well."""
        out = []
        if not self.text:
            out.append("The text is empty: type something or pick a passage.")
        if self.cut:
            out.append(f"The model reads at most {limit:,} characters here; it read the first {limit:,} "
                       f"and left out the other {self.cut:,}.")
        if self.unknown:
            n = sum(self.unknown.values())
            shown = ", ".join(repr(ch) for ch, _ in self.unknown.most_common(8))
            out.append(f"{n:,} character{'s' if n != 1 else ''} outside the model's alphabet "
                       f"({shown}{', …' if len(self.unknown) > 8 else ''}) "
                       f"{'were' if n != 1 else 'was'} read as the unknown symbol.")
        return out


def prepare(model: CharModel, text: str, limit: int = MAX_CHARS) -> Prepared:
    text = str(text or "")
    for fancy, plain in NORMALISE.items():
        text = text.replace(fancy, plain)
    cut = max(0, len(text) - limit)
    text = text[:limit]
    unknown = collections.Counter(ch for ch in text if ch not in model.index or ch == UNKNOWN)
    return Prepared(text=text, unknown=unknown, cut=cut)


@dataclass
class Reading:
    text: str
    ids: np.ndarray                 # (T,) alphabet indices (0 = unknown)
    alphabet: str
    kind: str                       # "lstm" | "gru"
    h: np.ndarray                   # (T, H) hidden state after each character
    c: np.ndarray | None            # (T, H) LSTM cell state; None for the GRU
    gates: dict[str, np.ndarray]    # LSTM input/forget/cell/output, GRU reset/update/new: (T, H) each
    probs: np.ndarray               # (T, V) p(next character | text up to and including t)

    @property
    def surprisal(self) -> np.ndarray:
        """(T−1,) bits: −log2 p(the character that actually came next)."""
        return -np.log2(np.maximum(self.probs[np.arange(len(self.ids) - 1), self.ids[1:]], 1e-300))

    @property
    def bpc(self) -> float:
        s = self.surprisal
        return float(s.mean()) if len(s) else float("nan")

    def quantity(self, name: str) -> np.ndarray:
        """(T, H): a gate by name, "hidden" (h_t), "cell state" (the LSTM's c_t) or "1-update" (1 − z_t,
        the share a GRU writes). Note the LSTM gate "cell" is the candidate g_t, not the cell state."""
        if name == "hidden":
            return self.h
        if name == "cell state":
            if self.c is None:
                raise ValueError("a GRU has no separate cell state: its hidden state is its memory")
            return self.c
        if name == "1-update":
            return 1.0 - self.gates["update"]
        if name not in self.gates:
            raise ValueError(f"a {self.kind} has no gate {name!r}; it has {tuple(self.gates)}")
        return self.gates[name]


def transparent(model: CharModel) -> cells.Cell:
    """The trained recurrent layer as a transparent cell (same weights)."""
    return cells.from_torch(model.rnn)


@torch.inference_mode()
def read(model: CharModel, text: str, cell: cells.Cell | None = None,
         clamps: tuple[cells.Clamp, ...] = ()) -> Reading:
    """Run `text` (non-empty, already prepared) through the transparent cell and the read-out."""
    if not text:
        raise ValueError("nothing to read: the text is empty")
    cell = cell if cell is not None else transparent(model)
    ids = model.encode(text)
    x = model.onehot(ids)[:, None, :]                                    # (T, 1, V)
    trace = cell.unroll(x, clamps=tuple(clamps))
    logits = model.head(trace.h[:, 0])                                   # (T, V)
    probs = torch.softmax(logits.double(), -1)
    as_np = lambda t: t[:, 0].double().numpy().copy()                   # noqa: E731
    return Reading(text=text, ids=ids.numpy(), alphabet=model.alphabet, kind=model.kind,
                   h=as_np(trace.h), c=None if trace.c is None else as_np(trace.c),
                   gates={g: as_np(v) for g, v in trace.gates.items()}, probs=probs.numpy())


def bpc_definition(vocab: int) -> str:
    """What bits per character (Reading.bpc) are, in the words both character-model pages say where they first
    show it."""
    return ("**Bits per character (bpc)**: the surprise at each character that came, $-\\log_2 p$, averaged "
            "over the text; lower is better. 0 would mean always certain and always right; guessing all "
            f"{vocab} characters alike costs $\\log_2 {vocab} = {math.log2(vocab):.2f}$ bits.")


def top_k(reading: Reading, k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """(T, k) characters and (T, k) probabilities of the k likeliest next characters, best first."""
    order = np.argsort(-reading.probs, axis=1, kind="stable")[:, :k]
    chars = np.array(list(reading.alphabet), dtype=object)[order]       # object: numpy str drops "\x00"
    return chars, np.take_along_axis(reading.probs, order, 1)


@torch.inference_mode()
def generate(model: CharModel, prompt: str, n: int = 200, temperature: float = 0.8, seed: int = 0) -> str:
    """Continue `prompt` by n characters, sampling from softmax(logits / temperature) with a seeded generator.

    Low temperature sharpens the distribution (repetitive, safe); high flattens it (inventive, misspelt).
    The unknown symbol is never sampled.
    """
    if not temperature > 0:
        raise ValueError("temperature must be > 0")
    gen = torch.Generator().manual_seed(int(seed))
    prompt = prompt or "\n"
    logits, state = model(model.encode(prompt)[:, None])
    last, out = logits[-1, 0], []
    for _ in range(int(n)):
        scaled = last.double() / temperature
        scaled[0] = -math.inf                                            # never emit UNKNOWN
        nxt = torch.multinomial(torch.softmax(scaled, -1), 1, generator=gen)
        out.append(model.alphabet[int(nxt)])
        logits, state = model(nxt.view(1, 1), state)
        last = logits[-1, 0]
    return "".join(out)


# ------------------------------------------------------------------------------------- interventions

def clamp_from(gate: str, unit: int, value: float, start: int, length: int) -> tuple[cells.Clamp, ...]:
    """Hold `gate` of `unit` at `value` from step `start` (0-based) to the end of the text."""
    return tuple(cells.Clamp(gate, t, int(unit), float(value)) for t in range(int(start), int(length)))


def conveyor(reading: Reading, t: int, unit: int) -> dict[str, float | np.ndarray]:
    """The LSTM cell-state update at step t for one unit, with the real numbers:

        c_t = f_t · c_{t−1} + i_t · g_t          (kept part + written part)

    and `survival[k]` = f_{t+1} · … · f_{t+k}: the share of c_t still in the cell k steps later if
    nothing new were written (survival[0] = 1).
    """
    if reading.c is None:
        raise ValueError("the conveyor belt is the LSTM's cell state; a GRU has none")
    g = reading.gates
    c_prev = reading.c[t - 1, unit] if t > 0 else 0.0
    f, i, cand, o = (g[name][t, unit] for name in ("forget", "input", "cell", "output"))
    survival = np.concatenate([[1.0], np.cumprod(g["forget"][t + 1:, unit])])
    return {"c_prev": float(c_prev), "f": float(f), "i": float(i), "g": float(cand), "o": float(o),
            "kept": float(f * c_prev), "written": float(i * cand), "c": float(reading.c[t, unit]),
            "h": float(reading.h[t, unit]), "survival": survival}


def half_life(survival: np.ndarray) -> int | None:
    """Steps until the running product of forget gates first drops below 1/2 (None: not within the text)."""
    below = np.nonzero(survival < 0.5)[0]
    return int(below[0]) if len(below) else None


# ------------------------------------------------------------------------ what an intervention changed

@dataclass(frozen=True)
class Effect:
    """What clamping changed, step by step (all from the two readings)."""
    dh: np.ndarray            # (T,) ‖h_clamped − h_free‖ over all units
    dbits: np.ndarray         # (T−1,) surprisal of the true next character, clamped − free (bits)
    dbpc: float               # change of the text's bits per character
    top1_changed: int         # steps whose likeliest next character changed
    first: int | None         # the first step (1-based) where any h differs, None if none


def effect(free: Reading, clamped: Reading) -> Effect:
    """Compare a clamped reading of a text with the free one."""
    dh = np.linalg.norm(clamped.h - free.h, axis=1)
    moved = np.nonzero(dh > 1e-9)[0]
    dbits = clamped.surprisal - free.surprisal
    top1 = int((clamped.probs.argmax(1) != free.probs.argmax(1)).sum())
    return Effect(dh, dbits, float(clamped.bpc - free.bpc) if len(dbits) else 0.0, top1,
                  int(moved[0]) + 1 if len(moved) else None)


# ------------------------------------------------------------------------------ parameters per gate

def parameter_table(model: CharModel) -> list[dict]:
    """One row per gate block of the recurrent layer, then the read-out: the weights each one owns.

    Each gate block has W_i· (H×V), W_h· (H×H) and two biases b_i·, b_h· (H each): H·(V + H + 2).
    So the LSTM layer has 4·H·(V+H+2) parameters and the GRU layer 3·H·(V+H+2); the read-out
    W_y (V×H), b_y (V) adds V·(H+1) to either.
    """
    H, V = model.hidden_size, model.vocab_size
    names = cells.GATES[model.kind]
    rows = [{"block": name, "W_i": H * V, "W_h": H * H, "W_y": 0, "biases": 2 * H, "total": H * (V + H + 2)}
            for name in names]
    rows.append({"block": "read-out", "W_i": 0, "W_h": 0, "W_y": V * H, "biases": V, "total": V * (H + 1)})
    assert sum(r["total"] for r in rows) == model.count_parameters()
    return rows
