"""What the "Your series" page says: its lead, the controls' help, the question and its measured answer.
Every number comes from the student's own series and run."""
from __future__ import annotations

from rnnviz.topics.yourseries import verdict as v

LEAD = ("Upload a series of your own (a CSV: temperatures, steps a day, prices, sales) and press **Train**: a "
        "small recurrent network (a GRU) learns to forecast its next value, in front of you.")

HELP = {
    "source": "Where the series comes from: a CSV file of yours, or one of the examples.",
    "hidden": "Hidden units of the GRU: the size of its memory h_t.",
    "seconds": "How long it trains. A class shares the server, so a training is short and runs at low priority.",
}

QUESTION = ("Before you train: on the held-out end of your series, will the network's forecast of the next value "
            "beat the naive forecast (the next value = the last one)?")
ANSWERS = ["Yes, clearly: at least 10 % lower error", "About the same: within 10 %",
           "No: the naive forecast is better by more than 10 %"]


def reveal(rmse: dict | None, training: bool) -> tuple[int | None, str]:
    """(index into ANSWERS, why) from the run's verdict, or (None, what to do first)."""
    if rmse is None:
        return None, ("Train first: the answer is measured on your own series." if not training else
                      "Still training: the answer appears by itself when it ends.")
    model, naive = rmse[v.MODEL_ONE], rmse[v.NAIVE_ONE]
    ratio = model / naive if naive > 0 else float("inf")
    index = 0 if ratio <= 0.9 else 1 if ratio < 1.1 else 2
    return index, (f"One step ahead on the held-out part the network's error (RMSE) is {model:.4g}, the naive "
                   f"forecast's {naive:.4g}: {ratio:.0%} of it. A series whose next value is mostly its last one "
                   "leaves little to learn; a season or a rhythm gives the network something to remember.")


# "What to try": (label, the controls it sets, what to look at); questions, not outcomes (each run is measured).
def presets(examples: tuple[str, ...]) -> list:
    """The presets, naming the built-in examples by their titles (data.EXAMPLES)."""
    by = {word: next((e for e in examples if word in e.lower()), None) for word in ("co₂", "visitors")}
    items = []
    if by["co₂"]:
        items.append(("A trend and a season: CO₂", {"source": "example", "example": by["co₂"]},
                      "The page says which way the network reads it (values or steps) and why: watch the free run "
                      "against the last value held."))
    if by["visitors"]:
        items.append(("A weekly rhythm: museum visitors", {"source": "example", "example": by["visitors"]},
                      "Before you train: which baseline is harder to beat here, the naive or the seasonal one?"))
    items.append(("A bigger memory: 64 units", {"hidden": "64"},
                  "Twice the units: does the held-out error go lower, or does it start rising sooner?"))
    return items
