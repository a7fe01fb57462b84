"""The Unfolded-RNN page: an RNN, LSTM or GRU unrolled over a short sequence, stepped through one time step at a
time with the numbers it really computes; with L layers (a stack, rnnviz.stack) a time × depth grid; a gate
clamped at one step, and what changes after it; the same weights at every step. Run by pages/1_Unfolded_RNN.py;
the words are in words.py, the numbers in compute.py and step.py, the charts in figures.py, the cached runs and
the sections in view_parts.py."""
import streamlit as st

from rnnviz import ui
from rnnviz.topics.unfold import TOPIC
from rnnviz.topics.unfold import compute as unfold
from rnnviz.topics.unfold import view_parts as sections
from rnnviz.topics.unfold import words as text
from rnnviz.ui.stepper import Steps, stepper

HELP = text.HELP
CONTROLS = [
    ui.Choice("cell", "Cell", ("rnn", "lstm", "gru"), "rnn", horizontal=True, help=HELP["cell"]),
    ui.Slider("H", "Hidden units H", 2, 8, 3, help=HELP["H"]),
    ui.Slider("layers", "Layers L (depth)", 1, unfold.MAX_LAYERS, 1, help=HELP["layers"]),
    ui.Choice("input", "Input", unfold.INPUTS, "text", help=HELP["input"]),
    ui.Text("text", "Your word or sentence", unfold.DEFAULT_TEXT, help=HELP["text"]),
    ui.Text("numbers", "Your numbers", unfold.DEFAULT_NUMBERS, help=HELP["numbers"]),
    ui.Slider("T", "Length T (sine, steps, random)", 2, unfold.MAX_STEPS, 12, help=HELP["T"]),
    ui.Number("seed", "Seed", 0, 9999, 0, help=HELP["seed"]),
]
STEP = ui.Slider("t", "Time step t", 1, unfold.MAX_STEPS, 1)   # the stepper's slider, for the presets


def clamp_controls(kind: str, H: int, T: int) -> list:
    """The intervention's controls: which gate, unit and step, and the value; their ranges follow H and T."""
    gates = unfold.CLAMPABLE[kind] or unfold.CLAMPABLE["lstm"]
    return [ui.Choice("gate", "Gate to clamp", gates, gates[0], help=text.HELP["gate"]),
            ui.Slider("unit", "Unit", 1, H, 1, help=text.HELP["unit"]),
            ui.Slider("at", "At step", 1, T, 2, help=text.HELP["at"]),
            ui.Choice("to", "Clamp to", ("0", "1"), "0", horizontal=True, help=text.HELP["to"]),
            ui.Toggle("clamped", "Show it above", False, help=text.HELP["clamped"])]


def unused(key: str, values: dict) -> bool:
    """Typed text, typed numbers and T each apply to their own kind of input only."""
    return ((key == "text" and values["input"] != "text") or (key == "numbers" and values["input"] != "numbers")
            or (key == "T" and values["input"] in ("text", "numbers")))


def main() -> None:
    """The page, top to bottom: the step control beside the unrolled cells (one fragment: a step reruns it
    alone), step t's lines and the path (closed expanders), the question, the intervention, the shared weights
    (a closed expander), what to try. The intervention is read first (the stepper can show the clamped run)
    and drawn below."""
    lead, rest = ui.stage.lead(text.INTRO, 2)
    ui.page_setup(TOPIC, intro=lead)
    with ui.boundary():
        cfg = unfold.UnfoldConfig(**ui.render(CONTROLS, where=ui.stage.settings("cell, size, input"),
                                              disabled=unused))
        u = sections.unfold_run(cfg)
        for message in u.seq.messages:
            ui.problem(ui.escape_markdown(message))
        stepper_box = st.container()
        st.caption(ui.escape_markdown(u.seq.encoding))
        question_box = st.container()   # asked before the intervention below, whose chart would answer it

        shown, mark = sections.intervention_section(cfg, u, clamp_controls(u.kind, u.H, u.T))
        with stepper_box:
            # The main view made here, not by the stepper: what does not change with t (Play, the sentence on
            # the shared weights, the two expanders' headings) is drawn once per full run beside and under the
            # step view, outside its fragment, which fills what depends on t (and the expanders, when open).
            controls, chart = ui.stage.main_view("unfold", ratio=(1.4, 3))
            step_view = chart.container()
            chart.caption(sections.same_weights(u))
            step_box = st.container()        # the step's own part (its fragment), above the two lazy expanders
            boxes = sections.step_boxes()
            with step_box:
                stepper(Steps("t", "Time step t", first=1, last=u.T, start=1, help=HELP["t"], stage="unfold"),
                        lambda t: sections.diagram(u, shown, mark, t),
                        below=lambda t: sections.step_section(u, shown, mark, t, boxes), at=(controls, step_view))
        sections.weights_section(u)

        with question_box:
            reach = sections.unfold_first_input(cfg)
            ui.predict_reveal(text.question(ui.escape_markdown(reach.change)), list(text.ANSWERS.values()),
                              lambda: text.reveal(reach))

        # One list for every preset: the GRU's sets its own gate, and the others keep the LSTM's first gate.
        ui.experiments(text.PRESETS, CONTROLS + clamp_controls("lstm", 8, unfold.MAX_STEPS) + [STEP], show="unrolled")
        ui.stage.about(rest, "unfold_about")
