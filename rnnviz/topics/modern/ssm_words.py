"""What the state-space section of the Modern RNNs lesson says: its lead, the controls' help, the sentences
under its charts (each computed from rnnviz.ssm's numbers) and its equations with their sources.

Papers whose numbers are quoted: S4 (Gu, Goel & Ré 2022, "Efficiently Modeling Long Sequences with Structured
State Spaces") and its diagonal form S4D (Gu, Gupta, Goel & Ré 2022, "On the Parameterization and
Initialization of Diagonal State Space Models": A_n = −1/2 + iπn, "S4D-Lin", and A_n = −(n + 1), "S4D-Real");
the LRU (Orvieto et al. 2023, "Resurrecting Recurrent Neural Networks for Long Sequences": λ on a ring
r_min ≤ |λ| ≤ r_max); Mamba (Gu & Dao 2023, "Mamba: Linear-Time Sequence Modeling with Selective State Spaces":
Δ_t = softplus(Linear(x_t)), and their Theorem 1: with A = −1, B = 1 the update is a sigmoid gate).
"""
from __future__ import annotations

import math

import numpy as np

from rnnviz import ssm

N_UNITS = 8                    # state units drawn on the complex plane
T = 32                         # the selective part's input length
BIAS = -6.0                    # b in Δ_t = softplus(w·x_t + b): softplus(−6) ≈ 0.0025, a small step at rest
MODES = ("S4D-Lin", "S4D-Real")
DELTA_RANGE = (0.01, 1.0)      # the Δ slider: from 100× finer than Δ = 1 to one unit of time per step


def continuous(modes: str) -> np.ndarray:
    """The N continuous eigenvalues A_n of the chosen initialisation."""
    return ssm.s4d_lin(N_UNITS) if modes == "S4D-Lin" else ssm.s4d_real(N_UNITS)


LEAD = (
    "Write the minGRU's update as $h_t = \\bar A_t \\odot h_{t-1} + \\bar B_t\\, x_t$ with a **diagonal** $\\bar A$: "
    "each state unit is then a number $\\lambda$ that multiplies it at every step. State-space models (S4, "
    "Gu et al. 2022; Mamba, Gu & Dao 2023) get $\\lambda$ from a continuous system read every $\\Delta$ units "
    "of time; the LRU (Orvieto et al. 2023) picks $\\lambda$ directly. Inside the unit circle a unit forgets; "
    "the closer to the circle, the longer it remembers.")

HELP = {
    "ssm_modes": "Where the continuous eigenvalues A_n = −α_n + iω_n come from (Gu et al. 2022, S4D): "
                 "S4D-Lin, A_n = −1/2 + iπn (one rate of forgetting, different frequencies); S4D-Real, "
                 "A_n = −(n + 1) (different rates, no turning; Mamba starts from it).",
    "ssm_delta": "The step Δ: how much continuous time passes between two inputs. Each eigenvalue is "
                 "λ = exp(Δ·A) (zero-order hold). A larger step forgets more per step and turns further.",
    "ssm_w": "How strongly the input sets the step: Δ_t = softplus(w·x_t + b) (Mamba). At w = 0 every "
             f"step has the same Δ = softplus({BIAS:g}): a time-invariant model, like S4.",
    "ssm_spike": "Where the one input worth remembering (x = 1) sits among small noise.",
}

SELECT_LEAD = (
    "**Selective:** Mamba (Gu & Dao 2023) computes the step from the input, $\\Delta_t = \\mathrm{softplus}(w\\,x_t + b)$, "
    "so $\\bar A_t = e^{-\\Delta_t}$ changes at every step. A large $\\Delta_t$ resets the state and writes "
    "$x_t$; a small one keeps it. With $A = -1$, $B = 1$ (their Theorem 1) the update is a gate, "
    "$h_t = (1 - g_t)\\,h_{t-1} + g_t\\,x_t$ with $g_t = \\sigma(w\\,x_t + b)$, like the GRU's update gate.")


