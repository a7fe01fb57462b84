"""What the BPTT page says to the student: its intro, the words around each section, the "what to try"
notes and the predict-then-reveal question. Plain strings and small functions (no streamlit); the
equations themselves come from bptt_lesson.EQUATIONS, next to the code that computes them.
"""
from __future__ import annotations


INTRO = (
    "A small recurrent network reads a sequence and at **every** step predicts the next value, so every "
    "step has its own loss $L_t$. The same weights serve every step, so their gradient collects a share from "
    "every step: the backward pass walks from the last step $T$ back to step 1, and at each $h_t$ the gradient "
    "of that step's own loss meets the gradient arriving from the future. Every number is computed live.")


def forward_lead(name: str, H: int, T: int) -> str:
    return (f"The {name} (H = {H}) reads $x_1, \\dots, x_{{{T}}}$; after each value it guesses the next one "
            "through a linear readout, and is scored by a squared error:")


BACKWARD_LEAD = ("The gradient reaching $h_t$ has two parts: $\\ell_t$, sent by the step's own loss, and what "
                 "arrives **from the future**, through step $t+1$, carrying the losses of every later step:")
SHARE_LEAD = "$W_{hh}$ is used at every step, so its gradient is a sum with one share per step:"
BACKWARD_NOTICE = (
    "**What to notice.** At $t = T$ nothing arrives from the future: $\\delta h_T = \\ell_T$. Walking left, the "
    "future's part carries more and more later losses, shrunk at each step by the derivatives it passes "
    "through. Each step adds its share to $\\partial L/\\partial W_{hh}$; the orange running sum reaches the "
    "full gradient exactly at $t = 1$.")
TRUNCATION_LEAD = (
    "Long sequences make the backward pass long and memory-hungry, so training often **truncates** it: each "
    "loss sends its gradient back at most $k$ steps. What it throws away is every piece of "
    "$\\partial L/\\partial W_{hh}$ whose gradient had to travel $k$ steps or more (left chart).")


def window_note(T: int) -> str:
    return (f"This sequence has T = {T} steps: k = 1 keeps only each step's own loss, k ≥ {T + 1} keeps "
            "everything. The numbers compare ∂L/∂W_hh with the window to ∂L/∂W_hh without it.")


# (button label, the controls it sets, what to look for): ui.experiments sets every other control to its default
EXPERIMENTS = [
    ("Cut hard: k = 1", dict(k=1),
     "Each loss now updates $W_{hh}$ only through its own step. See the first point of the cosine chart: the "
     "direction changes, and the length can even grow, because far-travelled parts that cancelled are gone."),
    ("Memory task: square wave, trained LSTM", dict(source="steps", cell="lstm", train=200),
     "Predicting when the wave flips needs the last 4 steps. After training, much of $\\partial L/\\partial W_{hh}$ "
     "comes from gradients that travelled 3 or more steps, and $k = 3$ throws it away: the cosine falls far below 1."),
    ("Untrained: 0 training steps", dict(train=0),
     "Big errors everywhere, sent mostly along short paths: $\\ell_t$ is most of $\\delta h_t$ at most steps, "
     "and a window of 3 keeps almost all of $\\partial L/\\partial W_{hh}$."),
    ("A long sine: T = 40, H = 16, trained", dict(T=40, H=16, train=200),
     "Play the backward pass: the running sum climbs far above the dashed line, then falls back onto it "
     "in the last steps, whose shares cancel most of what the later steps added."),
]

ANSWERS = ["The trained one", "The untrained one", "Neither: both keep a cosine above 0.99"]
WINDOW = 3          # the question's truncation window
TRAINED = 200       # ... and how long the trained network trained


def question(name: str) -> str:
    return (f"Same sequence, same {name}: one untrained, one trained for {TRAINED} steps. With a window of "
            f"k = {WINDOW}, whose truncated ∂L/∂W_hh points further away from its full gradient?")


def reveal(untrained: float, trained: float) -> tuple[int, str]:
    """(index of the right answer, explanation) from the two measured cosines (truncated vs full)."""
    right = 2 if min(untrained, trained) > 0.99 else (0 if trained < untrained else 1)
    return right, (
        f"With k = {WINDOW} the cosine is {untrained:.3f} untrained and {trained:.3f} after {TRAINED} steps. "
        + ("Training taught the network to use its memory, and the gradient of a memory has to travel: the "
           "longer the paths the network relies on, the more a short window throws away." if right == 0 else
           "Here the long paths matter little either way: the errors are mostly explained by the last few "
           "inputs. Try the square wave (steps) or a longer T, where memory is needed."))
