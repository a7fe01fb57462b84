"""Decoding an encoder–decoder (model.Seq2Seq): greedy and beam search, each step recorded for the page.

    enc = encode(model, "21.11.2026")       # Encoding: the encoder's states per character and the context c
    g = greedy(model, enc)                  # Greedy: the chosen symbol and the whole distribution per step
    b = beam(model, enc, width=3)           # Beam: every candidate considered (a tree), the kept ones, the winner
    greedy_batch(model, texts)              # many texts at once (the recipe's and the tests' metric)

Greedy takes the likeliest symbol at every step. Beam search (e.g. Sutskever et al. 2014, §3.2) keeps the
`width` likeliest partial outputs by their total log-probability log p(y_1..y_k | x) = Σ_j log p(y_j | y_<j, x);
each step, every kept output is extended by its `width` likeliest next symbols, and the best `width` of all
those extensions are kept. An output that ends (</s>) is finished; the search stops when the best finished
output scores above every unfinished one (extending an output only lowers its score), or after MAX_STEPS.
No length normalisation is needed here: every right answer has the same length (ten characters and </s>).
With width 1, beam search *is* greedy search (a test holds them equal).

Both rank with one stable sort, so ties break the same way. Shape legend: T input characters, K output
steps, H hidden units, V output symbols. Arrays returned are numpy float64.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from rnnviz.topics.dates.model import BOS, EOS, Seq2Seq

MAX_STEPS = 16          # ten characters and </s>, with room for a model that rambles
NEVER = ("<pad>", BOS)  # symbols the decoder may not write (they are inputs only)


@dataclass
class Encoding:
    text: str
    ids: torch.Tensor            # (T,) long
    states: np.ndarray           # (T, H) h_1..h_T
    c: torch.Tensor              # (1, H) the context vector, as the decoder takes it


def encode(model: Seq2Seq, text: str) -> Encoding:
    """The encoder reads a non-empty text: its state after every character, and c = h_T."""
    ids = model.encode_text(text)
    with torch.no_grad():
        states, c = model.encode(ids[:, None], torch.tensor([len(ids)]))          # (T, 1, H), (1, H)
    return Encoding(text, ids, states[:, 0].double().numpy(), c)


def _log_probs(model: Seq2Seq, y_prev: torch.Tensor, state: torch.Tensor, c: torch.Tensor):
    """log p(y_k | y_<k, x) for each row (B, V), with the input-only symbols at −inf, and the new state."""
    logits, state = model.decode_step(y_prev, state, c)
    logits[:, [model.target_index[s] for s in NEVER]] = -torch.inf
    return torch.log_softmax(logits.double(), -1), state


def _ranked(logp: torch.Tensor, k: int) -> torch.Tensor:
    """Indices of the k largest entries of a 1-D tensor, largest first; ties keep the lower index."""
    return torch.sort(logp, descending=True, stable=True).indices[:k]


def _text(model: Seq2Seq, tokens: list[int]) -> str:
    return "".join(model.target[t] for t in tokens if model.target[t] != EOS)


@dataclass
class Greedy:
    tokens: list[int]            # the symbols written, </s> included when reached
    text: str                    # the output without </s>
    probs: np.ndarray            # (K, V) p(y_k = v | y_<k, x) at each step
    states: np.ndarray           # (K, H) s_1..s_K
    logp: float                  # Σ_k log p(y_k | y_<k, x) of the written symbols
    finished: bool               # ended with </s> within MAX_STEPS


@torch.no_grad()
def greedy(model: Seq2Seq, enc: Encoding, max_steps: int = MAX_STEPS) -> Greedy:
    y, state, c = torch.tensor([model.target_index[BOS]]), enc.c.unsqueeze(0).contiguous(), enc.c
    tokens, probs, states, total = [], [], [], 0.0
    for _ in range(max_steps):
        logp, state = _log_probs(model, y, state, c)                            # (1, V)
        best = int(_ranked(logp[0], 1)[0])
        tokens.append(best)
        total += float(logp[0, best])
        probs.append(logp[0].exp().numpy())
        states.append(state[0, 0].double().numpy())
        if model.target[best] == EOS:
            break
        y = torch.tensor([best])
    return Greedy(tokens, _text(model, tokens), np.array(probs), np.array(states), total,
                  model.target[tokens[-1]] == EOS)


@dataclass
class Node:
    """One partial output in the beam search's tree: `parent` is the node it extends (−1: the start)."""
    id: int
    parent: int
    step: int                    # 1 = the first symbol
    token: int
    symbol: str
    prefix: str                  # the output so far, without </s>
    logp: float                  # Σ log p of its symbols
    kept: bool = False           # among the `width` best of its step
    finished: bool = False       # ends with </s>
    winner: bool = False         # on the path of the chosen output