def _steps(x: float) -> str:
    if math.isinf(x):
        return "never"
    return f"{x:.0f}" if x >= 10 else f"{x:.2g}"


def _span(lo: float, hi: float, fmt=_steps) -> str:
    """"20" when both ends read the same, else "1.2…10"."""
    a, b = fmt(lo), fmt(hi)
    return a if a == b else f"{a}…{b}"


def plane_said(modes: str, delta: float) -> str:
    """The sentence under the complex plane: each unit's time constant and period at this Δ, computed."""
    lam = ssm.eigenvalues(continuous(modes), delta)
    tau, per = ssm.time_constant(lam), ssm.period(lam)
    r = np.abs(lam)
    out = (f"Dashed: the unit circle; a line: each λ's path as Δ grows from 0 (where λ = 1). "
           f"At Δ = {delta:.2f} the {N_UNITS} eigenvalues sit at |λ| = {_span(r.min(), r.max(), lambda v: f'{v:.3f}')}: "
           f"their memories last {_span(tau.min(), tau.max())} steps (until |λ|^k = 1/e).")
    turning = np.isfinite(per)
    if turning.any():
        out += (f" {int(turning.sum())} of them turn, once every {_span(per[turning].min(), per[turning].max())} "
                "steps.")
    else:
        out += " None turns: every λ is real and positive."
    folded = int(np.sum(np.abs(continuous(modes).imag) * delta > math.pi))
    if folded:
        out += (f" {folded} would turn more than half a circle per step: read that coarsely, their frequency "
                "folds back (aliasing) and they look slower than they are.")
    return out


def memory_rows(modes: str, delta: float) -> list[dict]:
    """One row per unit for the table in the plane's numbers: A_n, λ, |λ|, time constant, period."""
    A = continuous(modes)
    lam = ssm.eigenvalues(A, delta)
    return [{"unit": n, "A = −α + iω": f"{a.real:.2f} {a.imag:+.2f}i", "λ": f"{m.lam.real:.3f} {m.lam.imag:+.3f}i",
             "|λ|": round(abs(m.lam), 4), "time constant (steps)": _steps(m.tau), "period (steps)": _steps(m.period)}
            for n, (a, m) in enumerate(zip(A, ssm.memories(lam)))]


def plane_numbers(modes: str, delta: float) -> str:
    """The plane's numbers in words (its popover, for a screen reader): one clause per unit."""
    return f"{modes} at Δ = {delta:.2f}: " + "; ".join(
        f"unit {r['unit']}: A = {r['A = −α + iω']}, λ = {r['λ']}, |λ| = {r['|λ|']}, memory {r['time constant (steps)']} "
        f"steps, period {r['period (steps)']}" for r in memory_rows(modes, delta)) + "."


def runs(w: float, spike: int) -> tuple[ssm.Selective, ssm.Selective]:
    """The section's two runs on the spike among noise: the selective step, and one Δ for every step equal to
    the selective run's mean Δ (the same average step; time-invariant, like S4)."""
    x = ssm.spike_input(T, spike)
    sel = ssm.selective(x, w, BIAS)
    return sel, ssm.steady(x, float(np.mean(sel.delta)))


RESET = 0.5        # a spike whose Ā keeps less than half of the old state "resets" it (words only)


def gate_said(sel: ssm.Selective, fixed: ssm.Selective, spike: int) -> str:
    """The sentence under the gate chart: what each model writes at the spike and keeps of it at the end."""
    i, later = spike - 1, T - spike
    rest = np.median(np.delete(sel.delta, i))
    when = "at the last step it holds" if later == 0 else f"{later} steps later it holds"
    return (f"At the spike (step {spike}) the selective step is Δ = {sel.delta[i]:.3g}: it writes "
            f"{sel.write[i]:.0%} of x and keeps {sel.a[i]:.0%} of the old state; elsewhere its median Δ is "
            f"{rest:.3f}. {when.capitalize()} h_T = {sel.h[-1]:.2f}; with one Δ = {fixed.delta[0]:.3f} for every "
            f"step (the same mean) h_T = {fixed.h[-1]:.2f}.")


