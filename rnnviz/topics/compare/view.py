"""The GRU-vs-LSTM page: the two shipped character models read the same text, side by side.

It opens on one screen (the main view): the window's controls and the text to read, left, beside the two
models' gate heatmaps. Below: what to try and the question, then the deeper parts in lazy expanders
(the gates along the whole text, the states, the surprise, the two models, their equations, parameters
and validation), sent to the browser only once opened. Moving the window's start (its main slider,
"From character") reruns one fragment: the slider and the two heatmaps; the width, the pair, the units shown,
the text, the question and the rest of the page are not re-sent (a new width, pair or number of units reruns
the page: rarer moves; so does a move of the start while a part that follows the window is open). Run by pages/5_GRU_vs_LSTM.py; the words are in
words.py, the numbers in compute.py and rnnviz.shared.charlm, the charts in figures.py, the parts in
view_parts.py."""
from dataclasses import replace

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
PAIR = ui.Choice("pair", "Compare", tuple(compare.PAIRS), "keep", help=HELP["pair"])     # a dropdown: it fits
                                                                 # the controls' column (4 pills would not)
# The window's first character: its range follows the text and the width (set per run in window_view).
START = ui.Slider("start", "From character", 1, charlm.MAX_CHARS, 1, help=HELP["start"])
WINDOW_PARTS = {"cmp_means": "The gates along the whole text, and by kind of character",
                "cmp_states": "The memory: the GRU's one state against the LSTM's c and h",
                "cmp_surprise": "Who is less surprised, where"}


def text_controls(passages: dict) -> list:
    """The text: a held-out passage the models ship with, or the student's own."""
    return [
        ui.Choice("passage", "Text to read", (*passages, OWN),
                  text.FIRST if text.FIRST in passages else next(iter(passages), OWN), help=HELP["passage"]),
        ui.Text("text", "Your text", text.DEFAULT_TEXT, height=90, help=HELP["text"]),
    ]


def view_controls(metas: dict) -> list:
    """How much of the text and of the units the heatmaps show, and in which order."""
    return [
        ui.Slider("width", "Characters shown", 10, 200, 40, step=10, help=HELP["width"]),
        ui.Slider("units", "Units shown", 4, 128, 24, step=4, help=text.units_help(metas)),
        ui.Choice("order", "Order units by", compare.ORDERS, "change", help=HELP["order"]),
    ]


@ui.fragment
def window_view(controls, chart, readings: dict, broken: dict, chars: str, width: int, pair: compare.Pair,
                units: int, order: str) -> tuple[int, int]:
    """The window's start (in `controls`) and the gate heatmaps (in `chart`): a fragment, so moving the start
    redraws only this. Everything it needs from the rest of the page comes in as arguments: the width, the
    pair of gates and the units shown are chosen outside it (rarer moves, which rerun the page), so a move of
    the start re-sends one slider and two charts. The parts below that follow the window are drawn by the
    page: while one is open, a move reruns the page (ui.stage.follow_page), so none is left stale. Returns
    the window [lo, hi)."""
    start = ranged_slider(replace(START, max=max(2, len(chars) - width + 1)), where=controls,
                          disabled=len(chars) <= width)
    lo, hi = compare.window(max(len(chars), 1), start, width)
    ui.stage.follow_page("compare", (lo, hi), any(st.session_state.get(k) for k in WINDOW_PARTS))
    sections.gates_view(sections.Shown(readings, broken, chars, lo, hi, units, order), pair, chart)
    return lo, hi


def window_parts(shown: sections.Shown, pair: compare.Pair, readings: dict, below) -> None:
    """The parts that follow the window, each in a lazy expander (in `below`)."""
    for key, label in WINDOW_PARTS.items():
        part = ui.stage.deeper(label, key, where=below)
        if part.open:
            with part:
                if key == "cmp_means":
                    sections.gates_more(shown, pair)
                elif key == "cmp_states":
                    sections.states_section(shown)
                else:
                    duel = compare.duel(readings["gru"], readings["lstm"]) if len(readings) == 2 else None
                    sections.surprise_section(shown, duel)


def main() -> None:
    """The page, top to bottom: the main view (the text; the window and the gates), what to try and the
    question, then the deeper parts, each in a lazy expander. Each model's half works on its own."""
    ui.page_setup(TOPIC, intro=text.LEAD)
    with ui.boundary():
        loaded, broken, metas = sections.load_models()
        passages = next((m["passages"] for m in metas.values() if m.get("passages")), {})
        CONTROLS, VIEW = text_controls(passages), view_controls(metas)
        sections.broken_section(broken)

        controls, chart = ui.stage.main_view("compare", ratio=(1, 3.2))
        pair = compare.PAIRS[ui.render([PAIR], where=controls)[PAIR.key]]   # the pair, then the window
        width = ui.render(VIEW[:1], where=controls)["width"]          # the window: its width, then its start
        window_box = controls.container()          # (window_view), the units shown, then the text
        more = controls.expander("Units shown", icon=":material/tune:")
        shown_units = ui.render(VIEW[1:], where=more)
        with controls:                               # the text, and what is wrong with it, at the left
            ui.cap_typed_text("text", charlm.MAX_CHARS, "the models read")
            values = ui.render(CONTROLS, where=controls,
                               disabled=lambda key, v: key == "text" and v["passage"] != OWN)
            raw = values["text"] if values["passage"] == OWN else passages.get(values["passage"], "")
            preps = {kind: charlm.prepare(model, raw) for kind, (model, _, _) in loaded.items()}
            for message in dict.fromkeys(m for p in preps.values() for m in p.messages()):
                ui.problem(ui.escape_markdown(message))
            chars = next(iter(preps.values())).text if preps else ""
            if len(chars) == 1:
                ui.problem("One character gives nothing to predict: type at least two to measure surprise.")
        readings = {kind: ui.cache.char_reading(MODELS[kind], chars) for kind in loaded} if chars else {}

        teach, below = st.container(), st.container()
        ui.stage.page_drawn("compare", None)
        lo, hi = window_view(window_box, chart, readings, broken, chars, width, pair, shown_units["units"],
                             shown_units["order"])
        ui.stage.page_drawn("compare", (lo, hi))   # the window the parts below draw
        window_parts(sections.Shown(readings, broken, chars, lo, hi, shown_units["units"], shown_units["order"]),
                     pair, readings, below)
        sections.pair_note(pair, readings, chart)  # under the heatmaps; it follows the pair alone (not the window)

        # ----- what to try, and a question: right under the main view --------------------------------------
        with teach:                         # the question first (predict before reveal), then the presets
            if len(readings) == 2 and len(chars) > 1:
                lo_f, hi_f = text.frozen_span(len(chars))
                ui.predict_reveal(text.question(lo_f, hi_f), list(text.ANSWERS.values()),
                                  lambda: sections.freeze_truth(loaded, chars, lo_f, hi_f))
            ui.experiments(text.PRESETS, CONTROLS + VIEW + [START, PAIR])

        # ----- deeper: what does not follow the window ----------------------------------------------------
        for key, label, draw in (
                ("cmp_models", "The two models, and this text's bits per character",
                 lambda: (st.markdown(text.INTRO), sections.cards_section(readings, broken, loaded))),
                ("cmp_equations", "The two cells, from the code", sections.equations_section),
                ("cmp_parameters", "Parameters per gate", lambda: sections.parameters_section(loaded)),
                ("cmp_validation", "How well does each predict?", lambda: sections.validation_section(metas))):
            part = ui.stage.deeper(label, key)
            if part.open:
                with part:
                    draw()
