"""Date translation: a GRU encoder reads a date written any way, its last state c is all a GRU decoder gets,
and the decoder writes YYYY-MM-DD; greedy against beam search (encoder–decoder, no attention).

The page (main) and its cached calls: the shipped encoder–decoder is loaded once per process
(ui.cache.pretrained_model, shared read-only), and each reading of a (text, beam width) is a pure result.
"""
from __future__ import annotations

import streamlit as st

from rnnviz import ui
from rnnviz.topics.dates import TOPIC, compute, figures, words
from rnnviz.ui.cache import MB, bounded, pretrained_model

MODEL = "dates"


# worst entry 0.115 MB (compute.MAX_CHARS = 60 characters, beam width 8); a typed date of ~20 characters ~0.04 MB
@bounded(max_entries=256, max_bytes=8 * MB)
def reading(text: str, width: int, name: str = MODEL) -> compute.Reading:
    """The encoder's states, greedy and beam search (width) on a prepared, non-empty text."""
    model, _ = pretrained_model(name)
    return compute.read(model, text, width)


@bounded(max_entries=4, max_bytes=1 * MB)                        # a number and a sentence
def answer(name: str = MODEL) -> tuple[int, str]:
    """The predict-then-reveal's answer, from the model (words.answer)."""
    model, _ = pretrained_model(name)
    return words.answer(model)


@bounded(max_entries=64, max_bytes=2 * MB)                       # a few context vectors per date
def context_pairs(text: str, name: str = MODEL) -> list[compute.ContextPair]:
    """c of a typed real date against the same date in other forms, and against the next day (the control)."""
    model, _ = pretrained_model(name)
    return compute.context_pairs(model, text)


# ----- the page ------------------------------------------------------------------------------------------

DATE = ui.Text("date", "A date, written any way", "Saturday, November 21st 2026", help=words.HELP["date"])
WIDTH = ui.Slider("width", "Beam width", *compute.WIDTHS, 3, help=words.HELP["width"])
UNITS = ui.Choice("units", "Encoder units shown", ("strongest 32", "all"), "strongest 32", horizontal=True,
                  help=words.HELP["units"])
CONTROLS = [DATE, WIDTH, UNITS]
HEIGHT = {False: 360, True: 270}    # the decoder chart's: on a laptop, and on a projector (larger type, 720 px)
BEAM, ENCODER = "dates_beam", "dates_encoder"      # the lazy expanders that draw the typed date (tests open them)
LIVE = (BEAM, ENCODER)


def main() -> None:
    """The page: run by pages/12_Date_translation.py on every rerun. Its main view (a fragment): the date and
    the beam width beside what both searches write and the decoder's steps; the beam tree and the encoder (with
    its units shown) in lazy expanders under it. Then the model's score, the question, what to try, and the notes."""
    lead, rest = ui.stage.lead(words.INTRO)
    ui.page_setup(TOPIC, intro=lead)

    with ui.boundary():
        model, meta = ui.pretrained_or_stop(MODEL, "The date-translation demo")
        m = meta["metrics"]
        main_view()                                    # nothing below it reads the date or the width
        st.caption(f"On {meta['data']['sizes']['test']:,} held-out dates it never saw (each in a random form), it "
                   f"writes the whole date right **{m['test_exact_greedy']:.1%}** of the time greedily and "
                   f"**{m['test_exact_beam']:.1%}** with beam search (width {meta['hyper']['beam_width']}); the "
                   f"baseline (the likeliest character at each position, blind to the input) {m['majority_exact']:.1%} "
                   f"({m['majority_char_accuracy']:.0%} of the characters, against the model's "
                   f"{m['test_char_accuracy']:.1%}).")

        # the question first: its preset (February 30) would answer it (issue 22, predict before reveal)
        ui.predict_reveal(words.QUESTION, words.ANSWERS, answer)
        ui.experiments(words.PRESETS, CONTROLS, show="decoder")

        score = ui.stage.deeper("How good is it? Dates it never saw", "dates_score", icon=":material/scoreboard:")
        if score.open:
            left, right = score.columns([3, 2])
            ui.chart(left, figures.scoreboard(m, meta["hyper"]["beam_width"]), key="scoreboard")
            right.markdown(words.baseline_text(meta))
            right.caption(f"Answers that are not real dates, among its {meta['data']['sizes']['test']:,} greedy test "
                          f"answers: {m['test_invalid_dates']}.")
        eqs = ui.stage.deeper("The equations, with this model's sizes", "dates_equations", icon=":material/functions:")
        if eqs.open:
            with eqs:
                for tex, said in words.equations(model):
                    st.latex(tex)
                    st.caption(said)
                st.caption(f"{meta['parameters']:,} parameters. The code: `rnnviz/topics/dates/model.py` (Seq2Seq), "
                           "decoding in `rnnviz/topics/dates/decoding.py`.")
        data = ui.stage.deeper("Where the dates come from, and the model", "dates_data", icon=":material/inventory_2:")
        if data.open:
            with data:
                st.markdown(words.data_text(meta))
                st.markdown(f"The model: an encoder GRU and a decoder GRU of {model.hidden_size} units each, character "
                            f"embeddings of {model.embed_size} numbers; trained on {meta['data']['pairs_seen']:,} "
                            f"generated pairs ({meta['hyper']['steps']:,} steps of {meta['hyper']['batch']}), rebuilt "
                            f"by `{meta['command']}` in {meta['minutes']:.1f} minutes on a CPU.")
        ui.stage.about(rest, "dates_about")


