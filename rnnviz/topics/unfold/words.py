"""What the Unfolded-RNN page says to the student: its intro, the controls' help, captions, "what to try" notes
(PRESETS) and its predict-then-reveal question. Plain strings and small functions (no streamlit), so the page reads as
the lesson's outline and the words can be checked against the numbers they quote.
"""
from __future__ import annotations

from rnnviz.topics.unfold.compute import MAX_LAYERS, MAX_STEPS, Reach

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

INTRO = (
    "A recurrent network reads a sequence one element at a time. **Unfolding** it draws one copy of the "
    "cell per time step: copy $t$ reads the input $x_t$ and the previous state $h_{t-1}$, and hands its new "
    "state $h_t$ to the next copy. Every copy is the *same* cell with the *same* weights. Step through "
    "your sequence and read each equation with the numbers the cell really computes at that step.")

INTERVENE = ("Force one gate of one unit to 0 or 1 at one step, and compare every state with the free run. "
             "Nothing before that step can change; everything after it can.")
INTERVENE_DEEP = (" In this {L}-layer stack the gate is layer 1's, and the chart shows layer 1's states; the layers "
                  "above read them, so the change reaches them too (step through the clamped run to see it).")
NO_GATES = "A vanilla RNN has no gates to clamp: choose the LSTM or the GRU in the sidebar."
SQUARES = ("Squares: −1 blue, 0 white, +1 red (beyond ±1 stays full colour); hover one for 4 decimals. "
           "The equations round to 2.")
PATH = ("**The path of the hidden state.** Each point is $h_t$ (its first two units) after reading one more "
        "input; the line joins them in reading order. The state ($h_t$, and for the LSTM also its cell state "
        "$c_t$) is the network's whole memory of the sequence so far: where it goes next depends on the next "
        "input *and* on where it is.")

# The controls' help (their tooltips), by the control's key; "t" is the stepper's.
HELP = {
    "cell": "rnn: one tanh layer. lstm: input, forget and output gates and a cell state c_t. gru: reset and update "
            "gates, no separate cell state.",
    "H": "The size of h_t. Small, so every number stays readable.",
    "input": "text: your word or sentence, one character per step. numbers: your own list. sine, steps, random: a "
             "generated sequence of length T.",
    "text": f"One step per character, at most {MAX_STEPS}; letters a–z, space and . , ! ? ' (capitals read as small "
            "letters; anything else as one 'unknown' symbol).",
    "numbers": f"Separated by commas or spaces, e.g. 1, 0, 2, 5; at most {MAX_STEPS}, each within ±100.",
    "T": "How many steps to generate.",
    "layers": f"Stack L layers (1–{MAX_LAYERS}): layer 1 reads x_t, every layer above reads the h_t of the layer below, and each "
              "has its own weights. The diagram becomes a grid, time along and depth up.",
    "seed": "Seeds the weights (and the random input): same seed, same numbers.",
    "gate": "LSTM forget: how much of c_{t-1} is kept. GRU update: how much of h_{t-1} is kept.",
    "unit": "Which hidden unit's gate is forced.",
    "at": "The one step at which the gate is forced.",
    "to": "0: shut the gate. 1: open it fully.",
    "clamped": "Step through the clamped run (diagram, equations, path) instead of the free one.",
    "t": "Which step to show. Play walks forward one step at a time and stops at T.",
}


def same_cell(count: int) -> str:
    """The caption under the unrolled diagram."""
    # subscripts as characters, not LaTeX: the caption is redrawn at every step, and typesetting costs the browser
    return (f"Every box is the same cell: **W** is the same Wᵢₕ, Wₕₕ and biases ({count} numbers) "
            "in every copy. Solid boxes have read their input, dotted ones not yet; above each solid box, the "
            "units of its hₜ (blue −1, white 0, red +1).")


def same_stack(formulas: list[tuple[str, int]]) -> str:
    """The caption under a stacked diagram: each row its own weights, the count per layer (from the Stack).
    Sub- and superscripts as characters, as in same_cell."""
    (first, n1), rest = formulas[0], formulas[1:]
    above = rest[0][0] if rest else ""
    return (f"Every box in row l is the same cell with its own weights **W**⁽ˡ⁾, reading hₜ₋₁ from its "
            f"left and the hₜ of the row below (xₜ for row 1). Layer 1 has {first.split(' = ')[1]} = {n1} "
            f"parameters, each of the {len(rest)} layer{'s' if len(rest) != 1 else ''} above "
            f"{above.split(' = ')[1]} = {rest[0][1]}: {sum(n for _, n in formulas)} in all.")


def stacked_step(t: int, T: int, L: int, label: str, clamped: str) -> str:
    """The line over a stacked network's step: what each row's copy at step t reads (label escaped). Subscripts
    as characters, not LaTeX: the line is redrawn at every step, and typesetting costs the browser."""
    now, before = (str(k).translate(_SUB) for k in (t, t - 1))
    return (f"**Step {t} of {T}{clamped}**: layer 1 reads x{now} = “{label}” and its own h{before}; each of the "
            f"{L - 1} layer{'s' if L > 2 else ''} above reads the h{now} just computed below it and its own "
            f"h{before}, and computes, line by line:")


