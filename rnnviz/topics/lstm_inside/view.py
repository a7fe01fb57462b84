"""The LSTM-inside page: the shipped character-level LSTM reads a passage it never saw, and the page shows, per
character, its gates, its cell state and one unit's story; every unit at once, a neuron hunt, a forget gate held,
and the model writing on. It opens on one screen: the text, the unit and the quantity beside the stepper and its
step view (a fragment: a step reruns only that); every other part waits in a lazy expander, sent only once
opened, or opened by itself when a preset or a link sets its controls. Run by pages/4_LSTM_inside.py; the words are in words.py, the numbers in
rnnviz.shared.charlm and neurons.py, the charts in figures.py and conveyor.py, the cached call and the sections
in view_parts.py."""
import numpy as np
import streamlit as st

from rnnviz import ui
from rnnviz.shared import bundle, charlm
from rnnviz.topics.lstm_inside import TOPIC
from rnnviz.topics.lstm_inside import figures as figs
from rnnviz.topics.lstm_inside import view_parts as sections
from rnnviz.topics.lstm_inside import words as text
from rnnviz.topics.lstm_inside.words import FEATURES, MODEL, OWN
from rnnviz.ui import yours

HELP = text.HELP
WHICH = ui.Choice("model", "Model", ("shipped", yours.OPTION), "shipped", horizontal=True, help=HELP["model"])
VIEW = [ui.Choice("order", "Order the units", ("number", "busiest", "feature"), "number", horizontal=True,
                  help=HELP["order"])]
HUNT = [ui.Choice("feature", "Feature", tuple(FEATURES), "strongest", horizontal=True, help=HELP["feature"])]
CLAMP = [ui.Slider("clamp", "Clamp the forget gate to", 0.0, 1.0, 0.0, step=0.05, help=HELP["clamp"])]
FROM = ui.Slider("from", "From step", 1, charlm.MAX_CHARS, 40, help=HELP["from"])
STEP = ui.Slider("t", "Step t (the t-th character)", 1, charlm.MAX_CHARS, 1)
GEN = [ui.Text("prompt", "Prompt", "HAMLET.\n", height=80, help=HELP["prompt"]),
       ui.Slider("temp", "Temperature", 0.1, 2.0, 0.8, step=0.1, help=HELP["temp"]),
       ui.Slider("n", "Characters to write", 50, 600, 300, step=50, help=HELP["n"]),
       ui.Number("seed", "Seed", 0, 9999, 0, help=HELP["seed"])]


def text_controls(passages: dict, first: str, units: int, line_unit: int) -> list:
    """The main view's controls: which text, which unit, which quantity (their choices follow the model)."""
    return [
        ui.Choice("passage", "Passage", (*passages, OWN), first, help=HELP["passage"]),
        ui.Text("text", "Your text", text.DEFAULT_TEXT, height=90, help=HELP["text"]),
        ui.Number("unit", "Unit to follow", 0, units - 1, line_unit, help=text.unit_help(units)),
        ui.Choice("q", "Quantity", tuple(figs.QUANTITIES), "cell", help=HELP["q"]),
    ]


def deeper(label: str, key: str, controls: list):
    """A lazy expander (ui.stage.deeper; its label fixed: a new label makes a new, closed one) that opens by
    itself when its controls are set away from their defaults (by a preset, or a link that carries them): the
    student sees what was changed. Closing it sticks until they change again."""
    ss, values = st.session_state, []
    for c in controls:
        v = ss[c.key] if c.key in ss else st.query_params.get(c.key)
        if v is not None and str(v) != str(c.default):
            values.append((c.key, str(v)))
    if values and ss.get(f"{key}__set") != values:
        ss[key] = True
    ss[f"{key}__set"] = values
    return ui.stage.deeper(label, key)


