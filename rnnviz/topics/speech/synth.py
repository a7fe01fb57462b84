"""Speech synthesis with eSpeak NG through ctypes: a word in, a waveform out (mono, float32 in [-1, 1]).

The library and its voice data come in the `espeakng-loader` wheel (pinned in requirements.txt): no
network, no subprocess. eSpeak NG is one global C state (one voice, one rate, one pitch at a time), so every
call holds one process-wide lock from setting the voice to the last sample; the lock is the only module-level
object and it holds no data. The synth callback appends the samples of this call to a local list.

    wave = say("seven", voice="en-us+m3", rate=175, pitch=50)   # np.ndarray (N,), RATE samples per second

Voices are "<language>+<variant>": a language voice of espeak-ng-data (en, en-us, en-gb-x-rp, …) with one
of its variants (m1…m7 male, f1…f4 female, …) that change the formants, pitch range and breathiness.

Not bit-for-bit repeatable: eSpeak NG keeps a little state from one utterance to the next (no call of its API
resets it: espeak_ng_SetRandSeed, srand and a fresh espeak_Initialize do not), so the same word said again
differs by a few samples; two fresh processes saying the same few hundred words in the same order drift apart
too (measured). So a rebuild of the model is close, not identical: `--check` compares its test CER within
the recipe's tolerance, and the page caches each hearing, so a view stays put while the server runs.
"""
from __future__ import annotations

import ctypes
import re
import threading

import numpy as np

MAX_LETTERS = 20          # the longest word said: about 1.5 s of audio at the slowest rate
RATES = (80, 450)         # words per minute eSpeak accepts (its default is 175)
PITCHES = (0, 99)         # eSpeak's pitch scale (its default is 50)
WORD = re.compile(r"[a-z]{1,%d}" % MAX_LETTERS)

_LOCK = threading.Lock()  # eSpeak NG is one global state: one call at a time, in the whole process

# espeak_AUDIO_OUTPUT, espeak_PARAMETER, espeak_POSITION_TYPE and the flags of speak_lib.h
AUDIO_OUTPUT_SYNCHRONOUS = 2
ESPEAK_RATE, ESPEAK_VOLUME, ESPEAK_PITCH, ESPEAK_RANGE = 1, 2, 3, 4
POS_CHARACTER, CHARS_UTF8 = 1, 1
CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class _Engine:
    """The loaded library, initialised once (on first use, under the lock), and the sample rate it reports."""
    lib = None
    rate = 0
    samples: list = []        # the current call's chunks; reset under the lock by every call
    callback = None           # kept referenced: the C side holds a pointer to it


def _engine():
    if _Engine.lib is None:
        import espeakng_loader                      # the wheel's library and voice data
        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
                                     ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0,
                                     espeakng_loader.get_data_path().encode(), 0)
        if rate <= 0:
            raise RuntimeError(f"eSpeak NG did not start (espeak_Initialize returned {rate})")

        def collect(wav, n, _events):
            if n > 0 and wav:
                _Engine.samples.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
            return 0                                # 0: go on synthesising

        _Engine.callback = CALLBACK(collect)
        lib.espeak_SetSynthCallback(_Engine.callback)
        _Engine.lib, _Engine.rate = lib, rate
    return _Engine.lib


def sample_rate() -> int:
    """eSpeak NG's output rate in samples per second (22,050)."""
    with _LOCK:
        _engine()
        return _Engine.rate


def say(word: str, voice: str = "en-us", rate: int = 175, pitch: int = 50, pitch_range: int = 50) -> np.ndarray:
    """The waveform of `word` (lowercase letters a–z, at most MAX_LETTERS) said by `voice` at `rate` words per
    minute and `pitch` (0–99): float32 samples in [-1, 1] at sample_rate(). Raises ValueError on anything else."""
    if not WORD.fullmatch(word):
        raise ValueError(f"say() takes 1 to {MAX_LETTERS} lowercase letters a-z; got {word[:40]!r}")
    if not re.fullmatch(r"[a-z0-9-]{2,16}(\+[a-zA-Z0-9]{1,12})?", voice):
        raise ValueError(f"unknown voice name {voice!r}")
    rate = int(np.clip(rate, *RATES))
    pitch, pitch_range = int(np.clip(pitch, *PITCHES)), int(np.clip(pitch_range, *PITCHES))
    text = word.encode()
    with _LOCK:
        lib = _engine()
        if lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise ValueError(f"eSpeak NG has no voice {voice!r}")
        for parameter, value in ((ESPEAK_RATE, rate), (ESPEAK_PITCH, pitch), (ESPEAK_RANGE, pitch_range),
                                 (ESPEAK_VOLUME, 100)):
            lib.espeak_SetParameter(parameter, value, 0)
        _Engine.samples = []
        lib.espeak_Synth(text, len(text) + 1, 0, POS_CHARACTER, 0, CHARS_UTF8, None, None)
        chunks, _Engine.samples = _Engine.samples, []
    if not chunks:
        return np.zeros(0, np.float32)
    return (np.concatenate(chunks).astype(np.float32) / 32768.0)


def wav_bytes(wave: np.ndarray, rate: int) -> bytes:
    """A 16-bit mono PCM WAV file of `wave` (float in [-1, 1]): what st.audio plays."""
    import io
    import wave as wavmod
    pcm = (np.clip(wave, -1, 1) * 32767).astype("<i2").tobytes()
    out = io.BytesIO()
    with wavmod.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(int(rate))
        w.writeframes(pcm)
    return out.getvalue()