def grad_said(sel: ssm.Selective, fixed: ssm.Selective, spike: int) -> str:
    """The sentence under the gradient chart: the product of the Ā_k, before and after the spike."""
    i = spike - 1
    out = (f"∂h_T/∂h_t is the product of the Ā_k after step t. Back to the spike it is still "
           f"{sel.grad[i]:.2g}")
    if spike == 1:
        out += " (nothing comes before it)."
    elif sel.a[i] < RESET:
        out += (f"; the spike's Ā = {sel.a[i]:.2g} cuts it to {sel.grad[i - 1]:.2g} at step {spike - 1}: the reset "
                "makes the earlier past irrelevant to h_T.")
    else:
        out += (f"; the spike's Ā = {sel.a[i]:.2g} keeps most of the state, so the gradient goes on "
                f"({sel.grad[0]:.2g} at step 1).")
    return out + f" With one Δ for every step it fades steadily, to {fixed.grad[0]:.2g} at step 1."


def gate_numbers(sel: ssm.Selective, steady: ssm.Selective, spike: int) -> str:
    """The gate chart's numbers in words (its popover, for a screen reader): each series step by step."""
    def series(name: str, v: np.ndarray, fmt: str) -> str:
        return f"{name}: " + ", ".join(format(float(x), fmt) for x in v)
    return "; ".join([f"Spike x = {sel.x[spike - 1]:g} at step {spike} of {T}, noise elsewhere",
                      series("Δ_t (selective)", sel.delta, ".3g"), series("gate g_t", sel.write, ".3f"),
                      series("h_t selective", sel.h, ".3f"), series(f"h_t with one Δ = {steady.delta[0]:.3f}", steady.h, ".3f"),
                      series("|∂h_T/∂h_t| selective", np.abs(sel.grad), ".3g"),
                      series("|∂h_T/∂h_t| one Δ", np.abs(steady.grad), ".3g")]) + "."


EQUATIONS = [
    ("A continuous state-space model, one state unit $n$ at a time (S4, Gu et al. 2022):",
     r"h'(s) = A_n\,h(s) + B_n\,x(s), \qquad A_n = -\alpha_n + i\,\omega_n"),
    ("Read every $\\Delta$ with the input held constant (zero-order hold), it is exactly a linear recurrence:",
     r"h_t = \bar A\,h_{t-1} + \bar B\,x_t, \qquad \bar A = e^{\Delta A}, \qquad \bar B = \frac{\bar A - 1}{A}\,B",
     r"|\lambda| = |\bar A| = e^{-\Delta\alpha} < 1 \iff \alpha > 0, \qquad \tau = -\frac{1}{\ln|\lambda|} = "
     r"\frac{1}{\Delta\alpha}\ \text{steps}, \qquad \text{period} = \frac{2\pi}{\Delta\,\omega}\ \text{steps}"),
    ("The LRU (Orvieto et al. 2023) draws $\\lambda$ directly, uniformly on a ring:",
     r"\lambda = e^{-e^{\nu} + i\theta}, \qquad r_{\min} \le |\lambda| \le r_{\max}"),
    ("Selective (Mamba, Gu & Dao 2023): the step depends on the input, so $\\bar A_t$ does. With $A = -1$, "
     "$B = 1$ (their Theorem 1):",
     r"\Delta_t = \mathrm{softplus}(w\,x_t + b), \qquad \bar A_t = e^{-\Delta_t} = 1 - \sigma(w\,x_t + b), "
     r"\qquad \bar B_t = 1 - \bar A_t = \sigma(w\,x_t + b)"),
    ("The gradient through a linear recurrence is a product, with no weight matrix and no $\\tanh'$ in it:",
     r"\frac{\partial h_T}{\partial h_t} = \prod_{k=t+1}^{T} \bar A_k"),
]
