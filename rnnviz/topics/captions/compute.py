"""The image-captioning demo's computations: a composed scene → its picture → the model's captions (greedy and
beam), the next-word distribution at every step, and the held-out scores with their baselines.

    scene = compose("small red circle", "large yellow triangle", "left")
    image = picture(scene, seed=0, noise=0.05)             # (SIZE, SIZE, 3) float32, what the model sees
    c = describe(model, image, width=3)                    # Captioned: greedy, beam, words, log-probabilities
    c.greedy_words, c.beam_words, c.probs                  # probs (K, V): p(next word) along the greedy caption
    scores(references, predictions)                        # exact-caption and word accuracy
    Template.fit(captions).predict(n)                      # the template baseline

Shape legend: K caption steps, V words, H hidden units. Arrays returned are numpy float64.
"""
from __future__ import annotations

import collections
from dataclasses import dataclass

import numpy as np
import torch

from rnnviz.topics.captions import data, decoding
from rnnviz.topics.captions.model import BOS, EOS, PAD, Captioner

VOCAB = [PAD, BOS, EOS, *data.WORDS]
NEVER = (PAD, BOS)          # words the decoder may not write (inputs only)
MAX_STEPS = 12              # the longest caption has ten words and </s>: room for a model that rambles
WIDTHS = (1, 2, 3, 5)       # beam widths the page offers
NONE = "none"               # the second thing's choice when the scene holds one thing


# ----------------------------------------------------------------------------- a composed scene

def compose(first: str, second: str, where: str, overlap: bool = False) -> data.Scene:
    """The scene a student composes: two things ("small red circle", ...; second may be NONE) and where the
    first one is. ValueError (a message for the page) for anything else."""
    things = (data.thing(first),) + (() if second == NONE else (data.thing(second),))
    return data.Scene(things, where, overlap=bool(overlap) and len(things) == 2)


def picture(scene: data.Scene, seed: int, noise: float) -> np.ndarray:
    """(SIZE, SIZE, 3) float32: the scene drawn with its own generator (positions, colour jitter, noise)."""
    return data.render(scene, np.random.default_rng(int(seed)), noise)


def as_input(image: np.ndarray) -> torch.Tensor:
    """(SIZE, SIZE, 3) picture → (1, 3, SIZE, SIZE) tensor, as the model reads it."""
    return torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1)))[None].float()


# ----------------------------------------------------------------------------- decoding

def stepper(model: Captioner, image: np.ndarray) -> tuple[decoding.Step, torch.Tensor]:
    """The model as a decoder for decoding.greedy / beam: (step, s_0), with the CNN run once."""
    with torch.no_grad():
        v = model.see(as_input(image))                                              # (1, H)
    never = [model.index[w] for w in NEVER]

    def step(y_prev: torch.Tensor, state: torch.Tensor):
        with torch.no_grad():
            logits, state = model.step(y_prev, state, v.expand(len(y_prev), -1))      # (B, V)
        logits = logits.double()
        logits[:, never] = -torch.inf
        return torch.log_softmax(logits, -1), state

    return step, v.unsqueeze(0).contiguous()                                          # s_0 = v: (1, 1, H)


def words_of(model: Captioner, tokens: list[int]) -> list[str]:
    return [model.words[t] for t in tokens if model.words[t] != EOS]


@dataclass
class Captioned:
    greedy: decoding.Greedy
    beam: decoding.Beam
    vocab: list[str]

    @property
    def greedy_words(self) -> list[str]:
        return [self.vocab[t] for t in self.greedy.tokens if self.vocab[t] != EOS]

    @property
    def beam_words(self) -> list[str]:
        return [self.vocab[t] for t in self.beam.tokens if self.vocab[t] != EOS]

    @property
    def probs(self) -> np.ndarray:
        """(K, V) p(next word) at each step of the greedy caption."""
        return self.greedy.probs

    @property
    def agree(self) -> bool:
        return self.greedy.tokens == self.beam.tokens

    def step_labels(self) -> list[str]:
        """The word greedy wrote at each step (</s> for the end)."""
        return [self.vocab[t] for t in self.greedy.tokens]


def describe(model: Captioner, image: np.ndarray, width: int = 3) -> Captioned:
    step, s0 = stepper(model, image)
    bos, eos = model.index[BOS], model.index[EOS]
    return Captioned(decoding.greedy(step, s0, bos, eos, MAX_STEPS),
                     decoding.beam(step, s0, bos, eos, MAX_STEPS, width), list(model.words))


@torch.no_grad()
def sequence_logp(model: Captioner, image: np.ndarray, tokens: list[int]) -> float:
    """Σ_k log p(y_k | y_<k, x) of a given caption (</s> included), by teacher forcing in one pass: the
    decoders' scores must equal this, recomputed from scratch."""
    y_in = torch.tensor([model.index[BOS], *tokens[:-1]])[:, None]                      # (K, 1)
    logits = model(as_input(image), y_in)[:, 0].double()                                # (K, V)
    logits[:, [model.index[w] for w in NEVER]] = -torch.inf
    logp = torch.log_softmax(logits, -1)
    return float(logp[torch.arange(len(tokens)), torch.tensor(tokens)].sum())


