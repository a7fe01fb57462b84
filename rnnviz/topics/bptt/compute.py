"""The BPTT lesson's computation: a many-to-many model, its loss at every step, and the backward pass.

The model reads a sequence x_1..x_{T+1} one value at a time and at every step predicts the next value:

    h_t = cell(x_t, h_{t−1})          an RNN, LSTM or GRU (rnnviz.cells), h_0 = 0
    y_t = W_hy h_t + b_y              a linear readout, one number per step
    L_t = ½ (y_t − x_{t+1})²,  L = Σ_t L_t

The backward pass is rnnviz.bptt's, written out by hand: the gradient reaching h_t has two parts,
ℓ_t = ∂L_t/∂h_t from the step's own loss and what arrives from the future through step t+1, and
∂L/∂W_hh is a sum of one share per step. Truncated BPTT cuts the backward pass at k steps, in two ways
(rnnviz.bptt.backward's schemes): a window that slides with each loss (every loss reaches back k steps),
and chunk-and-detach, what `h = h.detach()` every k steps does in a PyTorch training loop (each loss
reaches back to the start of its chunk). Here the full gradient is split into one piece per (step r
where W_hh was used, loss s that sent the gradient), so one pass gives the truncated ∂L/∂W_hh of both
schemes for every k at once (a test holds each against bptt.backward(truncate=k, scheme=...)).

The model (seeded, a few Adam steps so its predictions beat noise) is rnnviz.topics.bptt.model's, the
sequences rnnviz.shared.sequences'; their names are re-exported here for the page. Everything is float64.
The LaTeX a student reads is in EQUATIONS, next to the code that computes each term (the model's
lines from seq_model), and `with_numbers` fills the same equations with the numbers of one step.
No streamlit here.

Shape legend: T time steps, B batch (1 here), H hidden units, G gate blocks (RNN 1, LSTM 4, GRU 3).
Steps are t = 1..T in what a student reads; arrays are indexed 0..T−1.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import Tensor

from rnnviz import bptt, cells
from rnnviz.topics.bptt.model import EQUATIONS as MODEL_EQUATIONS
from rnnviz.topics.bptt.model import LEARNING_RATE, Model, build_model, forward, train  # noqa: F401
from rnnviz.shared.sequences import (DEFAULT_TEXT, MAX_ABS, MAX_CHARS, MAX_T, MIN_NUMBERS, SINE_PERIOD,  # noqa: F401
                              SOURCES, STEPS_HALF, SequenceError, make_sequence, parse_sequence)

F64 = torch.float64


@dataclass(frozen=True)
class LessonConfig:
    kind: str = "rnn"            # "rnn" | "lstm" | "gru"
    source: str = "sine"         # "sine" | "steps" | "typed"
    text: str = DEFAULT_TEXT     # the typed sequence (source "typed")
    T: int = 12                  # predictions for sine and steps (typed: one fewer than the numbers)
    H: int = 4                   # hidden units
    train_steps: int = 20        # Adam steps on the sequence before we look (0: random weights)
    seed: int = 0                # seeds the weights


# ----- the lesson: forward, backward, shares, truncation ---------------------------------------------

def local_grads(model: Model, err: Tensor) -> Tensor:
    """ℓ_t = ∂L_t/∂h_t = W_hy^T (y_t − x_{t+1}): (T, 1, H), from the errors err (T,)."""
    return err.view(-1, 1, 1) * model.w_hy[0]                           # (T, 1, H)


def future_part(cell: cells.Cell, trace: cells.Trace, back: bptt.Backward) -> Tensor:
    """(T, B, H): the share of δh_t that arrives from step t+1 (zero at t = T):
    W_hh^T δz^h_{t+1} for every cell, plus δh_{t+1} ⊙ z_{t+1} for the GRU (h_t also enters h_{t+1}
    directly, through its update gate). The LSTM's cell-state path reaches h_t only through δz_{t+1}."""
    W = cell.weight_hh.detach()                                         # (G*H, H)
    fut = torch.zeros_like(back.dh)
    fut[:-1] = back.dz_h[1:] @ W                                        # W_hh^T δz^h_{t+1}
    if cell.kind == "gru":
        fut[:-1] += back.dh[1:] * trace.gates["update"][1:].detach()    # + δh_{t+1} ⊙ z_{t+1}
    return fut


