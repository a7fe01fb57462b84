"""The date-translation demo (encoder–decoder): a GRU reads a date written any way, its last state c is all
the decoder gets, and the decoder writes the date as YYYY-MM-DD, greedy or by beam search.

    prep = prepare(model, typed)        # the characters read, what was dropped or unknown, messages
    r = read(model, prep.text, width)   # Reading: encoder states, c, greedy steps, the beam tree, checks
    r.notes()                           # what to say: is the input a date? is each answer a real date?
    equations(model)                    # [(LaTeX, what it says)] with the model's own sizes
    least_sure(model, r.greedy)         # the step greedy was least sure of, named by its place in YYYY-MM-DD
    context_pairs(model, text)          # c of one date in other forms, and of the next day (the control)

Shape legend: T characters read, K output steps, H hidden units, V output symbols.
"""
from __future__ import annotations

import collections
import datetime as dt
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from rnnviz.topics.dates import data as dates
from rnnviz.topics.dates import decoding
from rnnviz.topics.dates.model import EOS, Seq2Seq

MAX_CHARS = 60          # the box keeps this many characters (the data's longest date has 34)
WIDTHS = (1, 8)         # the beam width slider's range
END_SHOWN = "⟨end⟩"     # how </s> is drawn (never the raw "</s>": plotly would read it as a tag)

INTRO = ("**Encoder–decoder (many-to-many, unequal lengths).** One GRU, the *encoder*, reads a date written "
         "any way, character by character. Its last state, the **context vector c**, is all that a second GRU, "
         "the *decoder*, gets to know about the input: from c alone it writes the date as `YYYY-MM-DD`, one "
         "character at a time, each step feeding its own last character back in. No attention: this is the "
         "classic form of Sutskever et al. (2014) and Cho et al. (2014), and c is the bottleneck you can see.")
ENCODER_NOTE = ("Each column is the encoder's state h_t after one more character (red: positive, blue: negative). "
                "The last column **is** c. Does the same date, written another way, end in the same c? The "
                "distances below are measured now, with a different date as the control.")
DECODER_NOTE = ("Each column is one step of the decoder: the probability of every symbol it could write next "
                "(greedy takes the ringed one, then feeds it back in). A sure step is one lit cell; a hesitation "
                "shows as two or more.")
BEAM_NOTE = ("Beam search keeps the {w} likeliest partial answers at each step, scored by their total log-"
             "probability Σ log p (0 = certain; each symbol adds a negative number). Each kept answer is extended "
             "by its {w} likeliest next symbols; filled dots were kept, hollow ones dropped; the thick line is the "
             "winner. With width 1 it is exactly greedy search.")
DATA = ("**The data is generated**, not downloaded (`rnnviz/topics/dates/data.py`): every date from 1900-01-01 to "
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
            "No answer is likelier than another (training draws its dates uniformly), so “always the most "
            "frequent answer” would be right for one date in {days:,}, and for none of the held-out test dates, "
            "which training never shows.")
