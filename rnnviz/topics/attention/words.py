"""What the Attention page says: the intro, the controls' help, the notes under the charts, the presets, the
question and its answer (from the manifest's numbers), the equations with the models' sizes, and the
sentences written from a reading. Plain text unless said: the page escapes what it did not write itself.
"""
from __future__ import annotations

import numpy as np

from rnnviz.topics.attention import compute, data
from rnnviz.topics.attention.model import NumberReader

INTRO = ("**Two encoder–decoders of the same size read a number written in words and write its digits.** The "
         "*plain* one's decoder gets one vector, c = the encoder's last state, however long the input; the other's, "
         "with **additive attention** (Bahdanau et al. 2015), takes a new context c_k at every step, a weighted mix "
         "of the encoder's states. At every step the attentive decoder scores each input position against its own state and turns "
         "the scores into weights α that sum to 1 (a softmax): the alignment map shows them. The plain one is the "
         "Date translation page's kind, where c is the bottleneck. Type a number and watch where the attentive "
         "decoder looks while it writes each digit.")
HELP = {
    "number": "A whole number from 0 to 999,999 in English words, e.g. “three hundred and twelve thousand, five” "
              "or “forty-two”. With or without “and”, with a hyphen or a space in forty-two, a comma after "
              f"thousand or not; upper case is read as lower case. The models read at most {compute.MAX_CHARS} "
              "characters. Anything else is welcome: see what they make of it.",
    "units": "strongest 24: the 24 units whose context changes most from step to step. all: every unit.",
}

ALIGNMENT_NOTE = ("Each row is one step of the attentive decoder, the digit it wrote on the left; each column one "
                  "character it read. The brighter a cell, the more of that character's encoder state h_j goes into "
                  "the step's context c_k (the colour scale ends at the largest α on the map). The plain model has no "
                  "such map: all its steps see the same c. Both write greedily: the likeliest symbol at every step.")
CONTEXT_NOTE = ("Left: the plain model's context at each step: the same c = h_T every time (identical columns). "
                "Right: the attentive model's c_k, a different mix of the encoder's states at each step.")

PRESETS = [
    ("Long: 777,777 in words", {"number": "seven hundred and seventy-seven thousand, seven hundred and seventy-seven"},
     "One of the longest inputs the data has (73 characters). Which model gets it right? Follow the bright cells: do "
     "they walk along the words from left to right?"),
    ("A zero to write: 312,005", {"number": "three hundred twelve thousand five"},
     "No word says “0”, yet two zeros must be written. Where does the attentive decoder look while it writes them?"),
    ("Short: 42", {"number": "forty-two"},
     "A short input: c has little to carry. Do both models get it?"),
    ("Not a number: “hello world”", {"number": "hello world"},
     "Words the models never learned: they must still write digits. What does attention look at now?"),
]

QUESTION = ("Both models are trained alike, on the same pairs, and scored on numbers they never saw. As the words "
            "get longer, what happens to their exact match (the whole number right)?")
ANSWERS = ["Both fall, about alike",
           "The plain model falls, the attentive one holds",
           "Neither changes much"]


def answer(curves: compute.LengthCurves) -> tuple[int, str]:
    """The predict-then-reveal answer from the manifest's numbers (never assumed)."""
    v = compute.verdict(curves)
    said = (f"From the shortest inputs ({v.first_bin} characters) to the longest ({v.last_bin}), the plain model "
            f"goes from {v.plain_first:.1%} to {v.plain_last:.1%} and the attentive one from {v.attentive_first:.1%} "
            f"to {v.attentive_last:.1%}." + _not_steady(v))
    if v.plain_falls and v.attentive_holds:
        return 1, said + (" The usual explanation (Bahdanau et al. 2015): the plain decoder must find every "
                          "digit in one vector c, and a longer input crowds more into it; the attentive decoder "
                          "reads each part again from the encoder's state where it is.")
    if v.plain_falls:
        return 0, said + " Attention helps less than the textbook picture promises here: it falls too."
    if v.attentive_holds:
        return 2, said + (" Here the plain model does not fall with length: with this model size and training, "
                          "one c of its size is enough for six digits. The bottleneck is real, but this task "
                          "does not press it hard enough to show.")
    return 2, said


def _not_steady(v: compute.Verdict) -> str:
    """Said when the plain model's best bin is neither end: the fall is not steady."""
    if v.plain_best_bin in (v.first_bin, v.last_bin):
        return ""
    worst = " and worst on the longest" if v.plain_worst_bin == v.last_bin else ""
    return (f" Not a steady fall: the plain model does best on inputs of {v.plain_best_bin} characters "
            f"({v.plain_best:.1%}){worst}.")


def length_said(curves: compute.LengthCurves) -> str:
    v = compute.verdict(curves)
    return (f"Held-out exact match by input length: plain {v.plain_first:.1%} → {v.plain_last:.1%}, attentive "
            f"{v.attentive_first:.1%} → {v.attentive_last:.1%}, from {v.first_bin} to {v.last_bin} characters. "
            + ("The plain model falls with length" if v.plain_falls else "The plain model does not fall with length")
            + (" and the attentive one holds." if v.attentive_holds else "; the attentive one falls too.")
            + _not_steady(v) + _copy_beats(curves))


