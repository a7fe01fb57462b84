"""What the BPTT page says to the student: its intro, the words around each section, the "what to try"
notes and the predict-then-reveal question. Plain strings and small functions (no streamlit); the
equations themselves come from bptt_lesson.EQUATIONS, next to the code that computes them.
"""
from __future__ import annotations

from rnnviz.topics.bptt import compute as bl


INTRO = (
    "A small recurrent network reads a sequence and at **every** step predicts the next value, so every "
    "step has its own loss $L_t$. The same weights serve every step, so their gradient collects a share from "
    "every step: the backward pass walks from the last step $T$ back to step 1, and at each $h_t$ the gradient "
    "of that step's own loss meets the gradient arriving from the future. Every number is computed live.")


# The controls' help (their tooltips), by the control's key; "step" is the backward pass's stepper.
HELP = {
    "cell": "rnn: h_t = tanh(W_ih x_t + W_hh h_{t−1} + b). lstm and gru add gates; the LSTM a cell state.",
    "source": f"sine: a sine wave, period {bl.SINE_PERIOD}. steps: a square wave holding each level {bl.STEPS_HALF} "
              "steps (predicting the flip needs memory). typed: numbers you type.",
    "seq": f"{bl.MIN_NUMBERS} to {bl.MAX_T + 1} numbers between −{bl.MAX_ABS:g} and {bl.MAX_ABS:g}, separated by "
           f"commas or spaces (at most {bl.MAX_CHARS} characters).",
    "T": "How many steps the model predicts (it reads T values and is scored on the next one each time).",
    "H": "The size of h_t. Small, so the vectors below fit on a line.",
    "train": f"Adam steps (learning rate {bl.LEARNING_RATE}) on this very sequence, so the predictions are not pure "
             "noise. 0: the seeded random weights.",
    "seed": "Seeds the weights; the same seed gives the same picture.",
    "k": "Sliding window: each step's loss sends its gradient back k steps. Chunks: the sequence is cut every k "
         "steps (h.detach()). ∂L/∂W_hh is complete at k = T; a sliding window lets every loss reach h₀ from "
         "k = T + 1.",
    "step": "Where the backward pass is: it starts at the last step T and ends at step 1.",
}


def forward_summary(lesson: bl.Lesson) -> str:
    """The forward chart's one-sentence summary, from the lesson (the automatic one read the error
    segments' end points as if they were errors)."""
    err = lesson.y - lesson.target
    i, j = int(abs(err).argmax()), int(lesson.losses.argmax())
    return (f"Forward: targets x₂ … x_{lesson.T + 1} and predictions y₁ … y_{lesson.T}; total loss L = "
            f"{lesson.total_loss:.4g}. The largest error is y_{i + 1} − x_{i + 2} = {err[i]:.3g} at step {i + 1}; "
            f"the largest loss L_{j + 1} = {lesson.losses[j]:.3g}.")


def forward_lead(name: str, H: int, T: int) -> str:
    return (f"The {name} (H = {H}) reads $x_1, \\dots, x_{{{T}}}$; after each value it guesses the next one "
            "through a linear readout, and is scored by a squared error:")


BACKWARD_LEAD = ("The gradient reaching $h_t$ has two parts: $\\ell_t$, sent by the step's own loss, and what "
                 "arrives **from the future**, through step $t+1$, carrying the losses of every later step:")
SHARE_LEAD = "$W_{hh}$ is used at every step, so its gradient is a sum with one share per step:"


def backward_notice(lesson: bl.Lesson) -> str:
    """What to notice in the backward pass, with how often the future's part grew or shrank, measured."""
    gains = lesson.passing_gains()
    grew, shrank = int((gains > 1).sum()), int((gains < 1).sum())
    return (
        "**What to notice.** At $t = T$ nothing arrives from the future: $\\delta h_T = \\ell_T$. Walking left, "
        "the future's part carries more and more later losses. At each step it is multiplied by the transposed "
        "Jacobian of the step it passes through (for the RNN $W_{hh}^{\\top}$ and the tanh derivatives; the gated "
        "cells add their gates), "
        f"which can shrink it or grow it: here it grew at {grew} and shrank at {shrank} of the {len(gains)} steps "
        "back. Each step adds its share to $\\partial L/\\partial W_{hh}$; the orange running sum reaches the "
        "full gradient exactly at $t = 1$.")


