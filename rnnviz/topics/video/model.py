"""The video model: a convolutional GRU watches the frames one by one; its memory is a small stack of images.

A GRU whose every product with a weight matrix is a 3×3 convolution (Shi et al. 2015 did this for the LSTM,
"ConvLSTM", to forecast rain on radar frames). Each pixel of the memory h_t is a GRU unit that sees the 3×3
neighbourhood of that pixel in the new frame and in the memory, with the same weights at every pixel and
every frame:

    r_t = σ(W_r ∗ x_t + b_ir + U_r ∗ h_{t−1} + b_hr)                 reset gate    (K, S, S)
    z_t = σ(W_z ∗ x_t + b_iz + U_z ∗ h_{t−1} + b_hz)                 update gate   (K, S, S)
    n_t = tanh(W_n ∗ x_t + b_in + r_t ⊙ (U_n ∗ h_{t−1} + b_hn))      new content   (K, S, S)
    h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}                            memory        (K, S, S)
    p_t = softmax(W_y [mean over pixels of h_t, max over pixels of h_t] + b_y)      verdict (C,)

(torch.nn.GRU's equations and gate order r, z, n, with ∗ a convolution where it has a matrix product.)

Why not a CNN that encodes each frame into a vector, then a plain GRU: that model was tried first and
stayed at chance (loss log 6) for 800 steps. Which way the bar moved is a product of two frames (it was
here before, it is there now); once a frame is squeezed into a vector the GRU must learn that product
from scratch, with no first-order signal to start from (any one frame says nothing about the motion, by
design). The convolutional memory keeps the last frames where they were, pixel by pixel, so "bright here a
frame ago, bright one pixel to the right now" is a 3×3 pattern that one unit can learn: it did within 150 steps.

The frames wrap around (rnnviz.topics.video.data), so the convolutions pad circularly.

Shape legend: T frames, B clips, S pixels a side, K memory maps, C motions.
"""
from __future__ import annotations

import torch
from torch import Tensor, nn


def _conv(c_in: int, c_out: int) -> nn.Conv2d:
    return nn.Conv2d(c_in, c_out, 3, padding=1, padding_mode="circular")


class VideoGRU(nn.Module):
    """x (T, B, S, S) in [0, 1] → (logits after every frame (T, B, C), the memory h_t (T, B, K, S, S))."""

    def __init__(self, classes: list[str], size: int, maps: int = 8):
        super().__init__()
        self.classes, self.size, self.maps = list(classes), int(size), int(maps)
        self.hidden_size = self.maps
        self.x_gates = _conv(1, 3 * self.maps)          # (W_r | W_z | W_n), biases b_i·: every frame at once
        self.h_gates = _conv(self.maps, 3 * self.maps)  # (U_r | U_z | U_n), biases b_h·
        self.head = nn.Linear(2 * self.maps, len(self.classes))

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor]:
        T, B, S, _ = x.shape
        K = self.maps
        gx = self.x_gates(x.reshape(T * B, 1, S, S)).reshape(T, B, 3 * K, S, S)    # the frames' part, at once
        h = x.new_zeros(B, K, S, S)                                                  # h_0 = 0
        memory = []
        for gx_t in gx.unbind(0):                                                    # (B, 3K, S, S)
            rx, zx, nx = gx_t.chunk(3, 1)
            rh, zh, nh = self.h_gates(h).chunk(3, 1)
            r, z = torch.sigmoid(rx + rh), torch.sigmoid(zx + zh)
            n = torch.tanh(nx + r * nh)
            h = (1 - z) * n + z * h                                                  # (B, K, S, S)
            memory.append(h)
        hs = torch.stack(memory)                                                     # (T, B, K, S, S)
        pooled = torch.cat([hs.mean((3, 4)), hs.amax((3, 4))], -1)                  # (T, B, 2K)
        return self.head(pooled), hs

    def count_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def arch(self) -> dict:
        return {"class": "VideoGRU", "classes": self.classes, "size": self.size, "maps": self.maps}

    @classmethod
    def from_arch(cls, arch: dict) -> "VideoGRU":
        return cls(arch["classes"], arch["size"], arch["maps"])


class SingleFrame(nn.Module):
    """The single-frame baseline: a CNN that sees one frame and has no memory. x (…, S, S) → logits (…, C).
    conv 3×3 (16 maps) → ReLU → conv 3×3 (16 maps) → ReLU → [mean, max over pixels] → linear."""

    def __init__(self, classes: list[str], size: int, maps: int = 16):
        super().__init__()
        self.classes, self.size, self.maps = list(classes), int(size), int(maps)
        self.conv = nn.Sequential(_conv(1, self.maps), nn.ReLU(), _conv(self.maps, self.maps), nn.ReLU())
        self.head = nn.Linear(2 * self.maps, len(self.classes))

    def forward(self, x: Tensor) -> Tensor:
        lead = x.shape[:-2]
        f = self.conv(x.reshape(-1, 1, self.size, self.size))                       # (N, maps, S, S)
        pooled = torch.cat([f.mean((2, 3)), f.amax((2, 3))], -1)
        return self.head(pooled).reshape(*lead, len(self.classes))


class SeriesGRU(nn.Module):
    """GunPoint's model: each frame is one number (where the hand is across the picture), so a plain GRU reads
    it: x (T, B) → (logits after every frame (T, B, C), h_t (T, B, H)).

        h_t = GRU(x_t, h_{t−1})      p_t = softmax(W_y h_t + b_y)
    """

    def __init__(self, classes: list[str], hidden_size: int = 32):
        super().__init__()
        self.classes, self.hidden_size = list(classes), int(hidden_size)
        self.rnn = nn.GRU(1, self.hidden_size)
        self.head = nn.Linear(self.hidden_size, len(self.classes))

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor]:
        h, _ = self.rnn(x.unsqueeze(-1))                                             # (T, B, H)
        return self.head(h), h

    def count_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def arch(self) -> dict:
        return {"class": "SeriesGRU", "classes": self.classes, "hidden_size": self.hidden_size}

    @classmethod
    def from_arch(cls, arch: dict) -> "SeriesGRU":
        return cls(arch["classes"], arch["hidden_size"])


# The classes of this module a manifest entry may name (pretrained.build rebuilds them with from_arch).
ARCHITECTURES = (VideoGRU, SeriesGRU)
