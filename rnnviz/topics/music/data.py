"""Folk melodies from the Essen collection, as shipped inside the music21 wheel: the data of the Music demo.

Where it comes from: the `music21==10.5.1` wheel on the Python package registry holds
`music21/corpus/essenFolksong/*.abc`: the Essen folk song collection (EsAC; Helmut Schaffrath, then Ewa
Dahlig-Turek), in ABC notation by Seymour Shlien, distributed with music21 by permission for non-commercial
use. We never install or import music21: `make data` fetches the wheel once (sha256 pinned) and `fetch()`
parses the ABC files of the German-speaking collections with the small reader below, writing
.cache/data/melodies.json.gz (a few hundred kB) that the recipe and the tests read.

The ABC here is simple and monophonic: a header (X: number, T: title, N: the song's code, e.g. E0001A,
O: origin, M: metre, L: unit length, K: key), then notes `[^|_|=]<A-G a-g>[',]*<multiplier>`, rests `z`,
ties `-` and bar lines `|`. Accidentals hold to the end of the bar, as in printed music.

Choices, each said on the page:
- The collections of German-speaking Europe only (FILES): about 7,000 songs from Germany, Lorraine and
  Luxembourg, one style. The Chinese (han*), Irish and test files are left out.
- Every song is transposed so that its key signature has no sharps or flats (to C major, or A minor for a
  song in a minor mode, which ABC's key field does not tell apart): the model learns scale steps, not keys.
- A tied note is one longer note; a rest is a "note" with no pitch (REST).
- A song with a pitch or a duration outside the common ones (vocabulary(): seen in at least MIN_COUNT
  songs), or shorter than MIN_NOTES, is left out, so the model's vocabulary is small and every token is
  learned from many examples.
- Many songs come in variants (E0001, E0001A, E0001B: the same song noted in different villages). The
  held-out split is by song family (the code without its trailing letters), never by variant, so a test
  song's variant is never in training.

    tunes()                # list of Tune (pitches, durations in quarter notes, title, origin, family, key)
    split(seed)            # Split(train, validation, test): lists of Tune, by family
"""
from __future__ import annotations

import collections
import gzip
import json
import re
import zipfile
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import numpy as np

from rnnviz.data import registry

PACKAGE = "music21==10.5.1"
WHEEL = "music21-10.5.1-py3-none-any.whl"
SHA256 = "dc3309498c4c95cebdf8d4f20c868deb6b63bce1d929cad4f51a7ccc982987b1"
FOLDER = "music21/corpus/essenFolksong/"
FILES = ("altdeu10", "altdeu20", "ballad10", "ballad20", "ballad30", "ballad40", "ballad50", "ballad60",
         "ballad70", "ballad80", "boehme10", "boehme20", "dva0", "erk5", "erk10", "erk20", "erk30", "fink0",
         "kinder0", "lot", "lux", "zuccal0")
SOURCE = (f"{PACKAGE} wheel (Python package registry), {FOLDER}<file>.abc for the German-speaking collections "
          f"({', '.join(FILES)}), parsed with rnnviz.topics.music.data (music21 is never imported)")
CACHE = "melodies.json.gz"
REST = -1                  # the pitch of a rest
MIN_COUNT = 20             # a pitch or duration must appear in at least this many songs
MIN_NOTES = 8
SPLIT_SEED = 1801
VAL_SHARE, TEST_SHARE = 0.10, 0.10

# Key signature → its major tonic's pitch class (the minor names by their relative major; H is German for B)
KEYS = {"C": 0, "G": 7, "D": 2, "A": 9, "E": 4, "B": 11, "H": 11, "F#": 6, "F": 5, "Bb": 10, "Eb": 3, "Es": 3,
        "Ab": 8, "Db": 1, "Am": 0, "Em": 7, "Bm": 2, "Dm": 5, "Gm": 10, "Cm": 3, "Fm": 8}
