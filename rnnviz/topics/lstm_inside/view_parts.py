"""The LSTM-inside page's cached call and its sections, each a block of st.* calls the page places in order:

    unit, r = char_best_unit(name, text, feature) # the unit that tracks a feature best (cached)
    model, meta = load_or_stop(name)              # the shipped model, or a message and the page stops
    step_section(r, unit)                         # the main view: the stepper, step view, predictions (and
                                                  # the conveyor belt in a lazy expander)
    unit_text_section(r, unit, key, acts, note)   # the text coloured by one unit
    m, feats, matches = units_section(...)        # every unit at once (order / feature controls)
    hunt_section(r, acts, key, unit, m, feats, matches)   # which unit tracks what
    intervention_section(r, unit, clamp, start)   # hold the unit's forget gate
    generate_section(model, controls)             # let it write
    equations_section(model)                      # the LSTM's equations, from the code
    about_section(model, meta)                    # what the model is

The words are in rnnviz.topics.lstm_inside.words, the numbers in rnnviz.shared.charlm and neurons.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np
import streamlit as st

from rnnviz import cells, pretrained
from rnnviz.shared import bundle, charlm, gates
from rnnviz.shared import colored_text as colored
from rnnviz.topics.lstm_inside import conveyor as belt_figs
from rnnviz.topics.lstm_inside import figures as figs
from rnnviz.topics.lstm_inside import neurons
from rnnviz.topics.lstm_inside import words as text
from rnnviz.ui import cache, cap_typed_text, escape_markdown, problem
from rnnviz.ui.cache import MB, bounded
from rnnviz.ui.controls import Control, Slider, render
from rnnviz.ui.export import chart
from rnnviz.ui.frame import presenting
from rnnviz.ui.stage import deeper
from rnnviz.ui.stepper import Steps, ranged_slider, stepper


# worst entry: a unit and a number, 0.0001 MB
@bounded(max_entries=64, max_bytes=1 * MB)
def char_best_unit(name: str, text: str, feature: str, quantity: str = "cell state") -> tuple[int, float]:
    """The unit whose `quantity` (see charlm.Reading.quantity) correlates most with one of
    neurons.features(text), and its Pearson r: a small result, so a page can ask on every run."""
    r = cache.char_reading(name, text, ())
    corr = neurons.correlations(r.quantity(quantity), neurons.features(text)[feature])
    if np.all(np.isnan(corr)):
        return -1, float("nan")
    unit = int(np.nanargmax(np.abs(corr)))
    return unit, float(corr[unit])


def load_or_stop(name: str):
    """(model, meta) of the shipped character LSTM; when it is missing or corrupt, the core's message
    (which names the command that rebuilds it) and the page stops there."""
    try:
        model, _, meta = cache.char_model(name)
    except (FileNotFoundError, pretrained.IntegrityError, KeyError, ValueError) as e:
        problem(str(e.args[0] if e.args else e) + "  \nThe other lessons do not need this model and keep working.")
        st.stop()
    return model, meta


def equations_section(model) -> None:
    """The LSTM's equations as the code computes them, each with its meaning, and what its gates are."""
    st.latex(r"\begin{aligned}" + r"\\".join(eq.replace("=", "&=", 1) + rf"&&\text{{{text.MEANING[name]}}}"
                                             for name, eq in cells.equations("lstm")) + r"\end{aligned}")
    st.markdown(text.gates_note(model.hidden_size))


def unit_text_section(r: charlm.Reading, unit: int, key: str, acts: np.ndarray, note: str = "") -> None:
    """The text, each character coloured by one unit's quantity `key`."""
    signed, scale = figs.QUANTITIES[key][2], None if key == "cell" else 1.0
    st.subheader(f"Unit {unit}: its {figs.label(key)}, character by character")
    st.html(colored.colored_text(r.text, acts[:, unit], signed, scale, label=figs.label(key), unknown=r.ids == 0))
    st.html(colored.legend(signed, scale or float(np.abs(acts[:, unit]).max())))
    st.caption(text.unit_caption(r.bpc, note))


