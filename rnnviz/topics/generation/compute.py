"""Text generation, one character at a time, with every distribution it sampled from.

    g = sample(model, "ROMEO.\\n", n=80, temperature=0.8, top_k=5, seed=0)
    g.text                      # the 80 characters written
    g.model_probs[t]            # (V,) what the model itself said at generated step t (τ = 1, nothing cut)
    g.tempered[t]               # (V,) softmax(logits / τ)
    g.final[t]                  # (V,) after top-k too: what the character was drawn from
    g.chosen[t], g.p_chosen[t], g.rank[t]
    find_loop(greedy_text)      # Loop(start, period) once the text repeats itself

How a character is drawn (Holtzman et al. 2020 compare these schemes; Fan et al. 2018 introduced top-k):

    z_t   = W_y h_t + b_y                         (V,)  the model's scores (logits) after reading char_t
    p_τ   = softmax(z_t / τ)                      (V,)  τ < 1 sharpens, τ > 1 flattens, τ = 1 leaves it
    p_τ,k = p_τ on the k likeliest, 0 elsewhere, renormalised to sum to 1   (k = 0: no cut)
    char_{t+1} ~ p_τ,k   (torch.multinomial with the call's own seeded torch.Generator)

and char_{t+1} is fed back as the next input: the one-to-many form. The prompt is read first in one pass
(many-to-one: it only sets the state). The unknown symbol (index 0) is never drawn: its score is −∞
before the softmax, as in charlm.generate, so with k = 0 both write the same text for the same seed.

What the page says (how it writes, the presets, the question and its answer) is in words.py.

Shape legend: N generated characters, V alphabet size. Arrays are numpy float64.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from rnnviz.shared.char_model import CharModel

MAX_NEW = 400          # the page writes at most this many characters


@dataclass
class Generation:
    prompt: str                     # what the model read first (never empty: "" becomes "\n")
    text: str                       # the N characters written
    alphabet: str
    temperature: float
    top_k: int                      # 0: no cut
    seed: int
    logits: np.ndarray              # (N, V) the fused model's raw scores at each generated step
    model_probs: np.ndarray         # (N, V) softmax(logits), the unknown symbol masked: τ = 1, no cut
    tempered: np.ndarray            # (N, V) softmax(logits / τ), masked
    final: np.ndarray               # (N, V) tempered, top-k kept and renormalised: the draw's distribution
    chosen: np.ndarray              # (N,) the index drawn at each step

    @property
    def p_chosen(self) -> np.ndarray:
        """(N,) the probability the drawn character had in the distribution it was drawn from."""
        return self.final[np.arange(len(self.chosen)), self.chosen]

    @property
    def rank(self) -> np.ndarray:
        """(N,) 1 + how many characters the model scored higher than the drawn one (1 = its favourite)."""
        own = self.model_probs[np.arange(len(self.chosen)), self.chosen]
        return 1 + (self.model_probs > own[:, None]).sum(1)

    @property
    def entropy_bits(self) -> np.ndarray:
        """(N,) how spread the final distribution is: 0 bits = certain, log2(k) = k equal choices."""
        p = self.final
        return np.maximum(-(p * np.log2(np.where(p > 0, p, 1.0))).sum(1), 0.0) + 0.0     # never "-0.00" bits

    def order(self, step: int) -> np.ndarray:
        """(V,) the alphabet's indices at generated step `step` (0-based), the model's favourite first.
        Temperature keeps this order (it divides every score by the same τ > 0) and top-k keeps its head."""
        return np.argsort(-self.model_probs[step], kind="stable")      # the unknown symbol (p = 0) last


def mask_unknown(logits: torch.Tensor) -> torch.Tensor:
    """A copy with the unknown symbol's score at −∞: it is never drawn."""
    out = logits.double().clone()
    out[..., 0] = -math.inf
    return out