def clamp_effect(at: int, first: int | None, dh_first: float, dh_last: float, T: int, gate: str = "") -> str:
    """The caption under the intervention chart: where the clamped run starts to differ, and by how much
    (the numbers measured, the exact zeros held by tests/topics/unfold/test_unfold.py)."""
    if first:
        return (f"Before step {at} every difference is exactly 0. From step {first} on the states differ: by up "
                f"to {dh_first:.2g} at step {first}, and {dh_last:.2g} at the last step, T = {T}.")
    why = (": at step 1 the forget gate multiplies c₀ = 0, so there is nothing to forget yet." if gate == "forget"
           and at == 1 else ": the forced value leaves every state as it was.")
    return f"Before step {at} every difference is exactly 0. Nothing changes at all{why}"


def shared_weights(name: str, formula: str, count: int) -> str:
    return (f"Every copy in the diagram holds the same $W$ (the bold **W**): this {name} has {formula} = "
            f"**{count}** parameters, however long the sequence (G gate blocks of H rows, each reading I inputs "
            "and H states, plus 2 biases: PyTorch keeps two bias vectors, $b_{ih}$ and $b_{hh}$, where the "
            "textbook writes one, their sum). A network with its own weights for each position would grow "
            "with $T$:")


def stacked_weights(name: str, formulas: list[tuple[str, int]]) -> str:
    """The weights of a stack, layer by layer (formulas from compute.layer_parameters)."""
    rows = "\n".join(f"- layer {k}: {f} = **{n}**" for k, (f, n) in enumerate(formulas, start=1))
    return (f"Each layer of this {len(formulas)}-layer {name} has its own weights, the same at every step. Layer 1 "
            "reads the I inputs; each layer above reads the H states of the layer below instead:\n\n" + rows +
            f"\n\n**{sum(n for _, n in formulas)}** in all (torch.nn's num_layers = {len(formulas)} module has the "
            "same), however long the sequence. A network with its own weights for each position would grow with $T$:")


def weights_table(name: str, count: int, T: int) -> dict[str, list[int]]:
    """Shared weights against one set per step, at a short, this and the longest sequence."""
    lengths = [2, T, MAX_STEPS]
    return {"sequence length T": lengths, f"{name}, shared weights": [count] * 3,
            "separate weights per step": [n * count for n in lengths]}


# (button label, the controls it sets, what to look for): ui.experiments sets every other control to its default
# The notes say where to look, not what happens: the question below asks how far a change travels, and
# these experiments are the same question in other forms.
PRESETS = [
    ("An impulse: 0 0 0 5 0 0 …", dict(input="numbers", numbers="0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0"),
     "Step to the 5 and on, and watch the path chart: does the state go back to where it was before the 5, "
     "and how fast?"),
    ("The same word twice", dict(text="hello hello"),
     "The second “hello” reads the same letters as the first but starts from a different h. Compare the two "
     "“h”s, then the two “o”s (hover the squares above the boxes): how close do they come?"),
    ("LSTM: shut the forget gate", dict(cell="lstm", text="the cat sat on the mat", gate="forget", at=6,
                                       to="0", clamped=True, t=6),
     "At step 6 unit 1 drops its whole memory: with f₆ = 0, c₆ = i₆ ⊙ g₆. Open the f and c tabs, then step "
     "on and compare with the free run in the intervention chart."),
    ("Three layers deep", dict(layers=3, t=3),
     "Each row is a layer with its own W. Open “Each line of this step” and pick layer 2: its x_t is layer 1's h_t. "
     "Then press Next: in which order do the boxes of the new column fill in?"),
]

# The question's answers, in the order shown; Reach.answer names the right one.
ANSWERS = {"first": "Only h₁: from step 2 on the cell reads exactly the same inputs",
           "all": "Every h_t, from h₁ to the last one",
           "some": "The first few, then the difference is exactly zero"}


def question(change: str) -> str:
    """`change` is already escaped for markdown (it may quote a typed character)."""
    return f"Change only {change} and read again with the same weights. Which hidden states change?"


def reveal(reach: Reach) -> tuple[int, str]:
    """(index of the right answer in ANSWERS, the explanation with the measured numbers). Each h_t is
    computed from h_(t−1), so in exact arithmetic x₁ reaches every later state; float64 keeps about 16
    digits of h_t, so a difference that shrinks below that rounds to exactly 0 (a long run of zeros after
    a saturating input does it)."""
    T, dh = len(reach.dh), reach.dh
    moved = int((dh > 0).sum())
    said = f"{moved} of {T} states changed: ‖Δh₁‖ = {dh[0]:.3g}, ‖Δh_T‖ = {dh[-1]:.3g}. "
    if reach.answer == "all":
        return list(ANSWERS).index("all"), said + (
            "Each h_t is computed from h_(t−1), so x₁ reaches every later state, through the same W_hh at every "
            f"step" + (f": here ‖Δh_T‖ is {dh[-1] / dh[0]:.2g} × ‖Δh₁‖." if dh[0] > 0 else "."))
    zero = reach.zero_from
    return list(ANSWERS).index(reach.answer), said + (
        f"From step {zero} on the difference is exactly 0. In exact arithmetic x₁ would reach every later state "
        "(each h_t is computed from h_(t−1)); here the difference shrank below what float64 can hold beside "
        "h_t, about 1e−16 of it, and rounded away.")
