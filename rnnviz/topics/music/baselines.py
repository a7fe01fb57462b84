"""The two honest baselines a melody model must beat, and the held-out scores of any of them.

Each predicts, for every note after a tune's first, a distribution over the next pitch and one over the next
duration; a note's probability is the product of the two, so its negative log-likelihood (NLL, in nats per
note) is the sum of the two parts. Accuracy is counted separately: the pitch right, the duration right.

- Repeat the last note: the next pitch is the last pitch, the next duration the last duration. As a
  probability it is a mixture, p(x) = a·[x = last] + (1 − a)·q(x), with q the training frequency of each
  token and a the share of repeats in the training tunes (the a that maximises their likelihood is close to
  it): all its mass on one guess would make the NLL infinite at the first change.
- Bigram: p(x_t | x_{t−1}) counted on the training tunes, add-one (Laplace) smoothing; pitch from the last
  pitch, duration from the last duration. It knows which step follows which, nothing further back.

    b = Bigram.fit(train_tunes, n_pitches, n_durations)        # tunes as (pitch ids, duration ids) pairs
    scores(b.predict, test_tunes)     # {"pitch_accuracy", "duration_accuracy", "pitch_nll", "duration_nll", "nll", "notes"}

Shape legend: N notes predicted, K tokens of one kind (P pitches or D durations). float64 numpy.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

Ids = tuple[np.ndarray, np.ndarray]          # one tune: (pitch ids (T,), duration ids (T,))


def _pairs(tunes: Sequence[Ids], part: int) -> tuple[np.ndarray, np.ndarray]:
    """(previous ids, next ids) over every note after the first, of one part (0 pitch, 1 duration)."""
    prev = np.concatenate([np.asarray(t[part][:-1]) for t in tunes])
    nxt = np.concatenate([np.asarray(t[part][1:]) for t in tunes])
    return prev, nxt


@dataclass(frozen=True)
class RepeatLast:
    share: tuple[float, float]                 # a: how often a pitch, a duration repeats in training
    unigram: tuple[np.ndarray, np.ndarray]     # (P,), (D,) training frequencies (add-one)

    @classmethod
    def fit(cls, tunes: Sequence[Ids], n_pitches: int, n_durations: int) -> "RepeatLast":
        shares, unigrams = [], []
        for part, k in ((0, n_pitches), (1, n_durations)):
            prev, nxt = _pairs(tunes, part)
            shares.append(float(np.mean(prev == nxt)))
            counts = np.bincount(np.concatenate([np.asarray(t[part]) for t in tunes]), minlength=k) + 1.0
            unigrams.append(counts / counts.sum())
        return cls(tuple(shares), tuple(unigrams))

    def predict(self, prev: np.ndarray, part: int) -> np.ndarray:
        """(N,) previous ids → (N, K) distributions over the next."""
        q = np.tile((1 - self.share[part]) * self.unigram[part], (len(prev), 1))
        q[np.arange(len(prev)), prev] += self.share[part]
        return q


@dataclass(frozen=True)
class Bigram:
    counts: tuple[np.ndarray, np.ndarray]      # (P, P), (D, D): row = previous, column = next

    @classmethod
    def fit(cls, tunes: Sequence[Ids], n_pitches: int, n_durations: int) -> "Bigram":
        out = []
        for part, k in ((0, n_pitches), (1, n_durations)):
            prev, nxt = _pairs(tunes, part)
            m = np.zeros((k, k))
            np.add.at(m, (prev, nxt), 1)
            out.append(m)
        return cls(tuple(out))

    def table(self, part: int) -> np.ndarray:
        """(K, K) p(next | previous), add-one smoothed: each row sums to 1."""
        m = self.counts[part] + 1.0
        return m / m.sum(1, keepdims=True)

    def predict(self, prev: np.ndarray, part: int) -> np.ndarray:
        return self.table(part)[prev]


def scores(predict: Callable[[np.ndarray, int], np.ndarray], tunes: Sequence[Ids]) -> dict:
    """A baseline's held-out scores over every note after a tune's first."""
    out = {}
    for part, name in ((0, "pitch"), (1, "duration")):
        prev, nxt = _pairs(tunes, part)
        q = predict(prev, part)                                    # (N, K)
        out.update(part_scores(q, nxt, name))
    out["nll"] = out["pitch_nll"] + out["duration_nll"]
    out["notes"] = int(sum(len(t[0]) - 1 for t in tunes))
    return out


def part_scores(q: np.ndarray, truth: np.ndarray, name: str) -> dict:
    """(N, K) distributions and (N,) true ids → {name_accuracy, name_nll}: argmax accuracy, mean −log q(truth)."""
    picked = q[np.arange(len(truth)), truth]
    return {f"{name}_accuracy": float(np.mean(q.argmax(1) == truth)),
            f"{name}_nll": float(-np.mean(np.log(picked)))}
