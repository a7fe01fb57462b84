"""The date model: an encoder–decoder (sequence to sequence, no attention) on characters."""
from __future__ import annotations

import torch
from torch import Tensor, nn

from rnnviz.shared.layers import LAYERS, PAD, UNK

BOS, EOS = "<s>", "</s>"   # the decoder's first input, and the symbol that ends its output


class Seq2Seq(nn.Module):
    """Many-to-many of unequal lengths: an encoder RNN reads the input, a decoder RNN writes the output
    (Cho et al. 2014; Sutskever et al. 2014), with no attention: everything the decoder knows about the
    input passes through one vector, the context c = the encoder's last state.

        h_t = GRU_enc(E_x[x_t], h_{t-1})            (H,)   h_0 = 0, t = 1..T
        c   = h_T                                   (H,)   the context vector
        s_0 = c
        s_k = GRU_dec([E_y[y_{k-1}]; c], s_{k-1})   (H,)   y_0 = <s>; c is fed at every step, as in Cho et al.
        p(y_k | y_<k, x) = softmax(W_o s_k + b_o)   (V,)   until </s>

    Shape legend: T input characters, K output steps, B pairs, D embedding size, H hidden units,
    V output symbols. Index 0 of both vocabularies is PAD; the input's index 1 is UNK.
    """

    def __init__(self, kind: str, source: list[str], target: list[str], embed_size: int, hidden_size: int):
        super().__init__()
        if kind != "gru":      # an LSTM's state is a pair (h, c): the equations above are written for one state
            raise ValueError(f"kind must be 'gru'; got {kind!r}")
        if list(source[:2]) != [PAD, UNK] or len(set(source)) != len(source):
            raise ValueError(f"source must start with {PAD!r}, {UNK!r} and list each symbol once")
        if list(target[:3]) != [PAD, BOS, EOS] or len(set(target)) != len(target):
            raise ValueError(f"target must start with {PAD!r}, {BOS!r}, {EOS!r} and list each symbol once")
        self.kind, self.source, self.target = kind, list(source), list(target)
        self.embed_size, self.hidden_size = int(embed_size), int(hidden_size)
        self.source_index = {s: i for i, s in enumerate(self.source)}
        self.target_index = {s: i for i, s in enumerate(self.target)}
        self.embed_x = nn.Embedding(len(self.source), self.embed_size)
        self.encoder = LAYERS[kind](self.embed_size, self.hidden_size)
        self.embed_y = nn.Embedding(len(self.target), self.embed_size)
        self.decoder = LAYERS[kind](self.embed_size + self.hidden_size, self.hidden_size)
        self.head = nn.Linear(self.hidden_size, len(self.target))

    def encode_text(self, text: str) -> Tensor:
        """(T,) long: each character's index; a character outside the vocabulary becomes 1 (UNK)."""
        return torch.tensor([self.source_index.get(ch, 1) for ch in text], dtype=torch.long)

    def encode(self, ids: Tensor, lengths: Tensor) -> tuple[Tensor, Tensor]:
        """ids (T, B) padded at the end, lengths (B,) → (states h_1..h_T (T, B, H), context c (B, H)),
        c being each sequence's state after its own last character."""
        states, _ = self.encoder(self.embed_x(ids))                          # (T, B, H)
        return states, states[lengths - 1, torch.arange(ids.shape[1])]      # (B, H)

    def decode_step(self, y_prev: Tensor, state: Tensor, c: Tensor) -> tuple[Tensor, Tensor]:
        """One decoder step: y_prev (B,) long, state s_{k-1} (1, B, H), c (B, H) → logits (B, V), s_k."""
        x = torch.cat([self.embed_y(y_prev), c], -1).unsqueeze(0)          # (1, B, D + H)
        out, state = self.decoder(x, state)
        return self.head(out[0]), state

    def forward(self, ids: Tensor, lengths: Tensor, y_in: Tensor) -> Tensor:
        """Teacher forcing: y_in (K, B) = <s>, y_1..y_{K-1} → logits (K, B, V) for y_1..y_K."""
        _, c = self.encode(ids, lengths)
        x = torch.cat([self.embed_y(y_in), c.expand(y_in.shape[0], -1, -1)], -1)   # (K, B, D + H)
        out, _ = self.decoder(x, c.unsqueeze(0).contiguous())
        return self.head(out)

    def count_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    @classmethod
    def from_arch(cls, arch: dict) -> "Seq2Seq":
        """Rebuild from a manifest entry's "arch" (see pretrained.build)."""
        return cls(arch["kind"], arch["source"], arch["target"], arch["embed_size"], arch["hidden_size"])


# The classes of this module a manifest entry may name (pretrained.build rebuilds them with from_arch).
ARCHITECTURES = (Seq2Seq,)
