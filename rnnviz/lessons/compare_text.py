"""What the GRU-vs-LSTM page says to the student: its intro, the words around each section, the "what to
try" notes and the predict-then-reveal question. Plain strings and small functions, no streamlit.
"""
from __future__ import annotations

MODELS = {"gru": "char_gru", "lstm": "char_lstm"}
OWN = "your own text"
FIRST = "Hamlet: the opening watch"
DEFAULT_TEXT = "HAMLET.\nAlas, poor Yorick! I knew him, Horatio: a fellow of infinite jest.\n"

INTRO = (
    "Two character-level language models, trained the same way on the same Shakespeare (Hamlet and Macbeth "
    "held out), read the same text and predict each next character. One is an **LSTM** (input, forget and "
    "output gates and a separate cell state $c_t$), the other a **GRU** (a reset and an update gate, and one "
    "state $h_t$). They were sized to about the same number of parameters, so differences come from the "
    "cell, not the budget. Compare which gates close where, how each keeps its memory, and who is less "
    "surprised by the text.")
READOUT = ("Both read a one-hot character $x_t$ and predict the next one from $h_t$ with the same read-out "
           "$\\mathrm{softmax}(W_y h_t + b_y)$. σ squashes to (0, 1): a gate near 1 lets through, near 0 blocks.")
COLOURS = ("Orange keeps the past, sky blue writes new values (for the GRU that is 1 − z), yellow and dark "
           "blue decide what of the past the next step sees. Averages over all units hide a lot: the "
           "heatmaps show single units doing very different things.")
STATES_LEAD = ("The LSTM keeps two vectors: the cell state $c_t$, its memory, a running sum that can grow beyond "
               "±1, and $h_t = o_t \\odot \\tanh(c_t)$, the part it shows to the read-out and to its gates. The GRU "
               "merges them: its one $h_t$ is both its memory and its output, always inside (−1, 1).")
STATES_NOTE = ("**The GRU's $h_t$** is memory and output in one: what it keeps for later is exactly what the "
               "read-out and the gates see now. **The LSTM** (right) can hold a large value in $c_t$ while showing "
               "little of it in $h_t$ (a closed output gate), and show it later. Compare the colour scales: "
               "$c_t$ goes beyond ±1, both $h_t$ stay inside.")
PARAMETERS_LEAD = ("Every gate block has its own input weights $W_{i\\cdot}$ ($H \\times V$), recurrent weights "
                   "$W_{h\\cdot}$ ($H \\times H$) and two biases ($H$ each): $H\\,(V + H + 2)$. The LSTM has four "
                   "blocks, the GRU three; the read-out $W_y$ ($V \\times H$) and $b_y$ ($V$) add $V\\,(H + 1)$.")
VALIDATION_NOTE = ("Bits per character: the average surprise over 277,374 held-out characters. The baselines "
                   "predict from letter frequencies alone (unigram) or from the previous character (bigram); "
                   "everything below the bigram bar the models learned from longer context.")


def keep_and_write(share: float) -> str:
    return (f"On this text the LSTM keeps *and* writes ($f_t > 0.8$ and $i_t > 0.8$) in {share:.0%} of its "
            "unit-steps. A GRU unit never can: $z_t$ and $1 - z_t$ cannot both exceed 0.5.")


def budget_note(vocab: int) -> str:
    return (f"V = {vocab} characters in the alphabet. A GRU unit costs three blocks instead of four, so for the "
            "same budget the GRU gets more units (296 vs 256).")


# (button label, the controls it sets, what to look for): ui.experiments sets every other control to its default
EXPERIMENTS = [
    ("Speakers' names: the witches", dict(passage="Macbeth: the witches"),
     "Hover the surprise chart at each name: the first letter after a blank line costs about 4 bits, the rest of "
     "FIRST almost nothing, the W of WITCH 6–8 bits every time (neither remembers who spoke before), and the line "
     "break after the name 0 bits: both learned that a speaker's name ends its line."),
    ("Who keeps the most?", dict(pair="keep", order="mean"),
     "Units ordered by their mean: the top rows keep the most. Most GRU units have z near 0: they rewrite "
     "themselves at every character, and their memory travels through the candidate $n_t$, which reads "
     "$h_{t-1}$. Every LSTM unit keeps something. In the bars: both forget most at a new line."),
    ("Write: coupled or free", dict(pair="write"),
     "The GRU's 1 − z is the mirror image of its z; the LSTM's input gate is free. The caption under the "
     "heatmaps counts how often the LSTM keeps and writes at once."),
    ("A name it never saw", dict(passage=OWN, text="Enter Gandalf and Frodo.\n\nGANDALF.\nRun, Frodo! Frodo, run!\n"),
     "Hover the surprise at each “Frodo”: the second and third are hardly easier than the first. A character "
     "model this size does not copy a new name it has just read."),
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
