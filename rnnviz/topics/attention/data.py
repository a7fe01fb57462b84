"""Number words → digits, the attention topic's task: an English number from 0 to 999,999 written out in
words, in one of a few phrasings, and its digits.

    "three hundred twelve thousand five"                  → "312005"
    "three hundred and twelve thousand and five"          → "312005"
    "seven hundred seventy-seven thousand, one hundred"   → "777100"

Generated, not downloaded (`fetch()` only says so). Every draw comes from a `np.random.default_rng(seed)`
passed in, never from global state, so the same seed gives the same pairs.

Why this task shows the bottleneck: the longer the words, the more the one vector c of a plain encoder–
decoder must carry (six digits and where each belongs), while an attentive decoder can look back at the
word it is writing ("twelve" while it writes 1 and 2). Inputs run from 4 characters ("zero") to 73.

The phrasings (Style): "and" after "hundred" and before a last part under 100 (British) or not; tens and
units joined by "-" or " " (twenty-one, twenty one); a comma after "thousand" or not. Every phrasing is
read back by `parse`, so the page can say whether a typed text is a number the model could know.

Held out (`split`): distinct numbers from 100 up, never seen in training in any phrasing; the numbers
below 100 (there are only 100) are all training numbers. Training draws the number of digits uniformly
(1 to 6), then a number of that many digits, so short inputs are not drowned by six-digit ones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

LIMIT = 1_000_000                      # numbers 0 .. LIMIT − 1
SPLIT_SEED = 23
HELD_OUT = {"validation": 1_000, "test": 4_000}
HELD_PER_DIGITS = {3: 200, 4: 1_600, 5: 1_600, 6: 1_600}     # numbers held out per digit count (sum: 5,000)
SOURCE = "generated: rnnviz.topics.attention.data (seeded; no download)"
# The input-length bins of the held-out chart (characters, inclusive); together they cover every input (4 to 73).
BINS = ((1, 25), (26, 35), (36, 45), (46, 55), (56, 80))

ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


@dataclass(frozen=True)
class Style:
    """One phrasing: "and" after "hundred" and before a last part under 100 (British), the tens–units
    joiner, and a comma after "thousand"."""
    use_and: bool = False
    hyphen: str = "-"
    comma: bool = False

    def below_100(self, n: int) -> str:
        if n < 20:
            return ONES[n]
        return TENS[n // 10] + (self.hyphen + ONES[n % 10] if n % 10 else "")

    def below_1000(self, n: int) -> str:
        h, r = divmod(n, 100)
        if not h:
            return self.below_100(r)
        out = f"{ONES[h]} hundred"
        return out + ((" and " if self.use_and else " ") + self.below_100(r) if r else "")

    def render(self, n: int) -> str:
        if not 0 <= n < LIMIT:
            raise ValueError(f"n must be in 0..{LIMIT - 1}; got {n}")
        if n == 0:
            return "zero"
        th, r = divmod(n, 1000)
        if not th:
            return self.below_1000(r)
        out = f"{self.below_1000(th)} thousand"
        if not r:
            return out
        if self.use_and and r < 100:
            return f"{out} and {self.below_100(r)}"
        return out + (", " if self.comma else " ") + self.below_1000(r)


STYLES = tuple(Style(a, h, c) for a in (False, True) for h in ("-", " ") for c in (False, True))


def digits(n: int) -> str:
    """The target: the number's digits, no leading zeros, no separators."""
    return str(int(n))


def length_bin(n_chars: int) -> int:
    """Index of the BINS entry holding an input of n_chars characters (the last bin takes anything longer)."""
    for i, (lo, hi) in enumerate(BINS):
        if n_chars <= hi:
            return i
    return len(BINS) - 1


def bin_label(i: int) -> str:
    lo, hi = BINS[i]
    return f"{lo}–{hi}"


@dataclass(frozen=True)
class Split:
    validation: np.ndarray     # distinct numbers ≥ 100, never in training
    test: np.ndarray
    held: frozenset            # both, for the training draw to skip


def split(seed: int = SPLIT_SEED) -> Split:
    """Distinct held-out numbers from 100 up, drawn per digit count (HELD_PER_DIGITS: 3 to 6 digits) so every
    input length is covered: a seeded draw without replacement."""
    rng = np.random.default_rng(seed)
    chosen = []
    for d, per in HELD_PER_DIGITS.items():
        lo, hi = 10 ** (d - 1), 10 ** d
        chosen.append(lo + rng.choice(hi - lo, size=per, replace=False))
    order = rng.permutation(np.concatenate(chosen))
    nv = HELD_OUT["validation"]
    return Split(np.sort(order[:nv]), np.sort(order[nv:]), frozenset(order.tolist()))


def draw_numbers(rng: np.random.Generator, size: int, held: frozenset) -> list[int]:
    """Training numbers: the digit count uniform over 1..6, then a number of that many digits, never a
    held-out one (redrawn: at most 22% of the 3-digit numbers, 18% of the 4-digit ones are held out)."""
    out = []
    while len(out) < size:
        d = int(rng.integers(1, 7))
        lo = 0 if d == 1 else 10 ** (d - 1)
        n = int(rng.integers(lo, 10 ** d))
        if n not in held:
            out.append(n)
    return out


def pairs(numbers, rng: np.random.Generator) -> list[tuple[str, str, Style]]:
    """(words, digits, style) for each number, each in a phrasing drawn from `rng`."""
    out = []
    for n in numbers:
        style = STYLES[int(rng.integers(len(STYLES)))]
        out.append((style.render(int(n)), digits(n), style))
    return out


def held_out(which: str, seed: int = SPLIT_SEED) -> list[tuple[str, str, Style]]:
    """The fixed validation or test pairs: each held-out number once, in a phrasing drawn from a seeded rng."""
    numbers = getattr(split(seed), which)
    return pairs(numbers, np.random.default_rng(seed + {"validation": 1, "test": 2}[which]))


def fetch() -> str:
    """Nothing to download: the pairs are generated (python -m rnnviz.data calls every fetch())."""
    return "generated on the fly (no download)"


# ----------------------------------------------------------------------------- typed words → number

_VALUE = {w: i for i, w in enumerate(ONES)} | {w: 10 * i for i, w in enumerate(TENS) if w}


def parse(text: str) -> int | None:
    """The number a text names, when it is written as the data writes numbers (any case, any of the
    phrasings, spaces collapsed); None otherwise. Exactly the inverse of Style.render on its outputs."""
    low = " ".join(text.lower().split())
    for n in _candidates(low):
        if any(s.render(n) == low for s in STYLES):
            return n
    return None


def _candidates(low: str) -> list[int]:
    """The value the words add up to, read leniently; parse() then keeps it only if some Style writes it so."""
    words = re.split(r"[\s,\-]+", low)
    total = part = 0
    for w in words:
        if w == "and" or not w:
            continue
        if w in _VALUE:
            part += _VALUE[w]
        elif w == "hundred":
            part *= 100
        elif w == "thousand":
            total, part = total + part * 1000, 0
        else:
            return []
    n = total + part
    return [n] if 0 <= n < LIMIT else []
