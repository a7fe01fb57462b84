"""Tagging: two word-level LSTMs tag every word of a sentence, one reading left to right, one both ways
(aligned many-to-many).

One screen per idea: the page opens on its main view, under one line of the taggers' held-out scores: the
sentence box above both taggers' heatmaps, in an st.fragment (typing reruns and re-sends that part alone); the
question and what to try under it; how to read, the scores, the equations and the data wait in closed
expanders.

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


MAIN_KEY = "tag"                    # the main view's key (ui.stage): its container is stage_tag
HOW, SCORES, EQUATIONS, DATA = "tag_how", "tag_scores", "tag_equations", "tag_data"
ROW_PX = 18                         # the heatmaps' row height: a sentence of ~15 words and its tags fit one screen


def controls_of() -> list:
    """The page's controls, the sentence box and the tag columns: drawn in the main view's fragment, set by the presets below it."""
    SENTENCE = ui.Text("sentence", "Sentence", words.NEITHER, help=words.HELP["sentence"])
    TAGS = ui.Choice("tags", "Tags shown", ("all 12 tags", "only the tags used"), "all 12 tags", horizontal=True,
                     help=words.HELP["tags"])
    return [SENTENCE, TAGS]


def main() -> None:
    """The page: run by pages/11_Tagging.py on every rerun. Its main view: the sentence box and the tag
    columns above both taggers' heatmaps (a fragment: typing reruns that part alone); then the question and
    what to try; how to read, the held-out scores, the equations and the data wait in closed expanders."""
    lead, rest = ui.stage.lead(words.INTRO, sentences=1)
    ui.page_setup(TOPIC, intro=lead)

    with ui.boundary():
        uni, meta_uni = ui.pretrained_or_stop(UNI, "The tagging demo")
        bi, meta_bi = ui.pretrained_or_stop(BI, "The tagging demo")
        scores(meta_uni, meta_bi)                      # above the main view: the same for every sentence
        main_view(uni)
        ui.predict_reveal(words.QUESTION, words.ANSWERS, lambda: words.answer(uni, bi))  # asked before the presets
        ui.experiments(words.PRESETS, controls_of(), show="uni")
        deeper_parts(uni, meta_uni, meta_bi)
        ui.stage.about(rest, "tag_about")


def scores(meta_uni: dict, meta_bi: dict) -> None:
    """Both taggers' held-out agreement, in one line over the main view. Outside its fragment: it does not
    depend on the sentence, so typing does not send it again (every element a fragment re-sends is drawn
    again by the browser; issue 22 item 2)."""
    mu, mb = meta_uni["metrics"], meta_bi["metrics"]
    st.caption(f"On {meta_uni['data']['sizes']['test_tokens']:,} tokens of two held-out plays, agreement with the "
               f"automatic tags: left to right **{mu['test_accuracy']:.1%}**, both directions "
               f"**{mb['test_accuracy']:.1%}**; the most-frequent-tag-per-word baseline "
               f"{mu['baseline_accuracy']:.1%}; always NOUN {mu['majority_accuracy']:.1%}.")


@ui.fragment
def main_view(uni) -> None:
    """The sentence box and the tag columns above the two taggers' heatmaps, their sentences and what
    reading ahead did. A fragment: typing reruns this part alone (nothing else on the page reads the
    sentence)."""
    ui.cap_typed_text("sentence", compute.MAX_CHARS, reader="the taggers read")
    box, side = ui.stage.main_view(MAIN_KEY, ratio=(3, 2))     # the controls above the charts they change
    SENTENCE, TAGS = controls_of()
    v = ui.render([SENTENCE], where=box) | ui.render([TAGS], where=side)

    prep = compute.prepare(uni, v["sentence"])
    for message in prep.messages():
        ui.problem(ui.escape_markdown(message))
    if not prep.words:
        return
    r = reading(tuple(prep.words))
    columns = None if v["tags"] == "all 12 tags" else compute.used_tags(r)
    left, right = st.columns(2)
    ui.chart(left, figures.tag_heatmap(r.words, r.tags, r.uni, r.known, r.disagree,
                                       "Left to right (sees words 1..t)", figures.UNI_COLOR, columns, row_px=ROW_PX),
             key="uni", summary=words.tags_glance(r, "uni"), numbers=words.tags_said(r, "uni"))
    ui.chart(right, figures.tag_heatmap(r.words, r.tags, r.bi, r.known, r.disagree,
                                        "Both directions (sees the whole sentence)", figures.BI_COLOR, columns,
                                        row_px=ROW_PX),
             key="bi", summary=words.tags_glance(r, "bi"), numbers=words.tags_said(r, "bi"))
    st.markdown(ui.escape_markdown(words.story(r)))
    if [w.lower() for w in r.words] == [w.lower() for w in compute.prepare(uni, words.CAN).words]:
        st.info(ui.escape_markdown(words.can_note(r)), icon=":material/info:")
    elif r.disagree:
        st.info(ui.escape_markdown(ahead_note(tuple(prep.words))), icon=":material/visibility:")


def deeper_parts(uni, meta_uni: dict, meta_bi: dict) -> None:
    """How to read the heatmaps, the held-out scores, the equations, the data: each in an expander drawn
    only once opened (none of them reads the typed sentence)."""
    mu, mb = meta_uni["metrics"], meta_bi["metrics"]
    how = ui.stage.deeper("How to read the heatmaps, and the 12 tags", HOW, icon=":material/help:")
    if how.open:
        how.caption(words.HOW_TO_READ)
        how.caption(words.legend())
    scores = ui.stage.deeper("How good are they? Two plays they never read", SCORES, icon=":material/scoreboard:")
    if scores.open:
        left, right = scores.columns([3, 2])
        ui.chart(left, figures.scoreboard(mu, mb), key="scoreboard")
        right.markdown(words.baseline(mu, mb))
        right.caption(f"{mu['test_unknown_share']:.1%} of the held-out tokens are words the taggers never learned "
                      "(seen at most once in training). Both taggers read the same inputs (vocabulary, word endings, "
                      f"shapes) with {uni.hidden_size} units per direction, trained apart: {meta_uni['parameters']:,} "
                      f"parameters left to right, {meta_bi['parameters']:,} both ways.")
    equations = ui.stage.deeper("The equations", EQUATIONS, icon=":material/functions:")
    if equations.open:
        with equations:
            for latex, note in words.EQUATIONS:
                st.latex(latex)
                st.caption(note)
            st.caption(f"Here x_t has {uni.embed_size} + {uni.suffix_size} + 4 numbers, each arrow state "
                       f"{uni.hidden_size}; the bidirectional tagger's read-out is the concatenation, so every tag "
                       "depends on the whole sentence.")
    data = ui.stage.deeper("Where the sentences and tags come from, and the models", DATA,
                           icon=":material/inventory_2:")
    if data.open:
        with data:
            st.markdown(words.DATA)
            st.markdown(words.NER)
            st.dataframe(compute.tag_table(meta_uni), hide_index=True, key="tag_table")
            for name, meta in ((UNI, meta_uni), (BI, meta_bi)):
                st.markdown(f"`{name}`: rebuilt by `{meta['command']}` in {meta['minutes']:.1f} minutes on a CPU "
                            f"({meta['hyper']['steps']:,} steps of {meta['hyper']['batch']} sentences), "
                            f"{meta['parameters']:,} parameters; {meta['data']['sizes']['train_sentences']:,} training "
                            f"sentences, {meta['data']['sizes']['test_sentences']:,} held-out.")