@torch.no_grad()
def along(model: Captioner, image: np.ndarray, tokens: list[int]) -> np.ndarray:
    """(K, V) p(y_k = v | y_<k, picture) with the given words fed in (teacher forcing): what the decoder
    thinks at each step of a caption it did not necessarily choose."""
    y_in = torch.tensor([model.index[BOS], *tokens[:-1]])[:, None]                      # (K, 1)
    logits = model(as_input(image), y_in)[:, 0].double()                                # (K, V)
    logits[:, [model.index[w] for w in NEVER]] = -torch.inf
    return torch.softmax(logits, -1).numpy()


@torch.no_grad()
def greedy_batch(model: Captioner, images: np.ndarray, batch: int = 500) -> list[list[str]]:
    """Greedy captions of many pictures (N, 3, SIZE, SIZE), batched: the same choices as decoding.greedy."""
    out, never = [], [model.index[w] for w in NEVER]
    eos = model.index[EOS]
    for s in range(0, len(images), batch):
        x = torch.from_numpy(images[s:s + batch]).float()
        v = model.see(x)
        y, state = torch.full((len(x),), model.index[BOS]), v.unsqueeze(0).contiguous()
        written, ended = [], torch.zeros(len(x), dtype=torch.bool)
        for _ in range(MAX_STEPS):
            logits, state = model.step(y, state, v)
            logits[:, never] = -torch.inf
            y = torch.sort(logits, dim=-1, descending=True, stable=True).indices[:, 0]
            written.append(torch.where(ended, 0, y))
            ended |= y == eos
            if ended.all():
                break
        for row in torch.stack(written, 1).tolist():
            out.append(words_of(model, [t for t in row if t != 0]))
    return out


def beam_all(model: Captioner, images: np.ndarray, width: int) -> list[list[str]]:
    """Beam-search captions of many pictures (N, 3, SIZE, SIZE), one at a time."""
    return [describe(model, im.transpose(1, 2, 0), width).beam_words for im in images]


# ----------------------------------------------------------------------------- scores and the baselines

def scores(references: list[list[str]], predictions: list[list[str]]) -> dict:
    """Exact-caption accuracy: the share of captions right word for word. Word accuracy (position-aligned):
    the words equal to the reference's word at the same position, over max(len(reference), len(prediction))
    per caption, summed over all captions (a missing or extra word counts as wrong)."""
    exact = sum(r == p for r, p in zip(references, predictions))
    hit = sum(sum(a == b for a, b in zip(r, p)) for r, p in zip(references, predictions))
    total = sum(max(len(r), len(p)) for r, p in zip(references, predictions))
    return {"exact": exact / max(len(references), 1), "word": hit / max(total, 1)}


@dataclass(frozen=True)
class Template:
    """The template baseline, which never looks at the picture: the most common caption length in training,
    each position filled with its most frequent training word among captions of that length."""
    words: tuple[str, ...]

    @classmethod
    def fit(cls, captions: list[list[str]]) -> "Template":
        length = collections.Counter(len(c) for c in captions).most_common(1)[0][0]
        same = [c for c in captions if len(c) == length]
        return cls(tuple(collections.Counter(c[i] for c in same).most_common(1)[0][0] for i in range(length)))

    def predict(self, n: int) -> list[list[str]]:
        return [list(self.words)] * n


def nearest_captions(memory: np.ndarray, memory_captions: list[list[str]], images: np.ndarray,
                     batch: int = 250) -> list[list[str]]:
    """The nearest-picture baseline: each picture gets the caption of the closest of `memory`'s training
    pictures (Euclidean distance between pixels). It can only repeat a training caption."""
    mem = torch.from_numpy(memory.reshape(len(memory), -1)).float()
    out = []
    for s in range(0, len(images), batch):
        x = torch.from_numpy(np.ascontiguousarray(images[s:s + batch]).reshape(-1, mem.shape[1])).float()
        out += [memory_captions[i] for i in torch.cdist(x, mem).argmin(1).tolist()]
    return out


def top_words(probs: np.ndarray, vocab: list[str], k: int = 8, always: list[int] = ()) -> list[int]:
    """The rows a next-word chart shows: the words in `always` (the ones written), then the likeliest others by
    their highest probability over the steps, until there are k rows (or more, if more words were written);
    never <pad> or <s>."""
    chosen = list(dict.fromkeys(int(i) for i in always))
    peak = probs.max(0)
    others = [i for i in np.argsort(-peak, kind="stable").tolist() if vocab[i] not in NEVER and i not in chosen]
    return chosen + others[:max(0, k - len(chosen))]


def beam_table(beam: decoding.Beam, vocab: list[str]) -> list[dict]:
    """One row per candidate beam search kept, step by step, best first: its words so far, Σ log p, finished,
    and whether it lies on the winner's path."""
    path = {n.id for n in beam.path()}
    rows = []
    for k in range(1, beam.steps + 1):
        for rank, node in enumerate(beam.kept_at(k), start=1):
            words = [vocab[n.token] for n in beam.path(node)]
            rows.append({"step": k, "rank": rank, "caption so far": " ".join(w if w != EOS else "(end)" for w in words),
                         "Σ log p": round(node.logp, 3), "finished": node.finished, "the winner's path": node.id in path})
    return rows