SHARPS = "FCGDAEB"         # the order sharps enter a key signature; flats the reverse
MAJOR_SIGNATURE = {0: 0, 7: 1, 2: 2, 9: 3, 4: 4, 11: 5, 6: 6, 5: -1, 10: -2, 3: -3, 8: -4, 1: -5}
STEP = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
NOTE = re.compile(r"(\^\^|\^|__|_|=)?([A-Ga-g])([',]*)(\d*)(/*\d*)|(z)(\d*)(/*\d*)|(-)|(\|)|(\s+)")


@dataclass(frozen=True)
class Tune:
    pitches: tuple[int, ...]        # MIDI numbers after transposition (60 = middle C), REST for a rest
    durations: tuple[float, ...]    # in quarter notes (1 = a crotchet)
    title: str
    origin: str
    family: str                     # the song's code without its variant letter: variants share it
    key: str                        # the key signature it was written in, before transposition
    source: str                     # file and X: number, e.g. "erk10 #1"

    def to_json(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}


class Unsupported(ValueError):
    """ABC this reader does not read (chords, tuplets, inline fields, ...): the song is left out."""


def signature(key: str) -> dict[str, int]:
    """{letter: +1 sharp / −1 flat} of a key signature ("G" → {"F": 1})."""
    n = MAJOR_SIGNATURE[KEYS[key]]
    letters = SHARPS[:n] if n >= 0 else SHARPS[::-1][:-n]
    return {ch: 1 if n > 0 else -1 for ch in letters}


def _length(digits: str, slashes: str, unit: Fraction) -> Fraction:
    mult = Fraction(int(digits)) if digits else Fraction(1)
    if slashes:
        den = slashes.strip("/")
        mult /= int(den) if den else 2 ** slashes.count("/")
    return mult * unit * 4          # in quarter notes: L: 1/16 and a multiplier 2 → 1/8 of a whole → 0.5


def parse_body(body: str, key: str, unit: Fraction) -> tuple[list[int], list[Fraction]]:
    """The notes of one song's ABC body → (MIDI pitches, durations in quarter notes), untransposed."""
    sig, bar = signature(key), {}
    pitches, durations, tie, pos = [], [], False, 0
    while pos < len(body):
        m = NOTE.match(body, pos)
        if not m:
            raise Unsupported(f"cannot read {body[pos:pos + 10]!r}")
        pos = m.end()
        acc, letter, octave, digits, slashes, rest, rdigits, rslashes, tied, barline, _ = m.groups()
        if barline:
            bar = {}
        elif tied:
            tie = True
        elif rest:
            pitches.append(REST), durations.append(_length(rdigits, rslashes, unit))
            tie = False
        elif letter:
            step = letter.upper()
            if acc:
                bar[(step, octave, letter.islower())] = {"^": 1, "^^": 2, "_": -1, "__": -2, "=": 0}[acc]
            alter = bar.get((step, octave, letter.islower()), sig.get(step, 0))
            pitch = 60 + 12 * letter.islower() + STEP[step] + alter + 12 * (octave.count("'") - octave.count(","))
            length = _length(digits, slashes, unit)
            if tie and pitches and pitches[-1] == pitch:
                durations[-1] += length
            else:
                pitches.append(pitch), durations.append(length)
            tie = False
    return pitches, durations


def transpose_shift(key: str) -> int:
    """Semitones that bring the key signature to none (C major / A minor): within −6..+5."""
    return (-KEYS[key] + 6) % 12 - 6