TRUNCATION_LEAD = (
    "Long sequences make the backward pass long and memory-hungry, so training often **truncates** it at $k$ "
    "steps. There are two ways to do it, and they keep different pieces of $\\partial L/\\partial W_{hh}$:\n\n"
    "- **Sliding window** (Williams & Peng's BPTT(k), 1990: the window moves with each loss): every loss $L_s$ "
    "sends its gradient back "
    "exactly $k$ states, to $h_s, \\dots, h_{s-k+1}$. It throws away every piece that had to travel $k$ steps "
    "or more (left chart).\n"
    "- **Chunks + detach** (what a PyTorch training loop does with `h = h.detach()` every $k$ steps): the "
    "sequence is cut into chunks of $k$ steps and each loss reaches back only to the start of its chunk, the "
    "chunk's first loss 1 step, its last loss $k$ steps. So it keeps only some of what the sliding window of "
    "the same $k$ keeps.")

CHUNK_CODE = """h = h0                                   # the initial state
for a in range(0, T, k):                 # chunks of k steps
    loss = 0
    for t in range(a, min(a + k, T)):
        h = cell(x[t], h)
        loss = loss + 0.5 * (readout(h) - x[t + 1]) ** 2
    loss.backward()                      # this chunk's gradient (added up here, weights held fixed)
    h = h.detach()                       # the next chunk starts from h, cut from the graph"""


def window_note(T: int) -> str:
    """What each k keeps, exactly (held by tests/core/test_bptt.py and tests/topics/bptt/test_bptt_lesson.py)."""
    return (f"This sequence has T = {T} steps. A sliding window of k keeps, for each loss, its last k uses of "
            f"W_hh: k = 1 only the step's own; k = {T} every piece of ∂L/∂W_hh (and of ∂L/∂W_ih and the biases), "
            f"so the weights' gradient is complete. Only ∂L/∂h₀, the gradient of the initial state, still misses "
            f"the last loss at k = {T}; k = {T + 1} lets every loss reach h₀, which matters only when h₀ is learnt. "
            f"Chunks of k ≥ {T} are one chunk: full BPTT, h₀ included.")


# ----- what to try: the numbers in the notes are measured on each preset's own configuration -------------
PRESETS = {
    "cut": ("Cut hard: k = 1", dict(k=1)),
    "memory": ("Memory task: square wave, trained LSTM", dict(source="steps", cell="lstm", train=200)),
    "untrained": ("Untrained: 0 training steps", dict(train=0)),
    "long": ("A long sine: T = 40, H = 16, trained", dict(T=40, H=16, train=200)),
}
CONFIG_KEYS = {"cell": "kind", "source": "source", "T": "T", "H": "H", "train": "train_steps", "seed": "seed"}


def preset_config(name: str) -> bl.LessonConfig:
    """The lesson a preset shows: its overrides, every other control at its default (k is not part of it)."""
    return bl.LessonConfig(**{CONFIG_KEYS[key]: v for key, v in PRESETS[name][1].items() if key in CONFIG_KEYS})


def _times(x: float) -> str:
    return f"{x:.0%}" if x < 1 else f"{x:.2g}×"


