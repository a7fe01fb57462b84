"""What the Architectures page says: its intro, the controls' help, a note on each form, the "what to try" notes
(PRESETS) and the predict-then-reveal question. Every count a sentence quotes is computed from the layouts
(compute.layout), never typed; the forms' own descriptions are data, in compute.FORMS. No streamlit here.
"""
from __future__ import annotations

from rnnviz.topics.architectures import compute as arch

INTRO = (
    "The same recurrent cell, wired five ways. What changes is **which steps take an input**, **which "
    "produce an output**, and **where the loss sits**, and so which tasks a network can learn. Pick a form "
    "and move the lengths; every box in the diagram is one step's input, cell, output or loss term.")

# The controls' help (their tooltips), by the control's key.
HELP = {
    "form": "one-to-one: no sequence (feed-forward). one-to-many: one input, a sequence out. many-to-one: a sequence "
            "in, one answer. many-to-many: one output per input, aligned. encoder-decoder: a sequence in, another of "
            "any length out.",
    "n_in": "How many steps read an input. Greyed out where the form fixes it (one input for one-to-one and "
            "one-to-many).",
    "layers": "Stack L recurrent layers (a deep RNN): layer 1 reads x_t, each layer above reads the h_t of the layer "
              "below at the same step, each with its own weights; the outputs read the top layer.",
    "n_out": "How many outputs. Greyed out where the form fixes it: 1 for one-to-one and many-to-one; equal to n_in "
             "for aligned many-to-many.",
}


def notice(form: str, n_in: int) -> str:
    """What to notice about a form, under its description."""
    if form == "many-to-one":
        return (f"**Notice:** with {n_in} inputs there is one loss term, at step {n_in}. To learn anything from the "
                f"first input, its gradient must travel back through all {n_in - 1} recurrent steps, each multiplying "
                "it by W_hh and a tanh slope: backpropagation through time.")
    if form == "encoder-decoder":
        return ("**Notice:** the whole input reaches the decoder only through the one vector c. For long inputs that "
                "is a bottleneck (Cho et al. 2014 measured translations getting worse as sentences grew longer); "
                "attention (Bahdanau et al. 2015) lets every decoder step look back at every encoder state instead.")
    if form == "one-to-many":
        return ("**Notice:** after the first step the network's only input is its own last output (dotted). One odd "
                "choice early on is read back in and shapes everything after it.")
    if form == "many-to-many":
        return ("**Notice:** the output at step t has seen x_1..x_t, never what comes after. A tagger that must know "
                "the next word runs a second RNN backwards and joins the two (bidirectional).")
    return "**Notice:** no arrow between steps, so no memory: the same W, but nothing carried along."


def fixed_note(fixed: list[str]) -> str:
    """The caption under the diagram: the lengths the form set, and where to hover."""
    return ("; ".join(fixed) + ". " if fixed else "") + "Hover a box for what it computes."


def depth_note(layers: int, paths: tuple[int, int] | None, per_layer: dict[str, tuple[int, ...]]) -> str:
    """Under a stacked diagram: the parameters per layer (from the core, at compute.EXAMPLE's sizes) and the routes
    from x_1 to the last loss (stack.path_length, path_count)."""
    I, H = arch.EXAMPLE["I"], arch.EXAMPLE["H"]
    rnn, lstm, gru = (per_layer[k] for k in ("rnn", "lstm", "gru"))
    out = (f"{layers} layers, each with its own weights, shared across steps. With I = {I} inputs and H = {H} units, "
           f"layer 1 of an RNN has H·(I + H + 2) = {rnn[0]:,} parameters and each layer above H·(2H + 2) = "
           f"{rnn[1]:,}: {sum(rnn):,} in all (an LSTM {sum(lstm):,}, a GRU {sum(gru):,}; torch.nn counts the same).")
    if paths:
        out += (f" From x₁ to the top state at the last loss, every route crosses {paths[0]} weight matrices, "
                f"and there are {paths[1]:,} routes.")
    return out


