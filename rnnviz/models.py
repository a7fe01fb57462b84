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


# ----------------------------------------------------------------------------- encoder–decoder

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


# ----------------------------------------------------------------------------- forecasting a real series

class Forecaster(nn.Module):
    """Many-to-many, aligned, on one real-valued series: after each value, the next one.

        z_t = (g(x_t) − μ) / σ                 "level" mode: g = identity, or √ for counts (sunspots)
        z_t = (x_t − x_{t−1} − μ) / σ          "difference" mode: the step from the previous value (CO₂)
        a_t = [z_t, sin(2π p_{t+1}/P), cos(2π p_{t+1}/P)]   p = position in the calendar (month), only when P > 0
        h_t = GRU(a_t, h_{t−1})                (H,)
        ẑ_{t+1} = w_y · h_t + b_y              ()      then undone: x̂_{t+1} = g⁻¹(μ + σ ẑ_{t+1})
                                                         or x̂_{t+1} = x_t + μ + σ ẑ_{t+1}

    μ, σ come from the training part alone and live in the arch (plain numbers), so the model rebuilds
    with them. The calendar inputs give the position of the step being predicted: known in advance, so a
    forecast many steps ahead still knows which month it is. Whether z_t is the true value (teacher
    forcing, "one step ahead") or the model's own last prediction (free running) is the caller's choice:
    rnnviz.topics.forecast.compute does both.

    Shape legend: T steps, B series read side by side, H hidden units.
    """

    def __init__(self, kind: str, hidden_size: int, mode: str = "level", transform: str = "none",
                 offset: float = 0.0, scale: float = 1.0, period: int = 0, phase0: int = 0):
        super().__init__()
        if kind != "gru":      # one state vector h_t: the batched free runs restart from stored h_t alone
            raise ValueError(f"kind must be 'gru'; got {kind!r}")
        if mode not in ("level", "difference") or transform not in ("none", "sqrt"):
            raise ValueError(f"mode must be 'level' or 'difference', transform 'none' or 'sqrt'; got {mode!r}, {transform!r}")
        if transform == "sqrt" and mode != "level":
            raise ValueError("the square root applies to levels only")
        self.kind, self.hidden_size, self.mode, self.transform = kind, int(hidden_size), mode, transform
        self.offset, self.scale, self.period, self.phase0 = float(offset), float(scale), int(period), int(phase0)
        self.rnn = LAYERS[kind](1 + (2 if self.period else 0), self.hidden_size)
        self.head = nn.Linear(self.hidden_size, 1)

    @property
    def first(self) -> int:
        """The first index whose z_t exists: 0 for levels, 1 for differences (x_{−1} is unknown)."""
        return 1 if self.mode == "difference" else 0

    def encode(self, x: Tensor) -> Tensor:
        """x (N, ...) values → z (N − first, ...): the inputs z_first .. z_{N−1}."""
        if self.mode == "difference":
            return (x[1:] - x[:-1] - self.offset) / self.scale
        g = x.clamp(min=0).sqrt() if self.transform == "sqrt" else x
        return (g - self.offset) / self.scale

    def decode(self, z_next: Tensor, x_now: Tensor) -> Tensor:
        """ẑ_{t+1} and x_t (same shape) → x̂_{t+1}. A negative √ is read as 0 (no negative sunspots)."""
        if self.mode == "difference":
            return x_now + self.offset + self.scale * z_next
        g = self.offset + self.scale * z_next
        return g.clamp(min=0) ** 2 if self.transform == "sqrt" else g

    def inputs(self, z: Tensor, t: Tensor) -> Tensor:
        """z (T, B) and the index t (T, B) of each z_t in the series → a (T, B, I): z_t and the calendar
        of step t + 1."""
        if not self.period:
            return z.unsqueeze(-1)
        angle = 2 * torch.pi * ((t + 1 + self.phase0) % self.period).to(z.dtype) / self.period
        return torch.stack([z, torch.sin(angle), torch.cos(angle)], -1)

    def forward(self, z: Tensor, t: Tensor, state: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """z (T, B), t (T, B) long → (ẑ_{t+1} (T, B), h_t for every step (T, B, H))."""
        out, _ = self.rnn(self.inputs(z, t), state)                   # (T, B, H)
        return self.head(out).squeeze(-1), out

    def count_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    @classmethod
    def from_arch(cls, arch: dict) -> "Forecaster":
        """Rebuild from a manifest entry's "arch" (see pretrained.build)."""
        return cls(arch["kind"], arch["hidden_size"], arch["mode"], arch.get("transform", "none"),
                   arch["offset"], arch["scale"], arch.get("period", 0), arch.get("phase0", 0))


# ----------------------------------------------------------------------------- aligned many-to-many

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


# The classes a manifest entry may name (pretrained.build): each rebuilds itself from plain
# hyper-parameters with `from_arch(arch)`, so a weights file can only fill in the numbers of a known model.
ARCHITECTURES: dict[str, type[nn.Module]] = {
    "CharModel": CharModel,
    "SequenceClassifier": SequenceClassifier,
    "Seq2Seq": Seq2Seq,
    "Forecaster": Forecaster,
    "Tagger": Tagger,
}
