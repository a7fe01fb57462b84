"""The character-level language model of LSTM inside, GRU vs LSTM and Text generation (char_lstm, char_gru).

A character model reads text one character at a time and, after each one, predicts the next:

    x_t = onehot(char_t)                    (V,)    V = len(alphabet), index 0 is the unknown symbol
    h_t, c_t = cell(x_t, h_{t-1}, c_{t-1})  (H,)    a torch.nn.LSTM or GRU layer (c only for the LSTM)
    logits_t = W_y h_t + b_y                (V,)    p(char_{t+1} | char_1..char_t) = softmax(logits_t)

The input is one-hot (no embedding), so the first layer's weights are exactly the cell's W_ih and the
transparent cells in rnnviz.cells can load the same weights (`cells.from_torch(model.rnn)`) to show
every gate. Training uses the fast fused torch.nn layer; the lessons use the transparent one.

Shape legend: T characters, B independent streams, V alphabet size, H hidden units.
"""
from __future__ import annotations

import torch
from torch import Tensor, nn

from rnnviz.shared.layers import LAYERS

UNKNOWN = "\x00"          # alphabet[0]: any character the model never learned


class CharModel(nn.Module):
    """One recurrent layer over one-hot characters and a linear read-out to next-character logits."""

    def __init__(self, kind: str, alphabet: str, hidden_size: int):
        super().__init__()
        if kind not in LAYERS:
            raise ValueError(f"kind must be one of {sorted(LAYERS)}; got {kind!r}")
        if not alphabet or alphabet[0] != UNKNOWN or len(set(alphabet)) != len(alphabet):
            raise ValueError("alphabet must start with the unknown symbol and list each character once")
        self.kind, self.alphabet, self.hidden_size = kind, alphabet, int(hidden_size)
        self.index = {ch: i for i, ch in enumerate(alphabet)}
        self.rnn = LAYERS[kind](len(alphabet), self.hidden_size)
        self.head = nn.Linear(self.hidden_size, len(alphabet))

    @property
    def vocab_size(self) -> int:
        return len(self.alphabet)

    def encode(self, text: str) -> Tensor:
        """(T,) long: each character's index; characters outside the alphabet become 0 (unknown)."""
        return torch.tensor([self.index.get(ch, 0) for ch in text], dtype=torch.long)

    def onehot(self, ids: Tensor) -> Tensor:
        """(T, ...) long → (T, ..., V) float: the input vectors x_t."""
        return nn.functional.one_hot(ids, self.vocab_size).to(self.head.weight.dtype)

    def forward(self, ids: Tensor, state=None) -> tuple[Tensor, object]:
        """ids (T, B) long → logits (T, B, V) for the next character, and the final state."""
        out, state = self.rnn(self.onehot(ids), state)
        return self.head(out), state

    def count_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    @classmethod
    def from_arch(cls, arch: dict) -> "CharModel":
        """Rebuild from a manifest entry's "arch" (see pretrained.build)."""
        return cls(arch["kind"], arch["alphabet"], arch["hidden_size"])


# The classes of this module a manifest entry may name (pretrained.build rebuilds them with from_arch).
ARCHITECTURES = (CharModel,)
