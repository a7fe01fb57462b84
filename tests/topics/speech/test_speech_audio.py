"""What the network hears, held to theory and to the synthesiser: the mel filterbank's triangles (centres equally
spaced in mel, peak 1, zero outside their neighbours), a pure tone lighting its own band, eSpeak NG's audio of
a plausible length and thread-safe, bad input refused, DTW against the textbook recursion, and the split by word."""
from __future__ import annotations

import threading

import numpy as np
import pytest

from rnnviz.topics.speech import audio, data, synth
from rnnviz.topics.speech.compute import DTW

RATE = 22050


def test_mel_scale_and_triangles():
    assert audio.hz_to_mel(700) == pytest.approx(2595 * np.log10(2))
    assert audio.mel_to_hz(audio.hz_to_mel(1234.5)) == pytest.approx(1234.5)
    edges = audio.mel_centres()
    assert len(edges) == audio.N_MELS + 2
    assert edges[0] == pytest.approx(audio.F_MIN) and edges[-1] == pytest.approx(audio.F_MAX)
    assert np.allclose(np.diff(audio.hz_to_mel(edges)), np.diff(audio.hz_to_mel(edges))[0])   # equal steps in mel
    fb = audio.mel_filterbank(RATE, n_fft=4096)
    f = np.arange(4096 // 2 + 1) * RATE / 4096
    for k in (0, 10, 39):
        lo, mid, hi = edges[k], edges[k + 1], edges[k + 2]
        assert np.all(fb[k][(f <= lo) | (f >= hi)] == 0)                     # nothing outside its neighbours
        assert fb[k].max() == pytest.approx(1.0, abs=0.05)                    # peaks at ~1 near its centre
        assert abs(f[fb[k].argmax()] - mid) <= RATE / 4096
        inside = (f > lo) & (f < mid)
        assert np.allclose(fb[k][inside], (f[inside] - lo) / (mid - lo), atol=1e-6)    # linear rise
    # between the first and last centres, neighbouring triangles sum to 1
    between = (f >= edges[1]) & (f <= edges[-2])
    assert np.allclose(fb.sum(0)[between], 1.0, atol=1e-5)


def test_a_pure_tone_lights_its_own_band():
    k = 20
    centre = audio.mel_centres()[k + 1]
    t = np.arange(RATE // 2) / RATE
    raw = audio.log_mel_raw(np.sin(2 * np.pi * centre * t).astype(np.float32), RATE)
    assert raw.shape == (1 + int(np.ceil((len(t) - audio.N_FFT) / audio.hop(RATE))), audio.N_MELS)
    assert np.bincount(raw.argmax(1)).argmax() == k
    assert np.allclose(audio.normalise(raw).mean(0), 0, atol=1e-5)


def test_synthesis_is_plausible_bounded_and_thread_safe():
    assert synth.sample_rate() == RATE
    one, long = synth.say("seven"), synth.say("international", rate=130)
    assert 0.25 < len(one) / RATE < 1.2 and len(long) > len(one)                 # a word: a fraction of a second
    assert 0.1 < np.abs(one).max() <= 1.0 and one.dtype == np.float32
    assert len(synth.say("seven", rate=250)) < len(synth.say("seven", rate=130))
    # eSpeak NG carries a little state from one utterance to the next: a word said again differs by a few samples
    assert abs(len(synth.say("seven", "en-us+m3")) - len(synth.say("seven", "en-us+m3"))) < 100
    results = {}
    threads = [threading.Thread(target=lambda w=w: results.__setitem__(w, synth.say(w)))
               for w in ("one", "seven", "nine") * 2]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert all(abs(len(results[w]) - len(synth.say(w))) < 100 for w in ("one", "seven", "nine"))   # never mixed
    for bad in ("", "Seven", "a" * 21, "two words", "<b>"):
        with pytest.raises(ValueError):
            synth.say(bad)
    with pytest.raises(ValueError):
        synth.say("seven", voice="nosuchvoice")
    assert synth.wav_bytes(one, RATE)[:4] == b"RIFF"


def test_dtw_against_the_textbook_recursion():
    rng = np.random.default_rng(0)
    query = rng.normal(size=(5, 3)).astype(np.float32)
    templates = [rng.normal(size=(n, 3)).astype(np.float32) for n in (4, 7, 5)]

    def textbook(a, b):
        c = np.sqrt(((a[:, None] - b[None]) ** 2).sum(-1))
        D = np.full((len(a) + 1, len(b) + 1), np.inf)
        D[0, 0] = 0
        for i in range(1, len(a) + 1):
            for j in range(1, len(b) + 1):
                D[i, j] = c[i - 1, j - 1] + min(D[i - 1, j], D[i, j - 1], D[i - 1, j - 1])
        return D[-1, -1] / (len(a) + len(b))

    dtw = DTW(["x", "y", "z"], templates)
    assert np.allclose(dtw.distances(query), [textbook(query, t) for t in templates], atol=1e-5)
    assert DTW(["a", "b"], [templates[0], query]).nearest(query) == "b"


def test_split_by_word_and_voices():
    s = data.split()
    train, val, test = set(s.train), set(s.validation), set(s.test)
    assert not train & test and not train & val and not test & val
    assert set(data.DIGITS) <= set(s.train) and len(s.train) + len(s.validation) + len(s.test) == len(data.WORDS)
    assert not set(data.train_voices()) & set(data.test_voices())
    assert all(w.isalpha() and w.islower() and len(w) <= synth.MAX_LETTERS for w in data.WORDS)
    a, b = (data.renditions(["one"], data.train_voices(), 3, seed=7) for _ in range(2))
    assert a == b and len({u.voice for u in a} | {u.rate for u in a}) > 1


def test_a_recording_is_read_resampled_and_cut_to_the_word():
    from rnnviz.topics.speech import compute

    word = synth.say("seven")
    quiet = np.zeros(8000, np.float32)
    for rate in (16000, 44100):
        x = np.interp(np.arange(int(len(word) * rate / RATE)) * RATE / rate, np.arange(len(word)), word)
        rec = compute.read_recording(synth.wav_bytes(np.concatenate([quiet, x, quiet]).astype(np.float32), rate))
        assert not rec.messages and abs(len(rec.wave) - len(word)) < 0.05 * RATE      # at eSpeak's rate, trimmed
    assert "could not be read" in compute.read_recording(b"<b>not a wav</b>").messages[0]
    assert "silent" in compute.read_recording(synth.wav_bytes(np.zeros(RATE, np.float32), RATE)).messages[-1]
    long = compute.read_recording(synth.wav_bytes(np.full(10 * RATE, 0.3, np.float32), RATE))
    assert len(long.wave) == int(compute.MAX_WORD_SECONDS * RATE) and len(long.messages) == 2
