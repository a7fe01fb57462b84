"""Reading letters out of CTC's per-frame probabilities: the greedy collapse, a prefix beam search, and the
character error rate. Pure NumPy; index 0 is the blank.

    steps = collapse_steps(p.argmax(1))   # best path → merge repeats → drop blanks, each step kept
    text, logp = beam_search(p, width=8)  # the likeliest letters summed over all their paths (approximately)
    cer(hyp, ref)                         # edit distance / len(ref)

CTC (Graves et al., 2006): a path is one symbol per frame; B(path) merges runs of the same symbol, then drops
the blanks ("hh·e·ll·lo" → "hel·lo"... → "hello": a blank between two l's keeps them two). p(text) is the sum of
p(path) = Π_t p_t(path_t) over every path with B(path) = text. Greedy decoding takes the single best path
(the argmax at every frame) and collapses it; it is fast, but the best path need not collapse to the best text,
because a text's probability is spread over many paths. The prefix beam search keeps the `width` likeliest
prefixes, each with two numbers: p(prefix, ending in blank) and p(prefix, ending in its last letter).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NEG_INF = -np.inf


@dataclass(frozen=True)
class Collapse:
    path: list[int]          # the best symbol at every frame (0 = blank)
    merged: list[int]        # runs of the same symbol merged into one
    letters: list[int]       # blanks dropped: the output


def collapse_steps(path) -> Collapse:
    path = [int(k) for k in path]
    merged = [k for i, k in enumerate(path) if i == 0 or k != path[i - 1]]
    return Collapse(path, merged, [k for k in merged if k != 0])


def greedy(p: np.ndarray) -> tuple[list[int], float]:
    """The best path's collapse and ln p(best path) (one path, not the sum over the text's paths)."""
    best = p.argmax(1)
    return collapse_steps(best).letters, float(np.log(p[np.arange(len(p)), best]).sum())


def _lse(*xs: float) -> float:
    m = max(xs)
    return m if m == NEG_INF else m + float(np.log(sum(np.exp(x - m) for x in xs)))


def beam_search(p: np.ndarray, width: int = 8, prune: float = 1e-4) -> tuple[list[int], float]:
    """CTC prefix beam search over p (T, K): the best prefix and ln of its summed probability (exact over the
    paths the beam kept; a lower bound on ln p(text)). Symbols below `prune` at a frame are not tried."""
    logp = np.log(np.maximum(p, 1e-30))
    beams = {(): (0.0, NEG_INF)}                     # prefix → (ln p ending in a blank, ln p ending in its letter)
    for t in range(len(p)):
        nxt: dict[tuple, list[float]] = {}

        def add(prefix, blank, letter):
            b, l_ = nxt.get(prefix, (NEG_INF, NEG_INF))
            nxt[prefix] = (_lse(b, blank), _lse(l_, letter))

        tried = np.nonzero(p[t] >= prune)[0]
        for prefix, (pb, pl) in beams.items():
            total = _lse(pb, pl)
            for k in tried:
                lp = logp[t, k]
                if k == 0:
                    add(prefix, total + lp, NEG_INF)                 # a blank: the prefix stays, now ends in blank
                elif prefix and prefix[-1] == k:
                    add(prefix, NEG_INF, pl + lp)                    # the same letter again: merged
                    add(prefix + (int(k),), NEG_INF, pb + lp)        # after a blank: a new, doubled letter
                else:
                    add(prefix + (int(k),), NEG_INF, total + lp)
        beams = dict(sorted(nxt.items(), key=lambda kv: -_lse(*kv[1]))[:width])
    best, (pb, pl) = max(beams.items(), key=lambda kv: _lse(*kv[1]))
    return list(best), _lse(pb, pl)


def text_logprob(p: np.ndarray, letters: list[int]) -> float:
    """ln p(letters) summed over EVERY path that collapses to them: CTC's forward recursion, exactly."""
    logp = np.log(np.maximum(p, 1e-30))
    ext = [0]
    for k in letters:
        ext += [k, 0]                                                # blank, l1, blank, l2, …, blank
    alpha = np.full(len(ext), NEG_INF)
    alpha[0] = logp[0, 0]
    if len(ext) > 1:
        alpha[1] = logp[0, ext[1]]
    for t in range(1, len(p)):
        prev = alpha.copy()
        for s in range(len(ext)):
            terms = [prev[s]] + ([prev[s - 1]] if s >= 1 else [])
            if s >= 2 and ext[s] != 0 and ext[s] != ext[s - 2]:
                terms.append(prev[s - 2])                            # skip the blank between different letters
            alpha[s] = _lse(*terms) + logp[t, ext[s]]
    return _lse(alpha[-1], alpha[-2]) if len(ext) > 1 else float(alpha[-1])


def edit_distance(a: str, b: str) -> int:
    """Levenshtein: the fewest insertions, deletions and substitutions turning a into b."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def cer(hyp: str, ref: str) -> float:
    """Character error rate: edit distance / letters in the reference (can pass 1 when the output is long)."""
    return edit_distance(hyp, ref) / max(len(ref), 1)