def parse_file(text: str, name: str) -> list[Tune]:
    """Every song of one ABC file that this reader reads; the others are skipped (counted by the caller)."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        head = dict()
        body = []
        for line in block.strip().splitlines():
            m = re.match(r"^([A-Za-z]):\s*(.*)$", line)
            if m and not body:
                head.setdefault(m.group(1), m.group(2).strip())
            else:
                body.append(line)
        if "X" not in head or head.get("K") not in KEYS or not re.fullmatch(r"1/\d+", head.get("L", "")):
            continue
        try:
            pitches, durations = parse_body(" ".join(body), head["K"], Fraction(head["L"]))
        except Unsupported:
            continue
        shift = transpose_shift(head["K"])
        code = next((v for v in [head.get("N", "")] if re.match(r"^[A-Z]+\d+", v)), f"{name}{head['X']}")
        out.append(Tune(tuple(p + shift if p != REST else REST for p in pitches), tuple(float(d) for d in durations),
                        head.get("T", "").title(), head.get("O", ""), re.match(r"^[A-Z]*\d*", code).group(0) or code,
                        head["K"], f"{name} #{head['X']}"))
    return out


def parse_wheel(path: Path) -> list[Tune]:
    with zipfile.ZipFile(path) as z:
        return [t for name in FILES for t in parse_file(z.read(f"{FOLDER}{name}.abc").decode("latin-1"), name)]


def vocabulary(songs: list[Tune]) -> tuple[list[int], list[float]]:
    """The pitches and the durations found in at least MIN_COUNT songs, sorted."""
    pc = collections.Counter(p for t in songs for p in set(t.pitches))
    dc = collections.Counter(d for t in songs for d in set(t.durations))
    return sorted(p for p, n in pc.items() if n >= MIN_COUNT), sorted(d for d, n in dc.items() if n >= MIN_COUNT)


def cache_path() -> Path:
    return registry.cache_dir() / CACHE


def fetch() -> Path:
    """Set-up time only: download the wheel (sha256 checked), parse it, keep the songs whose every pitch and
    duration is common (vocabulary) and that have MIN_NOTES notes; write the parsed cache, return its path."""
    wheel = registry.download(PACKAGE, WHEEL, SHA256, kind="wheel")
    out = cache_path()
    if out.exists():
        return out
    songs = parse_wheel(wheel)
    pitches, durations = vocabulary(songs)
    keep = [t for t in songs if len(t.pitches) >= MIN_NOTES and set(t.pitches) <= set(pitches)
            and set(t.durations) <= set(durations)]
    data = {"source": SOURCE, "sha256": SHA256, "parsed": len(songs), "kept": len(keep),
            "pitches": pitches, "durations": durations, "tunes": [t.to_json() for t in keep]}
    tmp = out.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as f:
        json.dump(data, f, separators=(",", ":"))
    tmp.replace(out)
    return out


def available() -> bool:
    return cache_path().exists()


@lru_cache(maxsize=1)
def _load() -> dict:
    path = cache_path()
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make data` once (it fetches {PACKAGE}).")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def tunes() -> list[Tune]:
    return [Tune(**{k: tuple(v) if isinstance(v, list) else v for k, v in t.items()}) for t in _load()["tunes"]]


def vocab() -> tuple[list[int], list[float]]:
    """The model's vocabulary: the pitches and the durations the kept songs are made of (see fetch)."""
    d = _load()
    return list(d["pitches"]), [float(x) for x in d["durations"]]


def counts() -> dict:
    d = _load()
    return {"parsed": d["parsed"], "kept": d["kept"]}


@dataclass(frozen=True)
class Split:
    train: list[Tune]
    validation: list[Tune]
    test: list[Tune]


def split(seed: int = SPLIT_SEED, songs: list[Tune] | None = None) -> Split:
    """A fixed, seeded split by song family (variants stay together): about 80 / 10 / 10 % of the families."""
    songs = tunes() if songs is None else songs
    families = sorted({t.family for t in songs})
    order = np.random.default_rng(seed).permutation(len(families))
    n_val, n_test = round(VAL_SHARE * len(families)), round(TEST_SHARE * len(families))
    part = {families[i]: (2 if k < n_test else 1 if k < n_test + n_val else 0) for k, i in enumerate(order)}
    groups = ([], [], [])
    for t in songs:
        groups[part[t.family]].append(t)
    return Split(*groups)
