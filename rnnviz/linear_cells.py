"""Two recurrent layers whose update is a *linear* recurrence, h_t = a_t ⊙ h_{t−1} + b_t, with a_t and b_t
computed from the input x_t alone (never from h_{t−1}): so the whole sequence of states comes out of
rnnviz/scan.py's parallel scan (or its step-by-step loop, the same numbers), as in today's linear RNNs.

    MinGRU     Feng et al. 2024, "Were RNNs All We Needed?": the GRU without h_{t−1} in its gate and candidate.
    Selective  a diagonal state-space layer whose step Δ_t is computed from the input (Mamba's "selective"
               idea, Gu & Dao 2023), discretised by zero-order hold.

Both take x (T, B, I) and return (h (T, B, H), h_T (1, B, H)), like torch.nn.GRU, so a TaskModel can use
either where it uses nn.GRU. `coefficients(x)` gives the (a, b) pairs themselves: the Memory lab's gradient
probe runs the recurrence backwards with the same a_t (∂h_t/∂h_{t−1} = diag(a_t): nothing else depends on
h_{t−1}).
"""
from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from rnnviz import scan


class LinearRecurrence(nn.Module):
    """What both layers share: h from (a, b) by scan (parallel=True) or loop, and the GRU-like call."""

    parallel: bool = False     # the Memory lab trains with the loop: under autograd on a 2-core CPU it took
                               # 5-13 ms a step where the scan took 27-69 ms (T = 50-70, B = 128, H = 64)

    def coefficients(self, x: Tensor) -> tuple[Tensor, Tensor]:          # (T, B, H) each
        raise NotImplementedError

    def forward(self, x: Tensor, h0: Tensor | None = None) -> tuple[Tensor, Tensor]:
        a, b = self.coefficients(x)
        start = None if h0 is None else h0.reshape(b.shape[1:])
        h = scan.scan(a, b, start) if self.parallel else scan.loop(a, b, start)   # h_t = a_t ⊙ h_{t−1} + b_t
        return h, h[-1:]


class MinGRU(LinearRecurrence):
    """minGRU in the paper's convention (Feng et al. 2024, their eq. for minGRU):

        z_t = σ(W_z x_t + b_z)                      the update gate, from x_t only
        h̃_t = W_h x_t + b_h                         the candidate, from x_t only (no tanh, no reset gate)
        h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t       so a_t = 1 − z_t,  b_t = z_t ⊙ h̃_t

    z_t near 1 writes the new candidate; near 0 it keeps the old state. torch.nn.GRU (and scan.min_gru) use
    the swapped convention, h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ n_t: the same layer with W_z, b_z negated
    (σ(−u) = 1 − σ(u)); a test holds the two equal. 2·H·(I + 1) weights."""

    def __init__(self, input_size: int, hidden_size: int, parallel: bool = False):
        super().__init__()
        self.input_size, self.hidden_size, self.parallel = input_size, hidden_size, parallel
        self.z = nn.Linear(input_size, hidden_size)                      # W_z, b_z
        self.h = nn.Linear(input_size, hidden_size)                      # W_h, b_h

    def coefficients(self, x: Tensor) -> tuple[Tensor, Tensor]:
        z = torch.sigmoid(self.z(x))
        return 1 - z, z * self.h(x)


class Selective(LinearRecurrence):
    """A diagonal linear recurrence with an input-dependent ("selective") step, one state per unit:

        the continuous system  dh/dt = −α ⊙ h + α ⊙ u(t),   α > 0 (learned, α = exp(log α))
        u_t = W_u x_t + b_u                          what the unit is driven towards
        Δ_t = softplus(W_Δ x_t + b_Δ)                the step, computed from x_t: the gate
        ā_t = exp(−Δ_t ⊙ α)                          zero-order hold over a step Δ_t: the share of h_{t−1} kept
        b̄_t = (1 − ā_t) ⊙ u_t                        ... and how far h moves towards u_t
        h_t = ā_t ⊙ h_{t−1} + b̄_t

    A small Δ_t (the input says "nothing here") keeps the state (ā ≈ 1) and ignores x_t; a large one
    overwrites it with u_t. Each unit's time constant is 1/(α·Δ). Mamba (Gu & Dao 2023) computes Δ, B and
    C from the input this way, with a state of N numbers per channel; here one number per unit.
    H·(2I + 3) weights."""

    def __init__(self, input_size: int, hidden_size: int, parallel: bool = False):
        super().__init__()
        self.input_size, self.hidden_size, self.parallel = input_size, hidden_size, parallel
        self.delta = nn.Linear(input_size, hidden_size)                  # W_Δ, b_Δ
        self.u = nn.Linear(input_size, hidden_size)                      # W_u, b_u
        self.log_alpha = nn.Parameter(torch.zeros(hidden_size))          # α = 1 at the start

    def reset_steps(self, delta: float = 0.05) -> None:
        """Start with small steps: b_Δ = softplus⁻¹(delta), so ā ≈ exp(−delta) ≈ 0.95 per step before
        training (Mamba, too, starts Δ small: 0.001–0.1). softplus⁻¹(d) = log(e^d − 1)."""
        with torch.no_grad():
            self.delta.bias.fill_(math.log(math.expm1(delta)))

    def coefficients(self, x: Tensor) -> tuple[Tensor, Tensor]:
        step = nn.functional.softplus(self.delta(x))                     # Δ_t > 0
        a = torch.exp(-step * self.log_alpha.exp())                      # ā_t in (0, 1)
        return a, (1 - a) * self.u(x)


LAYERS = {"mingru": MinGRU, "selective": Selective}


def n_parameters(kind: str, input_size: int, hidden: int) -> int:
    """The layer's weights: minGRU 2·H·(I + 1); the selective layer H·(2I + 3)."""
    return 2 * hidden * (input_size + 1) if kind == "mingru" else hidden * (2 * input_size + 3)


def grad_through_time(a: Tensor, local: Tensor) -> Tensor:
    """∂L/∂h_t for every t (the total derivative), from each step's own ℓ_t = ∂L_t/∂h_t (what the read-out
    sends to h_t directly): h_{t+1} = a_{t+1} ⊙ h_t + b_{t+1} and nothing else reads h_t, so

        g_T = ℓ_T,   g_t = ℓ_t + a_{t+1} ⊙ g_{t+1}

    itself a linear recurrence, run backwards: the gradient of a linear RNN is a product of its a's."""
    a_next = torch.cat([a[1:], torch.zeros_like(a[:1])])                 # a_{t+1}, 0 after the last step
    return scan.scan(a_next.flip(0), local.flip(0)).flip(0)