def units_section(r: charlm.Reading, acts: np.ndarray, key: str, unit: int,
                  order_control: Sequence[Control], feature_control: Sequence[Control]):
    """The heatmap of every unit; returns the neuron hunt's chosen match, the features and all matches."""
    st.subheader("Every unit at once")
    feats = neurons.features(r.text)
    matches = neurons.hunt(acts, r.text)
    o_col, f_col = st.columns([2, 5])
    hv = render(order_control, where=o_col) | render(feature_control, where=f_col)
    wanted = text.FEATURES[hv["feature"]]
    m = next(x for x in matches if x.feature == wanted) if wanted else matches[0]        # strongest: the first
    order = figs.order_units(acts, hv["order"], neurons.correlations(acts, feats[m.feature]))
    chart(st, figs.unit_heatmap(acts, r.text, key, order, unit, f"{figs.label(key)}: {len(r.text)} "
                                      f"characters × {acts.shape[1]} units"), key="heatmap",
          summary=text.heatmap_said(acts, r.text, figs.label(key), unit))
    st.caption(text.HEATMAP_NOTE)
    return m, feats, matches


# The step view in the main view: short enough that it and the sentence under it fit a 1366×768 screen
# beside the stepper (and a 1280×720 projector, whose larger type ui.chart makes ~18 % taller), and 40
# characters wide (not 60): each character is a tick label, five predicted letters and a box.
STEP_VIEW_HEIGHT, STEP_VIEW_PRESENTING, STEP_VIEW_WIDTH = 390, 280, 40


def step_section(r: charlm.Reading, unit: int, step: Slider, at: tuple) -> None:
    """The stepper over the characters (its controls in at[0], the main view's controls column): the step
    view and what the model expects next (in at[1]); the conveyor belt (c_t kept and written, and how long it
    lasts) in a lazy expander. All inside the stepper's fragment.

    The step view is one figure per window of characters (figures.page_window), cached here: while t moves
    inside a window the page sends the very same chart, which the browser leaves as drawn, and only the
    marker of step t (a style sheet over the chart, figures.step_mark) and the sentence change."""
    T = len(r.text)
    top_chars, top_probs = charlm.top_k(r, 5)
    height = STEP_VIEW_PRESENTING if presenting() else STEP_VIEW_HEIGHT

    def show_step(t: int) -> None:
        lo, hi = figs.page_window(T, t, STEP_VIEW_WIDTH)
        fig = _step_figure(r, unit, t, lo, top_chars, top_probs, height)
        chart(st, fig, key="step_view")
        st.html(figs.step_mark("step_view", t, lo, hi))
        say = lambda ch: f"“{escape_markdown(gates.visible(ch))}”"                      # noqa: E731
        pct = lambda p: f"{p:.0%}" if p >= 0.005 else "<1%"                                   # noqa: E731
        expects = " · ".join(f"{say(c)} {pct(p)}" for c, p in zip(top_chars[t - 1], top_probs[t - 1]))
        came = f"; what came: {say(r.text[t])} ({pct(r.probs[t - 1, r.ids[t]])})" if t < T else ""
        st.markdown(f"**After step {t}** ({say(r.text[t - 1])}) the model expects {expects}{came}.")
        belt_part = deeper("The conveyor belt: the cell state at this step", "li_belt")
        if not belt_part.open:
            return
        with belt_part:
            belt = charlm.conveyor(r, t - 1, unit)
            half = charlm.half_life(belt["survival"])
            chart(st, belt_figs.conveyor(belt, t, unit, r.text[t - 1]), key="conveyor")
            st.latex(rf"c_{{{t}}} = f_{{{t}}}\,c_{{{t - 1}}} + i_{{{t}}}\,g_{{{t}}} = "
                     rf"{belt['f']:.3f}\times({belt['c_prev']:+.3f}) + {belt['i']:.3f}\times({belt['g']:+.3f}) = "
                     rf"{belt['kept']:+.3f} {belt['written']:+.3f} = {belt['c']:+.3f}")
            left, right = st.columns([3, 2], vertical_alignment="center")
            chart(left, belt_figs.survival(belt["survival"], t, half, unit), key="survival")
            right.markdown(text.belt_note(unit, t))

    stepper(Steps(step.key, step.label, first=1, last=T, start=1, help=text.HELP["t"], stage="lstm_step"),
            show_step, at=at)


