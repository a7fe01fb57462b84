"""What the Modern RNNs page says: the intro, the controls' help, the equations side by side, the presets, the
question and its answer, and the sentences under the charts, each with its number computed (compute.py).
Plain text, no streamlit. Nothing here is typed by a student: the controls are a toggle and two numbers.

The papers cited (a number quoted from one names it):
- Feng, Tung, Ahmed, Bengio, Hajimirsadeghi 2024, "Were RNNs All We Needed?" (arXiv 2410.01201): minGRU.
- Blelloch 1990, "Prefix sums and their applications"; Hillis & Steele 1986, "Data parallel algorithms";
  Martin & Cundy 2018, "Parallelizing linear recurrent neural nets over sequence length" (ICLR).
- Vaswani et al. 2017, "Attention is all you need", Table 1: per layer, self-attention O(n²·d) work and O(1)
  sequential operations; a recurrent layer O(n·d²) work and O(n) sequential operations.
"""
from __future__ import annotations

from rnnviz import scan
from rnnviz.topics.modern import compute
from rnnviz.topics.modern.compute import Costs, Example, Starts, Tree

INTRO = ("**Take the GRU's state out of its gates and the recurrence turns linear, h_t = a_t ⊙ h_{t−1} + b_t, with "
         "a_t and b_t from the input alone:** minGRU (Feng et al. 2024, “Were RNNs all we needed?”), which a "
         "parallel scan computes over the whole sequence at once. The toggle removes h_{t−1} from a GRU's gates and "
         "candidate; the chart runs both models from two different starting states. The same idea (a linear "
         "recurrence whose coefficients come from the input) is behind S4, LRU and Mamba: the parts below build it "
         "up, and end with why attention took over from RNNs and why recurrence came back.")

HELP = {
    "minimal": "Off: a GRU, whose reset gate r_t, update gate z_t and candidate n_t all read the previous state "
               "h_{t−1}. On: the minGRU made from the same input weights, with every term that reads h_{t−1} "
               "removed (and so no reset gate) and no tanh on the candidate.",
    "T": f"How many steps the example sequence has (one random number per step, at most {compute.T_MAX}).",
    "seed": "Draws the example: the input sequence, the GRU's weights and the other starting state.",
}

# The two sets of equations, side by side on the page; the terms that read h_{t−1} in colour (the minGRU drops
# them). torch.nn's GRU convention throughout (z_t keeps the old state), as rnnviz.cells and rnnviz.scan.
_HP = r"\textcolor{#D55E00}{h_{t-1}}"
GRU_EQUATIONS = [
    rf"r_t = \sigma(W_{{ir}} x_t + b_{{ir}} + W_{{hr}} {_HP} + b_{{hr}})",
    rf"z_t = \sigma(W_{{iz}} x_t + b_{{iz}} + W_{{hz}} {_HP} + b_{{hz}})",
    rf"n_t = \tanh\big(W_{{in}} x_t + b_{{in}} + r_t \odot (W_{{hn}} {_HP} + b_{{hn}})\big)",
    rf"h_t = (1 - z_t) \odot n_t + z_t \odot {_HP}",
]
MIN_EQUATIONS = [
    r"z_t = \sigma(W_{iz} x_t + b_{iz})",
    r"\tilde n_t = W_{in} x_t + b_{in}",
    r"h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde n_t",
    r"\phantom{h_t} = a_t \odot h_{t-1} + b_t,\quad a_t = z_t,\ b_t = (1 - z_t) \odot \tilde n_t",
]
GRU_NOTE = "The GRU: h_{t−1} (in colour) enters every gate, so step t cannot start before step t − 1 ends."
MIN_NOTE = ("minGRU (Feng et al. 2024, who write z and 1 − z the other way round): the same input weights, no "
            "h_{t−1} inside, no reset gate, no tanh. a_t and b_t depend on x_t only.")

PRESETS = [
    ("The GRU: gates that read h_{t−1}", {"minimal": False},
     "Compare the solid and the dotted gate lines (below): the same input, two different starting states."),
    ("Remove h_{t−1}: the minGRU", {"minimal": True},
     "The same input and the same two starting states. Look at the gate lines now, then at the states.",
     "The two gate lines lie on each other: nothing in a_t reads the state, so every a_t and b_t is known before "
     "the first h is computed."),
    ("A long sequence: T = 64", {"minimal": True, "T": 64},
     "Follow the solid and dotted state lines to the end.",
     "They meet: the start's share of h_t is the product of the a_t so far, and each a_t is below 1."),
]

QUESTION = (f"Without h_{{t−1}} in its gates, every a_t and b_t is known in advance. For a sequence of "
            f"{compute.MARK:,} steps, how many rounds that must wait for each other does the parallel scan need "
            "(each round works on every position at once)?")
ANSWERS = [f"{compute.MARK:,}: one per step, as the loop", f"{compute.MARK // 2:,}: one per pair of steps",
           f"{scan.n_rounds(compute.MARK)}", "1: all at once"]


