"""What the GRU-vs-LSTM page says to the student: its intro, the controls' help, the words around each section,
the "what to try" notes (PRESETS) and the predict-then-reveal question. Plain strings and small functions, no streamlit.

Numbers about the models come from their manifest entries (one_run, budget_note); the notes that describe
the shipped models' behaviour are held by tests/topics/compare/test_words_compare.py (docs/claims/lessons-c.md).
"""
from __future__ import annotations

import re

import numpy as np

from rnnviz.shared.charlm import MAX_CHARS

MODELS = {"gru": "char_gru", "lstm": "char_lstm"}
OWN = "your own text"
FIRST = "Hamlet: the opening watch"
DEFAULT_TEXT = "HAMLET.\nAlas, poor Yorick! I knew him, Horatio: a fellow of infinite jest.\n"

INTRO = (
    "Two character-level language models, trained the same way on the same Shakespeare (Hamlet and Macbeth "
    "held out), read the same text and predict each next character. One is an **LSTM** (input, forget and "
    "output gates and a separate cell state $c_t$), the other a **GRU** (a reset and an update gate, and one "
    "state $h_t$). They were sized to about the same number of parameters and trained once each, with the same "
    "recipe. Compare which gates close where, how each keeps its memory, and who is less surprised by the "
    "text; what one training run can and cannot tell about which cell is better is said under *How well does "
    "each predict?*")

# The page's first words, above its main view (the whole INTRO opens with the models' cards, below).
LEAD = ("Two character-level language models, a **GRU** and an **LSTM**, trained the same way on the same "
        "Shakespeare, read the same text. Pick a text and a pair of gates: the heatmaps show, character by "
        "character, where each model's gates open (bright) and close (dark).")

# The controls' help (their tooltips), by the control's key; the units' depends on the models: units_help(metas).
HELP = {
    "passage": "A passage from Hamlet or Macbeth, which neither model saw in training, or your own text.",
    "text": f"Used when 'Text to read' is '{OWN}'. The models read at most {MAX_CHARS:,} characters, and any "
            "character they never learned as one unknown symbol.",
    "width": "How many characters the heatmaps show, from the first one chosen above.",
    "order": "change: the units whose value moves most over the text first. mean: the most open (or largest) "
             "first. index: units 0, 1, 2, … as they are stored.",
    "start": "The first character the heatmaps show (shaded in the charts along the whole text).",
    "pair": "keep: GRU z vs LSTM f. write: GRU 1 − z vs LSTM i. reset: GRU r vs LSTM o. candidate: GRU n vs LSTM g.",
}


def units_help(metas: dict) -> str:
    """The "Units shown" help, with each loaded model's number of units."""
    return "How many hidden units each heatmap shows" + "".join(
        f"{', ' if n else ' ('}the {k.upper()} has {m['arch']['hidden_size']}"
        for n, (k, m) in enumerate(metas.items())) + (")." if metas else ".")


READOUT = ("Both read a one-hot character $x_t$ and predict the next one from $h_t$ with the same read-out "
           "$\\mathrm{softmax}(W_y h_t + b_y)$. σ squashes to (0, 1): a gate near 1 lets through, near 0 blocks.")
COLOURS = ("Orange keeps the past, sky blue writes new values (for the GRU that is 1 − z). Yellow, the GRU's "
           "reset gate $r_t$, acts inside its own step: it scales $W_{hn} h_{t-1} + b_{hn}$ in the same step's "
           "candidate $n_t$. Dark blue, the LSTM's output gate $o_t$, decides how much of the cell state shows in "
           "$h_t$, which the read-out uses at once and the gates read at the next step. Averages over all units "
           "hide a lot: the heatmaps show single units doing very different things.")
GRU_CONVENTION = (
    "**The GRU as PyTorch writes it.** $h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{t-1}$: here $z_t$ is the "
    "share of the old state *kept* (like the LSTM's $f_t$), as in Cho et al. (2014), who introduced the GRU. "
    "Chung et al. (2014) and colah's blog write $h_t = (1 - z_t) \\odot h_{t-1} + z_t \\odot \\tilde h_t$: their $z_t$ is the share "
    "*written*, the same cell with $z$ and $1 - z$ swapped. Its reset gate sits after the matrix product, "
    "$r_t \\odot (W_{hn} h_{t-1} + b_{hn})$, and acts in the same step; all three papers put it before, "
    "$U(r_t \\odot h_{t-1})$, which gives a different function for the same weights.")