def _step_figure(r: charlm.Reading, unit: int, t: int, lo: int, top_chars, top_probs, height: int):
    """The step view of step t, whose window starts at lo: built once per text, unit, window and height, and
    kept in the session (one, the window the student is in) for the other steps of that window."""
    memo = st.session_state.setdefault("_li_step_figure", {})
    key = (r.text, unit, lo, height)
    if key not in memo:
        memo.clear()
        memo[key] = figs.step_view(r, unit, t, top_chars, top_probs, width=STEP_VIEW_WIDTH, height=height)
    return memo[key]


def hunt_section(r: charlm.Reading, acts: np.ndarray, key: str, unit: int, m, feats: dict, matches) -> None:
    """The table of features and their best units, the chosen match drawn, and a button to follow it."""
    st.subheader("Neuron hunt: which unit tracks what?")
    st.markdown(text.hunt_lead(figs.label(key)))
    rows, absent = figs.hunt_rows(matches)
    st.dataframe(rows, hide_index=True, key="hunt_table")
    if absent:
        st.caption("Not in this text, so nothing to correlate with: " + escape_markdown(", ".join(absent)) + ".")
    if m.unit < 0:
        problem(escape_markdown(f"'{m.feature}' never changes in this text, so no unit can track it."))
        return
    chart(st, figs.hunt_match(r.text, acts[:, m.unit], feats[m.feature], m, key), key="hunt_match")
    st.button(f"Follow unit {m.unit}", icon=":material/search:", key="follow", disabled=m.unit == unit,
              on_click=lambda u=m.unit: st.session_state.update(unit=u),
              help="Makes it the unit you follow, above and below.")
    st.caption(text.HUNT_HINT)


def intervention_section(name: str, r: charlm.Reading, unit: int, clamp: Sequence[Control], start: Slider) -> None:
    """Hold the followed unit's forget gate from a chosen step on, and compare with the free reading."""
    st.markdown(text.INTERVENE)
    c1, c2 = st.columns(2)
    value = render(clamp, where=c1)[clamp[0].key]
    T = len(r.text)                                    # the range follows the text: 1..T, default at most T
    first = ranged_slider(replace(start, max=T, default=min(start.default, T)), where=c2)
    clamped = cache.char_clamped(name, r.text, "forget", unit, value, first - 1)
    fx = charlm.effect(r, clamped)
    chart(st, figs.intervention(r, clamped, fx, unit, first, value), key="intervention",
          summary=text.clamp_effect(fx.first, float(fx.dh.max()), fx.top1_changed, len(r.text), fx.dbpc))


def generate_section(name: str, model, controls: Sequence[Control]) -> None:
    """A prompt, a temperature, a length and a seed: the model writes on from the prompt."""
    cap_typed_text(controls[0].key, charlm.MAX_CHARS)
    gv = {k: val for c, col in zip(controls, st.columns([3, 2, 2, 1.2])) for k, val in render([c], where=col).items()}
    prompt, temp, n, seed = (gv[c.key] for c in controls)            # in the order declared
    prep = charlm.prepare(model, prompt)
    for message in prep.messages():
        problem(escape_markdown(text.EMPTY_PROMPT if not prep.text else message))
    written = cache.char_generate(name, prep.text or "\n", n, temp, seed)
    st.code(prep.text + written, language=None, wrap_lines=True)
    st.caption(text.WRITE_NOTE.format(temp=temp))


def about_section(model, meta: dict) -> None:
    if "yours" in meta:                  # the student's own model (Your text page): what its file says
        st.markdown("Your own model: " + escape_markdown(bundle.describe(meta["yours"])) + ".")
        st.table(charlm.parameter_table(model))
        return
    st.markdown(text.INTRO)
    st.caption(text.model_caption(model.hidden_size, meta, model.vocab_size))
    st.markdown(text.about(model.hidden_size, model.vocab_size, meta))
    st.table(charlm.parameter_table(model))
