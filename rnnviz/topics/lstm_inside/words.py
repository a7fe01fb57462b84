"""What the LSTM-inside page says to the student: its intro, the controls' help, the words around each section,
the "what to try" notes (built from the numbers they quote) and the predict-then-reveal question. Plain strings
and small functions, no streamlit.
The fixed sentences that state a number or a behaviour of the shipped model are held by
tests/topics/lstm_inside/test_words_lstm_inside.py (docs/claims/lessons-c.md).
"""
from __future__ import annotations

import math

import numpy as np

from rnnviz.shared import charlm
from rnnviz.shared.charlm import MAX_CHARS

MODEL = "char_lstm"
OWN = "your own text"
FIRST = "Hamlet: To be, or not to be"           # the passage the page opens on (when the model ships it)
STAGE_SCENE = "Macbeth: the witches"            # the scene of the stage-directions preset
DEFAULT_TEXT = 'HAMLET.\nWhat do you read, my lord? "Words, words, words."\n[Exit Polonius.]\n'
# The neuron hunt's features: the control's option → neurons.features' name (None: the strongest match)
FEATURES = {"strongest": None, "quotes": 'inside "quotes"', "stage": "inside [stage directions]",
            "column": "position in the line", "vowel": "vowel", "space": "space", "capital": "capital letter",
            "newline": "end of line"}
# Each line of cells.equations("lstm"), in words (beside the equation in the expander)
MEANING = {"input": "input gate: how much of the candidate to write", "forget": "forget gate: how much of the "
           "old cell state to keep", "cell": "candidate: what could be written", "output": "output gate: how much "
           "of the cell to show", "c": "the cell state: the conveyor belt", "hidden": "the hidden state: what the "
           "read-out and the next step see"}

INTRO = (
    "An LSTM with 256 units was trained to predict the next character of Shakespeare. Give it a passage it "
    "never saw, and watch it read, one character at a time: what its **gates** let through, what its **cell "
    "state** remembers, which **units** track something you can name, and what it expects to come next.")
# The page's first words, above its main view (the whole INTRO opens "About this model", below).
LEAD = ("A character-level LSTM trained on Shakespeare reads a passage it never saw. Step through it: "
        "its **gates**, its **cell state** and what it expects next, one character at a time.")
LEAD_YOURS = ("Your own character-level LSTM, trained or loaded on the Your text page, reads a text. Step through "
              "it: its **gates**, its **cell state** and what it expects next, one character at a time.")


# The controls' help (their tooltips), by the control's key; "t" is the stepper's. The unit's depends on the
# model's size: unit_help(H).
HELP = {
    "passage": "Held-out scenes from Hamlet and Macbeth (the model never trained on them), or your own text.",
    "model": "The LSTM shipped with the app (trained on Shakespeare), or the one you trained or loaded on the Your "
             "text page in this browser session.",
    "text": f"Used when the passage is '{OWN}'. The model reads at most {MAX_CHARS:,} characters; any character it "
            "never saw in training is read as one unknown symbol, shown as �.",
    "q": "input, forget, output: the three gates (0 = shut, 1 = open). candidate: g_t, what could be written. "
         "cell: the cell state c_t, the memory. hidden: h_t = o_t · tanh(c_t).",
    "order": "number: 0 at the top. busiest: the units that vary most over this text first. feature: the units "
             "that correlate most with the neuron hunt's feature first.",
    "feature": "strongest: whichever feature some unit tracks best. quotes / stage: inside \"…\" or […]. column: "
               "position in the line. vowel, space, capital, newline: that kind of character.",
    "clamp": "0 wipes the unit's memory at every step; 1 keeps all of it (the cell only adds).",
    "from": "The clamp holds from this step to the end of the text; the steps before it run free.",
    "t": "Which character to look at: the dotted line in the step view, the conveyor belt below it. Play walks "
         "through the text.",
    "prompt": "The model reads this first, then continues it.",
    "temp": "Divides the scores before the softmax: low = safe and repetitive, high = inventive and misspelt, 1 = "
            "the model's own probabilities.",
    "n": "How many characters to sample.",
    "seed": "Seeds the sampling: the same seed gives the same text.",
}


def unit_help(H: int) -> str:
    return (f"One of the {H} hidden units (0 to {H - 1}): the coloured text, the step view, the conveyor belt and "
            "the intervention follow it. The neuron hunt below suggests interesting ones.")


