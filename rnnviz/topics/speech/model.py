"""The listener: frames of a log-mel spectrogram → a bidirectional GRU → at every frame, p(letter or blank).

Shapes: T frames, B utterances, M mel bands, H hidden units per direction, K = 27 outputs (blank + a–z).

    x (T, B, M) ─ GRU forwards ──┐
               └ GRU backwards ──┴→ (T, B, 2H) ─ [second layer alike] ─ linear → log-softmax (T, B, K)

Bidirectional: the output at frame t sees the whole word, before and after t (the word is heard in full
before anything is spelled, so nothing is lost by waiting). Trained with CTC (nn.CTCLoss): the target
letters, fewer than the frames, are aligned to them by summing over every path that collapses to them.
"""
from __future__ import annotations

import torch
from torch import Tensor, nn

BLANK = "·"                                     # index 0: "no new letter here"
ALPHABET = BLANK + "abcdefghijklmnopqrstuvwxyz"


class SpeechCTC(nn.Module):
    def __init__(self, n_mels: int, hidden_size: int, num_layers: int = 2, dropout: float = 0.0):
        super().__init__()
        self.n_mels, self.hidden_size, self.num_layers = n_mels, hidden_size, num_layers
        self.gru = nn.GRU(n_mels, hidden_size, num_layers=num_layers, bidirectional=True,
                          dropout=dropout if num_layers > 1 else 0.0)
        self.out = nn.Linear(2 * hidden_size, len(ALPHABET))

    def forward(self, x: Tensor, lengths: Tensor | None = None) -> Tensor:
        """x (T, B, M) zero-padded after each utterance's length → log p (T, B, K); padded frames are junk."""
        if lengths is None:
            h, _ = self.gru(x)                                                     # (T, B, 2H)
        else:
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), enforce_sorted=False)
            h, _ = nn.utils.rnn.pad_packed_sequence(self.gru(packed)[0], total_length=x.shape[0])
        return self.out(h).log_softmax(-1)                                         # (T, B, K)

    @torch.no_grad()
    def probs(self, feats) -> "torch.Tensor":
        """One utterance's features (T, M) (NumPy or torch) → p (T, K)."""
        x = torch.as_tensor(feats, dtype=torch.float32)[:, None, :]
        return self(x)[:, 0].exp()

    def count_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    @classmethod
    def from_arch(cls, arch: dict) -> "SpeechCTC":
        return cls(arch["n_mels"], arch["hidden_size"], arch["num_layers"])


def encode(word: str) -> list[int]:
    return [ALPHABET.index(c) for c in word]


ARCHITECTURES = (SpeechCTC,)
