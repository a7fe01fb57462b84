"""The part-of-speech tagger: one tag per word, reading one way or both ways (aligned many-to-many)."""
from __future__ import annotations

import torch
from torch import Tensor, nn

from rnnviz.shared.layers import LAYERS, PAD, UNK

SHAPES = ("lower", "Capital", "UPPER", "digit", "symbol")   # a word's shape: what a lowercase vocabulary forgets


def word_shape(word: str) -> int:
    """Index into SHAPES: capitals say "a name or the first word", digits a number, symbols punctuation."""
    if word[:1].isdigit():
        return 3
    if not word[:1].isalpha():
        return 4
    if word.isupper() and len(word) > 1:
        return 2
    return 1 if word[0].isupper() else 0


class Tagger(nn.Module):
    """Many-to-many, aligned: one output per input word (part-of-speech tagging).

        x_t   = [E[word_t] ; S[suffix_t] ; K[shape_t]]        (D+U+4,)  word, last 3 letters, shape
        h→_t  = cell→(x_t, h→_{t-1})                          (H,)      reads left to right: words 1..t
        h←_t  = cell←(x_t, h←_{t+1})                          (H,)      reads right to left: words t..T
        h_t   = h→_t                or  [h→_t ; h←_t]         (H,) or (2H,)   one-directional / bidirectional
        logits_t = W_y h_t + b_y                              (C,)      p(tag_t | words) = softmax(logits_t)

    The one-directional tagger must name word t's tag having read only words 1..t; the bidirectional one
    (Schuster & Paliwal 1997; Graves & Schmidhuber 2005) concatenates a second cell that read the sentence
    backwards, so every tag sees the whole sentence. The suffix and shape embeddings let a word never seen
    in training be tagged from how it looks ("-ly", "-ness", a capital).

    Shape legend: T words, B sentences, D/U embedding sizes, H hidden units per direction, C tags.
    """

    def __init__(self, kind: str, tokens: list[str], suffixes: list[str], tags: list[str], embed_size: int,
                 suffix_size: int, hidden_size: int, bidirectional: bool, dropout: float = 0.0):
        super().__init__()
        if kind not in LAYERS:
            raise ValueError(f"kind must be one of {sorted(LAYERS)}; got {kind!r}")
        for vocab in (tokens, suffixes):
            if list(vocab[:2]) != [PAD, UNK] or len(set(vocab)) != len(vocab):
                raise ValueError(f"a vocabulary must start with {PAD!r}, {UNK!r} and list each entry once")
        self.kind, self.tokens, self.suffixes, self.tags = kind, list(tokens), list(suffixes), list(tags)
        self.embed_size, self.suffix_size, self.hidden_size = int(embed_size), int(suffix_size), int(hidden_size)
        self.bidirectional = bool(bidirectional)
        self.index = {tok: i for i, tok in enumerate(self.tokens)}
        self.suffix_index = {s: i for i, s in enumerate(self.suffixes)}
        self.embed = nn.Embedding(len(self.tokens), self.embed_size)
        self.suffix = nn.Embedding(len(self.suffixes), self.suffix_size)
        self.shape = nn.Embedding(len(SHAPES), 4)
        self.drop = nn.Dropout(dropout)
        self.rnn = LAYERS[kind](self.embed_size + self.suffix_size + 4, self.hidden_size,
                                bidirectional=self.bidirectional)
        self.head = nn.Linear(self.hidden_size * (2 if self.bidirectional else 1), len(self.tags))

    def encode(self, words: list[str]) -> Tensor:
        """(T, 3) long: per word its index (lowercased; unknown → 1), its suffix's index, its shape."""
        rows = [(self.index.get(w.lower(), 1), self.suffix_index.get(w.lower()[-3:], 1), word_shape(w))
                for w in words]
        return torch.tensor(rows, dtype=torch.long).reshape(len(words), 3)

    def inputs(self, feats: Tensor) -> Tensor:
        """feats (T, B, 3) → x (T, B, D+U+4)."""
        return torch.cat([self.embed(feats[..., 0]), self.suffix(feats[..., 1]), self.shape(feats[..., 2])], -1)

    def forward(self, feats: Tensor, lengths: Tensor | None = None) -> Tensor:
        """feats (T, B, 3) → logits (T, B, C). With `lengths`, sentences padded at the end are packed, so
        the backward cell starts at each sentence's own last word, not at the padding."""
        x = self.drop(self.inputs(feats))
        if lengths is None:
            out, _ = self.rnn(x)                                                    # (T, B, H or 2H)
        else:
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), enforce_sorted=False)
            out, _ = nn.utils.rnn.pad_packed_sequence(self.rnn(packed)[0], total_length=x.shape[0])
        return self.head(self.drop(out))

    def count_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    @classmethod
    def from_arch(cls, arch: dict) -> "Tagger":
        return cls(arch["kind"], arch["tokens"], arch["suffixes"], arch["tags"], arch["embed_size"],
                   arch["suffix_size"], arch["hidden_size"], arch["bidirectional"])


# The classes of this module a manifest entry may name (pretrained.build rebuilds them with from_arch).
ARCHITECTURES = (Tagger,)
