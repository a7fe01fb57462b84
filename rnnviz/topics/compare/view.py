"""GRU vs LSTM: the same text through two trained character models, gate for gate, side by side."""
import streamlit as st

from rnnviz import ui
from rnnviz.shared import charlm
from rnnviz.topics.compare import compute as compare
from rnnviz.topics.compare import words as text
from rnnviz.topics.compare.words import MODELS, OWN
from rnnviz.topics.compare import view_parts as sections
from rnnviz.ui.stepper import ranged_slider
from rnnviz.topics.compare import TOPIC


def main() -> None:
    """The page: run by pages/5_GRU_vs_LSTM.py on every rerun."""
    ui.page_setup(TOPIC, intro=text.INTRO)

    with ui.boundary():
        # ----- the two models: each half of the page works on its own ------------------------------------
        loaded, broken, metas = sections.load_models()
        passages = next((m["passages"] for m in metas.values() if m.get("passages")), {})

        CONTROLS = [
            ui.Choice("passage", "Text to read", (*passages, OWN),
                      text.FIRST if text.FIRST in passages else next(iter(passages), OWN),
                      help="A passage from Hamlet or Macbeth, which neither model saw in training, or your own text."),
            ui.Text("text", "Your text", text.DEFAULT_TEXT, height=110,
                    help=f"Used when 'Text to read' is '{OWN}'. The models read at most {charlm.MAX_CHARS:,} characters, "
                         "and any character they never learned as one unknown symbol."),
        ]
        VIEW = [
            ui.Slider("width", "Characters shown", 10, 200, 40, step=10,
                      help="How many characters the heatmaps show, from the first one chosen above."),
            ui.Slider("units", "Units shown", 4, 128, 24, step=4,
                      help="How many hidden units each heatmap shows" + "".join(
                          f"{', ' if n else ' ('}the {k.upper()} has {m['arch']['hidden_size']}"
                          for n, (k, m) in enumerate(metas.items())) + (")." if metas else ".")),
            ui.Choice("order", "Order units by", compare.ORDERS, "change",
                      help="change: the units whose value moves most over the text first. mean: the most open (or "
                           "largest) first. index: units 0, 1, 2, … as they are stored."),
        ]
        PAIR = ui.Choice("pair", "Compare", tuple(compare.PAIRS), "keep", horizontal=True,
                         help="keep: GRU z vs LSTM f. write: GRU 1 − z vs LSTM i. reset: GRU r vs LSTM o. "
                              "candidate: GRU n vs LSTM g.")

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
        view = ui.render(VIEW[:1])
        START = ui.Slider("start", "From character", 1, max(2, len(chars) - view["width"] + 1), 1,
                          help="The first character the heatmaps show (shaded in the charts along the whole text).")
        start = ranged_slider(START, disabled=len(chars) <= view["width"])
        view |= ui.render(VIEW[1:])
        lo, hi = compare.window(max(len(chars), 1), start, view["width"])
        shown = sections.Shown(readings, broken, chars, lo, hi, view["units"], view["order"])
        duel = compare.duel(readings["gru"], readings["lstm"]) if len(readings) == 2 else None

        # ----- the lesson, section by section ------------------------------------------------------------
        sections.cards_section(shown, loaded)
        sections.equations_section()
        sections.gates_section(shown, PAIR)
        sections.states_section(shown)
        sections.surprise_section(shown, duel)
        sections.parameters_section(loaded)
        sections.validation_section(metas)

        # ----- experiments and a question ----------------------------------------------------------------
        ui.experiments(text.EXPERIMENTS, CONTROLS + VIEW + [START, PAIR])
        if duel is not None and len(chars) > 1:
            lo_f, hi_f = text.frozen_span(len(chars))
            ui.predict_reveal(text.question(lo_f, hi_f), list(text.ANSWERS.values()),
                              lambda: sections.freeze_truth(loaded, chars, lo_f, hi_f))
