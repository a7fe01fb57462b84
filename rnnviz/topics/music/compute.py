"""The Music demo's computations (one-to-many): the trained LSTM reads an opening note by note, then writes
a continuation, drawing each note from its distribution at temperature τ and feeding it back as its next input.

    g = generate(model, pitches, durations, n=48, temperature=1.0, seed=0)
    g.pitches, g.durations       # the whole tune: the opening, then the n notes it wrote
    g.pitch_probs                # (T, P) at every note: the distribution over its pitch, given the notes before
    g.loop()                     # the shortest period the last notes repeat with (None: no loop)

At temperature τ each distribution is softmax(logits / τ): τ → 0 always takes the likeliest note (and a
model that always takes its likeliest note often circles), τ = 1 draws from what the model learned, τ > 1
flattens it towards anything goes. During the opening the rows show what the model would have drawn there
at τ; the notes themselves are the opening's.

Shape legend: T notes in the tune, P pitches (a rest is one of them), D durations. float64 numpy.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnviz.topics.music.model import MelodyLSTM

MAX_NEW = 96                 # the longest continuation the page asks for
LOOP_TAIL = 16               # a tune loops when its last LOOP_TAIL notes repeat with a period ≤ LOOP_TAIL / 2


@dataclass(frozen=True)
class Generation:
    pitches: list[int]            # (T,) MIDI numbers, notes.REST for a rest
    durations: list[float]        # (T,) beats
    n_open: int                   # the first n_open notes are the opening
    pitch_probs: np.ndarray       # (T, P) p(pitch of note t | notes < t) at τ
    duration_probs: np.ndarray    # (T, D) likewise for its duration
    chosen: np.ndarray            # (T,) the probability of note t's pitch and duration, at τ
    temperature: float

    @property
    def beats(self) -> float:
        return float(sum(self.durations))

    def onsets(self) -> np.ndarray:
        """(T + 1,) each note's start in beats, and the end."""
        return np.concatenate([[0.0], np.cumsum(self.durations)])

    def loop(self, tail: int = LOOP_TAIL) -> int | None:
        """The shortest period p ≤ tail/2 with which the last `tail` written notes repeat exactly (pitch
        and duration), or None."""
        return period(list(zip(self.pitches, self.durations))[self.n_open:], tail)

    def surprise(self) -> float:
        """The mean −log2 p of the written notes, at τ: bits per note (0 = it could not have drawn anything else)."""
        return float(-np.mean(np.log2(self.chosen[self.n_open:]))) if len(self.pitches) > self.n_open else 0.0


