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


def main() -> None:
    """The page: run by pages/12_Date_translation.py on every rerun."""
    ui.page_setup(TOPIC, intro=words.INTRO)

    with ui.boundary():
        DATE = ui.Text("date", "A date, written any way", "Saturday, November 21st 2026", help=words.HELP["date"])
        WIDTH = ui.Slider("width", "Beam width", *compute.WIDTHS, 3, help=words.HELP["width"])
        UNITS = ui.Choice("units", "Encoder units shown", ("strongest 32", "all"), "strongest 32", horizontal=True,
                          help=words.HELP["units"])
        CONTROLS = [DATE, WIDTH, UNITS]

        model, meta = ui.pretrained_or_stop(MODEL, "The date-translation demo")
        m = meta["metrics"]
        top = st.columns([3, 1.5, 1.5], vertical_alignment="bottom")
        ui.cap_typed_text("date", compute.MAX_CHARS, reader="the model reads")
        v = ui.render([DATE], where=top[0]) | ui.render([WIDTH], where=top[1]) | ui.render([UNITS], where=top[2])
        st.caption(f"On {meta['data']['sizes']['test']:,} held-out dates it never saw (each in a random form), it "
                   f"writes the whole date right **{m['test_exact_greedy']:.1%}** of the time greedily and "
                   f"**{m['test_exact_beam']:.1%}** with beam search (width {meta['hyper']['beam_width']}); the "
                   f"baseline (the likeliest character at each position, blind to the input) {m['majority_exact']:.1%} "
                   f"({m['majority_char_accuracy']:.0%} of the characters, against the model's "
                   f"{m['test_char_accuracy']:.1%}).")

        prep = compute.prepare(model, v["date"])
        for message in prep.messages():
            ui.problem(ui.escape_markdown(message))

        if prep.text:
            r = reading(prep.text, int(v["width"]))
            left, right = st.columns(2)
            left.metric("Greedy search writes", r.greedy.text or "(nothing)",
                        help="The likeliest symbol at every step.")
            right.metric(f"Beam search (width {r.beam.width}) writes", r.beam.text or "(nothing)",
                         delta=None if r.beam.text == r.greedy.text else "differs from greedy", delta_color="off",
                         help="The answer with the highest total log-probability among those beam search kept.")
            for kind, note in words.notes(r):
                {"ok": st.success, "warn": ui.problem, "info": st.info}[kind](ui.escape_markdown(note))

            st.subheader("1 · The encoder reads: its state after each character")
            units = figures.strongest_units(r.c, 32 if v["units"] != "all" else None)
            height = 420 if len(units) <= 32 else 900
            left, right = st.columns([3, 1])
            ui.chart(left, figures.encoder_states(r.shown, r.states, units, height), key="encoder",
                     summary=words.encoder_said(r, units))
            ui.chart(right, figures.context(r.c, units, height), key="context", summary=words.context_summary(r))
            st.caption(words.ENCODER_NOTE)
            pairs = context_pairs(prep.text)
            if pairs:
                st.caption(ui.escape_markdown(words.context_said(pairs)))
                with st.expander("The distances between context vectors, pair by pair", icon=":material/straighten:"):
                    st.dataframe(compute.context_table(pairs), hide_index=True, key="distances")
            else:
                st.caption("Type a real date (1900–2099) to measure how far its c is from the same date in other "
                           "forms, and from the next day's.")

            st.subheader("2 · The decoder writes, from c alone")
            said = words.decoder_said(model, r.greedy)
            ui.chart(st, figures.decoder_steps(r.symbols, r.greedy.probs, r.greedy.tokens), key="decoder", summary=said)
            st.caption(words.DECODER_NOTE)

            st.subheader("3 · Greedy against beam search")
            ui.chart(st, figures.beam_tree(r.beam, r.symbols), key="beam", summary=words.beam_said(r))
            same = r.beam.text == r.greedy.text
            st.caption(words.BEAM_NOTE.format(w=r.beam.width) + f" Greedy's answer scores Σ log p = "
                       f"{r.greedy.logp:.3f}; the beam's winner {r.beam.logp:.3f}"
                       + (": the same answer." if same else ": a different answer."))

        with st.expander("The equations, with this model's sizes", icon=":material/functions:", expanded=False):
            for tex, said in words.equations(model):
                st.latex(tex)
                st.caption(said)
            st.caption(f"{meta['parameters']:,} parameters. The code: `rnnviz/topics/dates/model.py` (Seq2Seq), decoding in "
                       "`rnnviz/topics/dates/decoding.py`.")

        st.subheader("How good is it? Dates it never saw")
        left, right = st.columns([3, 2])
        ui.chart(left, figures.scoreboard(m, meta["hyper"]["beam_width"]), key="scoreboard")
        right.markdown(words.baseline_text(meta))
        right.caption(f"Answers that are not real dates, among its {meta['data']['sizes']['test']:,} greedy test "
                      f"answers: {m['test_invalid_dates']}.")

        # the question first: its preset (February 30) would answer it (issue 22, predict before reveal)
        ui.predict_reveal(words.QUESTION, words.ANSWERS, answer)
        ui.experiments(words.PRESETS, CONTROLS, show="decoder")

        with st.expander("Where the dates come from, and the model", icon=":material/inventory_2:"):
            st.markdown(words.data_text(meta))
            st.markdown(f"The model: an encoder GRU and a decoder GRU of {model.hidden_size} units each, character "
                        f"embeddings of {model.embed_size} numbers; trained on {meta['data']['pairs_seen']:,} "
                        f"generated pairs ({meta['hyper']['steps']:,} steps of {meta['hyper']['batch']}), rebuilt by "
                        f"`{meta['command']}` in {meta['minutes']:.1f} minutes on a CPU.")
