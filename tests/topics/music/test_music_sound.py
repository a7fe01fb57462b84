"""The Music demo's pure parts with no model: the synthesiser (A4 is 440 Hz in the WAV, a tune lasts the sum of
its durations, a rest is silence), the note syntax both ways with its messages, and the two baselines
computed by hand on a toy corpus."""
from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from rnnviz.topics.music import baselines, notes, synth

PITCHES = [notes.REST, *range(48, 87)]
DURATIONS = [0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0]


def test_a4_is_440_hz_in_the_wav():
    data = synth.wav(synth.render([69], [4.0], bpm=120))              # two seconds of A4
    with wave.open(io.BytesIO(data)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, synth.RATE)
        x = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(float)
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    peak = np.argmax(spectrum) * synth.RATE / len(x)
    assert peak == pytest.approx(440.0, abs=0.5)                      # resolution 0.5 Hz over 2 s
    second = np.argmax(spectrum[int(600 * len(x) / synth.RATE):]) + int(600 * len(x) / synth.RATE)
    assert second * synth.RATE / len(x) == pytest.approx(880.0, abs=0.5)    # the 2nd harmonic is next


def test_length_is_the_sum_of_the_durations_and_a_rest_is_silent():
    durations = [1.0, 0.5, 0.25, 2.0, 0.75]
    for bpm in (60, 120, 97):
        x = synth.render([60, 62, notes.REST, 64, 65], durations, bpm=bpm)
        assert len(x) == round(sum(durations) * 60 / bpm * synth.RATE)
        edges = synth.starts(durations, bpm)
        assert not x[edges[2]:edges[3]].any()                           # the rest
        assert np.abs(x).max() <= 1.0 and x[edges[0]:edges[1]].any()
    assert len(synth.render([60] * 100, [4.0] * 100)) == synth.MAX_SECONDS * synth.RATE   # capped


def test_notes_round_trip():
    pitches = [60, 62, 64, notes.REST, 58, 73, 48, 86]
    durations = [1.0, 0.5, 2.0, 1.0, 0.25, 1.5, 4.0, 0.75]
    text = notes.write(pitches, durations)
    assert text == "C4 D4:0.5 E4:2 r Bb3:0.25 C#5:1.5 C3:4 D6:0.75"
    back = notes.parse(text, PITCHES, DURATIONS)
    assert back.ok and back.pitches == pitches and back.durations == durations
    same = notes.parse("c d, e | F#4:2 Gb4 r:0.5", PITCHES, DURATIONS)          # lower case, separators, flats
    assert same.ok and same.pitches == [60, 62, 64, 66, 66, notes.REST] and same.durations[3:] == [2.0, 1.0, 0.5]
    assert notes.name(69) == "A4" and notes.name(60) == "C4" and notes.name(notes.REST) == "rest"


@pytest.mark.parametrize("typed, said", [
    ("", "The opening is empty"),
    ("   | , ", "The opening is empty"),
    ("C " * 33, "at most 32 notes; this one has 33"),
    ("C D <b>x</b>", "Note 3, “<b>x</b>” is not a note"),
    ("C H E", "Note 2, “H” is not a note"),
    ("C Q W", "Note 2, “Q”, note 3, “W” are not notes: write a letter A–G"),
    ("C D:0.3", "Note 2, “D:0.3” has a length the model does not know; it knows these, in beats: 0.25, 0.5, 0.75, "
                "1, 1.5, 2, 3, 4"),
    ("C D:1e400", "Note 2, “D:1e400” is not a note"),
    ("C D:16", "a length the model does not know"),
    ("C1 D", "Note 1, “C1” (C1) is outside the range of the songs, C3 to D6"),
    ("E6", "outside the range"),
    ("X " * 6, "Note 1, “X”, note 2, “X”, note 3, “X”, note 4, “X” and 2 more are not notes"),
])
def test_a_bad_opening_says_why(typed, said):
    parsed = notes.parse(typed, PITCHES, DURATIONS)
    assert not parsed.ok and said in " ".join(parsed.problems)


def test_a_pitch_inside_the_range_but_unknown_is_said():
    parsed = notes.parse("C4 C#4", [notes.REST, 60, 62], DURATIONS)
    assert not parsed.ok and "“C#4” (C#4) is a pitch no song here has often enough" in parsed.problems[0]


def toy():
    """Three tunes as (pitch ids, duration ids), 3 pitches and 2 durations."""
    return [(np.array([0, 0, 1, 2]), np.array([0, 0, 1, 1])),
            (np.array([1, 1, 1]), np.array([1, 0, 0])),
            (np.array([2, 0]), np.array([0, 0]))]


def test_bigram_by_hand():
    b = baselines.Bigram.fit(toy(), 3, 2)
    # pitch pairs: 0→0, 0→1, 1→2 | 1→1, 1→1 | 2→0
    assert b.counts[0].tolist() == [[1, 1, 0], [0, 2, 1], [1, 0, 0]]
    assert np.allclose(b.table(0)[1], [1 / 6, 3 / 6, 2 / 6])            # (0, 2, 1) + 1, over 3 + 3
    # duration pairs: 0→0, 0→1, 1→1 | 1→0, 0→0 | 0→0
    assert b.counts[1].tolist() == [[3, 1], [1, 1]]
    s = baselines.scores(b.predict, toy())
    assert s["notes"] == 6
    p_rows = b.table(0)[[0, 0, 1, 1, 1, 2], [0, 1, 2, 1, 1, 0]]
    assert s["pitch_nll"] == pytest.approx(-np.mean(np.log(p_rows)))
    # argmax of rows 0 (tie 0/1 → 0), 1 (→1), 2 (→0): right at 0→0, 1→1, 1→1, 2→0
    assert s["pitch_accuracy"] == pytest.approx(4 / 6)
    assert s["nll"] == pytest.approx(s["pitch_nll"] + s["duration_nll"])


def test_repeat_the_last_note_by_hand():
    r = baselines.RepeatLast.fit(toy(), 3, 2)
    assert r.share == (3 / 6, 4 / 6)                 # pitch repeats: 0→0, 1→1, 1→1; lengths 0→0, 1→1, 0→0, 0→0
    counts = np.array([3, 4, 2]) + 1.0                                 # every pitch of every tune, add-one
    assert np.allclose(r.unigram[0], counts / counts.sum())
    q = r.predict(np.array([2]), 0)[0]
    assert np.allclose(q, 0.5 * counts / counts.sum() + 0.5 * np.eye(3)[2]) and q.sum() == pytest.approx(1)
    s = baselines.scores(r.predict, toy())
    assert s["pitch_accuracy"] == pytest.approx(3 / 6) and np.isfinite(s["nll"])
