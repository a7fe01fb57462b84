"""The attention topic's model: a character-level GRU encoder–decoder, plain or with additive attention
(Bahdanau et al. 2015), the two built alike so that the context vector is the only difference.

    h_t  = GRU_enc(E_x[x_t], h_{t-1})                 (H,)    h_0 = 0, t = 1..T
    s_0  = h_T
    plain:      c_k = h_T                             (H,)    the same single c at every step
    attention:  e_kj = v · tanh(W_s s_{k-1} + W_h h_j + b)    a score for each input position j
                α_kj = exp(e_kj) / Σ_i exp(e_ki)              the alignment: Σ_j α_kj = 1
                c_k  = Σ_j α_kj h_j                   (H,)    a new context at every step
    s_k  = GRUCell_dec([E_y[y_{k-1}]; c_k], s_{k-1})  (H,)    y_0 = <s>
    p(y_k | y_<k, x) = softmax(W_o s_k + b_o)         (V,)    until </s>

Shape legend: T input characters, K output steps, B pairs, D embedding size, H hidden units, V output
symbols. Index 0 of both vocabularies is PAD; the input's index 1 is UNK. Padding sits at the end of a
sequence; attention never looks at it (its scores are −inf before the softmax).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor, nn

from rnnviz.shared.layers import PAD, UNK

BOS, EOS = "<s>", "</s>"
ATTENTION = ("none", "additive")
MAX_STEPS = 10           # six digits and </s>, with room for a model that rambles


class AdditiveAttention(nn.Module):
    """e_kj = v · tanh(W_s s_{k-1} + W_h h_j + b); α_k = softmax_j(e_k) over the real positions; c_k = Σ_j α_kj h_j."""

    def __init__(self, hidden_size: int):
        super().__init__()
        self.W_s = nn.Linear(hidden_size, hidden_size, bias=False)
        self.W_h = nn.Linear(hidden_size, hidden_size, bias=True)      # its bias is the b above
        self.v = nn.Linear(hidden_size, 1, bias=False)

    def forward(self, s: Tensor, keys: Tensor, states: Tensor, mask: Tensor) -> tuple[Tensor, Tensor]:
        """s (B, H) the decoder's last state, keys (T, B, H) = W_h h_j + b (computed once per input),
        states (T, B, H) the h_j, mask (T, B) True at real positions → (c (B, H), α (T, B))."""
        e = self.v(torch.tanh(keys + self.W_s(s))).squeeze(-1)              # (T, B)
        alpha = torch.softmax(e.masked_fill(~mask, -torch.inf), 0)           # (T, B), Σ_j = 1
        return (alpha.unsqueeze(-1) * states).sum(0), alpha                  # (B, H), (T, B)


class NumberReader(nn.Module):
    """Encoder–decoder on characters: `attention` "none" (the decoder gets the single c = h_T) or
    "additive" (a new c_k = Σ_j α_kj h_j at every step). Everything else is the same in both."""

    def __init__(self, attention: str, source: list[str], target: list[str], embed_size: int, hidden_size: int):
        super().__init__()
        if attention not in ATTENTION:
            raise ValueError(f"attention must be one of {ATTENTION}; got {attention!r}")
        if list(source[:2]) != [PAD, UNK] or len(set(source)) != len(source):
            raise ValueError(f"source must start with {PAD!r}, {UNK!r} and list each symbol once")
        if list(target[:3]) != [PAD, BOS, EOS] or len(set(target)) != len(target):
            raise ValueError(f"target must start with {PAD!r}, {BOS!r}, {EOS!r} and list each symbol once")
        self.attention, self.source, self.target = attention, list(source), list(target)
        self.embed_size, self.hidden_size = int(embed_size), int(hidden_size)
        self.source_index = {s: i for i, s in enumerate(self.source)}
        self.target_index = {s: i for i, s in enumerate(self.target)}
        H, D = self.hidden_size, self.embed_size
        self.embed_x = nn.Embedding(len(self.source), D)
        self.encoder = nn.GRU(D, H)
        self.embed_y = nn.Embedding(len(self.target), D)
        self.decoder = nn.GRUCell(D + H, H)
        self.head = nn.Linear(H, len(self.target))
        self.attend = AdditiveAttention(H) if attention == "additive" else None

    def encode_text(self, text: str) -> Tensor:
        """(T,) long: each character's index; a character outside the vocabulary becomes 1 (UNK)."""
        return torch.tensor([self.source_index.get(ch, 1) for ch in text], dtype=torch.long)

    def encode(self, ids: Tensor, lengths: Tensor) -> "Encoded":
        """ids (T, B) padded at the end, lengths (B,) → the states h_j, the mask and h_T of each sequence."""
        states, _ = self.encoder(self.embed_x(ids))                                    # (T, B, H)
        T, B = ids.shape
        mask = torch.arange(T)[:, None] < lengths[None, :]                             # (T, B)
        last = states[lengths - 1, torch.arange(B)]                                    # (B, H) h_T
        keys = self.attend.W_h(states) if self.attend is not None else None             # (T, B, H)
        return Encoded(states, mask, last, keys)

    def step(self, y_prev: Tensor, s: Tensor, enc: "Encoded") -> tuple[Tensor, Tensor, Tensor, Tensor | None]:
        """One decoder step: y_prev (B,) long, s = s_{k-1} (B, H) → (logits (B, V), s_k, c_k (B, H), α_k (T, B) or None)."""
        if self.attend is None:
            c, alpha = enc.last, None
        else:
            c, alpha = self.attend(s, enc.keys, enc.states, enc.mask)
        s = self.decoder(torch.cat([self.embed_y(y_prev), c], -1), s)                 # (B, H)
        return self.head(s), s, c, alpha

    def forward(self, ids: Tensor, lengths: Tensor, y_in: Tensor) -> Tensor:
        """Teacher forcing: y_in (K, B) = <s>, y_1..y_{K-1} → logits (K, B, V) for y_1..y_K."""
        enc = self.encode(ids, lengths)
        s, out = enc.last, []
        for y_prev in y_in.unbind(0):
            logits, s, _, _ = self.step(y_prev, s, enc)
            out.append(logits)
        return torch.stack(out)

    def count_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    @classmethod
    def from_arch(cls, arch: dict) -> "NumberReader":
        """Rebuild from a manifest entry's "arch" (see pretrained.build)."""
        return cls(arch["attention"], arch["source"], arch["target"], arch["embed_size"], arch["hidden_size"])