def _copy_beats(c: compute.LengthCurves) -> str:
    """Said when the word-by-word copy beats the plain model on the longest inputs."""
    if c.word_copy[-1] is None or c.plain[-1] is None or c.word_copy[-1] <= c.plain[-1]:
        return ""
    return (f" On the longest inputs even the word-by-word copy ({c.word_copy[-1]:.1%}) beats the plain model "
            f"({c.plain[-1]:.1%}).")


def data_text(meta: dict) -> str:
    s = meta["data"]["sizes"]
    return ("**The data is generated**, not downloaded (`rnnviz/topics/attention/data.py`): whole numbers from 0 "
            f"to 999,999 in English words, each in one of {len(data.STYLES)} phrasings (“and” after hundred or not, forty-two "
            "or forty two, a comma after thousand or not), and their digits. Training draws the number of digits "
            "uniformly, so short numbers are as common as long ones. "
            f"{s['validation'] + s['test']:,} numbers from 100 up are held out whole (validation and test): every "
            "test number is one neither model saw, in any phrasing. The numbers below 100 are all training numbers "
            "(there are only 100).")


def baseline_text(meta: dict) -> str:
    m = meta["metrics"]
    return (f"Two baselines on the same test numbers. **Word-by-word copy** ({m['word_copy_exact']:.1%}): each "
            "number word becomes its digits, hundred, thousand and and dropped: “three hundred twelve” → 312 is "
            "right, “three hundred five” → 35 is not: no word says its zero. **Likeliest digits** "
            f"({m['majority_exact']:.1%}): always “{meta['baseline']['majority']['answer']}”, the likeliest length "
            "and digit at each place, blind to the input.")


def equations(model: NumberReader, plain: NumberReader) -> list[tuple[str, str]]:
    """The encoder–decoder with and without attention (model.NumberReader), with the models' sizes."""
    H, D, V = model.hidden_size, model.embed_size, len(model.target)
    extra = model.count_parameters() - plain.count_parameters()
    return [
        (rf"h_j = \mathrm{{GRU}}_{{\mathrm{{enc}}}}(E_x[x_j],\ h_{{j-1}}),\quad h_j \in \mathbb{{R}}^{{{H}}},\quad "
         r"s_0 = h_T",
         f"both encoders read character x_j (its embedding has {D} numbers); both decoders start from h_T"),
        (r"\text{plain:}\quad c_k = h_T \quad\text{for every step } k",
         "the plain decoder gets the same single vector at every step"),
        (rf"e_{{kj}} = v^\top \tanh(W_s\, s_{{k-1}} + W_h\, h_j + b),\quad W_s, W_h \in \mathbb{{R}}^{{{H}\times{H}}},"
         rf"\ v, b \in \mathbb{{R}}^{{{H}}}",
         "attention: a score for every input position, from the decoder's last state and that position's h_j"),
        (r"\alpha_{kj} = \frac{\exp e_{kj}}{\sum_{i=1}^{T} \exp e_{ki}},\qquad c_k = \sum_{j=1}^{T} \alpha_{kj}\, h_j",
         "the scores become weights that sum to 1 (softmax); the context is the weighted sum of the states"),
        (rf"s_k = \mathrm{{GRU}}_{{\mathrm{{dec}}}}([\,E_y[y_{{k-1}}];\ c_k\,],\ s_{{k-1}}),\quad "
         rf"p(y_k \mid y_{{<k}}, x) = \mathrm{{softmax}}(W_o s_k + b_o) \in \mathbb{{R}}^{{{V - 2}}}",
         f"both decoders: the same GRU of {H} units and the same output layer (ten digits and end); "
         f"attention adds {extra:,} parameters (W_s, W_h, b, v) to the plain model's {plain.count_parameters():,}"),
    ]


def answers_said(r: compute.Reading) -> list[tuple[str, str]]:
    """(kind, plain text) notes on both answers: right or wrong when the text is a number the data could write."""
    out = []
    for name, a in (("The plain model", r.plain), ("The attentive model", r.attentive)):
        ok = r.right(a)
        if ok is None:
            continue
        out.append(("ok" if ok else "warn",
                    f"{name} wrote {a.text or 'nothing'}: " + ("right." if ok else f"wrong, it is {data.digits(r.number)}.")))
    return out


def alignment_said(r: compute.Reading) -> str:
    """Where the attentive decoder looked most at each step (plain text)."""
    parts = [f"{sym} ← “{word}”" for sym, _, word in compute.focus(r)]
    peak = float(np.mean(r.attentive.alphas.max(1)))
    return (f"The attentive model wrote {r.attentive.text or 'nothing'} in {len(r.attentive.symbols)} steps, "
            f"reading {len(r.text)} characters. Its strongest look at each step: {'; '.join(parts)}. "
            f"On average the largest weight in a row is {peak:.2f}.")


def contexts_said(r: compute.Reading) -> str:
    def spread(c: np.ndarray) -> float:
        return float(np.linalg.norm(c - c.mean(0), axis=1).mean())
    return (f"Mean distance of a step's context from the average context: plain {spread(r.plain.contexts):.3f} "
            f"(one c for all {len(r.plain.symbols)} steps), attentive {spread(r.attentive.contexts):.3f}.")