def distributions(logits: torch.Tensor, temperature: float, top_k: int, only_final: bool = False):
    """(model's own, tempered, final) distributions for one step's (V,) logits; see the module's docstring.
    only_final: just the last, the one a character is drawn from."""
    if not temperature > 0:
        raise ValueError("temperature must be > 0")
    z = mask_unknown(logits)
    scaled = z / temperature
    tempered = torch.softmax(scaled, -1)
    allowed = int((z > -math.inf).sum())
    if 0 < top_k < allowed:
        keep = torch.topk(scaled, int(top_k)).indices                  # exactly k, ties broken by position
        cut = torch.full_like(scaled, -math.inf)
        cut[keep] = scaled[keep]
        final = torch.softmax(cut, -1)
    else:
        final = tempered
    if only_final:
        return final
    return torch.softmax(z, -1), tempered, final


def stepper(model: CharModel):
    """step(index, state) -> (logits (V,), state): the model reading one character, with its own weights.

    The same arithmetic as model(ids, state) one step at a time (torch's LSTM / GRU cell), ~5× quicker per
    step on this CPU: torch.nn.LSTM / GRU hands every call to a fused oneDNN kernel whose set-up dominates
    when the sequence is one character long (measured: 120 steps of the 256-unit LSTM, 130 ms against
    22 ms). The outputs agree to float32 rounding (4e-7); tests hold the recorded logits to the fused
    model's, and the drawn text to charlm.generate's."""
    rnn, head = model.rnn, model.head
    weights = (rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0)
    eye = torch.eye(model.vocab_size, dtype=head.weight.dtype)          # row i: the one-hot input x = e_i
    lstm = model.kind == "lstm"

    def step(index: int, state):
        x = eye[index:index + 1]                                        # (1, V)
        if lstm:
            h, c = torch.lstm_cell(x, state, *weights)
            state = (h, c)
        else:
            h = state = torch.gru_cell(x, state, *weights)
        return torch.nn.functional.linear(h, head.weight, head.bias)[0], state

    return step


@torch.inference_mode()
def sample(model: CharModel, prompt: str, n: int = 80, temperature: float = 0.8, top_k: int = 0,
           seed: int = 0) -> Generation:
    """Read `prompt`, then write n characters, recording every distribution (see the module's docstring).
    The loop only draws (the distribution it draws from, as charlm.generate does); the model's own and the
    tempered distributions of all steps are computed after it, in one pass over the recorded logits."""
    if not temperature > 0:
        raise ValueError("temperature must be > 0")
    n = max(0, min(int(n), MAX_NEW))
    prompt = prompt or "\n"
    gen = torch.Generator().manual_seed(int(seed))
    logits, state = model(model.encode(prompt)[:, None])                # (P, 1, V): the prompt, one pass
    state = tuple(s[0] for s in state) if isinstance(state, tuple) else state[0]   # (1, H): the cell's shape
    step = stepper(model)
    last = logits[-1, 0]
    rows: list[torch.Tensor] = []
    finals: list[torch.Tensor] = []
    chosen: list[int] = []
    for _ in range(n):
        final = distributions(last, temperature, top_k, only_final=True)
        nxt = int(torch.multinomial(final, 1, generator=gen))
        rows.append(last)
        finals.append(final)
        chosen.append(nxt)
        last, state = step(nxt, state)                                  # the drawn character, fed back
    V = model.vocab_size
    if rows:
        raw = torch.stack(rows).double()                                # (N, V)
        z = mask_unknown(raw)
        final = torch.stack(finals)
        model_probs = torch.softmax(z, -1)
        cut = 0 < top_k < int((z[0] > -math.inf).sum())
        tempered = torch.softmax(z / temperature, -1) if cut else final    # no cut: what was drawn from
        arrays = [a.numpy() for a in (raw, model_probs, tempered, final)]
    else:
        arrays = [np.zeros((0, V)) for _ in range(4)]
    return Generation(prompt=prompt, text="".join(model.alphabet[i] for i in chosen), alphabet=model.alphabet,
                      temperature=float(temperature), top_k=int(top_k), seed=int(seed), logits=arrays[0],
                      model_probs=arrays[1], tempered=arrays[2], final=arrays[3], chosen=np.array(chosen, dtype=int))


