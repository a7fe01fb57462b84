"""A tune to sound, with NumPy alone: additive synthesis into a WAV file (no sound font, nothing downloaded).

Each note is a sum of a few harmonics of its frequency f = 440 · 2^((m − 69) / 12) Hz (m its MIDI number,
69 = A4), each weaker than the last, shaped by an envelope: a 10 ms rise (no click), an exponential decay
(a plucked, music-box sound), a 30 ms fall at its end (no click into the next note). A rest is silence.

    wave = render(pitches, durations, bpm=120)    # float32 samples in [−1, 1], RATE per second
    data = wav(wave)                              # the bytes of a 16-bit mono WAV, for st.audio
"""
from __future__ import annotations

import io
import wave as wavefile

import numpy as np

RATE = 22_050                              # samples per second (mono)
HARMONICS = (1.0, 0.45, 0.25, 0.12)        # the amplitude of harmonic k = 1, 2, 3, 4
ATTACK, RELEASE = 0.010, 0.030             # seconds
DECAY = 1.6                                # the envelope falls by e every 1 / DECAY seconds
GAIN = 0.3
MAX_SECONDS = 60.0                         # a longer tune is played up to here (the page says so)
TABLE = 4096                               # one period of the harmonic sum, looked up by phase (a wavetable)


def _table() -> np.ndarray:
    phase = np.arange(TABLE) / TABLE
    return sum(amp * np.sin(2 * np.pi * k * phase) for k, amp in enumerate(HARMONICS, start=1))


WAVE = _table()                            # (TABLE,) read-only: the same for every note, computed once
WAVE.setflags(write=False)


def frequency(pitch: int) -> float:
    return 440.0 * 2.0 ** ((pitch - 69) / 12)


def starts(durations, bpm: float) -> np.ndarray:
    """(N + 1,) the sample at which each note starts, and the end: rounded from the exact times, so the
    whole lasts round(sum(durations) · 60 / bpm · RATE) samples whatever the notes."""
    seconds = np.concatenate([[0.0], np.cumsum(np.asarray(durations, dtype=float))]) * 60.0 / bpm
    return np.round(seconds * RATE).astype(np.int64)


def render(pitches, durations, bpm: float = 120.0, limit: float = MAX_SECONDS) -> np.ndarray:
    """(S,) float32 samples: every note (REST = −1 is silence) for its duration in beats at `bpm`, up to
    `limit` seconds. Each note's waveform is read from WAVE at its phase f·t (mod 1): the harmonics' sum is
    computed once, not four sines per sample (4.5× faster; the highest note here, D6 at 1,175 Hz, has its
    4th harmonic at 4.7 kHz, far below the 11 kHz Nyquist limit)."""
    edges = np.minimum(starts(durations, bpm), int(round(limit * RATE)))
    out = np.zeros(int(edges[-1]), dtype=np.float64)
    for pitch, a, b in zip(pitches, edges[:-1], edges[1:]):
        n = int(b - a)
        if pitch < 0 or n <= 0:
            continue
        t = np.arange(n) / RATE                                                # (n,) seconds into the note
        f = frequency(int(pitch))
        tone = WAVE[(np.floor(f * t * TABLE) % TABLE).astype(np.int64)]       # (n,) the harmonics at phase f·t
        env = np.minimum(1.0, t / ATTACK) * np.exp(-DECAY * t) * np.minimum(1.0, (n / RATE - t) / RELEASE)
        out[a:b] = GAIN * tone * env
    return np.clip(out, -1.0, 1.0).astype(np.float32)


def wav(samples: np.ndarray) -> bytes:
    """16-bit PCM mono WAV at RATE."""
    buf = io.BytesIO()
    with wavefile.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((np.asarray(samples) * 32767).astype("<i2").tobytes())
    return buf.getvalue()