@dataclass
class Lesson:
    """Everything the page shows; arrays are numpy, steps indexed 0..T−1 (t = 1..T)."""

    config: LessonConfig
    model: Model
    values: np.ndarray           # (T+1,) x_1..x_{T+1}
    y: np.ndarray                # (T,)   predictions y_t
    losses: np.ndarray           # (T,)   L_t
    h: np.ndarray                # (T, H) hidden states
    local: np.ndarray            # (T, H) ℓ_t
    future: np.ndarray           # (T, H) the future's share of δh_t
    dh: np.ndarray               # (T, H) δh_t = ∂L/∂h_t (full BPTT)
    dh0: np.ndarray              # (H,)   ∂L/∂h_0
    shares: np.ndarray           # (T, G*H, H) step t's share δz^h_t h_{t−1}^T of ∂L/∂W_hh
    by_distance: np.ndarray      # (T, G*H, H) the part of ∂L/∂W_hh whose gradient travelled d steps
    by_chunk: np.ndarray         # (T, G*H, H) row k−1: ∂L/∂W_hh of chunk-and-detach with chunks of k steps
    pair_norms: np.ndarray       # (T, T) ‖piece of ∂L/∂W_hh used at step r, sent by the loss of step s‖ [r, s]
    messages: list[str] = field(default_factory=list)

    @property
    def T(self) -> int:
        return len(self.y)

    @property
    def x(self) -> np.ndarray:
        return self.values[:-1]

    @property
    def target(self) -> np.ndarray:
        return self.values[1:]

    @property
    def total_loss(self) -> float:
        return float(self.losses.sum())

    @property
    def whh_grad(self) -> np.ndarray:
        """∂L/∂W_hh, the sum of every step's share."""
        return self.shares.sum(axis=0)

    def running(self) -> np.ndarray:
        """(T, G*H, H): Σ_{s=t}^{T} share_s, what the backward pass has added up when it reaches t."""
        return np.cumsum(self.shares[::-1], axis=0)[::-1]

    def truncated_whh(self, scheme: str = "sliding") -> np.ndarray:
        """(T, G*H, H): row k−1 is ∂L/∂W_hh of truncated BPTT with window k = 1..T, in `scheme`
        ("sliding" or "chunks"); at k = T both are the full ∂L/∂W_hh."""
        return np.cumsum(self.by_distance, axis=0) if scheme == "sliding" else self.by_chunk

    # norms the figures draw (Frobenius; one number per step)
    def part_norms(self) -> dict[str, np.ndarray]:
        """‖ℓ_t‖, ‖future part‖, ‖δh_t‖ for t = 1..T (‖δh_t‖ ≤ the other two's sum; not equal)."""
        return {"local": norms(self.local), "future": norms(self.future), "dh": norms(self.dh)}

    def share_norms(self) -> np.ndarray:
        return norms(self.shares)

    def running_norms(self) -> np.ndarray:
        return norms(self.running())

    def distance_norms(self) -> np.ndarray:
        """‖part of ∂L/∂W_hh whose gradient travelled d steps‖ for d = 0..T−1."""
        return norms(self.by_distance)

    def far_share(self, k: int) -> float:
        """‖part of ∂L/∂W_hh whose gradient travelled k steps or more‖ / ‖∂L/∂W_hh‖: what a sliding
        window of k throws away, as a share of the full gradient's norm (NaN when ∂L/∂W_hh = 0)."""
        full = self.whh_norm
        return float(np.linalg.norm(self.by_distance[int(k):].sum(axis=0))) / full if full else math.nan

    def passing_gains(self) -> np.ndarray:
        """(T−1,): ‖what reaches h_t from step t+1‖ / ‖δh_{t+1}‖ for t = 1..T−1: how much the backward pass
        shrinks (< 1) or grows (> 1) the gradient as it carries it one step back (NaN where δh_{t+1} = 0)."""
        dh_next = norms(self.dh[1:])
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(dh_next > 0, norms(self.future[:-1]) / dh_next, np.nan)

    @property
    def whh_norm(self) -> float:
        return float(np.linalg.norm(self.whh_grad))

    @property
    def dh0_norm(self) -> float:
        return float(np.linalg.norm(self.dh0))


def norms(a: np.ndarray) -> np.ndarray:
    """Frobenius norm of each a[t]: (T, ...) → (T,)."""
    return np.sqrt(np.sum(np.square(a.reshape(a.shape[0], -1)), axis=1))


def similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(cosine, ‖a‖/‖b‖) of two gradients; NaN when b (the reference) is zero."""
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if nb == 0:
        return math.nan, math.nan
    return (float(np.sum(a * b)) / (na * nb) if na else 0.0), na / nb


def analyse(model: Model, values: np.ndarray, cfg: LessonConfig = LessonConfig(),
            messages: list[str] | None = None) -> Lesson:
    """One forward pass, full BPTT by hand, each step's share, and the split by distance travelled."""
    trace, y, err = forward(model, values)
    local = local_grads(model, err)                                     # (T, 1, H)
    back = bptt.backward(model.cell, trace, local)
    by_distance, by_chunk, pair_norms = split_by_pair(model, values, local)
    return Lesson(config=cfg, model=model, values=np.asarray(values, dtype=float), y=y.numpy(),
                  losses=0.5 * err.numpy() ** 2, h=trace.h[:, 0].numpy(), local=local[:, 0].numpy(),
                  future=future_part(model.cell, trace, back)[:, 0].numpy(), dh=back.dh[:, 0].numpy(),
                  dh0=back.dh0[0].numpy(), shares=back.whh_contributions().numpy(),
                  by_distance=by_distance, by_chunk=by_chunk, pair_norms=pair_norms,
                  messages=list(messages or []))


