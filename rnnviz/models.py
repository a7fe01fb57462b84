"""Task models built on the recurrent cells: the character-level language model, and the small
models that learn the synthetic memory tasks (tasks.py).

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

UNKNOWN = "\x00"          # alphabet[0]: any character the model never learned
LAYERS = {"lstm": nn.LSTM, "gru": nn.GRU}


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


# ----------------------------------------------------------------------------- memory-task models

TASK_LAYERS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class TaskModel(nn.Module):
    """One recurrent layer and a linear read-out, for the long-range tasks in tasks.py:

        h_t = cell(x_t, h_{t-1})                 (B, H)   a torch.nn.RNN (tanh) / LSTM / GRU layer
        y   = W_y h_T + b_y                      (B, O)   read at the last step (adding, temporal order)
        y_t = W_y h_t + b_y                      (T, B, O) or at every step (copy memory)

    The same weights load into the transparent cells (cells.from_torch(model.rnn)) to look inside.
    """

    def __init__(self, kind: str, input_size: int, hidden_size: int, output_size: int, every_step: bool = False):
        super().__init__()
        if kind not in TASK_LAYERS:
            raise ValueError(f"cell must be one of {sorted(TASK_LAYERS)}; got {kind!r}")
        self.kind, self.hidden_size, self.every_step = kind, int(hidden_size), every_step
        self.rnn = TASK_LAYERS[kind](input_size, self.hidden_size)
        self.head = nn.Linear(self.hidden_size, output_size)

    def forward(self, x: Tensor) -> Tensor:
        """x (T, B, I) → (T, B, O) when every_step, else (B, O) from the last step."""
        out, _ = self.rnn(x)                                         # (T, B, H)
        return self.head(out if self.every_step else out[-1])


# ----------------------------------------------------------------------------- many-to-one classifiers

PAD = "<pad>"        # tokens[0]: fills a short sequence of a batch up to the longest (never read as input)
UNK = "<unk>"        # tokens[1]: any word or character the model never learned


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


# The classes a manifest entry may name (pretrained.build): each rebuilds itself from plain
# hyper-parameters with `from_arch(arch)`, so a weights file can only fill in the numbers of a known model.
ARCHITECTURES: dict[str, type[nn.Module]] = {
    "CharModel": CharModel,
    "SequenceClassifier": SequenceClassifier,
}
