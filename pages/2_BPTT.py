"""Backpropagation through time: a loss at every step, the gradient travelling back, and truncation."""
import math
from dataclasses import replace

import streamlit as st

from rnnviz.lessons import bptt_lesson as bl
from rnnviz import cells, ui
from rnnviz.figures import bptt as figs
from rnnviz.figures.style import NAME
from rnnviz.ui.stepper import Steps, stepper

ui.page_setup("Backpropagation through time", "⏪", intro=(
    "A small recurrent network reads a sequence and at **every** step predicts the next value, so every "
    "step has its own loss $L_t$. The same weights serve every step, so their gradient collects a share from "
    "every step: the backward pass walks from the last step $T$ back to step 1, and at each $h_t$ the gradient "
    "of that step's own loss meets the gradient arriving from the future. Every number is computed live."))
EQ = bl.EQUATIONS

CONTROLS = [
    ui.Choice("cell", "Cell", cells.KINDS, "rnn", horizontal=True,
              help="rnn: h_t = tanh(W_ih x_t + W_hh h_{t−1} + b). lstm and gru add gates; the LSTM a cell state."),
    ui.Choice("source", "Sequence", bl.SOURCES, "sine", horizontal=True,
              help=f"sine: a sine wave, period {bl.SINE_PERIOD}. steps: a square wave holding each level "
                   f"{bl.STEPS_HALF} steps (predicting the flip needs memory). typed: numbers you type."),
    ui.Text("seq", "Your numbers", bl.DEFAULT_TEXT,
            help=f"{bl.MIN_NUMBERS} to {bl.MAX_T + 1} numbers between −{bl.MAX_ABS:g} and {bl.MAX_ABS:g}, "
                 f"separated by commas or spaces (at most {bl.MAX_CHARS} characters)."),
    ui.Slider("T", "Predictions T", 2, bl.MAX_T, 12,
              help="How many steps the model predicts (it reads T values and is scored on the next one each time)."),
    ui.Slider("H", "Hidden units H", 1, 16, 4, help="The size of h_t. Small, so the vectors below fit on a line."),
    ui.Slider("train", "Training steps before we look", 0, 200, 20, step=5,
              help=f"Adam steps (learning rate {bl.LEARNING_RATE}) on this very sequence, so the predictions "
                   "are not pure noise. 0: the seeded random weights."),
    ui.Number("seed", "Seed", 0, 9999, 0, help="Seeds the weights; the same seed gives the same picture."),
]
K = ui.Slider("k", "Truncation window k", 1, bl.MAX_T + 1, 3,
              help="Each step's loss sends its gradient back at most k steps. k ≥ T + 1 is full BPTT.")

st.sidebar.header("Controls")
v = ui.render(CONTROLS, disabled=lambda key, vals: (key == "seq" and vals.get("source") != "typed")
              or (key == "T" and vals.get("source") == "typed"))
cfg = bl.LessonConfig(kind=v["cell"], source=v["source"], text=v["seq"], T=v["T"], H=v["H"],
                      train_steps=v["train"], seed=v["seed"])
lesson = ui.cache.bptt_lesson_run(cfg)
for message in lesson.messages:
    ui.problem(ui.escape_markdown(message))
T, kind = lesson.T, NAME[cfg.kind]
# ----- 1. forward ---------------------------------------------------------------------------------
st.header("1 · Forward: a prediction and a loss at every step")
left, right = st.columns([2, 3])
left.markdown(f"The {kind} (H = {cfg.H}) reads $x_1, \\dots, x_{{{T}}}$; after each value it guesses the next "
              "one through a linear readout, and is scored by a squared error:")
left.latex(EQ["output"])
left.latex(EQ["loss"])
left.metric("Total loss L", f"{lesson.total_loss:.4g}", help="The sum of the bars on the right.")
right.plotly_chart(figs.forward(lesson), key="forward")

# ----- 2. backward, stepped -----------------------------------------------------------------------
st.header("2 · Backward, one step at a time")
st.markdown("The gradient reaching $h_t$ has two parts: $\\ell_t$, sent by the step's own loss, and what "
            "arrives **from the future**, through step $t+1$, carrying the losses of every later step:")
st.latex(EQ["dh"][cfg.kind])
st.latex(EQ["dz"][cfg.kind])
st.markdown("$W_{hh}$ is used at every step, so its gradient is a sum with one share per step:")
st.latex(EQ["share"])
st.markdown("**What to notice.** At $t = T$ nothing arrives from the future: $\\delta h_T = \\ell_T$. Walking "
            "left, the future's part carries more and more later losses, shrunk at each step by the "
            "derivatives it passes through. Each step adds its share to $\\partial L/\\partial W_{hh}$; "
            "the orange running sum reaches the full gradient exactly at $t = 1$.")


