"""The date-translation demo (encoder–decoder): a GRU reads a date written any way, its last state c is all
the decoder gets, and the decoder writes the date as YYYY-MM-DD, greedy or by beam search.

    prep = prepare(model, typed)        # the characters read, what was dropped or unknown, messages
    r = read(model, prep.text, width)   # Reading: encoder states, c, greedy steps, the beam tree, checks
    r.notes()                           # what to say: is the input a date? is each answer a real date?
    equations(model)                    # [(LaTeX, what it says)] with the model's own sizes

Shape legend: T characters read, K output steps, H hidden units, V output symbols.
"""
from __future__ import annotations

import collections
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from rnnviz.data import dates
from rnnviz.lessons import decoding
from rnnviz.models import EOS, Seq2Seq

MAX_CHARS = 60          # the box keeps this many characters (the data's longest date has 34)
WIDTHS = (1, 8)         # the beam width slider's range
END_SHOWN = "⟨end⟩"     # how </s> is drawn (never the raw "</s>": plotly would read it as a tag)

INTRO = ("**Encoder–decoder (many-to-many, unequal lengths).** One GRU, the *encoder*, reads a date written "
         "any way, character by character. Its last state, the **context vector c**, is all that a second GRU, "
         "the *decoder*, gets to know about the input: from c alone it writes the date as `YYYY-MM-DD`, one "
         "character at a time, each step feeding its own last character back in. No attention: this is the "
         "classic form of Sutskever et al. (2014) and Cho et al. (2014), and c is the bottleneck you can see.")
ENCODER_NOTE = ("Each column is the encoder's state h_t after one more character (red: positive, blue: negative). "
                "The last column **is** c. Type the same date in two forms (03/04/2026 and 4 march 2026): the "
                "columns differ all along, but the last one ends up much the same, because it must say the same "
                "thing to the decoder.")
DECODER_NOTE = ("Each column is one step of the decoder: the probability of every symbol it could write next "
                "(greedy takes the ringed one, then feeds it back in). Certain steps are dark in one cell; a "
                "hesitation shows as two lit cells, often the day's digits.")
BEAM_NOTE = ("Beam search keeps the {w} likeliest partial answers at each step, scored by their total log-"
             "probability Σ log p (0 = certain; each symbol adds a negative number). Each kept answer is extended "
             "by its {w} likeliest next symbols; filled dots were kept, hollow ones dropped; the thick line is the "
             "winner. With width 1 it is exactly greedy search. On real dates this model is so sure of itself that the "
             "beam agrees with greedy; on text that is not a date they can part (try the “00” preset).")
DATA = ("**The data is generated**, not downloaded (`rnnviz/data/dates.py`): every date from 1900-01-01 to "
        "2099-12-31, written in a random form each time: day-month-year, month-day-year or year-month-day; the "
        "month as a name, a three-letter abbreviation or a number; the day plain, padded (07) or ordinal (7th); "
        "with or without the (true) weekday; separators space, comma, “-”, “/”, “.”; lower, Title or UPPER case. "
        "All-number dates follow one convention each, so that each text has one meaning: **“/” with the year "
        "last is month-first** (US: 03/04/2026 is March 4), **“.” and “-” with the year last are day-first** "
        "(04.03.2026 is March 4), and the year first is always year-month-day. The model knows only these "
        "conventions, learned from examples. {held} dates (validation and test) are held out whole: every test "
        "date is one the model never saw, in any form.")
BASELINE = ("The baseline writes, at each of the ten positions, the character most frequent there in the "
            "training answers (**{answer}**): it knows what an ISO date looks like and nothing about the input. "
            "No output is more frequent than another (each date appears equally often), so "
            "“always the most frequent answer” would be right once in {days:,}.")
