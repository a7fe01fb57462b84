"""Unfolded RNN: step through an RNN, LSTM or GRU one time step at a time, with the real numbers."""
import streamlit as st

from rnnviz import ui
from rnnviz.topics.unfold import compute as unfold
from rnnviz.topics.unfold import words as text
from rnnviz.topics.unfold import view_parts as sections
from rnnviz.ui.stepper import Steps, stepper
from rnnviz.topics.unfold import TOPIC


def main() -> None:
    """The page: run by pages/1_Unfolded_RNN.py on every rerun."""
    ui.page_setup(TOPIC, intro=text.INTRO)

    with ui.boundary():
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
        stepper_box = st.container()
        question_box = st.container()   # asked before the intervention below, whose chart would answer it

        # ----- the intervention (drawn below the stepper, read first: the stepper can show the clamped run) -------
        shown, mark = sections.intervention_section(cfg, u, clamp_controls(u.kind, u.H, u.T))

        # ----- step through the sequence ---------------------------------------------------------------------------
        with stepper_box:
            stepper(Steps("t", "Time step t", first=1, last=u.T, start=1, help=text.STEP_HELP),
                    lambda t: sections.step_section(u, shown, mark, t))

        sections.weights_section(u)

        # ----- a question (asked above the intervention: its chart shows how far a change travels) ---------------
        with question_box:
            reach = ui.cache.unfold_first_input(cfg)
            ui.predict_reveal(text.question(ui.escape_markdown(reach.change)), list(text.ANSWERS.values()),
                              lambda: text.reveal(reach))

        # ----- experiments ----------------------------------------------------------------------------------------
        # One list for every preset: the GRU's sets its own gate, and the others keep the LSTM's first gate.
        ui.experiments(text.EXPERIMENTS, CONTROLS + clamp_controls("lstm", 8, unfold.MAX_STEPS) + [STEP])