def answer() -> tuple[int, str]:
    """The predict-then-reveal answer: ⌈log2 T⌉ rounds, computed (scan.n_rounds), with the scan's total work."""
    T = compute.MARK
    R = scan.n_rounds(T)
    return 2, (f"⌈log₂ {T:,}⌉ = {R}. In round k every position takes in the pair 2^(k−1) positions back, so what "
               f"it covers doubles each round: 1, 2, 4, … steps, all {T:,} after {R} rounds. The price: "
               f"{compute.hillis_steele_compositions(T):,} compositions in all against the loop's {T - 1:,} "
               f"(this Hillis–Steele scan; Blelloch's 1990 scan needs about 2·T), so it is quicker only where a "
               "round's positions really run at once, as on a GPU. Part 2 draws the 8-step tree.")


def starts_said(s: Starts, minimal: bool, T: int) -> str:
    """The main chart's sentence: what two starting states do to the gates and the states."""
    if not minimal:
        return (f"From another starting state, the GRU's update gate changes by up to {s.gate_gap:.2f} (step "
                f"{s.gate_step}): its gates read h_{{t−1}}, so no step can be computed before the one before it.")
    return (f"From another starting state, the minGRU's gates do not change at all (largest difference "
            f"{s.gate_gap:.1g}): a_t and b_t come from x_t alone. The states' gap shrinks from {s.first_gap:.2f} to "
            f"{s.last_gap:.1e} after {T} steps: it is multiplied by a_t at every step.")


STEPS_SHOWN = 12                     # rows of the step-by-step table


def steps_table(e: Example, unit: int = 0) -> str:
    """The minGRU's first steps for one unit, as a markdown table: h_t = a_t·h_{t−1} + b_t, number by number."""
    rows = ["| t | x_t | a_t = z_t | b_t = (1 − z_t)·ñ_t | h_{t−1} | a_t·h_{t−1} + b_t | h_t (scan) |",
            "|---:|---:|---:|---:|---:|---:|---:|"]
    prev = 0.0
    for t in range(min(STEPS_SHOWN, e.T)):
        a, b, h = e.a[t, unit], e.b[t, unit], e.min_h[t, unit]
        rows.append(f"| {t + 1} | {e.x[t]:+.3f} | {a:.3f} | {b:+.3f} | {prev:+.3f} | {a * prev + b:+.3f} | {h:+.3f} |")
        prev = h
    return "\n".join(rows)


def steps_said(e: Example) -> str:
    gap = float(abs(e.min_h - e.min_h_loop).max())
    more = f" (the first {STEPS_SHOWN} of {e.T} steps)" if e.T > STEPS_SHOWN else ""
    return (f"Unit 1 of the minGRU from h₀ = 0{more}. Over all {e.T} steps and {compute.H} units, the parallel "
            f"scan's h_t and the step-by-step loop's differ by at most {gap:.1e} (rounding; tests/core/test_scan.py "
            "holds them equal to 1e-12).")


TREE_NOTE = ("Each box is a pair (A, B): the map h ↦ A·h + B of the steps it covers, for unit 1 of the minGRU above "
             "(the first 8 steps of the example). Two pairs compose into one: first (A₁, B₁), then (A₂, B₂) makes "
             "(A₂·A₁, A₂·B₁ + B₂). The order of composing does not matter (associative), so the rounds can "
             "group the steps as they like.")


def tree_said(t: Tree) -> str:
    T = len(t.loop)
    A, B = t.rows[-1]
    return (f"After {t.rounds} rounds (⌈log₂ {T}⌉), position {T} holds A = {A[-1]:.4f}, B = {B[-1]:+.4f}, and "
            f"B = h_{T} from h₀ = 0: the loop computes h_{T} = {t.loop[-1]:+.4f} (largest difference over all 8 "
            f"positions {abs(B - t.loop).max():.1e}). The loop composed {T - 1} pairs, one after another; the "
            f"scan {t.compositions}, in {t.rounds} rounds.")


COSTS_NOTE = ("Leading terms per layer of width d = 64, not measured times (Vaswani et al. 2017, Table 1: "
              "self-attention O(n²·d) work and O(1) sequential operations per layer, a recurrent layer O(n·d²) and "
              "O(n)). An RNN must step through the sequence; attention sees every token at once but keeps a key and "
              "a value for every token it has seen (its KV cache); a linear RNN trains in log₂ T rounds and "
              "writes with a state of fixed size. The linear RNN's work counts the Hillis–Steele scan (T·log₂ T "
              "compositions); Blelloch's work-efficient scan needs about 2·T.")


def costs_said(c: Costs, T: int = compute.MARK) -> str:
    """The costs chart's sentence, read off the chart at length T."""
    v = compute.at(c, T)
    d, m = v["depth"], v["memory"]
    half = compute.at(c, T // 2)["work"]
    grow = {k: v["work"][k] / half[k] for k in half}            # what doubling the length does to the work
    when = (f"; doubling the length to {T:,} multiplies attention's work by {grow['attention']:.1f}, the RNN's by "
            f"{grow['rnn']:.1f}")
    return (f"At T = {T:,} tokens: an RNN takes {d['rnn']:,.0f} steps one after another, attention "
            f"{d['attention']:,.0f} and a linear RNN's scan {d['linear']:,.0f}; to write the next token, attention "
            f"keeps {m['attention']:,.0f} numbers per layer, the RNN and the linear RNN {m['rnn']:,.0f}{when}. "
            "Attention took over because it trains in parallel; recurrence came back with a linear RNN, which "
            "trains almost as parallel and remembers in a state that does not grow.")