def gates_note(H: int) -> str:
    return ("σ squashes into (0, 1), so a gate is a dimmer: 0 blocks, 1 lets through. ⊙ multiplies unit by "
            f"unit: each of the {H} units has its own gates. $x_t$ is the character as a one-hot vector.")


HEATMAP_NOTE = ("Each column is one character, each row one unit (◀ the unit you follow). Gates: dark = shut, "
                "bright = open. States: red above 0, blue below. Look for rows that switch at line ends or spaces.")
HUNT_HINT = ("A correlation on one passage is a hint, not proof: switch passages and see whether the same "
             "unit wins again (Karpathy, Johnson & Fei-Fei 2015 found quote- and line-length units by looking at "
             "single cells like this).")
INTERVENE = ("Force the forget gate of the unit you follow to one value from a chosen step to the end, run "
             "the same text again, and compare. Everything before that step is untouched.")
WRITE_NOTE = ("Sampled one character at a time from softmax(scores / {temp:g}), each fed back in as the next "
              "input. The prompt is shown first; the rest is the model's.")
EMPTY_PROMPT = "The prompt is empty: the model starts from a new line."


def model_caption(H: int, meta: dict, vocab: int) -> str:
    m = meta["metrics"]
    return (f"{H} units, {meta['parameters']:,} parameters, trained on {meta['data']['train']} of Shakespeare. "
            f"On held-out Hamlet and Macbeth it needs **{m['val_bpc']:.2f} bits per character** (guessing "
            f"by letter frequency: {m['unigram_bpc']:.2f}; by the previous letter: {m['bigram_bpc']:.2f}). "
            + charlm.bpc_definition(vocab))


def line_note(unit: int, passage: str, r: float) -> str:
    return (f"Unit {unit} is the unit whose cell state best follows the position in the line in “{passage}” "
            f"(r = {r:+.2f}): watch it change along each line and jump back at ↵.")


def unit_caption(bpc: float, opening_note: str = "") -> str:
    return ((opening_note + " " if opening_note else "") + f"On this text the model needs {bpc:.2f} bits per "
            "character. Try another unit or quantity at the top; the neuron hunt below finds units worth "
            "following.")


def belt_note(unit: int, t: int) -> str:
    return ("**Why the belt remembers.** Only two things touch the cell state: the forget gate scales it, the "
            "input gate adds to it. No squashing, no matrix. So if nothing new is written, what unit "
            f"{unit} holds after step {t} is still there $k$ steps later times "
            r"$f_{t+1} f_{t+2} \cdots f_{t+k}$: the curve. Forget gates near 1 make a long memory; "
            "one gate near 0 wipes it.")


def hunt_lead(quantity: str) -> str:
    return (f"Each feature below is a number per character; every unit's {quantity} is scored by its "
            "correlation *r* with it (±1: in lockstep, 0: unrelated). Change the quantity at the top to "
            "hunt among gates or states; choose the feature above the heatmap.")


def clamp_effect(first: int | None, dh_max: float, top1_changed: int, T: int, dbpc: float) -> str:
    if first is None:
        return "Nothing changes at all: the unit's forget gate was already at that value."
    how = "worse than" if dbpc > 0 else "better than" if dbpc < 0 else "the same as"
    return (f"The first change is at step {first}. The whole hidden state moves by up to {dh_max:.2f}, "
            f"the likeliest next character changes at {top1_changed} of {T} steps, and the text costs "
            f"{dbpc:+.3f} bits per character ({how} free).")


def about(H: int, vocab: int, meta: dict) -> str:
    return (f"One `nn.LSTM` layer of {H} units over one-hot characters ({vocab} symbols, the first being "
            f"'unknown'), then a linear read-out to the next character. Rebuilt by `{meta['command']}` in "
            f"{meta['minutes']:.0f} minutes on a CPU. Training text: {meta['data']['train']}; held out: "
            f"{meta['data']['validation']}.")


