"""What the Unfolded-RNN page says to the student: its intro, captions, "what to try" notes and its
predict-then-reveal question. Plain strings and small functions (no streamlit), so the page reads as
the lesson's outline and the words can be checked against the numbers they quote.
"""
from __future__ import annotations

from rnnviz.lessons.unfold import MAX_STEPS, Reach

INTRO = (
    "A recurrent network reads a sequence one element at a time. **Unfolding** it draws one copy of the "
    "cell per time step: copy $t$ reads the input $x_t$ and the previous state $h_{t-1}$, and hands its new "
    "state $h_t$ to the next copy. Every copy is the *same* cell with the *same* weights. Step through "
    "your sequence and read each equation with the numbers the cell really computes at that step.")

INTERVENE = ("Force one gate of one unit to 0 or 1 at one step, and compare every state with the free run. "
             "Nothing before that step can change; everything after it can.")
NO_GATES = "A vanilla RNN has no gates to clamp: choose the LSTM or the GRU in the sidebar."
SQUARES = ("Squares: −1 blue, 0 white, +1 red (beyond ±1 stays full colour); hover one for 4 decimals. "
           "The equations round to 2.")
PATH = ("**The path of the hidden state.** Each point is $h_t$ (its first two units) after reading one more "
        "input; the line joins them in reading order. The state is the network's whole memory of the sequence "
        "so far: where it goes next depends on the next input *and* on where it is.")
STEP_HELP = "Which step to show. Play walks forward one step at a time and stops at T."


def same_cell(count: int) -> str:
    """The caption under the unrolled diagram."""
    return (f"Every box is the same cell: **W** is the same $W_{{ih}}$, $W_{{hh}}$ and biases ({count} numbers) "
            "in every copy. Solid boxes have read their input, dotted ones not yet; above each, the units of "
            "$h_t$ (blue −1, white 0, red +1).")


def clamp_effect(at: int, first: int | None, dh_first: float, dh_last: float, T: int) -> str:
    """The caption under the intervention chart: where the clamped run starts to differ, and by how much."""
    return f"Before step {at} every difference is exactly 0. " + (
        f"From step {first} on the states differ: by up to {dh_first:.2g} at step {first}, and "
        f"{dh_last:.2g} at the last step, T = {T}." if first else
        "Nothing changes at all: at step 1 the forget gate multiplies c₀ = 0, so there is nothing to forget yet.")


def shared_weights(name: str, formula: str, count: int) -> str:
    return (f"Every copy in the diagram holds the same $W$ (the bold **W**): this {name} has {formula} = "
            f"**{count}** parameters, however long the sequence. A network with its own weights for each "
            "position would grow with $T$:")


def weights_table(name: str, count: int, T: int) -> dict[str, list[int]]:
    """Shared weights against one set per step, at a short, this and the longest sequence."""
    lengths = [2, T, MAX_STEPS]
    return {"sequence length T": lengths, f"{name}, shared weights": [count] * 3,
            "separate weights per step": [n * count for n in lengths]}


# (button label, the controls it sets, what to look for): ui.experiments sets every other control to its default
EXPERIMENTS = [
    ("An impulse: 0 0 0 5 0 0 …", dict(input="numbers", numbers="0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0"),
     "The state jumps when the 5 arrives and then drifts back, step by step: the RNN's memory of it fades."),
    ("The same word twice", dict(text="hello hello"),
     "The second “hello” reads the same letters but starts from a different h, so its first states differ from "
     "the first “hello”'s. By its last letter they almost agree: the cell has all but forgotten what came before."),
    ("LSTM: shut the forget gate", dict(cell="lstm", text="the cat sat on the mat", gate="forget", at=6,
                                       to="0", clamped=True, t=6),
     "At step 6 unit 1 drops its whole memory: c₆ = i₆ ⊙ g₆. Open the f and c tabs, then step on and watch "
     "the effect fade."),
    ("GRU: freeze a unit", dict(cell="gru", gate="update", to="1", at=4, clamped=True, t=4),
     "With $z_4 = 1$ for unit 1, $h_4 = (1 - z_4) \\odot n_4 + z_4 \\odot h_3$ is just $h_3$: the unit keeps "
     "its value, whatever the input says."),
]

# The question's answers, in the order shown; Reach.answer names the right one.
ANSWERS = {"first": "Only h₁: from step 2 on the cell reads exactly the same inputs",
           "all": "Every h_t, from h₁ to the last one",
           "some": "The first few, then the difference is exactly zero"}


def question(change: str) -> str:
    """`change` is already escaped for markdown (it may quote a typed character)."""
    return f"Change only {change} and read again with the same weights. Which hidden states change?"


def reveal(reach: Reach) -> tuple[int, str]:
    """(index of the right answer in ANSWERS, the explanation with the measured numbers)."""
    T = len(reach.dh)
    return list(ANSWERS).index(reach.answer), (
        f"{(reach.dh > 0).sum()} of {T} states changed: ‖Δh₁‖ = {reach.dh[0]:.3g}, ‖Δh_T‖ = {reach.dh[-1]:.3g}. "
        "Each h_t is computed from h_(t−1), so x₁ reaches every later state, through the same W_hh at every "
        "step, usually fainter and fainter.")