def split_by_pair(model: Model, values: np.ndarray, local: Tensor) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """∂L/∂W_hh split into pieces P[r, s]: the use of W_hh at step r, reached by the gradient of the
    loss at step s (r ≤ s; the piece travelled d = s − r steps). Returns
      by_distance (T, G*H, H)  row d: Σ of the pieces with s − r = d; rows 0..k−1 summed = sliding window k
      by_chunk    (T, G*H, H)  row k−1: Σ of the pieces with r and s in the same chunk of k steps
                               (r // k == s // k, 0-based) = chunk-and-detach with chunks of k
      pair_norms  (T, T)       ‖P[r, s]‖

    Each loss needs its own backward pass; instead of T passes we run ONE over a batch of T identical
    copies of the sequence, copy s carrying only the loss of step s (batch b = loss s)."""
    T = len(values) - 1
    seq = torch.as_tensor(values, dtype=F64)
    with torch.no_grad():
        trace = model.cell.unroll(seq[:-1].view(-1, 1, 1).expand(-1, T, -1))      # (T, B=T, H)
    per_loss = torch.zeros(T, T, local.shape[-1], dtype=F64)                   # (T steps, T losses, H)
    idx = torch.arange(T)
    per_loss[idx, idx] = local[:, 0]                                           # copy s: ℓ_s at step s
    back = bptt.backward(model.cell, trace, per_loss)
    shares = torch.einsum("rsg,rsh->rsgh", back.dz_h, back.h_prev)            # (step r, loss s, G*H, H)
    d = idx[None, :] - idx[:, None]                                            # s − r for each (r, s)
    by_distance = torch.zeros(T, *shares.shape[2:], dtype=F64)
    by_distance.index_add_(0, d[d >= 0], shares[d >= 0])                       # r > s carries nothing
    # Chunks of k: the losses s of r's chunk that come at or after r, i.e. s = r..end of r's chunk.
    # P[r, s] = 0 for s < r, so that is the running sum over s up to the chunk's last step e_k(r).
    upto = torch.cumsum(shares, dim=1)                                         # (r, s): Σ_{s' ≤ s} P[r, s']
    by_chunk = torch.stack([upto[idx, torch.clamp((idx // k + 1) * k - 1, max=T - 1)].sum(dim=0)
                            for k in range(1, T + 1)])                         # (k, G*H, H)
    pair_norms = torch.linalg.vector_norm(shares.flatten(2), dim=2)           # (r, s)
    return by_distance.numpy(), by_chunk.numpy(), pair_norms.numpy()


def run(cfg: LessonConfig) -> Lesson:
    """The whole lesson for one configuration (the page caches it)."""
    if cfg.kind not in cells.KINDS:
        raise ValueError(f"unknown cell kind {cfg.kind!r}; choose one of {cells.KINDS}")
    values, messages = make_sequence(cfg.source, int(cfg.T), cfg.text)
    model = train(build_model(cfg.kind, int(cfg.H), int(cfg.seed)), values, int(cfg.train_steps))
    return analyse(model, values, cfg, messages)


@dataclass
class Truncation:
    """Truncated BPTT with window k (in one of bptt.SCHEMES) against full BPTT."""

    k: int
    dh: np.ndarray               # (T, H) δh_t with the window
    whh_grad: np.ndarray         # (G*H, H) ∂L/∂W_hh with the window
    dh0: np.ndarray              # (H,)
    cosine: float                # cos(truncated, full) of ∂L/∂W_hh
    ratio: float                 # ‖truncated‖ / ‖full‖
    scheme: str = "sliding"      # "sliding" | "chunks"

    @property
    def is_full(self) -> bool:
        """Nothing cut, ∂L/∂h_0 included: a sliding window needs k ≥ T + 1 (h_0 is T + 1 states back from
        h_T), one chunk of k ≥ T steps is the whole sequence."""
        return self.k > len(self.dh) if self.scheme == "sliding" else self.k >= len(self.dh)

    def dh_norms(self) -> np.ndarray:
        return norms(self.dh)

    @property
    def dh0_norm(self) -> float:
        return float(np.linalg.norm(self.dh0))


def truncated(lesson: Lesson, k: int, scheme: str = "sliding") -> Truncation:
    """bptt.backward(..., truncate=k, scheme=scheme). Sliding: each step's loss reaches back k states
    (∂L/∂W_hh is complete from k = T; ∂L/∂h_0 from k = T + 1). Chunks: each loss reaches back to the
    start of its chunk of k steps (complete, ∂L/∂h_0 included, from k = T)."""
    m = lesson.model
    trace, _, err = forward(m, lesson.values)
    back = bptt.backward(m.cell, trace, local_grads(m, err), truncate=int(k), scheme=scheme)
    whh = back.whh_contributions().sum(0).numpy()
    cos, ratio = similarity(whh, lesson.whh_grad)
    return Truncation(k=int(k), dh=back.dh[:, 0].numpy(), whh_grad=whh, dh0=back.dh0[0].numpy(),
                      cosine=cos, ratio=ratio, scheme=scheme)


def truncation_curve(lesson: Lesson, scheme: str = "sliding") -> tuple[np.ndarray, np.ndarray]:
    """(cosine, norm ratio) of the truncated ∂L/∂W_hh against the full one for k = 1..T."""
    pairs = [similarity(w, lesson.whh_grad) for w in lesson.truncated_whh(scheme)]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


def truncation_cosine(lesson: Lesson, k: int, scheme: str = "sliding") -> float:
    """cos(truncated, full) of ∂L/∂W_hh for window k (1.0 once k ≥ T: nothing of W_hh's gradient is cut)."""
    return float(truncation_curve(lesson, scheme)[0][min(int(k), lesson.T) - 1])


def kept_pairs(T: int, k: int, scheme: str) -> np.ndarray:
    """(T, T) bool [r, s]: which pieces P[r, s] of ∂L/∂W_hh (use at step r, loss at step s, 0-based) a
    window of k keeps. Sliding: 0 ≤ s − r < k. Chunks: r ≤ s in the same chunk, r // k == s // k."""
    r, s = np.arange(T)[:, None], np.arange(T)[None, :]
    if scheme == "sliding":
        return (s >= r) & (s - r < k)
    return (s >= r) & (r // k == s // k)


# ----- the equations, and the same equations with one step's numbers -------------------------------

_FUTURE = {
    "rnn": r"W_{hh}^{\top}\,\delta z_{t+1}",
    "lstm": r"W_{hh}^{\top}\,\delta z_{t+1}",
    "gru": r"\delta h_{t+1} \odot z_{t+1} + W_{hh}^{\top}\,\delta z^{h}_{t+1}",
}
_DZ = {   # δz: the gradient of the step's pre-activations (what W_hh multiplies), per cell
    "rnn": r"\delta z_t = \delta h_t \odot (1 - h_t^2) \quad (\tanh' \text{ at step } t)",
    "lstm": r"\delta z_t = (\delta z_i \,|\, \delta z_f \,|\, \delta z_g \,|\, \delta z_o)_t, \quad "
            r"\delta c_t = \delta h_t \odot o_t \odot (1 - \tanh^2 c_t) + \delta c_{t+1} \odot f_{t+1}",
    "gru": r"\delta z^{h}_t = (\delta z_r \,|\, \delta z_z \,|\, r_t \odot \delta z_n)_t, \quad "
           r"\delta z_n = \delta h_t \odot (1 - z_t) \odot (1 - n_t^2)",
}
EQUATIONS = {
    **MODEL_EQUATIONS,                                        # output y_t and loss L_t, from seq_model
    "local": r"\ell_t = \frac{\partial L_t}{\partial h_t} = W_{hy}^{\top}\,(y_t - x_{t+1})",
    "dh": {kind: r"\delta h_t = \frac{\partial L}{\partial h_t} = \underbrace{\ell_t}_{\text{local loss}} + "
                 rf"\underbrace{{{_FUTURE[kind]}}}_{{\text{{from the future}}}}" for kind in cells.KINDS},
    "dz": _DZ,
    "share": r"\frac{\partial L}{\partial W_{hh}} = \sum_{t=1}^{T} \underbrace{\delta z_t\, h_{t-1}^{\top}}"
             r"_{\text{step } t\text{'s share}}",
    "truncated": r"\frac{\partial L}{\partial W_{hh}}\Big|_{k}^{\text{sliding}} = \sum_{s=1}^{T}\;"
                 r"\sum_{t=\max(1,\,s-k+1)}^{s}\delta z^{(s)}_t\, h_{t-1}^{\top}",
    "chunks": r"\frac{\partial L}{\partial W_{hh}}\Big|_{k}^{\text{chunks}} = \sum_{s=1}^{T}\;"
              r"\sum_{t=a(s)}^{s}\delta z^{(s)}_t\, h_{t-1}^{\top},\qquad a(s) = k\big\lfloor\tfrac{s-1}{k}"
              r"\big\rfloor + 1",
}


def latex_number(v: float, digits: int = 3) -> str:
    """3 significant digits; powers of ten as ×10^n rather than e-notation."""
    if not math.isfinite(v):
        return r"\infty" if v > 0 else (r"-\infty" if v < 0 else r"\mathrm{NaN}")
    if v == 0:
        return "0"                                            # never "-0"
    s = f"{v:.{digits}g}"
    if "e" in s:
        mant, exp = s.split("e")
        return rf"{mant}\times10^{{{int(exp)}}}"
    return s


MAX_SHOWN = 6     # vectors longer than this show their first MAX_SHOWN − 1 entries and an ellipsis


def latex_vector(v: np.ndarray) -> str:
    """A column vector written as a transposed row: [a  b  c]^T."""
    vals = [latex_number(float(a)) for a in v]
    if len(vals) > MAX_SHOWN:
        vals = vals[:MAX_SHOWN - 1] + [r"\cdots"]
    return r"\begin{bmatrix}" + " & ".join(vals) + r"\end{bmatrix}^{\!\top}"


def _paren(v: float) -> str:
    """A number to subtract: negative ones in parentheses, 0.5 − (−0.3)."""
    return latex_number(v) if v >= 0 else f"({latex_number(v)})"


def with_numbers(lesson: Lesson, t: int) -> dict[str, str]:
    """The lesson's equations at step t (1-based), filled with the numbers the code computed."""
    if not 1 <= t <= lesson.T:
        raise ValueError(f"step t must be between 1 and {lesson.T}; got {t}")
    i, n = t - 1, latex_number
    y, x_next, err = float(lesson.y[i]), float(lesson.target[i]), float(lesson.y[i] - lesson.target[i])
    share = float(norms(lesson.shares[i:i + 1])[0])
    running = float(np.linalg.norm(lesson.running()[i]))
    future = (r"\underbrace{" + latex_vector(lesson.future[i]) + r"}_{\text{from step } " + str(t + 1) + "}"
              if t < lesson.T else r"\underbrace{0}_{\text{no later step}}")
    return {
        "loss": rf"L_{{{t}}} = \tfrac12\,(y_{{{t}}} - x_{{{t + 1}}})^2 = \tfrac12\,({n(y)} - {_paren(x_next)})^2 "
                rf"= {n(float(lesson.losses[i]))}",
        "local": rf"\begin{{aligned}} \ell_{{{t}}} &= W_{{hy}}^{{\top}}\,(y_{{{t}}} - x_{{{t + 1}}}) = "
                 rf"{latex_vector(lesson.model.w_hy[0].numpy())} \cdot ({n(err)}) \\ "
                 rf"&= {latex_vector(lesson.local[i])} \end{{aligned}}",
        "dh": rf"\begin{{aligned}} \delta h_{{{t}}} &= \underbrace{{{latex_vector(lesson.local[i])}}}_{{\ell_{{{t}}}}}"
              rf" \\ &\quad + {future} \\ &= {latex_vector(lesson.dh[i])} \end{{aligned}}",
        "share": rf"\big\|\delta z_{{{t}}}\, h_{{{t - 1}}}^{{\top}}\big\| = {n(share)}, \qquad "
                 rf"\Big\|\sum_{{s={t}}}^{{{lesson.T}}} \delta z_s\, h_{{s-1}}^{{\top}}\Big\| = {n(running)}"
                 rf"\quad\text{{of the full }} {n(lesson.whh_norm)}",
    }