def experiments(keep: dict, stage: tuple[int, float] | None, memory: tuple[int, float, int] | None) -> list:
    """The "what to try" presets: (label, the controls it sets, note[, outcome held until the reveal]). `keep` holds the text being read;
    `stage` (unit, r) is the stage-direction unit of the witches' scene, `memory` (unit, its mean forget
    gate, the text's length) the unit that keeps the most on this text; either may be None (not available)."""
    items = [("Cold: temperature 0.2", dict(temp=0.2, **keep),
              "Most draws (about 6 in 7) are the likeliest character: real words, and phrases that come back."),
             ("Hot: temperature 1.5", dict(temp=1.5, **keep),
              "The distribution flattens: unlikely characters get drawn, and most words are made up.")]
    if stage is not None:
        unit, r = stage
        items.insert(0, ("Find the [stage directions] unit", dict(passage=STAGE_SCENE, feature="stage",
                                                                   order="feature", unit=max(unit, 0)),
                         f"Unit {unit}'s cell state correlates with being inside […] (r = {r:+.2f}) "
                         "in this scene. Does it switch on and off at the brackets?"))
    if memory is not None:
        unit, mean_f, T = memory
        items.insert(1, ("Wipe a long memory: forget gate 0", dict(unit=unit, clamp=0.0, q="cell",
                                                                    **{"from": T // 2, "t": T // 2}, **keep),
                         f"Unit {unit} keeps the most on this text. "
                         "Clamped to 0 halfway, its cell state resets to i·g at every step.",
                         # how open its forget gate is hints at the question (which gate is most open): held
                         f"Its forget gate averages {mean_f:.2f}."))
    return items


# ----- predict, then reveal: which gate is the most open? (answered from the model's own gates)
QUESTION = ("Averaged over every character of this text and all the model's units, which of the three gates is "
            "the most open (closest to 1)?")
ANSWERS = ["The input gate iₜ", "The forget gate fₜ", "The output gate oₜ", "All three within 0.05 of each other"]
GATE_KEYS = ("input", "forget", "output")


LONG = 5          # characters: a unit that keeps half its cell state longer than this has a "long" memory here


def half_life(f: np.ndarray) -> float:
    """Characters until a product of these forget gates (each unit's, per step) falls to a half, at their
    geometric mean: Π f over k steps is g^k, so k = log ½ / log g (inf when g = 1)."""
    g = float(np.exp(np.mean(np.log(np.clip(f, 1e-12, 1.0)))))
    return math.inf if g >= 1.0 else math.log(0.5) / math.log(g)


def reveal(gates: dict, T: int, text: str = "") -> tuple[int, str]:
    """(index of the right answer, explanation) from the reading's gates {name: (T, H) array} and its text."""
    means = {k: float(gates[k].mean()) for k in GATE_KEYS}
    spread = max(means.values()) - min(means.values())
    right = 3 if spread < 0.05 else GATE_KEYS.index(max(means, key=means.get))
    f = gates["forget"]
    lives = np.array([half_life(f[:, u]) for u in range(f.shape[1])])           # (H,) characters
    keeper = int(np.argmax(lives))
    typical = float(np.median(lives))
    lines = [len(line) + 1 for line in text.split("\n")[:-1]] if text else []
    said = ", ".join(f"{k} {v:.2f}" for k, v in means.items())
    line = (f", {'longer' if lives[keeper] > np.mean(lines) else 'shorter'} than this text's average line "
            f"({np.mean(lines):.0f} characters with its ↵)" if lines else "")
    long = int((lives > LONG).sum())
    return right, (f"Mean over {T} characters × {f.shape[1]} units: {said}. A forget gate of "
                   f"{means['forget']:.2f} keeps about {means['forget']:.0%} of a unit's cell state per character: "
                   f"for the median unit, the product of its forget gates falls to a half within "
                   f"{typical:.1f} characters (at their geometric mean)"
                   + (", so most of this LSTM's memory is short. " if typical < LONG else ". ")
                   + f"{long} of the {f.shape[1]} units keep half for more than {LONG} characters; the longest, unit "
                   f"{keeper}, for {lives[keeper]:.0f}{line}. Set *Quantity* to forget and *Order the units* to "
                   "busiest to find them.")


def heatmap_said(acts: np.ndarray, text_read: str, label: str, unit: int) -> str:
    """Under the units × characters map: the followed unit's range, and where it is highest (plain text).
    `acts` is (T, H): one row per character read, one column per unit; `unit` counts from 0, as the page's."""
    col = acts[:, unit]
    t = int(np.argmax(col))
    ch = text_read[t] if t < len(text_read) else ""
    shown = {"\n": "↵", " ": "␣"}.get(ch, ch)
    return (f"{label[:1].upper()}{label[1:]} of all {acts.shape[1]} units over {acts.shape[0]} characters. The unit you follow, {unit}, "
            f"runs from {float(col.min()):+.2f} to {float(col.max()):+.2f}, highest at “{shown}” (character {t + 1}).")