@dataclass(frozen=True)
class Loop:
    start: int          # the index in the text where the repetition begins
    period: int         # the length of the repeated piece
    repeats: float      # how many times it repeats to the end of the text

    def piece(self, text: str) -> str:
        return text[self.start:self.start + self.period]


def find_loop(text: str, min_repeats: float = 3.0) -> Loop | None:
    """Where `text` turns periodic for good: the earliest start s and smallest period p with
    text[i] == text[i + p] for every i ≥ s, repeating at least `min_repeats` times to the end. Greedy
    decoding (top-k = 1) does this: the state it feeds back is a function of the last state only, so once
    a state returns (to float precision), everything after it repeats."""
    best: Loop | None = None
    N = len(text)
    for p in range(1, N // 2 + 1):
        s = N - p                                  # walk back while the text keeps period p
        while s > 0 and text[s - 1] == text[s - 1 + p]:
            s -= 1
        repeats = (N - s) / p
        if repeats >= min_repeats and (best is None or s < best.start):
            best = Loop(s, p, repeats)
    return best


def fused_logits(model: CharModel, prompt: str, text: str) -> np.ndarray:
    """(N, V) the logits the fused model gives at each generated step when it reads prompt + text in one
    pass: what `sample` recorded step by step must equal them (a test holds it)."""
    with torch.inference_mode():
        ids = model.encode((prompt or "\n") + text)
        logits, _ = model(ids[:, None])
    P = len(prompt or "\n")
    return logits[P - 1:P - 1 + len(text), 0].double().numpy()


VISIBLE = {" ": "␣", "\n": "↵", "\x00": "�"}


def visible(ch: str) -> str:
    """A character as a box or a label shows it: a space as ␣, a newline as ↵, anything unprintable as �."""
    return VISIBLE.get(ch, ch if ch.isprintable() else "�")


@dataclass(frozen=True)
class Window:
    """The part of the generation the one-to-many diagram draws around generated step `step` (1-based)."""
    n_in: int                   # inputs read from outside: the prompt's tail, or the character fed in at `first`
    n_out: int                  # generated steps drawn
    first: int                  # the first generated step drawn
    labels: dict                # {"x", "y": characters made visible, "start": the entering state, "t": ticks}
    highlight: int              # the picked step's column in the diagram (1-based)


def window(g: Generation, step: int, width: int = 8, prompt_tail: int = 3) -> Window:
    """Generated step t reads the previous character (the prompt's last one for t = 1) and writes text[t−1].
    Up to `width` generated steps are drawn: 1..width after the prompt's last `prompt_tail` characters
    while `step` ≤ width, else the `width` steps ending at `step`, whose first input is the character
    written just before them (fed back, here drawn as that step's input)."""
    N = len(g.text)
    if N == 0:
        raise ValueError("nothing was generated")
    step = max(1, min(int(step), N))
    if step <= width:
        tail = g.prompt[-prompt_tail:]
        first, last = 1, min(N, width)
        start = "h₀ = 0" if len(tail) == len(g.prompt) else "h (prompt)"
        xs = [visible(ch) for ch in tail]
    else:
        first, last = step - width + 1, step
        start = f"h (step {first - 1})"
        xs = [visible(g.text[first - 2])]
    ys = [visible(ch) for ch in g.text[first - 1:last]]
    ticks = ["p"] * (len(xs) - 1) + [str(t) for t in range(first, last + 1)]   # column → step (p: the prompt)
    return Window(len(xs), len(ys), first, {"x": xs, "y": ys, "start": start, "t": ticks,
                                                 "axis": "generated step" + (" (p: reading the prompt)" if len(xs) > 1 else "")}, len(xs) + step - first)


