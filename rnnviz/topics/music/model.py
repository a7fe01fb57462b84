"""The melody model: a note-level LSTM that reads a tune note by note and predicts the next note's pitch and
duration (one-to-many when it writes: each note it draws is fed back as the next input).

    x_t = [E_p[p_{t-1}]; E_d[d_{t-1}]]               (D_p + D_d,)   p_0 = d_0 = <s>, the start of a tune
    h_t, c_t = LSTM(x_t, (h_{t-1}, c_{t-1}))         (H,)
    p(pitch_t | notes < t)    = softmax(W_p h_t + b_p)   (P,)   the pitches, a rest included
    p(duration_t | notes < t) = softmax(W_d h_t + b_d)   (D,)   the durations, in quarter notes

A note is the pair (pitch, duration), read and predicted as two tokens from the same state: its
probability is the product p(pitch_t | ·) · p(duration_t | ·) (the two heads do not see each other's
draw, a simplification: a real melody's pitch and rhythm depend on each other within a note too).

Shape legend: T notes, B tunes, H hidden units, P pitches (a rest is one of them), D durations.
Input index 0 of both embeddings is the start token; a pitch or duration k of the vocabulary is input k + 1
and output k (the heads never predict the start).
"""
from __future__ import annotations

import torch
from torch import Tensor, nn

from rnnviz.shared.layers import LAYERS


class MelodyLSTM(nn.Module):
    def __init__(self, kind: str, pitches: list[int], durations: list[float], pitch_embed: int, duration_embed: int,
                 hidden_size: int):
        super().__init__()
        if sorted(pitches) != list(pitches) or sorted(durations) != list(durations):
            raise ValueError("pitches and durations must be sorted")
        self.kind, self.pitches, self.durations = kind, list(pitches), [float(d) for d in durations]
        self.pitch_embed, self.duration_embed, self.hidden_size = int(pitch_embed), int(duration_embed), int(hidden_size)
        self.pitch_index = {p: i for i, p in enumerate(self.pitches)}
        self.duration_index = {d: i for i, d in enumerate(self.durations)}
        self.embed_p = nn.Embedding(len(self.pitches) + 1, self.pitch_embed)
        self.embed_d = nn.Embedding(len(self.durations) + 1, self.duration_embed)
        self.rnn = LAYERS[kind](self.pitch_embed + self.duration_embed, self.hidden_size)
        self.head_p = nn.Linear(self.hidden_size, len(self.pitches))
        self.head_d = nn.Linear(self.hidden_size, len(self.durations))

    @classmethod
    def from_arch(cls, arch: dict) -> "MelodyLSTM":
        return cls(arch["kind"], arch["pitches"], arch["durations"], arch["pitch_embed"], arch["duration_embed"],
                   arch["hidden_size"])

    def arch(self) -> dict:
        return {"class": type(self).__name__, "kind": self.kind, "pitches": self.pitches, "durations": self.durations,
                "pitch_embed": self.pitch_embed, "duration_embed": self.duration_embed, "hidden_size": self.hidden_size}

    def encode(self, pitches, durations) -> tuple[Tensor, Tensor]:
        """A tune → its output ids ((T,) pitch, (T,) duration); KeyError for a pitch or duration not in the vocabulary."""
        return (torch.tensor([self.pitch_index[p] for p in pitches], dtype=torch.long),
                torch.tensor([self.duration_index[float(d)] for d in durations], dtype=torch.long))

    def forward(self, p_in: Tensor, d_in: Tensor, state=None) -> tuple[Tensor, Tensor, tuple]:
        """p_in, d_in (T, B) input ids (0 = start, k + 1 = vocabulary entry k) → pitch logits (T, B, P),
        duration logits (T, B, D), the state after the last step."""
        x = torch.cat([self.embed_p(p_in), self.embed_d(d_in)], -1)       # (T, B, D_p + D_d)
        h, state = self.rnn(x, state)                                     # (T, B, H)
        return self.head_p(h), self.head_d(h), state

    def logits(self, p_ids: Tensor, d_ids: Tensor) -> tuple[Tensor, Tensor]:
        """Teacher forcing: output ids (T, B) of whole tunes → the logits predicting each of them (T, B, ·)
        from the notes before it (the first from the start token)."""
        start = torch.zeros_like(p_ids[:1])
        p_in = torch.cat([start, p_ids[:-1] + 1])                         # (T, B) shifted right by one note
        d_in = torch.cat([start, d_ids[:-1] + 1])
        lp, ld, _ = self(p_in, d_in)
        return lp, ld

    def count_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())


ARCHITECTURES = (MelodyLSTM,)
