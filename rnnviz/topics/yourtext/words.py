"""What the "Your text" page says: its lead, the controls' help, the question and its measured answer.

Every number in a sentence here comes from the student's own run or text (the reveal reads the run's
checkpoints); nothing is promised about a text nobody has seen.
"""
from __future__ import annotations

LEAD = ("Paste any text (song lyrics, a poem, your language, code) and press **Train**: a character model "
        "learns to continue it in front of you.")

HELP = {
    "source": "Where the text comes from: typed or pasted, a file (UTF-8 text), or one of the examples.",
    "cell": "The recurrent cell: LSTM and GRU have gates that decide what to keep; the plain RNN has none.",
    "hidden": "Hidden units: the size of the model's memory h_t (and of its weights, ~4·H·(V+H) for an LSTM).",
    "seconds": "How long it trains. A class shares the server, so a training is short and runs at low priority.",
    "temp": "Temperature τ of the sample written below: low τ keeps to the model's favourites, high τ takes "
            "risks (the Text generation page shows it step by step).",
}

QUESTION = ("Before you train: will the model beat counting pairs of letters (the bigram baseline: each "
            "character guessed from the one just before it) on the held-out end of your text?")
ANSWERS = ["No: in this short time it stays above the bigram baseline",
           "Yes, within the first third of its training time",
           "Yes, but only in the last two thirds of its training time"]


def reveal(checkpoints: list, bigram: float, seconds: float, training: bool) -> tuple[int | None, str]:
    """The answer, measured on the student's run: (index into ANSWERS, why), or (None, what to do first)."""
    if not checkpoints:
        return None, "Train a model first: the answer is measured on your own run."
    below = next((c for c in checkpoints if c.val_bpc < bigram), None)
    if below is None:
        if training:
            return None, (f"Still training: so far its best held-out score is "
                          f"{min(c.val_bpc for c in checkpoints):.2f} bits per character, the bigram baseline "
                          f"{bigram:.2f}. The answer appears by itself when it ends.")
        return 0, (f"After {checkpoints[-1].seconds:.0f} s it scored {checkpoints[-1].val_bpc:.2f} bits per "
                   f"character on the held-out text, the bigram baseline {bigram:.2f}: one character of context, "
                   "counted exactly, still beats what the network learned in this time. More time, a larger "
                   "model or a longer text usually change that.")
    index = 1 if below.seconds <= seconds / 3 else 2
    return index, (f"It went below the bigram baseline ({bigram:.2f} bits per character) after "
                   f"{below.seconds:.0f} s of its {seconds:.0f} s (step {below.step:,}: {below.val_bpc:.2f}). "
                   "From then on it uses more than the last character: its state h_t carries the word so far.")


# "What to try": (label, the controls it sets, what to look at). Questions, not outcomes: each run is the
# student's own, on their text, and what it shows is measured there.
PRESETS = [
    ("The plain RNN: no gates", {"cell": "rnn"},
     "Train it and compare its held-out line with the LSTM's: where does each cross the bigram baseline?"),
    ("A small memory: 32 units", {"hidden": "32"},
     "Fewer units, less to remember with: does it still get below the bigram baseline, and when?"),
    ("Code instead of a play", {"source": "example", "example": "Python code (argparse.py)"},
     "Its baselines are printed before you train: which one is the hardest to beat here, and what does the "
     "sample learn first: indentation, keywords or brackets?"),
]
