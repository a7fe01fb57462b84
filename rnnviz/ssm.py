"""A diagonal linear recurrence as a state-space model (S4, LRU, Mamba): eigenvalues, the step Δ, selectivity.

Letters: T time steps, N state size (one complex eigenvalue per state unit; diagonal, so the N units never mix).

A state-space model starts in continuous time, one state unit n at a time (Gu et al. 2022, S4):

    h'(s) = A_n h(s) + B_n x(s),          A_n = −α_n + iω_n   (α_n > 0: the unit forgets; ω_n: it turns)

and reads its input every Δ units of time. If x is held constant over each step (zero-order hold, ZOH),
the ODE solves exactly over one step and gives a discrete, linear recurrence (`zoh`):

    h_t = Ā ⊙ h_{t−1} + B̄ ⊙ x_t,         Ā = exp(ΔA),   B̄ = (Ā − 1)/A · B

Each Ā_n = λ_n = exp(Δ(−α_n + iω_n)) is an eigenvalue of the discrete system: |λ_n| = exp(−Δα_n) < 1 exactly
when α_n > 0 (the unit forgets), and arg λ_n = Δω_n is how far it turns per step. So every unit is a memory
with a time constant (the steps until |λ|^k = 1/e, −1/ln|λ| = 1/(Δα)) and an oscillation period
(2π/|arg λ| steps). The LRU (Orvieto et al. 2023) skips the ODE and draws λ directly on a ring
r_min ≤ |λ| ≤ r_max (`lru_ring`).

"Selective": Mamba (Gu & Dao 2023) computes Δ from the input, Δ_t = softplus(w·x_t + b), so Ā_t = exp(Δ_t A)
changes with each input: a large Δ_t (an input that matters) resets the state and writes x_t; a small one
keeps the state. With A = −1 and B = 1 (their Theorem 1), Ā_t = 1 − σ(w·x_t + b) and B̄_t = σ(w·x_t + b):
the update h_t = (1 − g_t) h_{t−1} + g_t x_t is a gate, like the GRU's.

Because the recurrence is linear, its gradient through time is a plain product (`state_grad`):

    ∂h_T/∂h_t = ∏_{k=t+1}^{T} Ā_k                (per unit; no weight matrix, no tanh' in between)

so it vanishes exactly as fast as the memory fades, and never explodes while every |Ā_k| ≤ 1.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from rnnviz import scan

E_FOLD = 1 / np.e      # a memory's time constant: the steps k until |λ|^k = 1/e


# ----------------------------------------------------------------------------- continuous → discrete

def s4d_lin(n: int) -> np.ndarray:
    """S4D-Lin's continuous eigenvalues A_n = −1/2 + iπn, n = 0..N−1 (Gu, Gupta, Goel & Ré 2022, "On the
    Parameterization and Initialization of Diagonal State Space Models"): one rate of forgetting,
    N frequencies."""
    return -0.5 + 1j * np.pi * np.arange(n)


def s4d_real(n: int) -> np.ndarray:
    """S4D-Real's A_n = −(n + 1), n = 0..N−1 (same paper; Mamba initialises A so, Gu & Dao 2023): N rates of
    forgetting, no turning."""
    return -(np.arange(n) + 1.0) + 0j


def zoh(A: np.ndarray, delta: float | np.ndarray, B: np.ndarray | float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Zero-order hold: (Ā, B̄) for step(s) Δ, with A (N,) complex and Δ a number or (T, 1) per step.

        Ā = exp(ΔA)                 the exact solution of h' = Ah over a time Δ
        B̄ = (Ā − 1)/A · B           ∫_0^Δ exp(sA) ds · B: the input, held for Δ, integrated in
                                    (→ Δ·B as A → 0, the limit taken where A = 0)
    """
    A = np.asarray(A, dtype=complex)
    Ab = np.exp(np.multiply(delta, A))                                   # Ā = exp(ΔA)
    safe = np.where(A == 0, 1, A)
    Bb = np.where(A == 0, np.multiply(delta, np.ones_like(A)), (Ab - 1) / safe) * B   # B̄ = (Ā − 1)/A · B
    return Ab, Bb


def eigenvalues(A: np.ndarray, delta: float) -> np.ndarray:
    """λ_n = exp(Δ·A_n) = exp(Δ(−α_n + iω_n)): the discrete recurrence's eigenvalues (N,)."""
    return np.exp(delta * np.asarray(A, dtype=complex))


def time_constant(lam: np.ndarray) -> np.ndarray:
    """Steps until |λ|^k = 1/e: −1/ln|λ| (= 1/(Δα) for λ = exp(Δ(−α + iω))); inf where |λ| ≥ 1 (no fading)."""
    r = np.abs(np.asarray(lam, dtype=complex))
    with np.errstate(divide="ignore"):
        tau = -1.0 / np.log(r)
    return np.where(r < 1, tau, np.inf)


def period(lam: np.ndarray) -> np.ndarray:
    """Steps per full turn: 2π/|arg λ|; inf where λ is real and positive (no turning). A λ on the negative
    real axis turns half a circle a step (period 2: it flips sign)."""
    angle = np.abs(np.angle(np.asarray(lam, dtype=complex)))
    with np.errstate(divide="ignore"):       # a whole number of turns per step (Δω = 2π) reads as no turning:
        return np.where(angle > 1e-9, 2 * np.pi / angle, np.inf)     # the angle comes back as ~1e-16, not 0


@dataclass(frozen=True)
class Memory:
    """One state unit read as a memory."""
    lam: complex                 # its eigenvalue λ = Ā
    tau: float                   # time constant, steps (inf: never fades)
    period: float                # steps per turn (inf: does not turn)


