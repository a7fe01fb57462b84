"""The Essen ABC reader on small hand-written songs (key signatures, accidentals that hold to the bar line,
ties, rests, octave marks, the unit length), the transposition to C, and the parsed cache: the split is by song
family, and the openings the page offers are held-out songs' real first notes."""
from __future__ import annotations

from fractions import Fraction

import pytest

from rnnviz.topics.music import compute, data, notes, words

SONG = """
X:7
T: EIN KLEINES LIED
N: E0042B
O: Europa, Mitteleuropa, Deutschland
M: 2/4
L: 1/8
K: G
G ^c c | B2- | B2 z2 | d' e, _B =F
"""


def test_a_song_is_read_note_by_note():
    (tune,) = data.parse_file(SONG, "toy")
    # K: G has F#; G → C is +5 semitones; L: 1/8 is half a beat. G4 (67) → 72; ^c (C#5 = 73) → 78; c in the
    # same bar keeps the sharp (73 → 78); B4 tied to B4 across the bar line: one note of 2 beats (71 → 76); a rest;
    # d' = D6 (86 → 91); e, = E4 (64 → 69); _B = Bb4 (70 → 75); =F = F4 natural, not F# (65 → 70).
    assert tune.pitches == (72, 78, 78, 76, notes.REST, 91, 69, 75, 70)
    assert tune.durations == (0.5, 0.5, 0.5, 2.0, 1.0, 0.5, 0.5, 0.5, 0.5)
    assert (tune.title, tune.family, tune.key, tune.source) == ("Ein Kleines Lied", "E0042", "G", "toy #7")


def test_key_signatures_and_transposition():
    assert data.signature("C") == {} and data.signature("Bb") == {"B": -1, "E": -1}
    assert data.signature("D") == {"F": 1, "C": 1}
    assert [data.transpose_shift(k) for k in ("C", "G", "F", "D", "Bb", "Eb", "A", "E")] == [0, 5, -5, -2, 2, -3, 3, -4]
    pitches, durations = data.parse_body("F B =B | B", "F", Fraction(1, 4))    # F major: B is Bb
    assert pitches == [65, 70, 71, 70] and durations == [1, 1, 1, 1]


def test_unreadable_songs_are_left_out():
    chord = SONG.replace("G ^c", "[CEG] ^c")
    assert data.parse_file(chord, "toy") == []
    assert data.parse_file(SONG.replace("K: G", "K: Lydian"), "toy") == []


needs_data = pytest.mark.skipif(not data.available(), reason="run `make data` first (it writes melodies.json.gz)")


@needs_data
def test_the_split_keeps_every_family_on_one_side():
    split = data.split()
    fam = [{t.family for t in part} for part in (split.train, split.validation, split.test)]
    assert not (fam[0] & fam[1]) and not (fam[0] & fam[2]) and not (fam[1] & fam[2])
    n = len(split.train) + len(split.validation) + len(split.test)
    assert n == data.counts()["kept"] and 0.75 < len(split.train) / n < 0.85
    pitches, durations = data.vocab()
    assert all(set(t.pitches) <= set(pitches) and set(t.durations) <= set(durations) for t in split.test)


@needs_data
def test_the_offered_openings_are_held_out_songs_first_notes():
    test = {t.source: t for t in data.split().test}
    for option, (title, source, text) in words.SONGS.items():
        assert source in test, option
        assert notes.write(*compute.opening_of(test[source].pitches, test[source].durations)) == text, option
