"""What the Date translation page says: the intro, the controls' help, the notes under the charts, the
presets, the question and its answer, the equations, and the sentences written from a reading.

Fixed texts are constants (INTRO, HELP, PRESETS, QUESTION, ANSWERS, …); a text that quotes the model or a
reading is a function of it, every number computed, never assumed (tests/topics/dates/ hold them). Plain
text unless said: the page escapes what it did not write itself.
"""
from __future__ import annotations

import numpy as np

from rnnviz.topics.dates.model import Seq2Seq
from rnnviz.topics.dates import compute, data, decoding

INTRO = ("**Encoder–decoder (many-to-many, unequal lengths).** One GRU, the *encoder*, reads a date written "
         "any way, character by character. Its last state, the **context vector c**, is all that a second GRU, "
         "the *decoder*, gets to know about the input: from c alone it writes the date as `YYYY-MM-DD`, one "
         "character at a time, each step feeding its own last character back in. No attention: this is the "
         "classic form of Sutskever et al. (2014) and Cho et al. (2014), and c is the bottleneck you can see.")
HELP = {
    "date": "For example 21 November 2026, nov 21, 2026, 11/21/2026 (US: month first), 21.11.2026 "
            "(day first), 2026/11/21, with or without the weekday, in any case. Years 1900–2099. "
            f"The model reads at most {compute.MAX_CHARS} characters; characters it never saw are read as "
            "one unknown symbol. Anything else is welcome too: see what it makes of it.",
    "width": "How many partial answers beam search keeps at each step. 1 = greedy search exactly; "
             "wider looks at more alternatives (and costs more).",
    "units": "strongest 32: the 32 units with the largest |c| at the end, in unit order (the ones "
             "that carry most to the decoder). all: every unit of the encoder.",
}

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


def baseline_text(meta: dict) -> str:
    return BASELINE.format(answer=meta["baseline"]["answer"], days=data.DAYS)


def data_text(meta: dict) -> str:
    sizes = meta["data"]["sizes"]
    return DATA.format(held=f"{sizes['validation'] + sizes['test']:,}")


# ----- what to try, and the question

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
QUESTION_INPUT = "february 30 2026"
QUESTION = (f"February 30 does not exist, and the model has never seen it. Given “{QUESTION_INPUT}”, what does the "
            "model write (greedy)?")
ANSWERS = ["2026-02-30: it copies the numbers, impossible or not",
           "A real date nearby (2026-02-28, 2026-03-01, 2026-03-02 …)",
           "Something else"]


def answer(model: Seq2Seq) -> tuple[int, str]:
    """The predict-then-reveal answer from the model itself: what greedy writes for QUESTION_INPUT, and the step
    where it was least sure, named by its place in the answer (computed, never assumed)."""
    enc = decoding.encode(model, QUESTION_INPUT)
    g = decoding.greedy(model, enc)
    check = data.check_iso(g.text)
    k, name, shown = compute.least_sure(model, g)
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


# ----- the equations, with this model's sizes

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


# ----- what a reading says (plain text: the page escapes it)

def notes(r: compute.Reading) -> list[tuple[str, str]]:
    """What to say under the answers, [(kind, plain text)], kind "ok" | "warn" | "info": whether the input is a
    date the model can know (and which), and whether each answer is a real date and the right one."""
    out, p = [], r.parsed
    if p.iso is None:
        out.append(("warn", f"“{r.text}” is not a date in any of the forms the model learned ({p.problem}); "
                            "below is what the model makes of it anyway."))
    elif p.date is None:
        out.append(("warn", f"“{r.text}” names {p.iso}, which is not a real date: {p.problem}. The model never "
                            "saw an impossible date; see what it writes."))
    elif p.problem:
        out.append(("warn", f"“{r.text}” is {p.date:%A %d %B %Y}, but {p.problem}."))
    if p.date is not None and p.weekday_typed is not None and p.weekday_typed != p.date.weekday():
        follows = r.greedy.text == p.iso
        out.append(("info", f"The weekday typed does not match: {p.iso} is a {p.date:%A}. The model only ever "
                            "saw true weekdays; " + ("here the date decides: greedy writes it." if follows else
                                                      "here greedy does not write the date.")))
    for name, written in (("Greedy", r.greedy.text), (f"Beam (width {r.beam.width})", r.beam.text)):
        check = data.check_iso(written)
        if check.problem:
            out.append(("warn", f"{name} wrote {written or 'nothing'}, which is not a real date: {check.problem}."))
        elif p.date is not None and not p.problem:
            right = written == p.iso
            out.append(("ok" if right else "warn", f"{name} wrote {written}: "
                        + ("right." if right else f"wrong, the date is {p.iso}.")))
    return out


def encoder_said(r: compute.Reading, units: np.ndarray) -> str:
    T, H = r.states.shape
    u = int(np.argmax(np.abs(r.c)))
    return (f"The encoder's state after each of the {T} characters read, {len(units)} of its {H} units shown. "
            f"The last column is c = h_{T}: from {r.c.min():+.2f} to {r.c.max():+.2f}, largest in size at unit {u} "
            f"({r.c[u]:+.2f}).")


def context_summary(r: compute.Reading) -> str:
    u = int(np.argmax(np.abs(r.c)))
    return (f"Context vector c, {len(r.c)} numbers from {r.c.min():+.2f} to {r.c.max():+.2f}; largest in size at "
            f"unit {u} ({r.c[u]:+.2f}).")


def context_said(pairs: list[compute.ContextPair]) -> str:
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
    k, name, shown = compute.least_sure(model, g)
    where = f"step {k + 1}" + ("" if name.startswith("step") else f" ({name})")
    return (f"The decoder wrote {g.text or 'nothing'} in {len(g.tokens)} steps. Its least sure step is {where}, "
            f"where it weighed {weighed(shown)}.")


def beam_said(r: compute.Reading) -> str:
    same = r.beam.text == r.greedy.text
    kept = sum(n.kept for n in r.beam.nodes)
    return (f"Beam search, width {r.beam.width}: {len(r.beam.nodes)} candidates scored, {kept} kept; the winner "
            f"“{r.beam.text}” (Σ log p = {r.beam.logp:.3f}) is {'greedy’s answer too' if same else 'not greedy’s'} "
            f"(“{r.greedy.text}”, {r.greedy.logp:.3f}).")