@ui.fragment
def main_view() -> None:
    """The date and the beam width beside what greedy and beam search write and the decoder's steps; under
    them, the beam tree and the encoder (and its units shown), each drawn only once opened. A fragment: typing a date or moving
    the width reruns and re-sends this part alone (nothing below it depends on them)."""
    with ui.boundary("main view"):
        reading_view()


def reading_view() -> None:
    """The main view's content (see main_view)."""
    model, _ = pretrained_model(MODEL)
    controls, chart = ui.stage.main_view("dates", ratio=(1, 2.6))
    ui.cap_typed_text("date", compute.MAX_CHARS, reader="the model reads")
    v = ui.render([DATE, WIDTH], where=controls)       # the units: in the encoder's expander, the one chart they change
    prep = compute.prepare(model, v["date"])
    for message in prep.messages():
        with chart:
            ui.problem(ui.escape_markdown(message))
    if not prep.text:
        return
    r = reading(prep.text, int(v["width"]))
    left, right = chart.columns(2)
    left.metric("Greedy search writes", r.greedy.text or "(nothing)", help="The likeliest symbol at every step.")
    right.metric(f"Beam search (width {r.beam.width}) writes", r.beam.text or "(nothing)",
                 delta=None if r.beam.text == r.greedy.text else "differs from greedy", delta_color="off",
                 help="The answer with the highest total log-probability among those beam search kept.")
    with controls:
        for kind, note in words.notes(r):
            {"ok": st.success, "warn": ui.problem, "info": st.info}[kind](ui.escape_markdown(note))
    ui.chart(chart, figures.decoder_steps(r.symbols, r.greedy.probs, r.greedy.tokens,
                                          height=HEIGHT[ui.frame.presenting()]),
             key="decoder", summary=words.decoder_said(model, r.greedy))

    beam = ui.stage.deeper("Greedy against beam search: the candidates beam search keeps", BEAM,
                           icon=":material/account_tree:")
    if beam.open:
        with beam:
            ui.chart(st, figures.beam_tree(r.beam, r.symbols), key="beam", summary=words.beam_said(r))
            same = r.beam.text == r.greedy.text
            st.caption(words.BEAM_NOTE.format(w=r.beam.width) + f" Greedy's answer scores Σ log p = "
                       f"{r.greedy.logp:.3f}; the beam's winner {r.beam.logp:.3f}"
                       + (": the same answer." if same else ": a different answer."))
            st.caption(words.DECODER_NOTE)
    encoder = ui.stage.deeper("The encoder reads: its state after each character, and the context vector c",
                              ENCODER, icon=":material/input:")
    if encoder.open:
        with encoder:
            shown = ui.render([UNITS])
            units = figures.strongest_units(r.c, 32 if shown["units"] != "all" else None)
            height = 420 if len(units) <= 32 else 900
            left, right = st.columns([3, 1])
            ui.chart(left, figures.encoder_states(r.shown, r.states, units, height), key="encoder",
                     summary=words.encoder_said(r, units))
            ui.chart(right, figures.context(r.c, units, height), key="context", summary=words.context_summary(r))
            st.caption(words.ENCODER_NOTE)
            pairs = context_pairs(prep.text)
            if pairs:
                st.caption(ui.escape_markdown(words.context_said(pairs)))
                st.dataframe(compute.context_table(pairs), hide_index=True, key="distances")
            else:
                st.caption("Type a real date (1900–2099) to measure how far its c is from the same date in other "
                           "forms, and from the next day's.")
