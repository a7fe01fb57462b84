"""Unfolded RNN: step through an RNN, LSTM or GRU one time step at a time, with the real numbers."""
import streamlit as st

from rnnviz import ui
from rnnviz.lessons import unfold, unfold_step
from rnnviz.figures import unfold as figs
from rnnviz.figures.style import NAME
from rnnviz.ui.stepper import Steps, ranged_slider, stepper

ui.page_setup("Unfolded RNN", "🔁", intro=(
    "A recurrent network reads a sequence one element at a time. **Unfolding** it draws one copy of the "
    "cell per time step: copy $t$ reads the input $x_t$ and the previous state $h_{t-1}$, and hands its new "
    "state $h_t$ to the next copy. Every copy is the *same* cell with the *same* weights. Step through "
    "your sequence and read each equation with the numbers the cell really computes at that step."))

CONTROLS = [
    ui.Choice("cell", "Cell", ("rnn", "lstm", "gru"), "rnn", horizontal=True,
              help="rnn: one tanh layer. lstm: input, forget and output gates and a cell state c_t. "
                   "gru: reset and update gates, no separate cell state."),
    ui.Slider("H", "Hidden units H", 2, 8, 3, help="The size of h_t. Small, so every number stays readable."),
    ui.Choice("input", "Input", unfold.INPUTS, "text",
              help="text: your word or sentence, one character per step. numbers: your own list. "
                   "sine, steps, random: a generated sequence of length T."),
    ui.Text("text", "Your word or sentence", unfold.DEFAULT_TEXT,
            help=f"One step per character, at most {unfold.MAX_STEPS}; letters a–z, space and . , ! ? ' "
                 "(capitals read as small letters; anything else as one 'unknown' symbol)."),
    ui.Text("numbers", "Your numbers", unfold.DEFAULT_NUMBERS,
            help=f"Separated by commas or spaces, e.g. 1, 0, 2, 5; at most {unfold.MAX_STEPS}, each within ±100."),
    ui.Slider("T", "Length T (sine, steps, random)", 2, unfold.MAX_STEPS, 12, help="How many steps to generate."),
    ui.Number("seed", "Seed", 0, 9999, 0, help="Seeds the weights (and the random input): same seed, same numbers."),
]


def clamp_controls(kind: str, H: int, T: int) -> list:
    gates = unfold.CLAMPABLE[kind] or unfold.CLAMPABLE["lstm"]
    return [ui.Choice("gate", "Gate to clamp", gates, gates[0], help="LSTM forget: how much of c_{t-1} is "
                      "kept. GRU update: how much of h_{t-1} is kept."),
            ui.Slider("unit", "Unit", 1, H, 1, help="Which hidden unit's gate is forced."),
            ui.Slider("at", "At step", 1, T, 2, help="The one step at which the gate is forced."),
            ui.Choice("to", "Clamp to", ("0", "1"), "0", horizontal=True, help="0: shut the gate. 1: open it fully."),
            ui.Toggle("clamped", "Show it above", False,
                      help="Step through the clamped run (diagram, equations, path) instead of the free one.")]


STEP = ui.Slider("t", "Time step t", 1, unfold.MAX_STEPS, 1)   # the stepper's slider, for the presets

with st.sidebar:
    st.header("Controls")
values = ui.render(CONTROLS, disabled=lambda key, v: (key == "text" and v["input"] != "text")
                   or (key == "numbers" and v["input"] != "numbers")
                   or (key == "T" and v["input"] in ("text", "numbers")))
cfg = unfold.UnfoldConfig(**values)
u = ui.cache.unfold_run(cfg)
for message in u.seq.messages:
    ui.problem(ui.escape_markdown(message))
st.caption(ui.escape_markdown(u.seq.encoding))
formula, count = unfold.parameter_formula(u)
stepper_box = st.container()

# ----- the intervention (drawn below the stepper, read first: the stepper can show the clamped run) -------
st.subheader("Intervene: clamp a gate, watch the future change")
st.markdown("Force one gate of one unit to 0 or 1 at one step, and compare every state with the free run. "
            "Nothing before that step can change; everything after it can.")
shown, mark, rnn = u, {}, u.kind == "rnn"
cv = {c.key: ranged_slider(c, col, disabled=rnn) if c.key in ("unit", "at") else   # ranges follow H and T
      ui.render([c], where=col, disabled=lambda *_: rnn)[c.key]
      for c, col in zip(clamp_controls(u.kind, u.H, u.T), st.columns([2, 2, 2, 1.4, 2.2]))}
if rnn:
    st.info("A vanilla RNN has no gates to clamp: choose the LSTM or the GRU in the sidebar.", icon="ℹ️")
else:
    iv = ui.cache.unfold_intervene(cfg, cv["gate"], cv["at"], cv["unit"], float(cv["to"]))
    st.plotly_chart(figs.intervention(iv, cv["gate"], cv["unit"], cv["at"], float(cv["to"])), key="intervention")
    first = iv.first_change
    st.caption(f"Before step {cv['at']} every difference is exactly 0. " + (
        f"From step {first} on the states differ: by up to {iv.dh[first - 1]:.2g} at step {first}, and "
        f"{iv.dh[-1]:.2g} at the last step, T = {u.T}." if first else
        "Nothing changes at all: at step 1 the forget gate multiplies c₀ = 0, so there is nothing to forget yet."))
    if cv["clamped"]:
        shown, mark = iv.clamped, dict(clamp_step=cv["at"], clamp_label=f"{cv['gate']} of unit {cv['unit']} := {cv['to']}")


