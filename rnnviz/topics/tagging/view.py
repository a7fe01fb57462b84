"""Tagging: two word-level LSTMs tag every word of a sentence, one reading left to right, one both ways
(aligned many-to-many).

The page (main) and its cached calls: the two shipped taggers are loaded once per process (ui.cache) and shared
read-only by every session; a reading of a sentence by both is a pure result, cached by its words.
"""
from __future__ import annotations

import streamlit as st

from rnnviz import ui
from rnnviz.topics.tagging import TOPIC, compute, figures, words
from rnnviz.ui.cache import MB, bounded, pretrained_model

UNI, BI = "tagger", "tagger_bi"


# worst entry 0.009 MB (compute.MAX_WORDS = 40 tokens): the entries' bound holds first (256 × 0.009 = 2.3 MB)
@bounded(max_entries=256, max_bytes=4 * MB)
def reading(tokens: tuple[str, ...]) -> compute.Reading:
    """Both taggers on a prepared, non-empty sentence."""
    uni, _ = pretrained_model(UNI)
    bi, _ = pretrained_model(BI)
    return compute.read(uni, bi, list(tokens))


@bounded(max_entries=128, max_bytes=1 * MB)                      # one sentence per entry
def ahead_note(tokens: tuple[str, ...]) -> str | None:
    """What reading ahead did where the taggers disagree: the bidirectional tagger on the sentence cut after
    each such word, against the whole sentence (words.ahead_note)."""
    uni, _ = pretrained_model(UNI)
    bi, _ = pretrained_model(BI)
    return words.ahead_note(bi, compute.read(uni, bi, list(tokens)))


def main() -> None:
    """The page: run by pages/11_Tagging.py on every rerun."""
    ui.page_setup(TOPIC, intro=words.INTRO)

    with ui.boundary():
        uni, meta_uni = ui.pretrained_or_stop(UNI, "The tagging demo")
        bi, meta_bi = ui.pretrained_or_stop(BI, "The tagging demo")
        mu, mb = meta_uni["metrics"], meta_bi["metrics"]

        SENTENCE = ui.Text("sentence", "Sentence", words.NEITHER, help=words.HELP["sentence"])
        TAGS = ui.Choice("tags", "Tags shown", ("all 12 tags", "only the tags used"), "all 12 tags", horizontal=True,
                         help=words.HELP["tags"])
        CONTROLS = [SENTENCE, TAGS]

        ui.cap_typed_text("sentence", compute.MAX_CHARS, reader="the taggers read")
        top = st.columns([3, 2], vertical_alignment="bottom")
        v = ui.render([SENTENCE], where=top[0]) | ui.render([TAGS], where=top[1])
        st.caption(f"On {meta_uni['data']['sizes']['test_tokens']:,} tokens of two held-out plays, agreement with the "
                   f"automatic tags: left to right **{mu['test_accuracy']:.1%}**, both directions "
                   f"**{mb['test_accuracy']:.1%}**; the most-frequent-tag-per-word baseline "
                   f"{mu['baseline_accuracy']:.1%}; always NOUN {mu['majority_accuracy']:.1%}.")

        prep = compute.prepare(uni, v["sentence"])
        for message in prep.messages():
            ui.problem(ui.escape_markdown(message))

        if prep.words:
            r = reading(tuple(prep.words))
            columns = None if v["tags"] == "all 12 tags" else compute.used_tags(r)
            st.subheader("Every word's tag, as each tagger reads")
            left, right = st.columns(2)
            ui.chart(left, figures.tag_heatmap(r.words, r.tags, r.uni, r.known, r.disagree,
                                               "Left to right (sees words 1..t)", figures.UNI_COLOR, columns),
                     key="uni", summary=words.tags_glance(r, "uni"), numbers=words.tags_said(r, "uni"))
            ui.chart(right, figures.tag_heatmap(r.words, r.tags, r.bi, r.known, r.disagree,
                                                "Both directions (sees the whole sentence)", figures.BI_COLOR, columns),
                     key="bi", summary=words.tags_glance(r, "bi"), numbers=words.tags_said(r, "bi"))
            st.markdown(ui.escape_markdown(words.story(r)))
            if [w.lower() for w in r.words] == [w.lower() for w in compute.prepare(uni, words.CAN).words]:
                st.info(ui.escape_markdown(words.can_note(r)), icon=":material/info:")
            elif r.disagree:
                st.info(ui.escape_markdown(ahead_note(tuple(prep.words))), icon=":material/visibility:")
            st.caption(words.HOW_TO_READ)
            st.caption(words.legend())

        st.subheader("How good are they? Two plays they never read")
        left, right = st.columns([3, 2])
        ui.chart(left, figures.scoreboard(mu, mb), key="scoreboard")
        right.markdown(words.baseline(mu, mb))
        right.caption(f"{mu['test_unknown_share']:.1%} of the held-out tokens are words the taggers never learned "
                      "(seen at most once in training). Both taggers read the same inputs (vocabulary, word endings, "
                      f"shapes) with {uni.hidden_size} units per direction, trained apart: {meta_uni['parameters']:,} "
                      f"parameters left to right, {meta_bi['parameters']:,} both ways.")

        with st.expander("The equations", icon=":material/functions:"):
            for latex, note in words.EQUATIONS:
                st.latex(latex)
                st.caption(note)
            st.caption(f"Here x_t has {uni.embed_size} + {uni.suffix_size} + 4 numbers, each arrow state "
                       f"{uni.hidden_size}; the bidirectional tagger's read-out is the concatenation, so every tag "
                       "depends on the whole sentence.")

        ui.predict_reveal(words.QUESTION, words.ANSWERS, lambda: words.answer(uni, bi))  # asked before the presets
        ui.experiments(words.PRESETS, CONTROLS, show="uni")

        with st.expander("Where the sentences and tags come from, and the models", icon=":material/inventory_2:"):
            st.markdown(words.DATA)
            st.dataframe(compute.tag_table(meta_uni), hide_index=True, key="tag_table")
            for name, meta in ((UNI, meta_uni), (BI, meta_bi)):
                st.markdown(f"`{name}`: rebuilt by `{meta['command']}` in {meta['minutes']:.1f} minutes on a CPU "
                            f"({meta['hyper']['steps']:,} steps of {meta['hyper']['batch']} sentences), "
                            f"{meta['parameters']:,} parameters; {meta['data']['sizes']['train_sentences']:,} training "
                            f"sentences, {meta['data']['sizes']['test_sentences']:,} held-out.")