@dataclass
class Encoded:
    states: Tensor            # (T, B, H) h_1..h_T (padding positions too: the mask says which are real)
    mask: Tensor              # (T, B) bool
    last: Tensor              # (B, H) h_T of each sequence: the plain model's c, and s_0 of both
    keys: Tensor | None       # (T, B, H) W_h h_j + b, attention only


@dataclass
class Decoded:
    texts: list[str]          # each output without </s>
    tokens: list[list[int]]   # the symbols written, </s> included when reached
    probs: np.ndarray         # (K, B, V) p(y_k | y_<k, x)
    contexts: np.ndarray      # (K, B, H) c_k used at step k
    alphas: np.ndarray | None # (K, T, B) α_kj (attention only)
    states: np.ndarray        # (T, B, H) the encoder's h_j


@torch.no_grad()
def greedy(model: NumberReader, texts: list[str], max_steps: int = MAX_STEPS) -> Decoded:
    """Greedy decoding of non-empty texts, batched; every step's distribution, context and alignment kept.
    Ties break to the lower index (a stable sort), so a batch gives the same choices as one text at a time."""
    seqs = [model.encode_text(t) for t in texts]
    ids = nn.utils.rnn.pad_sequence(seqs)                                              # (T, B)
    enc = model.encode(ids, torch.tensor([len(x) for x in seqs]))
    B = len(texts)
    y, s = torch.full((B,), model.target_index[BOS]), enc.last
    never = [model.target_index[PAD], model.target_index[BOS]]
    ended = torch.zeros(B, dtype=torch.bool)
    written, probs, contexts, alphas = [], [], [], []
    for _ in range(max_steps):
        logits, s, c, alpha = model.step(y, s, enc)
        logits[:, never] = -torch.inf
        y = torch.sort(logits, dim=-1, descending=True, stable=True).indices[:, 0]
        written.append(torch.where(ended, 0, y))
        probs.append(torch.softmax(logits.double(), -1))
        contexts.append(c.double())
        if alpha is not None:
            alphas.append(alpha.double())
        ended |= y == model.target_index[EOS]
        if ended.all():
            break
    rows = torch.stack(written, 1).tolist()
    eos = model.target_index[EOS]
    tokens = []
    for row in rows:
        kept = [t for t in row if t != 0]
        tokens.append(kept[:kept.index(eos) + 1] if eos in kept else kept)
    text = ["".join(model.target[t] for t in tok if t != eos) for tok in tokens]
    return Decoded(text, tokens, torch.stack(probs).numpy(), torch.stack(contexts).numpy(),
                   torch.stack(alphas).numpy() if alphas else None, enc.states.double().numpy())


# The classes of this module a manifest entry may name (pretrained.build rebuilds them with from_arch).
ARCHITECTURES = (NumberReader,)