def period(seq: list, tail: int = LOOP_TAIL) -> int | None:
    """The shortest p ≤ tail // 2 with seq[-tail:][i] == seq[-tail:][i + p] for every i, or None (also when
    seq is shorter than tail)."""
    if len(seq) < tail:
        return None
    end = seq[-tail:]
    for p in range(1, tail // 2 + 1):
        if all(end[i] == end[i + p] for i in range(tail - p)):
            return p
    return None


class Stepper:
    """The LSTM one note at a time in NumPy (float64), torch.nn.LSTM's equations and gate order (i, f, g, o):

        z_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh        (4H,)   x_t = [E_p[p]; E_d[d]]
        i, f, g, o = σ(z_i), σ(z_f), tanh(z_g), σ(z_o)
        c_t = f ⊙ c_{t-1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)

    W_ih x_t is a lookup: W_ih [E_p; E_d] = W_ih,p E_p[p] + W_ih,d E_d[d], each a row of a table computed once.
    A step costs two small matrix products, not six torch calls (a 48-note tune: ~5 ms, not ~100)."""

    def __init__(self, model: MelodyLSTM):
        if model.kind != "lstm":
            raise ValueError("the stepper follows torch.nn.LSTM's equations")
        f64 = lambda t: t.detach().double().numpy()                                    # noqa: E731
        w_ih, Dp = f64(model.rnn.weight_ih_l0), model.pitch_embed                       # (4H, Dp + Dd)
        self.from_p = f64(model.embed_p.weight) @ w_ih[:, :Dp].T                        # (P + 1, 4H)
        self.from_d = f64(model.embed_d.weight) @ w_ih[:, Dp:].T + f64(model.rnn.bias_ih_l0) + f64(model.rnn.bias_hh_l0)
        self.w_hh = f64(model.rnn.weight_hh_l0).T                                       # (H, 4H)
        self.head_p = (f64(model.head_p.weight).T, f64(model.head_p.bias))             # (H, P), (P,)
        self.head_d = (f64(model.head_d.weight).T, f64(model.head_d.bias))             # (H, D), (D,)

    def step(self, p_in: int, d_in: int, h: np.ndarray, c: np.ndarray) -> tuple:
        """Input ids (0 = start, k + 1 = entry k) → (pitch logits (P,), duration logits (D,), h_t, c_t)."""
        z = self.from_p[p_in] + self.from_d[d_in] + h @ self.w_hh                       # (4H,)
        i, f, g, o = np.split(z, 4)
        sig = lambda x: 0.5 * (1.0 + np.tanh(0.5 * x))                                  # noqa: E731  σ, no overflow
        c = sig(f) * c + sig(i) * np.tanh(g)
        h = sig(o) * np.tanh(c)
        return h @ self.head_p[0] + self.head_p[1], h @ self.head_d[0] + self.head_d[1], h, c


def softmax_at(logits: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(logits / τ) in float64 (τ = 0.1 does not overflow)."""
    z = logits / float(temperature)
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def draw(p: np.ndarray, rng: np.random.Generator) -> int:
    """One index drawn from the distribution p (inverse CDF with one uniform number)."""
    return int(min(np.searchsorted(np.cumsum(p), rng.random() * p.sum(), side="right"), len(p) - 1))


def generate(model: MelodyLSTM, pitches: list[int], durations: list[float], n: int, temperature: float,
             seed: int, stepper: Stepper | None = None) -> Generation:
    """The opening (non-empty, every note in the model's vocabulary: notes.parse checks), then n notes drawn
    one at a time from numpy's default_rng(seed) at temperature τ > 0, pitch first, then length."""
    if not pitches:
        raise ValueError("the opening is empty")
    if not 0 < temperature <= 10 or not 0 <= n <= MAX_NEW:
        raise ValueError(f"temperature must be in (0, 10] and n in 0..{MAX_NEW}")
    s = stepper or Stepper(model)
    rng = np.random.default_rng(int(seed))
    p_ids, d_ids = (t.tolist() for t in model.encode(pitches, durations))
    h = c = np.zeros(model.hidden_size)
    P, D = [], []                                     # one row per note: the distribution it came from
    p_in, d_in = 0, 0                                 # the start token
    for t in range(len(p_ids) + n):
        lp, ld, h, c = s.step(p_in, d_in, h, c)
        P.append(softmax_at(lp, temperature)), D.append(softmax_at(ld, temperature))
        if t >= len(p_ids):                           # past the opening: the model draws the note
            p_ids.append(draw(P[-1], rng)), d_ids.append(draw(D[-1], rng))
        p_in, d_in = p_ids[t] + 1, d_ids[t] + 1
    P, D = np.array(P), np.array(D)                   # (T, P), (T, D)
    T = len(p_ids)
    chosen = P[np.arange(T), p_ids] * D[np.arange(T), d_ids]
    return Generation([model.pitches[i] for i in p_ids], [model.durations[i] for i in d_ids], len(pitches),
                      P, D, chosen, float(temperature))


def opening_of(pitches, durations, beats: float = 8.0, most: int = 16) -> tuple[list[int], list[float]]:
    """A song's opening: its first notes up to `beats` beats (at least one note, at most `most`)."""
    out_p, out_d, total = [], [], 0.0
    for p, d in zip(pitches, durations):
        if out_p and (total + d > beats or len(out_p) >= most):
            break
        out_p.append(int(p)), out_d.append(float(d))
        total += d
    return out_p, out_d

