"""LSTM inside: a trained character-level LSTM reads a text; its gates, cell state and units, per character."""
import numpy as np
import streamlit as st

from rnnviz import ui
from rnnviz.topics.lstm_inside import figures as figs
from rnnviz.shared import charlm
from rnnviz.topics.lstm_inside import words as text
from rnnviz.topics.lstm_inside.words import FEATURES, MODEL, OWN
from rnnviz.topics.lstm_inside import view_parts as sections
from rnnviz.topics.lstm_inside import TOPIC


def main() -> None:
    """The page: run by pages/4_LSTM_inside.py on every rerun."""
    ui.page_setup(TOPIC, intro=text.INTRO)

    with ui.boundary():
        model, meta = sections.load_or_stop(MODEL)

        passages, H = meta.get("passages") or {}, model.hidden_size
        first = text.FIRST if text.FIRST in passages else next(iter(passages), OWN)
        # The page opens on the unit whose cell state best follows the position in the line on the opening passage
        # (a fixed choice for these weights, so a link without ?unit= always means the same unit).
        LINE_UNIT, line_r = ui.cache.char_best_unit(MODEL, charlm.prepare(model, passages[first]).text,
                                                    FEATURES["column"]) if passages else (0, 0.0)
        LINE_UNIT = max(LINE_UNIT, 0)
        TEXT = [
            ui.Choice("passage", "Passage", (*passages, OWN), first,
                      help="Held-out scenes from Hamlet and Macbeth (the model never trained on them), or your own text."),
            ui.Text("text", "Your text", text.DEFAULT_TEXT, height=140,
                    help=f"Used when the passage is '{OWN}'. The model reads at most {charlm.MAX_CHARS:,} characters; "
                         "any character it never saw in training is read as one unknown symbol, shown as �."),
            ui.Number("unit", "Unit to follow", 0, H - 1, LINE_UNIT,
                      help=f"One of the {H} hidden units (0 to {H - 1}): the coloured text, the step view, the conveyor "
                           "belt and the intervention follow it. The neuron hunt below suggests interesting ones."),
            ui.Choice("q", "Quantity", tuple(figs.QUANTITIES), "cell", horizontal=True,
                      help="input, forget, output: the three gates (0 = shut, 1 = open). candidate: g_t, what could be "
                           "written. cell: the cell state c_t, the memory. hidden: h_t = o_t · tanh(c_t)."),
        ]
        VIEW = [ui.Choice("order", "Order the units", ("number", "busiest", "feature"), "number", horizontal=True,
                          help="number: 0 at the top. busiest: the units that vary most over this text first. "
                               "feature: the units that correlate most with the neuron hunt's feature first.")]
        HUNT = [ui.Choice("feature", "Feature", tuple(FEATURES), "strongest", horizontal=True,
                          help="strongest: whichever feature some unit tracks best. quotes / stage: inside \"…\" or […]. "
                               "column: position in the line. vowel, space, capital, newline: that kind of character.")]
        CLAMP = [ui.Slider("clamp", "Clamp the forget gate to", 0.0, 1.0, 0.0, step=0.05,
                           help="0 wipes the unit's memory at every step; 1 keeps all of it (the cell only adds).")]
        FROM = ui.Slider("from", "From step", 1, charlm.MAX_CHARS, 40, help="The clamp holds from this step to the end "
                         "of the text; the steps before it run free.")
        STEP = ui.Slider("t", "Step t (the t-th character)", 1, charlm.MAX_CHARS, 1)
        GEN = [ui.Text("prompt", "Prompt", "HAMLET.\n", height=80, help="The model reads this first, then continues it."),
               ui.Slider("temp", "Temperature", 0.1, 2.0, 0.8, step=0.1,
                         help="Divides the scores before the softmax: low = safe and repetitive, high = inventive and "
                              "misspelt, 1 = the model's own probabilities."),
               ui.Slider("n", "Characters to write", 50, 600, 300, step=50, help="How many characters to sample."),
               ui.Number("seed", "Seed", 0, 9999, 0, help="Seeds the sampling: the same seed gives the same text.")]
        ALL = TEXT + VIEW + HUNT + CLAMP + GEN + [FROM, STEP]

        with st.sidebar:
            st.header("Text and unit")
        ui.cap_typed_text("text", charlm.MAX_CHARS)
        v = ui.render(TEXT, disabled=lambda key, vals: key == "text" and vals.get("passage") != OWN)
        prep = charlm.prepare(model, v["text"] if v["passage"] == OWN else passages.get(v["passage"], ""))
        for message in prep.messages():
            ui.problem(ui.escape_markdown(message))
        sections.model_section(model, meta)

        if len(prep.text) < 2:
            if prep.text:
                ui.problem("One character is too little to watch: type at least two.")
            r = None
        else:
            r = ui.cache.char_reading(MODEL, prep.text, ())
            unit, key = v["unit"], v["q"]
            acts = figs.values(r, key)
            opening_view = (unit, key, v["passage"]) == (LINE_UNIT, "cell", first)
            sections.unit_text_section(r, unit, key, acts, text.line_note(LINE_UNIT, first, line_r) if opening_view else "")
            m, feats, matches = sections.units_section(r, acts, key, unit, VIEW, HUNT)
            sections.step_section(r, unit, STEP)
            sections.hunt_section(r, acts, key, unit, m, feats, matches)
            sections.intervention_section(MODEL, r, unit, CLAMP, FROM)

        sections.generate_section(MODEL, model, GEN)

        # ----- what to try --------------------------------------------------------------------------------------
        stage = (ui.cache.char_best_unit(MODEL, charlm.prepare(model, passages[text.STAGE_SCENE]).text, FEATURES["stage"])
                 if text.STAGE_SCENE in passages else None)
        memory = None
        if r is not None:
            unit_f = int(np.argmax(r.gates["forget"].mean(0)))
            memory = (unit_f, float(r.gates["forget"][:, unit_f].mean()), len(r.text))
        ui.experiments(text.experiments({"passage": v["passage"], "text": v["text"]}, stage, memory), ALL, ratio=(2, 5))
        if r is not None:
            ui.predict_reveal(text.GATE_QUESTION, text.GATE_ANSWERS, lambda: text.gate_reveal(r.gates, len(r.text), r.text))

        sections.about_section(model, meta)
