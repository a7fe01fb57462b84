"""The neuron hunt: which hidden unit tracks a simple property of the text?

Karpathy, Johnson & Fei-Fei (2015) and LSTMVis (Strobelt et al. 2018) found single LSTM units that
follow quotes, line length or brackets. Here each feature is a number per character, and each unit is
scored by the Pearson correlation r between the feature and the unit's activation over the text:

    r(unit, feature) = cov(a[:, unit], f) / (std(a[:, unit]) · std(f))        a: (T, H), f: (T,)

|r| near 1 means the unit goes up and down with the feature; the sign only says which way.
A correlation on one passage is a hint, not proof: try it on another passage.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VOWELS = set("aeiouAEIOU")


def _inside(text: str, opening: str, closing: str) -> np.ndarray:
    """1 for characters strictly between an opening mark and its closing mark (the marks themselves 0)."""
    out, depth = np.zeros(len(text)), 0
    for t, ch in enumerate(text):
        if ch == closing and depth:
            depth -= 1
        elif ch == opening and (opening != closing or not depth):
            depth += 1
            continue
        out[t] = 1.0 if depth else 0.0
    return out


def _position_in_line(text: str) -> np.ndarray:
    out, col = np.zeros(len(text)), 0
    for t, ch in enumerate(text):
        out[t] = col
        col = 0 if ch == "\n" else col + 1
    return out


def features(text: str) -> dict[str, np.ndarray]:
    """Each feature as a (T,) float array over the characters of `text`."""
    return {
        'inside "quotes"': _inside(text, '"', '"'),
        "inside [stage directions]": _inside(text, "[", "]"),
        "position in the line": _position_in_line(text),
        "vowel": np.array([ch in VOWELS for ch in text], float),
        "space": np.array([ch == " " for ch in text], float),
        "capital letter": np.array([ch.isupper() for ch in text], float),
        "end of line": np.array([ch == "\n" for ch in text], float),
    }


def correlations(acts: np.ndarray, feature: np.ndarray) -> np.ndarray:
    """(H,) Pearson r of each unit's activation with the feature; NaN where either does not vary."""
    a = acts - acts.mean(0)
    f = feature - feature.mean()
    denom = np.sqrt((a * a).sum(0) * (f * f).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (a * f[:, None]).sum(0) / denom
    r[denom < 1e-12] = np.nan
    return r


@dataclass(frozen=True)
class Match:
    feature: str
    unit: int           # the unit with the largest |r| for this feature
    r: float            # its correlation (NaN when the feature is constant in this text)
    runner_up: int      # the second best unit, to show the best is not alone
    runner_up_r: float


def hunt(acts: np.ndarray, text: str) -> list[Match]:
    """For every feature, the best-matching unit; features that do not vary in `text` come last (r NaN).
    Sorted by |r|, strongest first."""
    out = []
    for name, f in features(text).items():
        r = correlations(acts, f)
        if np.all(np.isnan(r)):
            out.append(Match(name, -1, float("nan"), -1, float("nan")))
            continue
        order = np.argsort(-np.nan_to_num(np.abs(r), nan=-1.0), kind="stable")
        out.append(Match(name, int(order[0]), float(r[order[0]]), int(order[1]) if len(order) > 1 else -1,
                         float(r[order[1]]) if len(order) > 1 else float("nan")))
    return sorted(out, key=lambda m: -abs(m.r) if not np.isnan(m.r) else 1.0)