PRESETS = [
    ("US slashes: 03/04/2026", {"date": "03/04/2026"},
     "Month-first by the data's convention: does the decoder write 03 or 04 as the month, and how sure is it?"),
    ("The same date, day-first: 04.03.2026", {"date": "04.03.2026"},
     "The same date (March 4) with dots: compare the context vector c with the last preset's."),
    ("An impossible date: February 30", {"date": "february 30 2026", "width": 5},
     "The model never saw a 30th of February. Does it copy the numbers, or fall back to a real date?"),
    ("Not a date: “00”, where beam search wins", {"date": "00", "units": "all"},
     "The model must write something. Greedy commits to its favourite first digit and ends in a dead end, not "
     "even a date; beam search keeps other starts alive and finds an answer the model itself scores higher."),
]
MC_INPUT = "february 30 2026"
MC_QUESTION = (f"February 30 does not exist, and the model has never seen it. Given “{MC_INPUT}”, what does the "
               "model write (greedy)?")
MC_ANSWERS = ["2026-02-30: it copies the numbers, impossible or not",
              "A real date nearby (2026-02-28, 2026-03-01, 2026-03-02 …)",
              "Something else"]


def visible(ch: str) -> str:
    """A character as a student can read it in a message: control and space characters by code point."""
    if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") or (ch.isspace() and ch != " "):
        return f"U+{ord(ch):04X}"
    return ch


@dataclass
class Prepared:
    text: str                                          # what the encoder reads
    typed: str = ""
    control: collections.Counter = field(default_factory=collections.Counter)   # dropped invisible characters
    unknown: collections.Counter = field(default_factory=collections.Counter)   # read as UNK
    cut: int = 0

    def messages(self) -> list[str]:
        """Plain-text notes for the page (the page escapes them)."""
        if not self.typed.strip():
            return ["The box is empty: type a date (for example 21 November 2026 or 11/21/2026)."]
        out = []
        if self.control:
            n = sum(self.control.values())
            out.append(f"{n} invisible control character{'s' if n != 1 else ''} dropped "
                       f"({', '.join(visible(c) for c, _ in self.control.most_common(6))}).")
        if self.cut:
            out.append(f"The model reads at most {MAX_CHARS} characters; it left out the last {self.cut:,}.")
        if self.unknown:
            n = sum(self.unknown.values())
            out.append(f"{n} character{'s' if n != 1 else ''} the model never saw in training "
                       f"({', '.join(visible(c) for c, _ in self.unknown.most_common(6))}) "
                       f"{'are' if n != 1 else 'is'} read as one unknown symbol, drawn ?.")
        return out


def prepare(model: Seq2Seq, typed: str) -> Prepared:
    """The characters the encoder reads: surrounding spaces and control characters dropped, at most MAX_CHARS
    characters; characters outside the model's vocabulary are kept and read as the unknown symbol."""
    kept = [ch for ch in typed if unicodedata.category(ch) not in ("Cc", "Cf") or ch == " "]
    control = collections.Counter(ch for ch in typed if ch not in kept)
    text = "".join(kept).strip()
    cut = max(0, len(text) - MAX_CHARS)
    text = text[:MAX_CHARS]
    unknown = collections.Counter(ch for ch in text if ch not in model.source_index)
    return Prepared(text, typed, control, unknown, cut)


@dataclass
class Reading:
    text: str
    shown: list[str]                  # the characters as drawn (unknown ones as "?")
    states: np.ndarray                # (T, H) encoder states; states[-1] is c
    greedy: decoding.Greedy
    beam: decoding.Beam
    parsed: dates.Parsed              # what the input means, when it is one of the data's forms
    symbols: list[str]                # the output vocabulary as drawn

    @property
    def c(self) -> np.ndarray:
        return self.states[-1]

    def notes(self) -> list[tuple[str, str]]:
        """[(kind, plain text)]: kind "ok" | "warn" | "info". Says whether the input is a date the model can
        know (and which), and whether each answer is a real date and the right one."""
        out, p = [], self.parsed
        if p.iso is None:
            out.append(("warn", f"“{self.text}” is not a date in any of the forms the model learned ({p.problem}); "
                                "below is what the model makes of it anyway."))
        elif p.date is None:
            out.append(("warn", f"“{self.text}” names {p.iso}, which is not a real date: {p.problem}. The model never "
                                "saw an impossible date; see what it writes."))
        elif p.problem:
            out.append(("warn", f"“{self.text}” is {p.date:%A %d %B %Y}, but {p.problem}."))
        if p.date is not None and p.weekday_typed is not None and p.weekday_typed != p.date.weekday():
            out.append(("info", f"The weekday typed does not match: {p.iso} is a {p.date:%A}. The model only ever "
                                "saw true weekdays, and the date decides."))
        for name, answer in (("Greedy", self.greedy.text), (f"Beam (width {self.beam.width})", self.beam.text)):
            check = dates.check_iso(answer)
            if check.problem:
                out.append(("warn", f"{name} wrote {answer or 'nothing'}, which is not a real date: {check.problem}."))
            elif p.date is not None and not p.problem:
                right = answer == p.iso
                out.append(("ok" if right else "warn", f"{name} wrote {answer}: "
                            + ("right." if right else f"wrong, the date is {p.iso}.")))
        return out


