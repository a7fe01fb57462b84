"""From a waveform to what the network hears: a log-mel spectrogram, written out in NumPy.

    S = logmel(wave, rate)        # (T, M): T frames every HOP seconds, M = N_MELS mel bands, normalised

1. Frames: windows of N_FFT samples (23 ms at 22,050 Hz), a Hann taper, one every HOP_SECONDS (15 ms).
2. Power spectrum |FFT|² of each frame: N_FFT/2 + 1 frequency bins from 0 to rate/2.
3. Mel filterbank: N_MELS triangles whose centres are equally spaced on the mel scale
   mel(f) = 2595 · log10(1 + f / 700) (O'Shaughnessy's, as HTK); each band sums the power under its
   triangle: dense at low frequencies, where the ear tells pitches apart best, sparse at high ones.
4. ln(power + floor), then each band minus its mean over the word (so loudness and the microphone's
   colour shift nothing), divided by one global constant so that values are about −1 … 1.
"""
from __future__ import annotations

import numpy as np

N_FFT = 512
HOP_SECONDS = 0.015
N_MELS = 40
F_MIN, F_MAX = 50.0, 8000.0
FLOOR = 1e-6          # of the power: −13.8 in ln, the "silence" level
SCALE = 4.0           # ln units per 1 of the normalised features


def hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def mel_to_hz(m):
    return 700.0 * (10.0 ** (np.asarray(m, dtype=np.float64) / 2595.0) - 1.0)


def mel_centres(n_mels: int = N_MELS, f_min: float = F_MIN, f_max: float = F_MAX) -> np.ndarray:
    """The n_mels + 2 edge/centre frequencies (Hz): equally spaced in mel from f_min to f_max."""
    return mel_to_hz(np.linspace(hz_to_mel(f_min), hz_to_mel(f_max), n_mels + 2))


def mel_filterbank(rate: int, n_fft: int = N_FFT, n_mels: int = N_MELS, f_min: float = F_MIN,
                   f_max: float = F_MAX) -> np.ndarray:
    """(n_mels, n_fft // 2 + 1): band k is a triangle rising from edge k to 1 at centre k + 1, falling to 0
    at edge k + 2 (frequencies from mel_centres), evaluated at each FFT bin's frequency k · rate / n_fft."""
    f = np.arange(n_fft // 2 + 1) * rate / n_fft                      # (F,) bin frequencies
    edges = mel_centres(n_mels, f_min, f_max)                         # (M + 2,)
    lo, mid, hi = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (f[None, :] - lo) / (mid - lo)
    falling = (hi - f[None, :]) / (hi - mid)
    return np.clip(np.minimum(rising, falling), 0.0, None).astype(np.float32)    # (M, F)


def hop(rate: int) -> int:
    return int(round(HOP_SECONDS * rate))


def power_frames(wave: np.ndarray, rate: int, n_fft: int = N_FFT) -> np.ndarray:
    """(T, n_fft // 2 + 1) power spectra of Hann-windowed frames, one every hop(rate) samples; the wave is
    padded with zeros so that every sample is in a frame and a short wave still gives one frame."""
    step = hop(rate)
    n = max(len(wave), 1)
    frames = 1 + int(np.ceil(max(n - n_fft, 0) / step))
    padded = np.zeros((frames - 1) * step + n_fft, np.float32)
    padded[:len(wave)] = wave
    idx = np.arange(n_fft)[None, :] + step * np.arange(frames)[:, None]           # (T, N_FFT)
    spec = np.fft.rfft(padded[idx] * np.hanning(n_fft).astype(np.float32), axis=1)
    return (spec.real ** 2 + spec.imag ** 2).astype(np.float32)


def log_mel_raw(wave: np.ndarray, rate: int) -> np.ndarray:
    """(T, N_MELS): ln of the mel-band powers, before normalising (what the spectrogram chart shows)."""
    return np.log(power_frames(wave, rate) @ mel_filterbank(rate).T + FLOOR)


def normalise(raw: np.ndarray) -> np.ndarray:
    """Each band minus its mean over the frames, / SCALE: the network's input (T, N_MELS), float32."""
    return ((raw - raw.mean(axis=0, keepdims=True)) / SCALE).astype(np.float32)


def logmel(wave: np.ndarray, rate: int) -> np.ndarray:
    return normalise(log_mel_raw(wave, rate))


def add_noise(wave: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    """The wave plus white Gaussian noise at `snr_db` decibels below its mean power (inf: unchanged)."""
    if not np.isfinite(snr_db) or len(wave) == 0:
        return wave
    power = float(np.mean(wave.astype(np.float64) ** 2)) or 1e-12
    noise = rng.standard_normal(len(wave)) * np.sqrt(power / 10 ** (snr_db / 10))
    return (wave + noise).astype(np.float32)