STATES_LEAD = ("The LSTM keeps two vectors: the cell state $c_t$, its memory, a running sum that can grow beyond "
               "±1, and $h_t = o_t \\odot \\tanh(c_t)$, the part it shows to the read-out and to its gates. The GRU "
               "merges them: its one $h_t$ is both its memory and its output, always inside (−1, 1).")


def states_note(c_bound: float | None) -> str:
    """The merged-state note; what it says of the colour scales is read from the c_t heatmap's own scale
    (`c_bound`: the largest |c_t| among the characters and units it shows)."""
    scales = ("" if c_bound is None else
              f" Compare the colour scales: in the characters and units shown, $c_t$ reaches ±{c_bound:.2f}"
              + (", beyond ±1, while both $h_t$ stay inside." if c_bound > 1 else
                 ", inside ±1 like both $h_t$ (which can never leave it)."))
    return ("**The GRU's $h_t$** is memory and output in one: what it keeps for later is exactly what the "
            "read-out and the gates see now. **The LSTM** (right) can hold a large value in $c_t$ while showing "
            "little of it in $h_t$ (a closed output gate), and show it later." + scales)


PARAMETERS_LEAD = ("Every gate block has its own input weights $W_{i\\cdot}$ ($H \\times V$), recurrent weights "
                   "$W_{h\\cdot}$ ($H \\times H$) and two biases ($H$ each): $H\\,(V + H + 2)$. The LSTM has four "
                   "blocks, the GRU three; the read-out $W_y$ ($V \\times H$) and $b_y$ ($V$) add $V\\,(H + 1)$.")
TWO_BIASES = ("**Why two biases, the $+2$.** PyTorch stores a bias with the input, $b_{i\\cdot}$, and one with "
              "the recurrent term, $b_{h\\cdot}$; a textbook writes one, $b$. Where both are simply added (every "
              "LSTM gate, the GRU's $r_t$ and $z_t$), only their sum matters: moving any amount from one to the "
              "other changes nothing the cell computes, so $H$ numbers per block are redundant. The GRU's "
              "candidate is the exception: $b_{hn}$ sits inside $r_t \\odot (W_{hn} h_{t-1} + b_{hn})$, scaled "
              "by the reset gate, and $b_{in}$ is not.")


def count(text: str) -> int:
    """The first number in a manifest's words, e.g. "277,374 characters: hamlet_gut, …" → 277374."""
    return int(re.search(r"[\d,]+", text).group().replace(",", ""))


def validation_note(meta: dict) -> str:
    return (f"Bits per character: the average surprise over {count(meta['data']['validation']):,} held-out "
            "characters. The baselines predict from letter frequencies alone (unigram) or from the previous "
            "character (bigram); a model below the bigram bar gets something from more than one character back.")


def one_run(metas: dict) -> str:
    """What one training run of each model can and cannot show, from their manifest entries."""
    g, l = metas["gru"], metas["lstm"]
    h = g["hyper"]
    seen = h["steps"] * h["batch"] * h["window"]
    gv, lv, gt, lt = (m["metrics"][k] for k, m in (("val_bpc", g), ("val_bpc", l), ("train_bpc", g), ("train_bpc", l)))
    better, worse = ("GRU", "LSTM") if gv < lv else ("LSTM", "GRU")
    return (f"**One run each.** Each model was trained once, from seed {h['seed']}, for a fixed budget of "
            f"{h['steps']:,} steps of {h['batch']} windows of {h['window']} characters: about "
            f"{seen / count(g['data']['train']):.0f} passes over the {count(g['data']['train']):,} training characters, "
            f"not until it stopped improving. It ends at {gv:.2f} (GRU) and {lv:.2f} (LSTM) bits per character on "
            f"held-out Hamlet and Macbeth, {gt:.2f} and {lt:.2f} on training text. What this can show: at this size "
            f"and this budget, with this seed, the {better} predicts better, by {abs(gv - lv):.2f} bits per "
            f"character. What it cannot: whether another seed gives the same order (the spread between seeds was "
            f"not measured), whether the order holds when both train longer, or that the cell alone decides it: "
            f"equal parameters are not equal work (training took {g['minutes']:.1f} min for the GRU, "
            f"{l['minutes']:.1f} for the LSTM), and both used the same learning rate, {h['lr']:g}, which may suit "
            f"one cell better than the other.")