def experiments(measured) -> list[tuple[str, dict, str]]:
    """The "what to try" rows; `measured(name)` returns the Lesson of preset `name`'s configuration (the
    page passes its cached run). The presets that train for 200 steps quote no number: their notes say
    where to look, and the one the question is about says so."""
    cut = measured("cut")
    cos, ratio = (float(a[0]) for a in bl.truncation_curve(cut))
    why = (": longer than the full gradient, because the far-travelled pieces it drops pointed partly against "
           "the rest" if ratio > 1 else "")
    untrained = measured("untrained")
    parts = untrained.part_norms()
    local_wins = int((parts["local"] > parts["future"]).sum())
    b = PRESETS
    return [
        (*b["cut"], "Each loss now updates $W_{hh}$ only through its own step (both schemes agree at $k = 1$). "
                    f"Here the cosine to the full gradient is {cos:.3f} and the length ×{ratio:.2f}{why}."),
        (*b["memory"], "Predicting when the wave flips needs the last 4 inputs: after 4 equal values it flips. "
                       "Open “Truncated BPTT” below and look at its distance chart: how much of $\\partial L/\\partial W_{hh}$ travelled 3 steps "
                       "or more? The question below is about this: predict first."),
        (*b["untrained"], f"Untrained, the total loss is {untrained.total_loss:.3g} (the default "
                          f"{bl.LessonConfig.train_steps} training steps bring it to {cut.total_loss:.3g}). In the "
                          "backward charts compare $\\ell_t$ (red) with what "
                          f"arrives from the future (purple): the local loss is the bigger part at {local_wins} of "
                          f"{len(parts['local'])} steps."),
        (*b["long"], "Play the backward pass: the running sum climbs far above the dashed line, then falls back "
                     "onto it as the pass reaches the first steps, whose shares cancel most of what the later "
                     "steps added."),
    ]


ANSWERS = ["The trained one", "The untrained one", "Neither: both keep a cosine above 0.99"]
WINDOW = 3          # the question's truncation window
TRAINED = 200       # ... and how long the trained network trained


def question(name: str) -> str:
    return (f"Same sequence, same {name}: one untrained, one trained for {TRAINED} steps. With a sliding window "
            f"of k = {WINDOW}, whose truncated ∂L/∂W_hh points further away from its full gradient?")


def reveal(untrained: bl.Lesson, trained: bl.Lesson) -> tuple[int, str]:
    """(index of the right answer, explanation) from the two lessons, measured: their cosines (truncated
    vs full) and how much of each gradient travelled WINDOW steps or more."""
    cu, ct = (bl.truncation_cosine(x, WINDOW) for x in (untrained, trained))
    fu, ft = (x.far_share(WINDOW) for x in (untrained, trained))
    right = 2 if min(cu, ct) > 0.99 else (0 if ct < cu else 1)
    said = (f"With a sliding window of k = {WINDOW} the cosine is {cu:.3f} untrained and {ct:.3f} after {TRAINED} "
            f"steps. The part of ∂L/∂W_hh that travelled {WINDOW} steps or more, which the window throws away, is "
            f"{_times(fu)} of the full gradient's norm untrained and {_times(ft)} trained. ")
    if right == 2:
        return right, said + ("Here the far-travelled part is small either way. Try the square wave (steps), "
                              "which needs the last 4 inputs, or a longer T.")
    if (right == 0) == (ft > fu):
        return right, said + ("The network whose gradient travels further loses more to a short window: " +
                              ("training taught it to lean on longer paths." if right == 0 else
                               "here that is the untrained one."))
    return right, said + ("The far-travelled part alone does not decide it here: what matters is how it points "
                          "against the rest.")


def so_far_said(lesson: bl.Lesson, t: int) -> str:
    """Under the backward-pass chart at step t: δh_t and its two parts, measured (issue 22: a person's sentence
    under the chart; the automatic summary went into "The numbers")."""
    parts = lesson.part_norms()
    i = t - 1
    local, future, dh = (float(parts[k][i]) for k in ("local", "future", "dh"))
    if t == lesson.T:
        return (f"At t = {t}, the last step, the gradient reaching h_{t} is its own loss's alone: "
                f"‖δh_{t}‖ = {dh:.3g}. Step back to see the future's part arrive.")
    bigger = "its own loss" if local > future else "the future"
    return (f"At t = {t} the gradient reaching h_{t} is ‖δh_{t}‖ = {dh:.3g}: {local:.3g} from its own loss and "
            f"{future:.3g} from the future (the later steps); the bigger part comes from {bigger}.")