def main() -> None:
    """The page, top to bottom: the main view (the text, the unit and the quantity beside the stepper and its
    step view), what to try and the question, then the deeper parts in lazy expanders: the unit's text, every
    unit and the neuron hunt, the intervention, the model writing, the equations and the model's card."""
    ui.page_setup(TOPIC, intro=text.LEAD_YOURS if shows_yours() else text.LEAD)
    with ui.boundary():
        # The main view: the stepper (Play, the slider, Start / Back / Next) on top of the narrow column, then
        # the model (when the student has one of their own), the passage and the unit; the typed text and the
        # quantity (for the parts below) in a popover; the step view beside them. One screen at 1366×768 and
        # on a 1280×720 projector.
        controls, chart = ui.stage.main_view("lstm", ratio=(1.25, 3))
        step_box = controls.container()              # filled by the stepper's fragment (below)
        name = which_model(controls)
        model, meta = sections.load_or_stop(name)
        passages = meta.get("passages") or {}
        first = text.FIRST if text.FIRST in passages else next(iter(passages), OWN)
        # The page opens on the unit whose cell state best follows the position in the line on the opening passage
        # (a fixed choice for these weights, so a link without ?unit= always means the same unit).
        line_unit, line_r = sections.char_best_unit(name, charlm.prepare(model, passages[first]).text,
                                                    FEATURES["column"]) if passages else (0, 0.0)
        line_unit = max(line_unit, 0)
        TEXT = text_controls(passages, first, model.hidden_size, line_unit)

        with controls:
            ui.cap_typed_text("text", charlm.MAX_CHARS)
            v = ui.render([TEXT[0], TEXT[2]], where=controls)
            more = controls.popover("Your own text · quantity", icon=":material/tune:", width="stretch")
            v |= ui.render([TEXT[1], TEXT[3]], where=more,
                           disabled=lambda key, vals: key == "text" and v.get("passage") != OWN)
            prep = charlm.prepare(model, v["text"] if v["passage"] == OWN else passages.get(v["passage"], ""))
            for message in prep.messages():
                ui.problem(ui.escape_markdown(message))
        teach = st.container()                       # what to try and the question: right under the main view

        r, opening_view = None, False
        if len(prep.text) < 2:
            if prep.text:
                with controls:
                    ui.problem("One character is too little to watch: type at least two.")
        else:
            r = ui.cache.char_reading(name, prep.text, ())
            unit, key = v["unit"], v["q"]
            acts = figs.values(r, key)
            opening_view = (unit, key, v["passage"]) == (line_unit, "cell", first)
            sections.step_section(r, unit, STEP, at=(step_box, chart))   # the stepper: its own fragment

            part = deeper("The text, coloured by the unit you follow", "li_text", [])
            if part.open:
                with part:
                    sections.unit_text_section(r, unit, key, acts, text.line_note(line_unit, first, line_r)
                                               if opening_view else "")
            part = deeper("Every unit at once, and the neuron hunt", "li_units", VIEW + HUNT)
            if part.open:
                with part:
                    m, feats, matches = sections.units_section(r, acts, key, unit, VIEW, HUNT)
                    sections.hunt_section(r, acts, key, unit, m, feats, matches)
            part = deeper("Intervene: hold the unit's forget gate", "li_clamp", CLAMP + [FROM])
            if part.open:
                with part:
                    sections.intervention_section(name, r, unit, CLAMP, FROM)

        part = deeper("Let it write", "li_write", GEN)
        if part.open:
            with part:
                sections.generate_section(name, model, GEN)
        part = deeper("The LSTM's step, as the code computes it", "li_equations", [])
        if part.open:
            with part:
                sections.equations_section(model)
        part = deeper("About this model", "li_about", [])
        if part.open:
            with part:
                sections.about_section(model, meta)

        # ----- what to try, and a question: right under the main view -----------------------------------------
        stage = (sections.char_best_unit(name, charlm.prepare(model, passages[text.STAGE_SCENE]).text, FEATURES["stage"])
                 if text.STAGE_SCENE in passages else None)
        memory = None
        if r is not None:
            unit_f = int(np.argmax(r.gates["forget"].mean(0)))
            memory = (unit_f, float(r.gates["forget"][:, unit_f].mean()), len(r.text))
        with teach:                         # the question first (predict before reveal), then the presets
            if r is not None:
                ui.predict_reveal(text.QUESTION, text.ANSWERS, lambda: text.reveal(r.gates, len(r.text), r.text))
            if name == MODEL:               # (the presets' notes describe the shipped model)
                ui.experiments(text.experiments({"passage": v["passage"], "text": v["text"]}, stage, memory),
                               TEXT + VIEW + HUNT + CLAMP + GEN + [FROM, STEP], ratio=(2, 5))


def own_lstm():
    """(model, config) of this session's own model when it is an LSTM (ui.yours), else None."""
    found = yours.text_model()
    return found if found is not None and getattr(found[0], "kind", None) == "lstm" else None


def shows_yours() -> bool:
    """The page will show the student's own LSTM: before the choice is drawn (the intro above it says which)."""
    chosen = st.session_state.get(WHICH.key, st.query_params.get(WHICH.key))
    return own_lstm() is not None and chosen == yours.OPTION


def which_model(where) -> str:
    """The shipped LSTM, or the student's own when this session has an LSTM trained or loaded on the Your text
    page (a choice appears then); a link asking for "yours" without one says so and shows the shipped one."""
    found = yours.text_model()
    if own_lstm() is None:
        if st.query_params.get("model") == yours.OPTION:
            with where:
                ui.problem("This link opens a model of your own from the Your text page, and this browser session "
                           "has no LSTM trained or loaded there" + (" (yours is a " + found[0].kind.upper() + ")"
                                                                    if found else "") + ": the shipped LSTM is shown.")
        return MODEL
    chosen = ui.render([WHICH], where=where)["model"]
    if chosen == yours.OPTION:
        where.caption("Yours: " + ui.escape_markdown(bundle.describe(found[1])))
        return yours.cache_name()
    return MODEL
