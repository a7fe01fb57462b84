"""The page's note syntax, both ways: what a student types as an opening, and how a tune is written back.

    C D E F G:2          one note per word: a letter A–G, then # or b, then an octave (4 unless said:
                         C4 is middle C, C5 the C above), then :beats (1 unless said: G:2 lasts two beats,
                         E:0.5 half a beat). r is a rest (r:2). Bar lines | and commas are skipped.

    parse(text, pitches, durations)   # Parsed(pitches, durations, problems): what the model can read, and why not
    write(pitches, durations)         # "C4 D4 E4 F4 G4:2" (parse(write(...)) gives them back)
    name(pitch)                       # 60 → "C4", REST → "rest"
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

REST = -1
MAX_NOTES = 32                       # an opening holds at most this many notes
LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")   # how a pitch class is written
WORD = re.compile(r"^(?:(?P<rest>[rR])|(?P<letter>[A-Ga-g])(?P<acc>#|b)?(?P<octave>-?\d)?)(?::(?P<beats>[0-9.]+))?$")


def name(pitch: int) -> str:
    """A MIDI pitch as a note name with its octave (60 → C4, 69 → A4), REST → "rest"."""
    return "rest" if pitch == REST else f"{NAMES[pitch % 12]}{pitch // 12 - 1}"


def beats(d: float) -> str:
    return f"{d:g}"


def write(pitches, durations) -> str:
    """A tune in the note syntax: one word per note, the beats only when not 1."""
    words = []
    for p, d in zip(pitches, durations):
        w = "r" if p == REST else name(p)
        words.append(w if float(d) == 1.0 else f"{w}:{beats(float(d))}")
    return " ".join(words)


@dataclass
class Parsed:
    pitches: list[int] = field(default_factory=list)
    durations: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)     # plain text (the page escapes it); empty: all read

    @property
    def ok(self) -> bool:
        return bool(self.pitches) and not self.problems


def parse(text: str, pitches: list[int], durations: list[float]) -> Parsed:
    """Read an opening. Every word must be a note the model knows (a pitch in `pitches`, a length in
    `durations`); each word that is not says why, and the opening is refused as a whole (no guessing)."""
    out = Parsed()
    words = [w for w in re.split(r"[\s,|]+", str(text or "")) if w]
    if not words:
        out.problems.append("The opening is empty: type a few notes, e.g. C D E F G:2.")
        return out
    if len(words) > MAX_NOTES:
        out.problems.append(f"An opening holds at most {MAX_NOTES} notes; this one has {len(words):,}. "
                            "Shorten it.")
        return out
    known_p, known_d = set(pitches), {float(d) for d in durations}
    lo, hi = min(p for p in pitches if p != REST), max(pitches)
    bad = {"word": [], "length": [], "range": [], "rare": []}          # kind → "note n, “word”" said once per kind
    for n, word in enumerate(words, start=1):
        shown = f"note {n}, “{word if len(word) <= 12 else word[:12] + '…'}”"
        m = WORD.match(word)
        if not m:
            bad["word"].append(shown)
            continue
        try:
            length = float(m["beats"]) if m["beats"] else 1.0
        except ValueError:
            length = -1.0
        if length not in known_d:
            bad["length"].append(shown)
            continue
        if m["rest"]:
            pitch = REST
        else:
            octave = int(m["octave"]) if m["octave"] else 4
            pitch = 12 * (octave + 1) + LETTERS[m["letter"].upper()] + {"#": 1, "b": -1, None: 0}[m["acc"]]
            if pitch not in known_p:
                bad["range" if not lo <= pitch <= hi else "rare"].append(f"{shown} ({name(pitch)})")
                continue
        out.pitches.append(pitch)
        out.durations.append(length)
    says = {"word": "{is} not {a_note}: write a letter A–G, maybe # or b and an octave, maybe :beats (C, F#4, Bb3:2), "
                    "or r for a rest.",
            "length": "{has} a length the model does not know; it knows these, in beats: "
                      + ", ".join(beats(d) for d in sorted(known_d)) + ".",
            "range": f"{{is}} outside the range of the songs, {name(lo)} to {name(hi)}.",
            "rare": "{is} a pitch no song here has often enough for the model to learn it."}
    for kind, found in bad.items():
        if found:
            listed = ", ".join(found[:4]) + (f" and {len(found) - 4} more" if len(found) > 4 else "")
            one = len(found) == 1
            verb = {"is": "is" if one else "are", "has": "has" if one else "have", "a_note": "a note" if one else "notes"}
            out.problems.append(listed[0].upper() + listed[1:] + " " + says[kind].format(**verb))
    return out
