"""Attention: a plain encoder–decoder beside the same one with additive attention, reading number words.

The page (main) and its cached calls: both shipped models are loaded once per process (ui.cache.pretrained_model,
shared read-only); each reading of a typed text by both models is a pure result, cached by the text.
"""
from __future__ import annotations

import streamlit as st

from rnnviz import ui
from rnnviz.topics.attention import TOPIC, compute, figures, words
from rnnviz.ui.cache import MB, bounded, pretrained_model

PLAIN, ATTENTIVE = "numbers_plain", "numbers_attention"
DEFAULT = "three hundred and twelve thousand and five"
UNITS = ("strongest 24", "all")


# an entry keeps the encoder's states (T ≤ 100, H = 64, float64: 51 kB) and both models' c_k and α: < 0.1 MB
@bounded(max_entries=128, max_bytes=16 * MB)
def reading(text: str) -> compute.Reading:
    """Both models read a prepared, non-empty text: their answers, every step's context and the alignment."""
    return compute.read(pretrained_model(PLAIN)[0], pretrained_model(ATTENTIVE)[0], text)


def curves() -> compute.LengthCurves:
    return compute.by_length(pretrained_model(PLAIN)[1], pretrained_model(ATTENTIVE)[1])


NUMBER = ui.Text("number", "A number in words", DEFAULT, help=words.HELP["number"])
SHOWN = ui.Choice("units", "Context units shown", UNITS, UNITS[0], horizontal=True, help=words.HELP["units"])
CONTROLS = [NUMBER, SHOWN]
CONTEXTS = "attention_contexts"      # the lazy expander with the context vectors (tests open it)


def main() -> None:
    """The page: run by pages/15_Attention.py on every rerun. Its main view (a fragment): the number beside
    both models' answers and the alignment map, then the context vectors in a lazy expander; below it the
    question, what to try, the length chart and the notes, none of which reads the number."""
    lead, rest = ui.stage.lead(words.INTRO, sentences=1)     # under the title; the rest in "About this page"
    ui.page_setup(TOPIC, intro=lead)

    with ui.boundary():
        plain, plain_meta = ui.pretrained_or_stop(PLAIN, "The attention page")
        attentive, attentive_meta = ui.pretrained_or_stop(ATTENTIVE, "The attention page")
        main_view()                                    # nothing below it reads the number or the units

        # the question before the chart that answers it, and before the presets (predict, then reveal)
        ui.predict_reveal(words.QUESTION, words.ANSWERS, lambda: words.answer(curves()))
        ui.experiments(words.PRESETS, CONTROLS, show="alignment")

        st.subheader("Exact match against input length, on numbers neither model saw")
        if ui.revealed():
            c = curves()
            ui.chart(st, figures.length_chart(c), key="length", summary=words.length_said(c))
            st.markdown(words.baseline_text(attentive_meta))
        else:
            st.info("Predict first: this chart answers the question above. It appears once you have answered.",
                    icon=":material/visibility_off:")

        ui.stage.about(rest, "attention_about")
        eqs = ui.stage.deeper("The equations, with these models' sizes", "attention_eqs", icon=":material/functions:")
        if eqs.open:
            with eqs:
                for tex, said in words.equations(attentive, plain):
                    st.latex(tex)
                    st.caption(said)
                st.caption("The code: `rnnviz/topics/attention/model.py` (NumberReader, AdditiveAttention).")
        about = ui.stage.deeper("Where the numbers come from, and the models", "attention_data",
                                icon=":material/inventory_2:")
        if about.open:
            with about:
                st.markdown(words.data_text(attentive_meta))
                for meta in (plain_meta, attentive_meta):
                    st.markdown(f"`{meta['command']}`: {meta['task']}; {meta['parameters']:,} parameters, "
                                f"{meta['hyper']['steps']:,} steps of {meta['hyper']['batch']} pairs, "
                                f"{meta['minutes']:.1f} minutes on one CPU thread; held-out exact match "
                                f"{meta['metrics']['test_exact']:.1%}.")


@ui.fragment
def main_view() -> None:
    """The number beside what both models write and the alignment map; under them the context vectors (and the
    units shown), drawn only once their expander is opened. A fragment: typing a number reruns and re-sends this
    part alone (nothing else on the page depends on it)."""
    with ui.boundary("main view"):
        reading_view()


def reading_view() -> None:
    """The main view's content (see main_view)."""
    attentive = pretrained_model(ATTENTIVE)[0]
    side, wide = ui.stage.main_view("attention", ratio=(1, 2.6))
    with side:
        ui.cap_typed_text("number", compute.MAX_CHARS, reader="the models read")
    v = ui.render([NUMBER], where=side)
    prep = compute.prepare(attentive, v["number"])
    r = reading(prep.text) if prep.text else None
    with side:
        for message in prep.messages():
            ui.problem(ui.escape_markdown(message))
        if r is not None:
            # Few elements: each one is re-sent and re-rendered on every typed number (issue 22 item 2), so the
            # answers carry no help icon (how they are written, greedily, is said under the map) and the notes
            # on them are one box per kind (right, wrong) rather than one per model.
            st.metric("Plain (single c) writes", r.plain.text or "(nothing)")
            st.metric("With attention writes", r.attentive.text or "(nothing)")
            said = words.answers_said(r)
            for kind, show in (("ok", st.success), ("warn", ui.problem)):
                notes = [note for k, note in said if k == kind]
                if notes:
                    show(ui.escape_markdown(" ".join(notes)))
    if r is None:
        return
    ui.chart(wide, figures.alignment(r.shown, r.attentive.symbols, r.attentive.alphas), key="alignment",
             summary=f"{words.alignment_said(r)} {words.ALIGNMENT_NOTE}")       # one caption under the map

    # the contexts: a lazy expander in the fragment (two heatmaps redrawn on every typed number cost the browser
    # more than everything else in the main view; issue 22 item 2)
    ctx = ui.stage.deeper("The context vector at each step: one c, or a new c_k", CONTEXTS,
                          icon=":material/view_column:")
    if not ctx.open:
        return
    with ctx:
        shown = ui.render([SHOWN])
        n = 24 if shown["units"] == UNITS[0] else None
        left, right = st.columns(2)
        ui.chart(left, figures.contexts(r.plain.contexts, r.plain.symbols,
                                        compute.strongest_units(r.plain.contexts, n),
                                        "Plain: c = h_T, the same at every step", figures.PLAIN), key="ctx_plain")
        ui.chart(right, figures.contexts(r.attentive.contexts, r.attentive.symbols,
                                         compute.strongest_units(r.attentive.contexts, n),
                                         "With attention: c_k = Σ_j α_kj h_j", figures.ATTENTIVE),
                 key="ctx_attention", summary=words.contexts_said(r))
        st.caption(words.CONTEXT_NOTE)
