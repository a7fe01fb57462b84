"""The GRU-vs-LSTM page: the two shipped character models read the same text, side by side: their cells'
equations, gate heatmaps, how each keeps its memory, who is less surprised where, their parameters per gate
and how well each predicts held-out text. Run by pages/5_GRU_vs_LSTM.py; the words are in words.py, the
numbers in compute.py and rnnviz.shared.charlm, the charts in figures.py, the sections in view_parts.py."""
import streamlit as st

from rnnviz import ui
from rnnviz.shared import charlm
from rnnviz.topics.compare import TOPIC
from rnnviz.topics.compare import compute as compare
from rnnviz.topics.compare import view_parts as sections
from rnnviz.topics.compare import words as text
from rnnviz.topics.compare.words import MODELS, OWN
from rnnviz.ui.stepper import ranged_slider

HELP = text.HELP
PAIR = ui.Choice("pair", "Compare", tuple(compare.PAIRS), "keep", horizontal=True, help=HELP["pair"])


def text_controls(passages: dict) -> list:
    """The sidebar's text: a held-out passage the models ship with, or the student's own."""
    return [
        ui.Choice("passage", "Text to read", (*passages, OWN),
                  text.FIRST if text.FIRST in passages else next(iter(passages), OWN), help=HELP["passage"]),
        ui.Text("text", "Your text", text.DEFAULT_TEXT, height=110, help=HELP["text"]),
    ]


def view_controls(metas: dict) -> list:
    """How much of the text and of the units the heatmaps show, and in which order."""
    return [
        ui.Slider("width", "Characters shown", 10, 200, 40, step=10, help=HELP["width"]),
        ui.Slider("units", "Units shown", 4, 128, 24, step=4, help=text.units_help(metas)),
        ui.Choice("order", "Order units by", compare.ORDERS, "change", help=HELP["order"]),
    ]


def main() -> None:
    """The page, top to bottom: the cards, the equations, the gates, the states, the surprise, the parameters,
    the validation; then what to try and the question. Each model's half works on its own."""
    ui.page_setup(TOPIC, intro=text.INTRO)
    with ui.boundary():
        loaded, broken, metas = sections.load_models()
        passages = next((m["passages"] for m in metas.values() if m.get("passages")), {})
        CONTROLS, VIEW = text_controls(passages), view_controls(metas)

        with st.sidebar:
            st.header("Controls")
        ui.cap_typed_text("text", charlm.MAX_CHARS, "the models read")
        values = ui.render(CONTROLS, disabled=lambda key, v: key == "text" and v["passage"] != OWN)
        raw = values["text"] if values["passage"] == OWN else passages.get(values["passage"], "")
        preps = {kind: charlm.prepare(model, raw) for kind, (model, _, _) in loaded.items()}
        for message in dict.fromkeys(m for p in preps.values() for m in p.messages()):
            ui.problem(ui.escape_markdown(message))
        chars = next(iter(preps.values())).text if preps else ""
        if len(chars) == 1:
            ui.problem("One character gives nothing to predict: type at least two to measure surprise.")
        readings = {kind: ui.cache.char_reading(MODELS[kind], chars) for kind in loaded} if chars else {}

        # The window's first character: its range follows the text and the width, so it sits between the two.
        view = ui.render(VIEW[:1])
        START = ui.Slider("start", "From character", 1, max(2, len(chars) - view["width"] + 1), 1, help=HELP["start"])
        start = ranged_slider(START, disabled=len(chars) <= view["width"])
        view |= ui.render(VIEW[1:])
        lo, hi = compare.window(max(len(chars), 1), start, view["width"])
        shown = sections.Shown(readings, broken, chars, lo, hi, view["units"], view["order"])
        duel = compare.duel(readings["gru"], readings["lstm"]) if len(readings) == 2 else None

        sections.cards_section(shown, loaded)
        sections.equations_section()
        sections.gates_section(shown, PAIR)
        sections.states_section(shown)
        sections.surprise_section(shown, duel)
        sections.parameters_section(loaded)
        sections.validation_section(metas)

        # ----- what to try, and a question ----------------------------------------------------------------------
        ui.experiments(text.PRESETS, CONTROLS + VIEW + [START, PAIR])
        if duel is not None and len(chars) > 1:
            lo_f, hi_f = text.frozen_span(len(chars))
            ui.predict_reveal(text.question(lo_f, hi_f), list(text.ANSWERS.values()),
                              lambda: sections.freeze_truth(loaded, chars, lo_f, hi_f))