@dataclass
class Beam:
    width: int
    nodes: list[Node] = field(default_factory=list)
    best: Node | None = None

    @property
    def text(self) -> str:
        return self.best.prefix if self.best else ""

    @property
    def logp(self) -> float:
        return self.best.logp if self.best else float("-inf")

    @property
    def finished(self) -> list[Node]:
        """The finished outputs, best first."""
        return sorted((n for n in self.nodes if n.finished and n.kept), key=lambda n: -n.logp)

    def path(self, node: Node | None = None) -> list[Node]:
        """The nodes from the first symbol to `node` (default: the winner)."""
        node, out = node or self.best, []
        while node is not None:
            out.append(node)
            node = self.nodes[node.parent] if node.parent >= 0 else None
        return out[::-1]


@torch.no_grad()
def beam(model: Seq2Seq, enc: Encoding, width: int = 3, max_steps: int = MAX_STEPS) -> Beam:
    out = Beam(width)
    live = [(-1, enc.c.unsqueeze(0).contiguous(), model.target_index[BOS], "", 0.0)]   # (node, s, y, prefix, logp)
    for step in range(1, max_steps + 1):
        y = torch.tensor([b[2] for b in live])
        state = torch.cat([b[1] for b in live], 1)                                     # (1, B, H)
        logp, state = _log_probs(model, y, state, enc.c.expand(len(live), -1))        # (B, V)
        candidates = []
        for row, (parent, _, _, prefix, score) in enumerate(live):
            for tok in _ranked(logp[row], width).tolist():
                sym = model.target[tok]
                node = Node(len(out.nodes), parent, step, tok, sym, prefix + ("" if sym == EOS else sym),
                            score + float(logp[row, tok]), finished=sym == EOS)
                out.nodes.append(node)
                candidates.append((node, state[:, row:row + 1]))
        scores = torch.tensor([n.logp for n, _ in candidates], dtype=torch.float64)
        live = []
        for k in _ranked(scores, width).tolist():
            node, s = candidates[k]
            node.kept = True
            if not node.finished:
                live.append((node.id, s, node.token, node.prefix, node.logp))
        done = out.finished
        if not live or (done and done[0].logp >= max(b[4] for b in live)):
            break
    done = out.finished
    out.best = done[0] if done else max((out.nodes[b[0]] for b in live), key=lambda n: n.logp)
    for node in out.path():
        node.winner = True
    return out


@torch.no_grad()
def sequence_logp(model: Seq2Seq, text: str, output: list[int]) -> float:
    """Σ_k log p(y_k | y_<k, x) of a given output, by teacher forcing (one decoder pass): beam scores must
    equal this, recomputed from scratch."""
    ids = model.encode_text(text)[:, None]
    y_in = torch.tensor([model.target_index[BOS], *output[:-1]])[:, None]
    logits = model(ids, torch.tensor([ids.shape[0]]), y_in)[:, 0]                  # (K, V)
    logits[:, [model.target_index[s] for s in NEVER]] = -torch.inf
    logp = torch.log_softmax(logits.double(), -1)
    return float(logp[torch.arange(len(output)), torch.tensor(output)].sum())


@torch.no_grad()
def greedy_batch(model: Seq2Seq, texts: list[str], max_steps: int = MAX_STEPS, batch: int = 500) -> list[str]:
    """Greedy outputs of many (non-empty) texts, batched: the same choices as greedy() one at a time."""
    out = []
    never = [model.target_index[s] for s in NEVER]
    for s in range(0, len(texts), batch):
        chunk = [model.encode_text(t) for t in texts[s:s + batch]]
        ids = torch.nn.utils.rnn.pad_sequence(chunk)                                   # (T, B)
        _, c = model.encode(ids, torch.tensor([len(x) for x in chunk]))
        y, state = torch.full((len(chunk),), model.target_index[BOS]), c.unsqueeze(0).contiguous()
        written, ended = [], torch.zeros(len(chunk), dtype=torch.bool)
        for _ in range(max_steps):
            logits, state = model.decode_step(y, state, c)
            logits[:, never] = -torch.inf
            y = torch.sort(logits, dim=-1, descending=True, stable=True).indices[:, 0]
            written.append(torch.where(ended, 0, y))
            ended |= y == model.target_index[EOS]
            if ended.all():
                break
        cols = torch.stack(written, 1).tolist()
        out += [_text(model, [t for t in row if t != 0]) for row in cols]
    return out