PRESETS = [
    ("US slashes: 03/04/2026", {"date": "03/04/2026"},
     "Month-first by the data's convention: does the decoder write 03 or 04 as the month, and how sure is it?"),
    ("The same date, day-first: 04.03.2026", {"date": "04.03.2026"},
     "The same date (March 4) with dots: how far is its context vector c from the other forms' and from the "
     "next day's? (the table under the encoder)"),
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
            follows = self.greedy.text == p.iso
            out.append(("info", f"The weekday typed does not match: {p.iso} is a {p.date:%A}. The model only ever "
                                "saw true weekdays; " + ("here the date decides: greedy writes it." if follows else
                                                          "here greedy does not write the date.")))
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
    """The encoder–decoder's equations (model.Seq2Seq), with this model's sizes, as (LaTeX, what it says)."""
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


# ----------------------------------------------------------------------------- where each output step sits

SLOTS = ("the year's first digit", "the year's second digit", "the year's third digit", "the year's last digit",
         "the first “-”", "the month's first digit", "the month's second digit", "the second “-”",
         "the day's first digit", "the day's second digit", "the end symbol")
_ISO_SHAPE = "dddd-dd-dd"


def slot(text: str, k: int) -> str:
    """What output step k (0-based) writes, named from its place in YYYY-MM-DD when the answer so far has that
    shape ("the day's first digit"); otherwise by number ("step 4")."""
    so_far = text[:k]
    fits = len(so_far) == k and all((c == "-") if s == "-" else c.isdigit() for c, s in zip(so_far, _ISO_SHAPE))
    if fits and k < len(SLOTS) and (k == len(text) == 10 or k < 10):
        return SLOTS[k]
    return f"step {k + 1}"


def least_sure(model: Seq2Seq, g: decoding.Greedy, top: int = 3) -> tuple[int, str, list[tuple[str, float]]]:
    """The greedy step whose chosen symbol had the lowest probability: (k 0-based, its slot's name, the `top`
    likeliest symbols there with their p)."""
    chosen = [g.probs[k][t] for k, t in enumerate(g.tokens)]
    k = int(np.argmin(chosen))
    p = g.probs[k]
    shown = [(END_SHOWN if model.target[i] == EOS else model.target[i], float(p[i])) for i in np.argsort(-p)[:top]]
    return k, slot(g.text, k), shown


def share(p: float) -> str:
    """A probability as a percentage that never rounds a doubt away: 0.996 → "99.6%", 0.0004 → "<0.1%"."""
    if p >= 0.9995:
        return ">99.9%"
    if p < 0.0005:
        return "<0.1%"
    return f"{p:.1%}" if p > 0.99 or p < 0.01 else f"{p:.0%}"


def weighed(shown: list[tuple[str, float]]) -> str:
    return ", ".join(f"“{s}” {share(p)}" for s, p in shown)


def decoder_said(model: Seq2Seq, g: decoding.Greedy) -> str:
    """The decoder chart in one sentence: what greedy wrote, and its least sure step, named (plain text)."""
    k, name, shown = least_sure(model, g)
    where = f"step {k + 1}" + ("" if name.startswith("step") else f" ({name})")
    return (f"The decoder wrote {g.text or 'nothing'} in {len(g.tokens)} steps. Its least sure step is {where}, "
            f"where it weighed {weighed(shown)}.")


def mc_answer(model: Seq2Seq) -> tuple[int, str]:
    """The predict-then-reveal answer from the model itself: what greedy writes for MC_INPUT, and the step
    where it was least sure, named by its place in the answer (computed, never assumed)."""
    enc = decoding.encode(model, MC_INPUT)
    g = decoding.greedy(model, enc)
    check = dates.check_iso(g.text)
    k, name, shown = least_sure(model, g)
    if g.text == "2026-02-30":
        index, how = 0, "It copies the day and month it read: it has no idea that February is short."
    elif check.problem is None and g.text[:4] == "2026" and g.text[5:7] in ("02", "03"):
        index, how = 1, "It writes a real date near the one typed."
    else:
        index, how = 2, ""
    where = f"step {k + 1}" + ("" if name.startswith("step") else f", {name}")
    return index, (f"Greedy writes **{g.text or 'nothing'}**. {how} Its least sure step was {where}, "
                   f"where it weighed {weighed(shown)}. Nothing in its training said that a 30th of "
                   "February is impossible: it learned to map forms to forms, from examples of real dates only.")


# ----------------------------------------------------------------------------- is c the same for the same date?

# Three forms every date can be written in, to compare c across forms (the page's control: another date).
REFERENCE = (dates.Style("MDY", "number", "padded", "none", "/", "lower"),     # 03/04/2026
             dates.Style("DMY", "full", "plain", "none", " ", "lower"),        # 4 march 2026
             dates.Style("YMD", "number", "padded", "none", "-", "lower"))     # 2026-03-04


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """Relative distance between two context vectors: ‖a − b‖ over the mean of ‖a‖ and ‖b‖ (0: the same)."""
    scale = (np.linalg.norm(a) + np.linalg.norm(b)) / 2
    return float(np.linalg.norm(a - b) / scale) if scale > 0 else 0.0


@dataclass(frozen=True)
class ContextPair:
    a: str
    b: str
    differs: str            # "the form" (one date, two forms) | "the date" (two dates, one form)
    distance: float         # distance(c_a, c_b)
    right: bool             # greedy writes the right date from both


def context_pairs(model: Seq2Seq, text: str) -> list[ContextPair]:
    """For a typed real date D: c of the typed text against c of D in each REFERENCE form (the form differs),
    and, as the control, c of D against c of the next day D' in the same form, for the typed form when the
    data could have written it (dates.style_of) and for each REFERENCE form (the date differs). [] when the
    text is not a date the model could know."""
    p = dates.parse(text)
    if p.date is None or p.problem:
        return []
    d = p.date
    other = d + dt.timedelta(days=1) if d < dates.LAST else d - dt.timedelta(days=1)
    c = {}

    def ctx(t: str) -> np.ndarray:
        if t not in c:
            c[t] = decoding.encode(model, t).states[-1]
        return c[t]

    def right(t: str, day: dt.date) -> bool:
        return decoding.greedy(model, decoding.encode(model, t)).text == dates.iso(day)

    typed = text.strip()
    out = [ContextPair(typed, r.render(d), "the form", distance(ctx(typed), ctx(r.render(d))),
                       right(typed, d) and right(r.render(d), d)) for r in REFERENCE if r.render(d) != typed]
    own = dates.style_of(typed, d)
    forms = ([own] if own is not None else []) + list(REFERENCE)
    for a, b in dict.fromkeys((f.render(d), f.render(other)) for f in forms):       # one row per pair of texts
        out.append(ContextPair(a, b, "the date", distance(ctx(a), ctx(b)), right(a, d) and right(b, other)))
    return out


def context_said(pairs: list[ContextPair]) -> str:
    """The table's finding in one paragraph, every number and comparison from the pairs (plain text)."""
    form = [x.distance for x in pairs if x.differs == "the form"]
    date = [x.distance for x in pairs if x.differs == "the date"]
    if not form or not date:
        return ""
    a, b = float(np.mean(form)), float(np.mean(date))
    out = (f"Relative distance, ‖c_A − c_B‖ over the mean of ‖c_A‖ and ‖c_B‖ (0: the same vector). One date in "
           f"two forms: {a:.2f} on average ({min(form):.2f}–{max(form):.2f}); two dates, one day apart, in one form: "
           f"{b:.2f} ({min(date):.2f}–{max(date):.2f}). ")
    if a > b:
        out += "Here c moves more with how the date is written than with which date it is"
    else:
        out += "Here c moves less with how the date is written than with which date it is"
    ok = all(x.right for x in pairs)
    return out + (": the decoder still reads the right date out of every one of them." if ok else
                  "; the decoder does not read every one of them right (see the last column).")


def context_table(pairs: list[ContextPair]) -> list[dict]:
    return [{"A": x.a, "B": x.b, "what differs": x.differs, "distance": round(x.distance, 2),
             "greedy right on both": "yes" if x.right else "no"} for x in pairs]


# ----------------------------------------------------------------------------- one sentence under each chart

def encoder_said(r: Reading, units: np.ndarray) -> str:
    T, H = r.states.shape
    u = int(np.argmax(np.abs(r.c)))
    return (f"The encoder's state after each of the {T} characters read, {len(units)} of its {H} units shown. "
            f"The last column is c = h_{T}: from {r.c.min():+.2f} to {r.c.max():+.2f}, largest in size at unit {u} "
            f"({r.c[u]:+.2f}).")


def context_summary(r: Reading) -> str:
    u = int(np.argmax(np.abs(r.c)))
    return (f"Context vector c, {len(r.c)} numbers from {r.c.min():+.2f} to {r.c.max():+.2f}; largest in size at "
            f"unit {u} ({r.c[u]:+.2f}).")


def beam_said(r: Reading) -> str:
    same = r.beam.text == r.greedy.text
    kept = sum(n.kept for n in r.beam.nodes)
    return (f"Beam search, width {r.beam.width}: {len(r.beam.nodes)} candidates scored, {kept} kept; the winner "
            f"“{r.beam.text}” (Σ log p = {r.beam.logp:.3f}) is {'greedy’s answer too' if same else 'not greedy’s'} "
            f"(“{r.greedy.text}”, {r.greedy.logp:.3f}).")
