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
    char_{t+1} ~ p_τ,k   (torch.multinomial's draw from the call's own seeded torch.Generator: see exponentials)

and char_{t+1} is fed back as the next input: the one-to-many form. The prompt is read first (many-to-one:
it only sets the state). The unknown symbol (index 0) is never drawn: its score is −∞
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
PROMPT_STEPS = 100     # a prompt up to this long is read step by step (stepper); a longer one by the fused layer.
                       # Streamlit runs each rerun on a new thread, where torch's first fused LSTM call cost
                       # ~6 ms (py-spy, in the server) against ~25 µs a character for the NumPy step


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
    """step(index, state) -> (logits (V,), state): the model reading one character, with its own weights, in NumPy
    (float32, as the model; state: h, or (h, c) for the LSTM, each (H,)).

    The same arithmetic as model(ids, state) one step at a time (torch's LSTM / GRU / RNN cell):
        LSTM  i, f, g, o = σ, σ, tanh, σ (W_ih x + b_ih + W_hh h + b_hh);  c' = f c + i g;  h' = o tanh(c')
        GRU   r, z = σ(W_ih,rz x + b_ih,rz + W_hh,rz h + b_hh,rz);  n = tanh(W_ih,n x + b_ih,n + r (W_hh,n h + b_hh,n))
              h' = (1 − z) n + z h
        RNN   h' = tanh (or relu)(W_ih x + b_ih + W_hh h + b_hh)
    x is one-hot, so W_ih x is column `index` of W_ih. The page's step is ~10 small array operations: torch's
    fused layer hands every one-character call to a oneDNN kernel whose set-up dominates (120 steps of the
    256-unit LSTM, 130 ms against ~4 ms), and even torch.lstm_cell + linear cost ~5–10 µs of dispatch an op.
    The outputs agree to float32 rounding (~1e-6); tests hold the recorded logits to the fused model's, and
    the drawn text to charlm.generate's."""
    rnn, head = model.rnn, model.head
    f32 = lambda t: t.detach().float().numpy()                          # noqa: E731
    W_ih, W_hh, b_ih, b_hh = (f32(w) for w in (rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0))
    W_y, b_y = np.ascontiguousarray(f32(head.weight).T), f32(head.bias)     # (H, V), (V,)
    W_hT = np.ascontiguousarray(W_hh.T)                                 # (H, gates·H): h @ W_hT = W_hh h
    H = model.hidden_size
    kind = model.kind

    def sigmoid(a):
        return 1 / (1 + np.exp(-a))

    if kind == "lstm":
        X = np.ascontiguousarray(W_ih.T) + (b_ih + b_hh)               # (V, 4H): row i, W_ih e_i + both biases

        def step(index: int, state):
            h, c = state
            z = X[index] + h @ W_hT
            s = sigmoid(z[:2 * H])                                      # i, f
            c = s[H:] * c + s[:H] * np.tanh(z[2 * H:3 * H])
            h = sigmoid(z[3 * H:]) * np.tanh(c)
            return h @ W_y + b_y, (h, c)
    elif kind == "gru":
        X = np.ascontiguousarray(W_ih.T) + b_ih                         # (V, 3H)
        X[:, :2 * H] += b_hh[:2 * H]                                    # r, z: both biases outside; n: b_hh inside r(·)

        def step(index: int, h):
            x, a = X[index], h @ W_hT
            rz = sigmoid(x[:2 * H] + a[:2 * H])
            n = np.tanh(x[2 * H:] + rz[:H] * (a[2 * H:] + b_hh[2 * H:]))
            h = n + rz[H:] * (h - n)                                    # (1 − z) n + z h
            return h @ W_y + b_y, h
    else:
        X = np.ascontiguousarray(W_ih.T) + (b_ih + b_hh)               # (V, H)
        act = np.tanh if getattr(rnn, "nonlinearity", "tanh") == "tanh" else (lambda a: np.maximum(a, 0))

        def step(index: int, h):
            h = act(X[index] + h @ W_hT)
            return h @ W_y + b_y, h

    return step


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _cut(scaled: np.ndarray, top_k: int) -> np.ndarray:
    """(V,) scores with all but the k likeliest at −∞ (ties broken by position, as torch.topk's)."""
    keep = np.argsort(-scaled, kind="stable")[:top_k]
    out = np.full_like(scaled, -math.inf)
    out[keep] = scaled[keep]
    return out


def exponentials(gen: torch.Generator, n: int, V: int) -> np.ndarray:
    """(n, V) float64 q ~ Exp(1) from `gen`, all steps' at once: torch.multinomial(p, 1, generator=gen) draws
    argmax(p / q) with a fresh (V,) such q each call (torch's one-sample path, the Gumbel-max trick with exp
    applied), and n calls draw the same numbers as one (n, V) call. So step t draws argmax(p_t / q[t]): the
    character torch.multinomial would draw, without its ~15 µs a call (a test holds the two equal)."""
    return torch.empty(n, V, dtype=torch.float64).exponential_(generator=gen).numpy()


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
    V = model.vocab_size
    gen = torch.Generator().manual_seed(int(seed))
    step = stepper(model)
    if len(prompt) <= PROMPT_STEPS:                                     # the prompt, step by step from h = 0
        zero = np.zeros(model.hidden_size, dtype=np.float32)
        state = (zero, zero) if model.kind == "lstm" else zero
        for ch in prompt:
            last, state = step(model.index.get(ch, 0), state)
    else:                                                               # a long one in one fused pass
        logits, state = model(model.encode(prompt)[:, None])            # (P, 1, V)
        state = tuple(s[0, 0].numpy() for s in state) if isinstance(state, tuple) else state[0, 0].numpy()  # (H,)
        last = logits[-1, 0].numpy()
    q = exponentials(gen, n, V)
    cut = 0 < top_k < V - 1                                             # all but the unknown symbol: no cut
    raw = np.empty((n, V))
    final = np.empty((n, V))
    chosen = np.empty(n, dtype=int)
    for t in range(n):
        raw[t] = last
        scaled = raw[t] / temperature
        scaled[0] = -math.inf                                           # the unknown symbol: never drawn
        final[t] = p = _softmax(_cut(scaled, top_k) if cut else scaled)
        chosen[t] = nxt = int(np.argmax(p / q[t]))                      # = torch.multinomial(p, 1, generator=gen)
        last, state = step(nxt, state)                                  # the drawn character, fed back
    z = raw.copy()
    z[:, 0] = -math.inf
    model_probs = _softmax(z)
    tempered = _softmax(z / temperature) if cut else final             # no cut: what was drawn from
    return Generation(prompt=prompt, text="".join(model.alphabet[i] for i in chosen), alphabet=model.alphabet,
                      temperature=float(temperature), top_k=int(top_k), seed=int(seed), logits=raw,
                      model_probs=model_probs, tempered=tempered, final=final, chosen=chosen)


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