NEW_LESSONS = "**Beyond the five forms**, the course goes deeper:"


def demo_missing(title: str, coming: bool) -> str:
    return f"{title}: " + ("its live demo comes with the next issue." if coming else
                           "its live demo is not installed in this copy of the app.")


NO_DEMO = "No demo: a feed-forward network has no steps to show."


def _presets() -> list[tuple]:
    """The "What to try" buttons: (label, controls they set, what to look at); every count in a note is
    computed from arch.layout(), never typed."""
    senti, tag = arch.layout("many-to-one", 8, 1), arch.layout("many-to-many", 6, 6)
    trans, gen = arch.layout("encoder-decoder", 7, 5), arch.layout("one-to-many", 1, 10)
    return [
        ("Sentiment: many-to-one, 8 words", {"form": "many-to-one", "n_in": 8},
         f"{len(senti.loss_steps)} loss term, at the end. How far back must its gradient travel to word 1?",
         # half of the question's answer: said once the student has answered (ui.experiments holds it)
         f"The gradient that teaches the model about word 1 passes {senti.hops(senti.loss_steps[-1], 1)} copies "
         "of W_hh."),
        ("Tagging: aligned, 6 words", {"form": "many-to-many", "n_in": 6},
         f"{len(tag.loss_steps)} loss terms, one at every word; n_out follows n_in. Each tag sees only the words "
         "up to it."),
        ("Translation: 7 words → 5 words", {"form": "encoder-decoder", "n_in": 7, "n_out": 5},
         f"Two networks with different weights; the {trans.n_in} input words pass to the {trans.n_out} output "
         "words as one vector c."),
        ("Generation: 1 → 10", {"form": "one-to-many", "n_out": 10},
         f"{len(gen.fed_back_steps)} outputs fed back in (dotted): the network writes on its own."),
    ]


PRESETS = _presets()


def predict_question(n: int = 8) -> tuple[str, list[str], int, str]:
    """The page's predict-then-reveal: (question, answers, index of the right one, explanation), all computed
    from the layouts, so the answer is whatever compute.py's rules say. It compares two forms, so the diagram at
    its default (many-to-one) does not print the answer: the aligned form's half is the prediction."""
    one, aligned = arch.nearest_loss("many-to-one", n), arch.nearest_loss("many-to-many", n)
    last = arch.layout("many-to-many", n, n)
    far = last.hops(last.loss_steps[-1], last.input_steps[0])
    pairs = [(one, one), (one, aligned), (aligned, aligned), (1, n)]               # the rules' answer is among them
    cop = lambda k: f"{k} cop{'ies' if k != 1 else 'y'}"                          # noqa: E731
    answers = [f"many-to-one {cop(a)}, aligned {cop(b)}" for a, b in pairs]
    question = (f"Sentiment (many-to-one) and tagging (many-to-many, aligned) each read {n} words. In each, how many "
                f"copies of W_hh stand between x_1 and the nearest loss term whose gradient reaches it?")
    explanation = (f"Many-to-one has one loss term, after step {n}: its gradient enters at h_{n} and reaches h_1 "
                   f"through h_{n}→h_{n - 1}→…→h_1, {one} products with W_hh (then W_ih takes it to x_1). Aligned, "
                   f"there is a loss at every step: L_1 sits on h_1 itself, {aligned} products away, while L_{n}'s "
                   f"gradient passes {far}, as before. A tagger gets a direct signal about its first word; a "
                   f"sentiment model only one that has crossed {one} steps, each of which can shrink or grow it "
                   "(the BPTT lesson and the gradient lab show how much).")
    return question, answers, pairs.index((one, aligned)), explanation


# The page asks it for sentences of 8 words.
QUESTION, ANSWERS, _RIGHT, _EXPLANATION = predict_question(8)


def reveal() -> tuple[int, str]:
    """(index of the right answer, explanation)."""
    return _RIGHT, _EXPLANATION


# The lead under the page's title (issue 22: one or two sentences, then the main view at once).
LEAD = INTRO.split(" Pick a form")[0]
