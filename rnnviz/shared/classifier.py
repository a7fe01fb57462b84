"""The many-to-one classifier the sentiment and surname demos ship (a sentence or a surname → its class)."""
from __future__ import annotations

import torch
from torch import Tensor, nn

from rnnviz.shared.layers import LAYERS, PAD, UNK


class SequenceClassifier(nn.Module):
    """Many-to-one: read a sequence of tokens (words or characters), then name its class.

        e_t      = E[token_t]                  (D,)    a learned embedding of each token
        h_t, c_t = cell(e_t, h_{t-1}, c_{t-1}) (H,)    one torch.nn.LSTM or GRU layer (c only for the LSTM)
        logits_t = W_y h_t + b_y               (C,)    p(class | tokens_1..t) = softmax(logits_t)

    Training scores only the last step (logits_T): that is the many-to-one form. But h_t summarises
    everything read so far, so reading logits_t at every t shows the model's verdict *as it reads*
    (the sentiment trajectory, a surname's language letter by letter). The same weights load into the
    transparent cells (cells.from_torch(model.rnn), with e_t as input) to show every gate.

    Shape legend: T tokens, B sequences, D embedding size, H hidden units, C classes.
    """

    def __init__(self, kind: str, tokens: list[str], classes: list[str], embed_size: int, hidden_size: int,
                 level: str = "word", dropout: float = 0.0):
        super().__init__()
        if kind not in LAYERS:
            raise ValueError(f"kind must be one of {sorted(LAYERS)}; got {kind!r}")
        if list(tokens[:2]) != [PAD, UNK] or len(set(tokens)) != len(tokens):
            raise ValueError(f"tokens must start with {PAD!r}, {UNK!r} and list each token once")
        if level not in ("word", "char"):
            raise ValueError(f"level must be 'word' or 'char'; got {level!r}")
        self.kind, self.tokens, self.classes, self.level = kind, list(tokens), list(classes), level
        self.embed_size, self.hidden_size = int(embed_size), int(hidden_size)
        self.index = {tok: i for i, tok in enumerate(self.tokens)}
        self.embed = nn.Embedding(len(self.tokens), self.embed_size)
        self.drop = nn.Dropout(dropout)
        self.rnn = LAYERS[kind](self.embed_size, self.hidden_size)
        self.head = nn.Linear(self.hidden_size, len(self.classes))

    def encode(self, tokens: list[str]) -> Tensor:
        """(T,) long: each token's index; tokens outside the vocabulary become 1 (unknown)."""
        return torch.tensor([self.index.get(tok, 1) for tok in tokens], dtype=torch.long)

    def forward(self, ids: Tensor, state=None) -> tuple[Tensor, object]:
        """ids (T, B) long → logits (T, B, C) after every token, and the final state."""
        out, state = self.rnn(self.drop(self.embed(ids)), state)     # (T, B, H)
        return self.head(self.drop(out)), state

    def last_logits(self, ids: Tensor, lengths: Tensor) -> Tensor:
        """(B, C): the logits after each sequence's own last token (shorter ones are padded at the end;
        the recurrence is causal, so padding after a sequence never changes its earlier steps)."""
        logits, _ = self(ids)                                          # (T, B, C)
        return logits[lengths - 1, torch.arange(ids.shape[1])]

    def count_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    @classmethod
    def from_arch(cls, arch: dict) -> "SequenceClassifier":
        """Rebuild from a manifest entry's "arch" (see pretrained.build)."""
        return cls(arch["kind"], arch["tokens"], arch["classes"], arch["embed_size"], arch["hidden_size"],
                   arch.get("level", "word"))


# The classes of this module a manifest entry may name (pretrained.build rebuilds them with from_arch).
ARCHITECTURES = (SequenceClassifier,)