def at_step(t: int) -> None:
    """Everything that depends on the backward pass's current step (redrawn on its own)."""
    nums = bl.with_numbers(lesson, t)
    st.markdown(f"**With the numbers at t = {t}**" + (f" (the first {bl.MAX_SHOWN - 1} of {cfg.H} units)"
                                                      if cfg.H > bl.MAX_SHOWN else ""))
    for name in ("loss", "local", "dh", "share"):
        st.latex(nums[name])
    a, b = st.columns(2)
    a.plotly_chart(figs.backward_so_far(lesson, t), key="so_far")
    b.plotly_chart(figs.parts_at_step(lesson, t), key="parts")
    st.plotly_chart(figs.whh_shares(lesson, t), key="shares")


stepper(Steps(
    "step", "Backward pass at step t", first=1, last=T, start=T, direction=-1, hold=True,
    seconds=max(0.5, min(1.0, 10 / T)), icons=False,
    buttons=(f"⏮ t = {T}", "◀ t − 1", "t + 1 ▶", "▶ Play to t = 1", "⏸ Stop"),
    help="Where the backward pass is: it starts at the last step T and ends at step 1."), at_step)

# ----- 3. truncation ------------------------------------------------------------------------------
st.header("3 · Truncated BPTT: a window of k steps")
st.markdown("Long sequences make the backward pass long and memory-hungry, so training often **truncates** "
            "it: each loss sends its gradient back at most $k$ steps. What it throws away is every piece of "
            "$\\partial L/\\partial W_{hh}$ whose gradient had to travel $k$ steps or more (left chart).")
st.latex(EQ["truncated"])
top = st.columns(2, vertical_alignment="center")
k = ui.render([K], where=top[0])["k"]
top[1].caption(f"This sequence has T = {T} steps: k = 1 keeps only each step's own loss, k ≥ {T + 1} "
               "keeps everything. The numbers compare ∂L/∂W_hh with the window to ∂L/∂W_hh without it.")
trunc = ui.cache.bptt_truncated(cfg, k)
cos, ratio = bl.truncation_curve(lesson)
m, shown = st.columns(4), lambda x: f"{x:.3f}" if math.isfinite(x) else "undefined (∂L/∂W_hh = 0)"
m[0].metric("cosine(truncated, full)", shown(trunc.cosine),
            help="Of ∂L/∂W_hh. 1: the same direction. 0: unrelated. Below 0: it points backwards.")
m[1].metric("‖truncated‖ / ‖full‖", shown(trunc.ratio), help="Of ∂L/∂W_hh. Above 1 is possible: "
            "far-travelled parts can cancel nearby ones, and truncation removes them.")
m[2].metric(f"‖∂L/∂h₀‖ with k = {k}", f"{trunc.dh0_norm:.3g}",
            help="What reaches the initial state. Only k ≥ T + 1 lets every loss reach h₀.")
m[3].metric("‖∂L/∂h₀‖ full", f"{lesson.dh0_norm:.3g}", help="What full BPTT sends to the initial state.")
if trunc.is_full:
    st.info(f"k = {k} ≥ T + 1 = {T + 1}: nothing is cut, this is full BPTT.", icon="ℹ️")
a, b = st.columns(2)
a.plotly_chart(figs.distance(lesson, trunc), key="distance")
b.plotly_chart(figs.window_curve(lesson, trunc, cos, ratio), key="window")
st.plotly_chart(figs.truncated_dh(lesson, trunc), key="truncated_dh")

# ----- experiments and a question -------------------------------------------------------------------
st.subheader("What to try")
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
    ("Your own numbers", dict(source="typed"),
     f"Edit “{bl.DEFAULT_TEXT}” in the sidebar. A repeating pattern is learnable; try breaking it."),
    ("A long sine: T = 40, H = 16, trained", dict(T=40, H=16, train=200),
     "Play the backward pass: the running sum climbs far above the dashed line, then falls back onto it "
     "in the last steps, whose shares cancel most of what the later steps added."),
]
for n, (label, params, note) in enumerate(EXPERIMENTS):
    c1, c2 = st.columns([3, 5], vertical_alignment="center")
    ui.preset(c1, label, CONTROLS + [K], params, key=f"try_{n}")
    c2.markdown(note)

st.subheader("Predict, then reveal")
answers = ["The trained one", "The untrained one", "Neither: both keep a cosine above 0.99"]
guess = st.radio(f"Same sequence, same {kind}: one untrained, one trained for 200 steps. With a window of "
                 "k = 3, whose truncated ∂L/∂W_hh points further away from its full gradient?", answers,
                 index=None, key="predict_guess")
if st.button("Reveal", key="predict_reveal", disabled=guess is None):
    c0, c200 = (bl.truncation_cosine(ui.cache.bptt_lesson_run(replace(cfg, train_steps=n)), 3) for n in (0, 200))
    truth = 2 if min(c0, c200) > 0.99 else (0 if c200 < c0 else 1)
    (st.success if answers.index(guess) == truth else st.info)(
        f"**{answers[truth]}.** With k = 3 the cosine is {c0:.3f} untrained and {c200:.3f} after 200 steps. "
        + ("Training taught the network to use its memory, and the gradient of a memory has to travel: the "
           "longer the paths the network relies on, the more a short window throws away." if truth == 0 else
           "Here the long paths matter little either way: the errors are mostly explained by the last few "
           "inputs. Try the square wave (steps) or a longer T, where memory is needed."))