def memories(lam: np.ndarray) -> list[Memory]:
    return [Memory(complex(z), float(t), float(p)) for z, t, p in zip(lam, time_constant(lam), period(lam))]


def lru_ring(n: int, r_min: float, r_max: float, max_phase: float = 2 * np.pi, seed: int = 0) -> np.ndarray:
    """The LRU's initialisation (Orvieto et al. 2023, "Resurrecting Recurrent Neural Networks for Long
    Sequences"): λ uniform over the ring r_min ≤ |λ| ≤ r_max (|λ|² uniform in [r_min², r_max²]) with phase
    uniform in [0, max_phase], written as λ = exp(−exp(ν) + iθ) as they parameterise it."""
    g = np.random.default_rng(seed)
    u1, u2 = g.random(n), g.random(n)
    nu = np.log(-0.5 * np.log(u1 * (r_max ** 2 - r_min ** 2) + r_min ** 2))   # ν_log: |λ| = exp(−exp(ν))
    theta = max_phase * u2
    return np.exp(-np.exp(nu) + 1j * theta)


# ----------------------------------------------------------------------------- running it

def run(Ab: np.ndarray, Bb: np.ndarray, x: np.ndarray) -> np.ndarray:
    """h_t = Ā_t ⊙ h_{t−1} + B̄_t ⊙ x_t from h_0 = 0; Ā, B̄ (N,) or (T, N), x (T,) → h (T, N) complex.
    The linear recurrence of rnnviz.scan with a_t = Ā_t, b_t = B̄_t x_t (its loop, in complex arithmetic)."""
    x = np.asarray(x, dtype=float)[:, None]                              # (T, 1)
    a = np.broadcast_to(Ab, (len(x), np.shape(Ab)[-1]))                  # (T, N)
    b = np.asarray(Bb) * x                                               # (T, N)
    return scan.loop(torch.from_numpy(np.ascontiguousarray(a, dtype=complex)),
                     torch.from_numpy(np.ascontiguousarray(b, dtype=complex))).numpy()


def softplus(z: np.ndarray) -> np.ndarray:
    """log(1 + e^z), computed without overflow (log(e^0 + e^z))."""
    return np.logaddexp(0.0, z)


def selective_delta(x: np.ndarray, w: float, b: float) -> np.ndarray:
    """Mamba's step from the input: Δ_t = softplus(w·x_t + b) > 0 (Gu & Dao 2023). w = 0: one Δ for every
    step (a time-invariant model, as S4)."""
    return softplus(w * np.asarray(x, dtype=float) + b)


@dataclass(frozen=True)
class Selective:
    """A one-unit selective recurrence on x (T,), with A = −α, B = α (so that B̄_t = 1 − Ā_t: a gate)."""
    x: np.ndarray                # (T,) the input
    delta: np.ndarray            # (T,) Δ_t = softplus(w·x_t + b)
    a: np.ndarray                # (T,) Ā_t = exp(−αΔ_t): how much of h_{t−1} it keeps
    write: np.ndarray            # (T,) B̄_t = 1 − Ā_t: how much of x_t it writes
    h: np.ndarray                # (T,) the state
    grad: np.ndarray             # (T,) ∂h_T/∂h_t = ∏_{k=t+1}^{T} Ā_k (1 at t = T)


def selective(x: np.ndarray, w: float, b: float, alpha: float = 1.0) -> Selective:
    """Run h_t = Ā_t h_{t−1} + B̄_t x_t with Δ_t from the input; A = −α, B = α, so B̄_t = (Ā_t − 1)/A · B = 1 − Ā_t
    and h_t = Ā_t h_{t−1} + (1 − Ā_t) x_t: Ā_t keeps, 1 − Ā_t writes (with α = 1, 1 − Ā_t = σ(w·x_t + b))."""
    return with_steps(x, selective_delta(x, w, b), alpha)


def steady(x: np.ndarray, delta: float, alpha: float = 1.0) -> Selective:
    """The same unit with one Δ for every step: time-invariant (S4's kind), the comparison for `selective`."""
    return with_steps(x, np.full(len(x), float(delta)), alpha)


def with_steps(x: np.ndarray, delta: np.ndarray, alpha: float = 1.0) -> Selective:
    """The one-unit recurrence with the steps Δ_t given (T,)."""
    x = np.asarray(x, dtype=float)
    a = np.exp(-alpha * delta)                                           # Ā_t = exp(Δ_t·A), A = −α
    write = -np.expm1(-alpha * delta)                                    # B̄_t = 1 − Ā_t, exact for small Δ
    h = scan.loop(torch.from_numpy(a), torch.from_numpy(write * x)).numpy()
    return Selective(x, np.asarray(delta, dtype=float), a, write, h, state_grad(a))


def state_grad(a: np.ndarray) -> np.ndarray:
    """∂h_T/∂h_t = ∏_{k=t+1}^{T} a_k for t = 1..T (index t − 1), along axis 0 (a: (T,) or (T, N)):
    the empty product at t = T is 1. A reversed cumulative product: g_{t−1} = a_t · g_t."""
    a = np.asarray(a)
    tail = np.cumprod(a[::-1], axis=0)[::-1]                             # tail[t−1] = ∏_{k=t}^{T} a_k
    return np.concatenate([tail[1:], np.ones_like(a[:1])], axis=0)


def spike_input(T: int, at: int, height: float = 1.0, noise: float = 0.1, seed: int = 0) -> np.ndarray:
    """x (T,): small Gaussian noise (std `noise`) with one spike of `height` at step `at` (1..T): the thing
    to remember among things to ignore."""
    g = np.random.default_rng(seed)
    x = noise * g.standard_normal(T)
    x[at - 1] = height
    return x
