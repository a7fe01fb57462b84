"""Greedy and beam search over any step-by-step decoder, each step recorded for the page.

A decoder is a function `step(y_prev (B,) long, state (1, B, H)) -> (log p(y | y_<k) (B, V) float64, state)`
and a start state (1, 1, H). The captioner wraps itself in one (compute.stepper); the tests wrap a tiny
hand-written table in another, to hold beam search against every possible output.

Greedy takes the likeliest word at every step. Beam search keeps the `width` likeliest partial captions by
their total log-probability log p(y_1..y_k | x) = Σ_j log p(y_j | y_<j, x): each step, every kept caption is
extended by its `width` likeliest next words, and the best `width` of all those extensions are kept. A
caption that ends (</s>) is finished and leaves the beam; the search stops when the best finished caption
scores at least as high as every unfinished one (a longer caption only adds negative log-probabilities), or
after max_steps. No length normalisation. With width 1, beam search is greedy search (a test holds it).

Ties break the same way everywhere: one stable sort, lower index first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import torch

Step = Callable[[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]


def ranked(logp: torch.Tensor, k: int) -> list[int]:
    """Indices of the k largest entries of a 1-D tensor, largest first; ties keep the lower index."""
    return torch.sort(logp, descending=True, stable=True).indices[:k].tolist()


@dataclass
class Greedy:
    tokens: list[int]            # the words written, </s> included when reached
    probs: np.ndarray            # (K, V) p(y_k = v | y_<k, x) at each step
    logp: float                  # Σ_k log p(y_k | y_<k, x) of the written words
    finished: bool               # ended with </s> within max_steps


@torch.no_grad()
def greedy(step: Step, state: torch.Tensor, bos: int, eos: int, max_steps: int) -> Greedy:
    y, tokens, probs, total = torch.tensor([bos]), [], [], 0.0
    for _ in range(max_steps):
        logp, state = step(y, state)                                     # (1, V)
        best = ranked(logp[0], 1)[0]
        tokens.append(best)
        total += float(logp[0, best])
        probs.append(logp[0].exp().numpy())
        if best == eos:
            break
        y = torch.tensor([best])
    return Greedy(tokens, np.array(probs), total, bool(tokens) and tokens[-1] == eos)


@dataclass
class Node:
    """One partial caption in the beam's tree: `parent` is the node it extends (−1: the start)."""
    id: int
    parent: int
    step: int                    # 1 = the first word
    token: int
    logp: float                  # Σ log p of its words
    kept: bool = False           # among the `width` best of its step
    finished: bool = False       # ends with </s>


@dataclass
class Beam:
    width: int
    nodes: list[Node] = field(default_factory=list)
    best: Node | None = None

    @property
    def logp(self) -> float:
        return self.best.logp if self.best else float("-inf")

    def path(self, node: Node | None = None) -> list[Node]:
        """The nodes from the first word to `node` (default: the winner)."""
        node, out = node or self.best, []
        while node is not None:
            out.append(node)
            node = self.nodes[node.parent] if node.parent >= 0 else None
        return out[::-1]

    @property
    def tokens(self) -> list[int]:
        return [n.token for n in self.path()] if self.best else []

    def kept_at(self, step: int) -> list[Node]:
        """The candidates kept at `step`, best first."""
        return sorted((n for n in self.nodes if n.step == step and n.kept), key=lambda n: -n.logp)

    @property
    def steps(self) -> int:
        return max((n.step for n in self.nodes), default=0)


@torch.no_grad()
def beam(step: Step, state: torch.Tensor, bos: int, eos: int, max_steps: int, width: int = 3) -> Beam:
    if width < 1:
        raise ValueError("the beam's width is at least 1")
    out = Beam(width)
    live = [(-1, state, bos, 0.0)]                                   # (node id, state, last word, log p)
    finished: list[Node] = []
    for k in range(1, max_steps + 1):
        logp, states = step(torch.tensor([b[2] for b in live]), torch.cat([b[1] for b in live], 1))   # (B, V)
        candidates = []
        for row, (parent, _, _, score) in enumerate(live):
            for tok in ranked(logp[row], width):
                node = Node(len(out.nodes), parent, k, tok, score + float(logp[row, tok]), finished=tok == eos)
                out.nodes.append(node)
                candidates.append((node, states[:, row:row + 1]))
        scores = torch.tensor([n.logp for n, _ in candidates], dtype=torch.float64)
        live = []
        for i in ranked(scores, width):
            node, s = candidates[i]
            node.kept = True
            if node.finished:
                finished.append(node)
            else:
                live.append((node.id, s, node.token, node.logp))
        best_done = max((n.logp for n in finished), default=float("-inf"))
        if not live or best_done >= max(b[3] for b in live):
            break
    pool = finished or [out.nodes[b[0]] for b in live]
    out.best = sorted(pool, key=lambda n: (-n.logp, n.id))[0]
    return out


def brute_force(step: Step, state: torch.Tensor, bos: int, eos: int, max_steps: int, vocab: list[int]
                ) -> tuple[list[int], float]:
    """The most probable finished output (ending in eos) of at most max_steps tokens, by trying every one:
    for the tests' tiny tables only (|vocab|^max_steps outputs)."""
    best: tuple[list[int], float] = ([], float("-inf"))

    def walk(prefix: list[int], y: int, s: torch.Tensor, score: float) -> None:
        nonlocal best
        if prefix and prefix[-1] == eos:
            if score > best[1]:
                best = (prefix, score)
            return
        if len(prefix) == max_steps:
            return
        logp, s2 = step(torch.tensor([y]), s)
        for tok in vocab:
            walk(prefix + [tok], tok, s2, score + float(logp[0, tok]))

    with torch.no_grad():
        walk([], bos, state, 0.0)
    return best
