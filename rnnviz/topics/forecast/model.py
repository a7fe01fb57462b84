"""The forecasting model: a small GRU that reads a real series and predicts its next value."""
from __future__ import annotations

import torch
from torch import Tensor, nn

from rnnviz.shared.layers import LAYERS


class Forecaster(nn.Module):
    """Many-to-many, aligned, on one real-valued series: after each value, the next one.

        z_t = (g(x_t) − μ) / σ                 "level" mode: g = identity, or √ for counts (sunspots)
        z_t = (x_t − x_{t−1} − μ) / σ          "difference" mode: the step from the previous value (CO₂)
        a_t = [z_t, sin(2π p_{t+1}/P), cos(2π p_{t+1}/P)]   p = position in the calendar (month), only when P > 0
        h_t = GRU(a_t, h_{t−1})                (H,)
        ẑ_{t+1} = w_y · h_t + b_y              ()      then undone: x̂_{t+1} = g⁻¹(μ + σ ẑ_{t+1})
                                                         or x̂_{t+1} = x_t + μ + σ ẑ_{t+1}

    μ, σ come from the training part alone and live in the arch (plain numbers), so the model rebuilds
    with them. The calendar inputs give the position of the step being predicted: known in advance, so a
    forecast many steps ahead still knows which month it is. Whether z_t is the true value (teacher
    forcing, "one step ahead") or the model's own last prediction (free running) is the caller's choice:
    rnnviz.topics.forecast.compute does both.

    Shape legend: T steps, B series read side by side, H hidden units.
    """

    def __init__(self, kind: str, hidden_size: int, mode: str = "level", transform: str = "none",
                 offset: float = 0.0, scale: float = 1.0, period: int = 0, phase0: int = 0):
        super().__init__()
        if kind != "gru":      # one state vector h_t: the batched free runs restart from stored h_t alone
            raise ValueError(f"kind must be 'gru'; got {kind!r}")
        if mode not in ("level", "difference") or transform not in ("none", "sqrt"):
            raise ValueError(f"mode must be 'level' or 'difference', transform 'none' or 'sqrt'; got {mode!r}, {transform!r}")
        if transform == "sqrt" and mode != "level":
            raise ValueError("the square root applies to levels only")
        self.kind, self.hidden_size, self.mode, self.transform = kind, int(hidden_size), mode, transform
        self.offset, self.scale, self.period, self.phase0 = float(offset), float(scale), int(period), int(phase0)
        self.rnn = LAYERS[kind](1 + (2 if self.period else 0), self.hidden_size)
        self.head = nn.Linear(self.hidden_size, 1)

    @property
    def first(self) -> int:
        """The first index whose z_t exists: 0 for levels, 1 for differences (x_{−1} is unknown)."""
        return 1 if self.mode == "difference" else 0

    def encode(self, x: Tensor) -> Tensor:
        """x (N, ...) values → z (N − first, ...): the inputs z_first .. z_{N−1}."""
        if self.mode == "difference":
            return (x[1:] - x[:-1] - self.offset) / self.scale
        g = x.clamp(min=0).sqrt() if self.transform == "sqrt" else x
        return (g - self.offset) / self.scale

    def decode(self, z_next: Tensor, x_now: Tensor) -> Tensor:
        """ẑ_{t+1} and x_t (same shape) → x̂_{t+1}. A negative √ is read as 0 (no negative sunspots)."""
        if self.mode == "difference":
            return x_now + self.offset + self.scale * z_next
        g = self.offset + self.scale * z_next
        return g.clamp(min=0) ** 2 if self.transform == "sqrt" else g

    def inputs(self, z: Tensor, t: Tensor) -> Tensor:
        """z (T, B) and the index t (T, B) of each z_t in the series → a (T, B, I): z_t and the calendar
        of step t + 1."""
        if not self.period:
            return z.unsqueeze(-1)
        angle = 2 * torch.pi * ((t + 1 + self.phase0) % self.period).to(z.dtype) / self.period
        return torch.stack([z, torch.sin(angle), torch.cos(angle)], -1)

    def forward(self, z: Tensor, t: Tensor, state: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """z (T, B), t (T, B) long → (ẑ_{t+1} (T, B), h_t for every step (T, B, H))."""
        out, _ = self.rnn(self.inputs(z, t), state)                   # (T, B, H)
        return self.head(out).squeeze(-1), out

    def count_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    @classmethod
    def from_arch(cls, arch: dict) -> "Forecaster":
        """Rebuild from a manifest entry's "arch" (see pretrained.build)."""
        return cls(arch["kind"], arch["hidden_size"], arch["mode"], arch.get("transform", "none"),
                   arch["offset"], arch["scale"], arch.get("period", 0), arch.get("phase0", 0))


# The classes of this module a manifest entry may name (pretrained.build rebuilds them with from_arch).
ARCHITECTURES = (Forecaster,)
