"""Backpropagation through time: a loss at every step, the gradient travelling back, and truncation."""
from dataclasses import replace

import streamlit as st

from rnnviz import cells, ui
from rnnviz.shared.style import NAME
from rnnviz.topics.bptt import compute as bl
from rnnviz.topics.bptt import words as text
from rnnviz.topics.bptt import view_parts as sections
from rnnviz.ui.stepper import Steps, stepper
from rnnviz.topics.bptt import TOPIC


def main() -> None:
    """The page: run by pages/2_BPTT.py on every rerun."""
    ui.page_setup(TOPIC, intro=text.INTRO)

    with ui.boundary():
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
                      help="Sliding window: each step's loss sends its gradient back k steps. Chunks: the sequence is "
                           "cut every k steps (h.detach()). ∂L/∂W_hh is complete at k = T; a sliding window lets every "
                           "loss reach h₀ from k = T + 1.")

        st.sidebar.header("Controls")
        v = ui.render(CONTROLS, disabled=lambda key, vals: (key == "seq" and vals.get("source") != "typed")
                      or (key == "T" and vals.get("source") == "typed"))
        cfg = bl.LessonConfig(kind=v["cell"], source=v["source"], text=v["seq"], T=v["T"], H=v["H"],
                              train_steps=v["train"], seed=v["seed"])
        lesson = ui.cache.bptt_lesson_run(cfg)
        for message in lesson.messages:
            ui.problem(ui.escape_markdown(message))
        T = lesson.T

        # ----- 1. forward ---------------------------------------------------------------------------------
        sections.forward_section(lesson, cfg)

        # ----- 2. backward, stepped -----------------------------------------------------------------------
        sections.backward_intro(lesson, cfg)
        stepper(Steps(
            "step", "Backward pass at step t", first=1, last=T, start=T, direction=-1, hold=True,
            seconds=max(0.5, min(1.0, 10 / T)),
            buttons=(f"t = {T}", "t − 1", "t + 1", "Play to t = 1", "Stop"),
            help="Where the backward pass is: it starts at the last step T and ends at step 1."),
            lambda t: sections.at_step(lesson, cfg, t))

        # ----- 3. truncation ------------------------------------------------------------------------------
        sections.truncation_section(lesson, cfg, K)

        # ----- experiments and a question -------------------------------------------------------------------
        ui.experiments(text.experiments(lambda name: ui.cache.bptt_lesson_run(text.preset_config(name))),
                       CONTROLS + [K])


        def truth() -> tuple[int, str]:
            """The question's answer, measured: the same network untrained and trained, both cut at k = 3."""
            return text.reveal(*(ui.cache.bptt_lesson_run(replace(cfg, train_steps=n)) for n in (0, text.TRAINED)))


        ui.predict_reveal(text.question(NAME[cfg.kind]), text.ANSWERS, truth)