def read(model: Seq2Seq, text: str, width: int) -> Reading:
    """Everything the page draws for a prepared, non-empty text."""
    enc = decoding.encode(model, text)
    shown = [ch if ch in model.source_index else "?" for ch in text]
    symbols = [END_SHOWN if s == EOS else s for s in model.target]
    return Reading(text, shown, enc.states, decoding.greedy(model, enc), decoding.beam(model, enc, width),
                   dates.parse(text), symbols)


def equations(model: Seq2Seq) -> list[tuple[str, str]]:
    """The encoder–decoder's equations (models.Seq2Seq), with this model's sizes, as (LaTeX, what it says)."""
    H, D, V = model.hidden_size, model.embed_size, len(model.target)
    return [
        (rf"h_t = \mathrm{{GRU}}_{{\mathrm{{enc}}}}\!\left(E_x[x_t],\ h_{{t-1}}\right),\quad h_0 = 0,\quad "
         rf"h_t \in \mathbb{{R}}^{{{H}}}",
         f"the encoder reads character x_t (its embedding E_x[x_t] has {D} numbers)"),
        (r"c = h_T", "the context vector: the encoder's state after the last character, all the decoder gets"),
        (rf"s_0 = c,\qquad s_k = \mathrm{{GRU}}_{{\mathrm{{dec}}}}\!\left([\,E_y[y_{{k-1}}];\ c\,],\ s_{{k-1}}\right)",
         "the decoder starts from c, and sees c again at every step beside its own last symbol (y_0 = start)"),
        (rf"p(y_k \mid y_{{<k}}, x) = \mathrm{{softmax}}(W_o s_k + b_o) \in \mathbb{{R}}^{{{V - 2}}}",
         f"a probability for each of the {V - 2} symbols it can write: ten digits, “-” and end"),
        (r"\log p(y_{1..K} \mid x) = \sum_{k=1}^{K} \log p(y_k \mid y_{<k}, x)",
         "a whole answer's score: greedy maximises each term in turn, beam search keeps the best few sums"),
    ]


def baseline_text(meta: dict) -> str:
    return BASELINE.format(answer=meta["baseline"]["answer"], days=dates.DAYS)


def data_text(meta: dict) -> str:
    sizes = meta["data"]["sizes"]
    return DATA.format(held=f"{sizes['validation'] + sizes['test']:,}")


def mc_answer(model: Seq2Seq) -> tuple[int, str]:
    """The predict-then-reveal answer from the model itself: what greedy writes for MC_INPUT."""
    enc = decoding.encode(model, MC_INPUT)
    g = decoding.greedy(model, enc)
    check = dates.check_iso(g.text)
    p_step = g.probs[-3] if len(g.probs) >= 3 else g.probs[-1]       # the day's last digit
    top = [(model.target[i], p_step[i]) for i in np.argsort(-p_step)[:3]]
    said = ", ".join(f"“{s}” {p:.0%}" for s, p in top)
    if g.text == "2026-02-30":
        index, how = 0, "It copies the day and month it read: it has no idea that February is short."
    elif check.problem is None and g.text[:4] == "2026" and g.text[5:7] in ("02", "03"):
        index, how = 1, "It writes a real date near the one typed."
    else:
        index, how = 2, ""
    return index, (f"Greedy writes **{g.text or 'nothing'}**. {how} At the day's last digit it weighed {said}. "
                   "Nothing in its training said that a 30th of February is impossible: it learned to map forms "
                   "to forms, from examples of real dates only.")