def show_step(t: int) -> None:
    """Everything that depends on the step: the diagram, the equations with numbers, the path."""
    st.plotly_chart(figs.unrolled(shown, t, **mark), key="unrolled")
    st.caption(f"Every box is the same cell: **W** is the same $W_{{ih}}$, $W_{{hh}}$ and biases ({count} numbers) "
               "in every copy. Solid boxes have read their input, dotted ones not yet; above each, the units of "
               "$h_t$ (blue −1, white 0, red +1).")
    which = " of the clamped run" if shown is not u else ""
    st.markdown(f"**Step {t} of {u.T}{which}**: the cell reads $x_{{{t}}}$ = "
                f"“{ui.escape_markdown(shown.seq.labels[t - 1])}” and $h_{{{t - 1}}}$, and computes, line by line:")
    lines = unfold_step.step_view(shown, t)
    for tab, line in zip(st.tabs([f"${ln.symbol}_t$ {unfold.TITLES[ln.name]}" for ln in lines]), lines):
        tab.markdown(unfold.meaning(u.kind, line.name))
        tab.plotly_chart(figs.equation_line(line, t), key=f"line_{line.name}")
        if line.clamped:
            tab.warning(f"Clamped: unit {line.clamped[0]} of ${line.symbol}_t$ is forced to "
                        f"{line.value[line.clamped[0] - 1]:g}; the cell computed {line.clamped[1]:.2f}.", icon="✂️")
        tab.latex(line.numbers)
    st.caption("Squares: −1 blue, 0 white, +1 red (beyond ±1 stays full colour); hover one for 4 decimals. "
               "The equations round to 2.")
    left, right = st.columns(2, vertical_alignment="center")
    left.plotly_chart(figs.state_path(shown, t), key="path")
    right.markdown("**The path of the hidden state.** Each point is $h_t$ (its first two units) after reading "
                   "one more input; the line joins them in reading order. The state is the network's whole memory "
                   "of the sequence so far: where it goes next depends on the next input *and* on where it is.")


with stepper_box:
    stepper(Steps("t", "Time step t", first=1, last=u.T, start=1,
                  help="Which step to show. Play walks forward one step at a time and stops at T."), show_step)

st.subheader("The same weights at every step")
st.markdown(f"Every copy in the diagram holds the same $W$ (the bold **W**): this {NAME[u.kind]} has {formula} = "
            f"**{count}** parameters, however long the sequence. A network with its own weights for each position "
            "would grow with $T$:")
st.table({"sequence length T": [2, u.T, unfold.MAX_STEPS],
          f"{NAME[u.kind]}, shared weights": [count] * 3,
          "separate weights per step": [T * count for T in (2, u.T, unfold.MAX_STEPS)]})

# ----- experiments and a question -------------------------------------------------------------------------
st.subheader("What to try")
EXPERIMENTS = [
    ("An impulse: 0 0 0 5 0 0 …", dict(input="numbers", numbers="0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0"),
     "The state jumps when the 5 arrives and then drifts back, step by step: the RNN's memory of it fades."),
    ("The same word twice", dict(text="hello hello"),
     "The second “hello” reads the same letters but starts from a different h, so its first states differ from "
     "the first “hello”'s. By its last letter they almost agree: the cell has all but forgotten what came before."),
    ("Square wave, two units", dict(input="steps", H=2, T=24),
     "With H = 2 the path is the whole state: it settles into a loop that repeats with the input."),
    ("LSTM: shut the forget gate", dict(cell="lstm", text="the cat sat on the mat", gate="forget", at=6,
                                       to="0", clamped=True, t=6),
     "At step 6 unit 1 drops its whole memory: c₆ = i₆ ⊙ g₆. Open the f and c tabs, then step on and watch "
     "the effect fade."),
    ("GRU: freeze a unit", dict(cell="gru", gate="update", to="1", at=4, clamped=True, t=4),
     "With $z_4 = 1$ for unit 1, $h_4 = (1 - z_4) \\odot n_4 + z_4 \\odot h_3$ is just $h_3$: the unit keeps "
     "its value, whatever the input says."),
]
for n, (label, params, note) in enumerate(EXPERIMENTS):
    c1, c2 = st.columns([3, 5], vertical_alignment="center")
    ui.preset(c1, label, CONTROLS + clamp_controls(params.get("cell", "rnn"), 8, unfold.MAX_STEPS) + [STEP],
              params, key=f"try_{n}")
    c2.markdown(note)

st.subheader("Predict, then reveal")
reach = ui.cache.unfold_first_input(cfg)
answers = {"first": "Only h₁: from step 2 on the cell reads exactly the same inputs",
           "all": "Every h_t, from h₁ to the last one", "some": "The first few, then the difference is exactly zero"}
guess = st.radio(f"Change only {ui.escape_markdown(reach.change)} and read again with the same weights. Which "
                 "hidden states change?", list(answers.values()), index=None, key="predict_guess")
if st.button("Reveal", key="predict_reveal", disabled=guess is None):
    (st.success if guess == answers[reach.answer] else st.info)(
        f"**{answers[reach.answer]}.** {(reach.dh > 0).sum()} of {u.T} states changed: ‖Δh₁‖ = {reach.dh[0]:.3g}, "
        f"‖Δh_T‖ = {reach.dh[-1]:.3g}. Each h_t is computed from h_(t−1), so x₁ reaches every later state, through "
        "the same W_hh at every step, usually fainter and fainter.")
