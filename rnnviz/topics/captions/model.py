"""The captioning model: a small CNN sees the picture, a GRU decoder writes its caption word by word (one-to-many).

    v   = tanh(W_v · flatten(CNN(x)) + b_v)         (H,)     what the CNN saw, one vector
    s_0 = v
    s_k = GRU([E[y_{k-1}]; v], s_{k-1})             (H,)     y_0 = <s>; v is fed at every step too
    p(y_k | y_<k, x) = softmax(W_o s_k + b_o)       (V,)     until </s>

The CNN: three 3×3 convolutions (3 → C → 2C → 2C channels), each followed by ReLU and 2×2 max pooling, so a
32×32 picture becomes a 4×4 grid of 2C features; flattened, it keeps *where* each feature is, which the
words left / right / top / bottom / above need. (Vinyals et al. 2015, "Show and tell", feed the image once;
feeding v at every step as well, as Cho et al. 2014 feed their context, makes the decoder's job easier.)

Shape legend: B pictures, K caption steps, C channels, H hidden units, D embedding size, V words.
Index 0 of the vocabulary is PAD, 1 is <s>, 2 is </s>.
"""
from __future__ import annotations

import torch
from torch import Tensor, nn

from rnnviz.topics.captions.data import SIZE

PAD, BOS, EOS = "<pad>", "<s>", "</s>"


class Captioner(nn.Module):
    def __init__(self, words: list[str], channels: int, embed_size: int, hidden_size: int):
        super().__init__()
        if list(words[:3]) != [PAD, BOS, EOS] or len(set(words)) != len(words):
            raise ValueError(f"words must start with {PAD!r}, {BOS!r}, {EOS!r} and list each word once")
        self.words, self.index = list(words), {w: i for i, w in enumerate(words)}
        self.channels, self.embed_size, self.hidden_size = int(channels), int(embed_size), int(hidden_size)
        c = self.channels
        self.cnn = nn.Sequential(
            nn.Conv2d(3, c, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),             # (B, C, 16, 16)
            nn.Conv2d(c, 2 * c, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),         # (B, 2C, 8, 8)
            nn.Conv2d(2 * c, 2 * c, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))     # (B, 2C, 4, 4)
        self.project = nn.Linear(2 * c * (SIZE // 8) ** 2, self.hidden_size)
        self.embed = nn.Embedding(len(self.words), self.embed_size)
        self.decoder = nn.GRU(self.embed_size + self.hidden_size, self.hidden_size)
        self.head = nn.Linear(self.hidden_size, len(self.words))

    def see(self, images: Tensor) -> Tensor:
        """images (B, 3, SIZE, SIZE) in [0, 1] → v (B, H)."""
        return torch.tanh(self.project(self.cnn(images).flatten(1)))

    def step(self, y_prev: Tensor, state: Tensor, v: Tensor) -> tuple[Tensor, Tensor]:
        """One decoder step: y_prev (B,) long, state s_{k-1} (1, B, H), v (B, H) → logits (B, V), s_k (1, B, H)."""
        x = torch.cat([self.embed(y_prev), v], -1).unsqueeze(0)               # (1, B, D + H)
        out, state = self.decoder(x, state)
        return self.head(out[0]), state

    def forward(self, images: Tensor, y_in: Tensor) -> Tensor:
        """Teacher forcing: y_in (K, B) = <s>, y_1..y_{K-1} → logits (K, B, V) for y_1..y_K."""
        v = self.see(images)                                                   # (B, H)
        x = torch.cat([self.embed(y_in), v.expand(y_in.shape[0], -1, -1)], -1)  # (K, B, D + H)
        out, _ = self.decoder(x, v.unsqueeze(0).contiguous())
        return self.head(out)

    def encode_words(self, words: list[str]) -> list[int]:
        return [self.index[w] for w in words]

    def count_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    @classmethod
    def from_arch(cls, arch: dict) -> "Captioner":
        """Rebuild from a manifest entry's "arch" (see pretrained.build)."""
        return cls(arch["words"], arch["channels"], arch["embed_size"], arch["hidden_size"])


# The classes of this module a manifest entry may name (pretrained.build rebuilds them with from_arch).
ARCHITECTURES = (Captioner,)
