"""Two things a student's series is asked before a model trains on it: does it trend, and does it repeat?

Both are asked of the training part only (the held-out tail is never looked at before the verdict).

Trend: a straight line x̂_t = a + b·t fitted by least squares to the training part, and its

    R² = 1 − Σ (x_t − x̂_t)² / Σ (x_t − x̄)²        the share of the variance the line explains

R² ≥ TREND_R2 (one half) says the series drifts more than it wiggles: its held-out part will likely sit
where training never was, and a model of levels would have to extrapolate (a GRU's read-out is bounded
by tanh-squashed states, so it cannot). The steps x_t − x_{t−1} of such a series stay in range, so the
model reads and predicts those ("difference" mode). A random walk usually lands here too, and its steps
are exactly what is worth modelling.

Season: the autocorrelation of the (mean-removed, and differenced when trending) training part

    r_k = Σ_t (x_t − x̄)(x_{t+k} − x̄) / Σ_t (x_t − x̄)²      (the biased estimator: r_0 = 1, |r_k| ≤ 1)

A season of P steps makes r_P a peak: the series resembles itself one season later. A peak is a local maximum
of r_k for 2 ≤ k ≤ n/2 (at least two seasons seen) that stands out: above both MIN_ACF and the white-noise
band 2/√n, and at least MIN_DIP above the lowest r_j before it (the autocorrelation must dip and come
back, not merely wobble on a slow decline). The season repeats at 2P, 3P, … too; the biased estimator
shrinks r_k as k grows, so P is usually the highest, but noise can lift a multiple above it: the guess is
the first peak within NEAR_TOP of the highest. No peak: 0, no season.
"""
from __future__ import annotations

import numpy as np

TREND_R2 = 0.5        # a straight line explaining at least half the variance: the series trends
MIN_ACF = 0.2         # a season's autocorrelation peak must reach at least this ...
MIN_DIP = 0.1         # ... and rise at least this much above the lowest autocorrelation before it
NEAR_TOP = 0.8        # the first peak within 80 % of the highest one is the season (not one of its multiples)
MAX_PERIOD = 2000     # longer seasons are not looked for (daily data with a yearly season is 365)


def trend_r2(x: np.ndarray) -> float:
    """R² of the least-squares straight line through x (0 for a constant series)."""
    x = np.asarray(x, dtype=float)
    t = np.arange(len(x), dtype=float)
    total = float(np.sum((x - x.mean()) ** 2))
    if len(x) < 3 or total == 0.0:
        return 0.0
    slope, intercept = np.polyfit(t, x, 1)
    residual = float(np.sum((x - (intercept + slope * t)) ** 2))
    return max(0.0, 1.0 - residual / total)


def trends(x: np.ndarray) -> bool:
    return trend_r2(x) >= TREND_R2


def autocorrelation(x: np.ndarray, max_lag: int) -> np.ndarray:
    """(max_lag + 1,) r_0 .. r_max_lag of x (mean removed), by FFT (Wiener–Khinchin): the power spectrum's
    inverse transform is the autocovariance. Zero-padding to ≥ 2n makes the circular correlation the
    linear one. O(n log n): a 100,000-value series takes milliseconds."""
    x = np.asarray(x, dtype=float)
    x = x - x.mean()
    energy = float(x @ x)
    if energy == 0.0:
        return np.zeros(max_lag + 1)
    size = 1 << int(np.ceil(np.log2(2 * len(x))))
    spectrum = np.fft.rfft(x, size)
    acov = np.fft.irfft(spectrum * np.conj(spectrum), size)[:max_lag + 1]
    return acov / energy


def guess_period(x: np.ndarray) -> int:
    """The season P in steps from the autocorrelation peak (module docstring), or 0 when none stands out."""
    x = np.asarray(x, dtype=float)
    if trends(x):
        x = np.diff(x)                     # the trend would dominate r_k; its steps keep the season
    n = len(x)
    max_lag = min(n // 2, MAX_PERIOD)
    if max_lag < 3:
        return 0
    r = autocorrelation(x, max_lag + 1)                          # (max_lag + 2,): r[k + 1] exists for k ≤ max_lag
    floor = max(MIN_ACF, 2 / np.sqrt(n))
    peaks = [k for k in range(2, max_lag + 1)
             if r[k] >= r[k - 1] and r[k] >= r[k + 1] and r[k] >= floor and r[k] - r[1:k].min() >= MIN_DIP]
    if not peaks:
        return 0
    top = max(r[k] for k in peaks)
    # the first peak nearly as high as the highest: on a noisy series a multiple 2P or 3P can top r_P by chance
    return next(k for k in peaks if r[k] >= NEAR_TOP * top)