def keep_and_write(share: float) -> str:
    return (f"On this text the LSTM keeps *and* writes ($f_t > 0.8$ and $i_t > 0.8$) in {share:.0%} of its "
            "unit-steps. A GRU unit never can: $z_t$ and $1 - z_t$ cannot both exceed 0.5.")


def budget_note(vocab: int, hidden: dict[str, int]) -> str:
    return (f"V = {vocab} characters in the alphabet. A GRU unit costs three blocks instead of four, so for about "
            f"the same number of parameters the GRU gets more units ({hidden['gru']} vs {hidden['lstm']}).")


# (button label, the controls it sets, what to look for): ui.experiments sets every other control to its default
PRESETS = [
    ("Speakers' names: the witches", dict(passage="Macbeth: the witches"),
     "Hover the surprise chart at each name: its first letter, after a blank line, costs about 4 bits (3.4 to "
     "5.1), the last two "
     "letters of FIRST, SECOND and THIRD under half a bit, the W of WITCH 6–9 bits every time, even the seventh "
     "(neither uses the names it has already read), and the line break after the name under 0.1 bit: both "
     "learned that a speaker's name ends its line."),
    ("Who keeps the most?", dict(pair="keep", order="mean"),
     "Units ordered by their mean: the top rows keep the most. Most GRU units keep less than a tenth ($z$ below "
     "0.1 on average): they rewrite themselves at almost every character, and their memory travels through the "
     "candidate $n_t$, which reads $h_{t-1}$. Every LSTM unit keeps at least a sixth ($f$ above 1/6 on average). "
     "In the bars: both keep least at a new line."),
    ("Write: coupled or free", dict(pair="write"),
     "The GRU's 1 − z is the mirror image of its z; the LSTM's input gate is free. The caption under the "
     "heatmaps counts how often the LSTM keeps and writes at once."),
    ("A name it never saw", dict(passage=OWN, text="Enter Gandalf and Frodo.\n\nGANDALF.\nRun, Frodo! Frodo, run!\n"),
     "Hover the surprise at each “Frodo”: the second and third cost about as many bits as the first, 21–27 for "
     "the five letters each time. A character model this size does not copy a new name it has just read."),
]

# The question's answers by the kind whose h freezes ("both", "neither" when none or both do)
ANSWERS = {"gru": "Only the GRU's", "lstm": "Only the LSTM's", "both": "Both", "neither": "Neither"}


def frozen_span(n: int) -> tuple[int, int]:
    """The characters [lo, hi) the question freezes: from the middle of the text, at most 60."""
    return n // 2, min(n, n // 2 + 60)


def question(lo: int, hi: int) -> str:
    return (f"For characters {lo + 1} to {hi}, stop both models writing to their memory: every GRU unit's update "
            "gate z = 1, every LSTM unit's forget gate f = 1 and input gate i = 0. Whose hidden state h stops "
            "changing?")


def reveal(moved: dict[str, dict[str, float]], frozen_below: float) -> tuple[int, str]:
    """(index of the right answer in ANSWERS, explanation) from how far each model's h moved (compare.drift)."""
    frozen = [k for k in ("gru", "lstm") if moved[k]["h"] < frozen_below]
    truth = "both" if len(frozen) == 2 else frozen[0] if frozen else "neither"
    return list(ANSWERS).index(truth), (
        "The GRU's $h$ " + ("did not move at all" if moved["gru"]["h"] == 0 else
                            f"moved by {moved['gru']['h']:.0e} (float rounding)")
        + ": with $z_t = 1$, $h_t = h_{t-1}$, because its memory *is* its output. The LSTM's cell state froze "
        f"too, but its $h$ moved by up to {moved['lstm']['h']:.2f}: "
        "$h_t = o_t \\odot \\tanh(c_t)$, and the output gate $o_t$ still follows the text, showing different "
        "parts of a fixed memory.")


def gate_means_said(means: dict, labels: dict[str, str]) -> str:
    """Under the averaged-gates chart: each model's gate averaged over its units and the whole text, and its
    range along the text (`means`: kind → (T,) unit means; `labels`: kind → the gate's name). Plain text."""
    said = [f"the {kind.upper()}'s {labels[kind]} averages {float(np.mean(m)):.2f} (from {float(np.min(m)):.2f} "
            f"to {float(np.max(m)):.2f} along the text)" for kind, m in means.items() if len(m)]
    return ("Averaged over all units: " + "; ".join(said) + ".") if said else "No reading to average."
