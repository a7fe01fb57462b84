"""Linear recurrences and the parallel scan: why a minGRU, an LRU or a Mamba layer can be trained without
stepping through time.

A linear recurrence is a state update whose coefficients do not depend on the state:

    h_t = a_t ⊙ h_{t−1} + b_t,        t = 1..T,   a_t, b_t computed from the input x_t alone.

A GRU is not one: its gates read h_{t−1}. Remove h_{t−1} from the gates and the candidate (minGRU, Feng
et al. 2024, "Were RNNs All We Needed?") and it becomes one (min_gru below).

Each step is the affine map f_t(h) = a_t ⊙ h + b_t, written as the pair (a_t, b_t). Two steps compose into
one map of the same form:

    f_2(f_1(h)) = a_2 ⊙ (a_1 ⊙ h + b_1) + b_2 = (a_2 ⊙ a_1) ⊙ h + (a_2 ⊙ b_1 + b_2)
    (a_1, b_1) • (a_2, b_2) = (a_2 ⊙ a_1,  a_2 ⊙ b_1 + b_2)                    ("first 1, then 2")

and this composition is associative, so the T prefixes f_t ∘ … ∘ f_1 can be computed in ⌈log2 T⌉ rounds
instead of T sequential steps (Blelloch 1990, "Prefix sums and their applications"; Martin & Cundy 2018,
"Parallelizing linear recurrent neural nets over sequence length"). `scan` does it the Hillis–Steele way
(Hillis & Steele 1986): in round k every position t ≥ 2^k composes its pair with the one 2^k before it, all
positions at once. That is T·log2 T compositions instead of T, so it only wins where the T positions of a
round really run in parallel (a GPU); on a laptop CPU each round is a few vectorised NumPy/torch calls over
T positions, and `make bench` (BENCH=scan) prints what the loop and the scan cost as T grows.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor


def combine(first: tuple[Tensor, Tensor], then: tuple[Tensor, Tensor]) -> tuple[Tensor, Tensor]:
    """(a_1, b_1) • (a_2, b_2) = (a_2 ⊙ a_1, a_2 ⊙ b_1 + b_2): apply `first`, then `then`."""
    (a1, b1), (a2, b2) = first, then
    return a2 * a1, torch.addcmul(b2, a2, b1)


def loop(a: Tensor, b: Tensor, h0: Tensor | None = None) -> Tensor:
    """h_t = a_t ⊙ h_{t−1} + b_t step by step; a, b (T, ...), h0 (...) (zeros by default) → h (T, ...)."""
    h = torch.zeros_like(b[0]) if h0 is None else h0.expand_as(b[0])
    out = []
    for a_t, b_t in zip(a.unbind(0), b.unbind(0)):             # unbind, then stack: under autograd, writing
        h = torch.addcmul(b_t, a_t, h)                         # into out[t] or slicing a[t] costs 5-20× more
        out.append(h)                                          # h_t = a_t ⊙ h_{t−1} + b_t
    return torch.stack(out) if out else torch.empty_like(b)


@dataclass
class Round:
    """One round of the scan: the pairs after it, and which position each read (−1: none, it kept its pair)."""

    a: Tensor                      # (T, ...) the composed a's: a_t ⊙ … ⊙ a_{max(1, t−2^(k+1)+1)}
    b: Tensor                      # (T, ...) the composed b's
    reads: list[int]               # reads[t] = t − 2^k, or −1 when t < 2^k


def scan(a: Tensor, b: Tensor, h0: Tensor | None = None, rounds: list[Round] | None = None) -> Tensor:
    """The same h as `loop`, in ⌈log2 T⌉ rounds of whole-sequence operations (Hillis–Steele).

    After round k, position t holds the composition of the steps max(1, t − 2^(k+1) + 1) … t; after the
    last round, of every step 1..t: the pair (A_t, B_t) with h_t = A_t ⊙ h_0 + B_t. Pass a list as
    `rounds` to receive every round's pairs (the lesson draws them for T = 8)."""
    A, B = a.clone(), b.clone()
    T, step = a.shape[0], 1
    while step < T:
        # every position t ≥ step at once: (A, B)[t] ← (A, B)[t − step] • (A, B)[t]
        A_new, B_new = A.clone(), B.clone()
        A_new[step:], B_new[step:] = combine((A[:-step], B[:-step]), (A[step:], B[step:]))
        A, B = A_new, B_new
        if rounds is not None:
            rounds.append(Round(A, B, [t - step if t >= step else -1 for t in range(T)]))
        step *= 2
    return B if h0 is None else torch.addcmul(B, A, h0.expand_as(B))


def n_rounds(T: int) -> int:
    """⌈log2 T⌉: the scan's sequential depth (the loop's is T)."""
    return math.ceil(math.log2(T)) if T > 1 else 0


# ----------------------------------------------------------------------------- minGRU

def min_gru(x: Tensor, w_z: Tensor, b_z: Tensor, w_n: Tensor, b_n: Tensor,
            h0: Tensor | None = None, parallel: bool = True) -> tuple[Tensor, Tensor, Tensor]:
    """A minGRU in torch.nn's GRU convention (z keeps the old state), x (T, B, I) → h (T, B, H):

        z_t = σ(W_iz x_t + b_z)             the GRU's z_t = σ(W_iz x_t + b_iz + W_hz h_{t−1} + b_hz), without h_{t−1}
        ñ_t = W_in x_t + b_n                the GRU's n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn)),
                                            without h_{t−1} (so no reset gate r_t), and without the tanh
        h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ ñ_t = a_t ⊙ h_{t−1} + b_t,   a_t = z_t,  b_t = (1 − z_t) ⊙ ñ_t

    (Feng et al. 2024 write it with z and 1 − z swapped: h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t.)
    Returns (h, z, ñ). parallel: by `scan`; else by `loop` (the same numbers)."""
    z = torch.sigmoid(torch.nn.functional.linear(x, w_z, b_z))
    n = torch.nn.functional.linear(x, w_n, b_n)
    a, b = z, (1 - z) * n
    h = scan(a, b, h0) if parallel else loop(a, b, h0)
    return h, z, n
