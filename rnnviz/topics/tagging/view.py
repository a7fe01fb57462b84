"""Tagging: two word-level LSTMs tag every word of a sentence, one reading left to right, one both ways
(aligned many-to-many)."""
import streamlit as st

from rnnviz import ui
from rnnviz.topics.tagging import figures as figs
from rnnviz.topics.tagging import compute as lesson
from rnnviz.topics.tagging import words as text
from rnnviz.topics.tagging import view_parts as cached
from rnnviz.topics.tagging import TOPIC


def main() -> None:
    """The page: run by pages/11_Tagging.py on every rerun."""
    ui.page_setup(TOPIC, intro=text.INTRO)

    with ui.boundary():
        uni, meta_uni = ui.pretrained_or_stop(cached.UNI, "The tagging demo")
        bi, meta_bi = ui.pretrained_or_stop(cached.BI, "The tagging demo")
        mu, mb = meta_uni["metrics"], meta_bi["metrics"]

        SENTENCE = ui.Text("sentence", "Sentence", text.NEITHER,
                           help="Any English sentence; the taggers split it into words and marks as the training text "
                                f"was, and read at most {lesson.MAX_WORDS} of them. Capitals matter a little (a capital "
                                "hints at a name). Words never learned in training are welcome: they are tagged from how "
                                "they look and where they stand.")
        TAGS = ui.Choice("tags", "Tags shown", ("all 12 tags", "only the tags used"), "all 12 tags", horizontal=True,
                         help="all 12 tags: the same columns for every sentence, to compare. only the tags used: just the "
                              "columns where either tagger gives some word 5 % or more, for a narrower chart.")
        CONTROLS = [SENTENCE, TAGS]

        ui.cap_typed_text("sentence", lesson.MAX_CHARS, reader="the taggers read")
        top = st.columns([3, 2], vertical_alignment="bottom")
        v = ui.render([SENTENCE], where=top[0]) | ui.render([TAGS], where=top[1])
        st.caption(f"On {meta_uni['data']['sizes']['test_tokens']:,} tokens of two held-out plays, agreement with the "
                   f"automatic tags: left to right **{mu['test_accuracy']:.1%}**, both directions "
                   f"**{mb['test_accuracy']:.1%}**; the most-frequent-tag-per-word baseline {mu['baseline_accuracy']:.1%}; "
                   f"always NOUN {mu['majority_accuracy']:.1%}.")

        prep = lesson.prepare(uni, v["sentence"])
        for message in prep.messages():
            ui.problem(ui.escape_markdown(message))

        if prep.words:
            r = cached.reading(tuple(prep.words))
            columns = None if v["tags"] == "all 12 tags" else lesson.used_tags(r)
            st.subheader("Every word's tag, as each tagger reads")
            left, right = st.columns(2)
            ui.chart(left, figs.tag_heatmap(r.words, r.tags, r.uni, r.known, r.disagree, "Left to right (sees words 1..t)",
                                            figs.UNI_COLOR, columns), key="uni", summary=lesson.tags_said(r, "uni"))
            ui.chart(right, figs.tag_heatmap(r.words, r.tags, r.bi, r.known, r.disagree,
                                             "Both directions (sees the whole sentence)", figs.BI_COLOR, columns),
                     key="bi", summary=lesson.tags_said(r, "bi"))
            st.markdown(ui.escape_markdown(lesson.story(r)))
            if [w.lower() for w in r.words] == [w.lower() for w in lesson.prepare(uni, text.CAN).words]:
                st.info(ui.escape_markdown(lesson.can_note(r)), icon=":material/info:")
            elif r.disagree:
                st.info(ui.escape_markdown(cached.ahead_note(tuple(prep.words))), icon=":material/visibility:")
            st.caption(text.HOW_TO_READ)
            st.caption(lesson.legend())

        st.subheader("How good are they? Two plays they never read")
        left, right = st.columns([3, 2])
        ui.chart(left, figs.scoreboard(mu, mb), key="scoreboard")
        right.markdown(text.baseline(mu, mb))
        right.caption(f"{mu['test_unknown_share']:.1%} of the held-out tokens are words the taggers never learned (seen at most once in training). "
                      f"Both taggers read the same inputs (vocabulary, word endings, shapes) with {uni.hidden_size} units "
                      "per direction, trained apart: "
                      f"{meta_uni['parameters']:,} parameters left to right, {meta_bi['parameters']:,} both ways.")

        with st.expander("The equations", icon=":material/functions:"):
            for latex, note in text.EQUATIONS:
                st.latex(latex)
                st.caption(note)
            st.caption(f"Here x_t has {uni.embed_size} + {uni.suffix_size} + 4 numbers, each arrow state {uni.hidden_size}; "
                       "the bidirectional tagger's read-out is the concatenation, so every tag depends on the whole sentence.")

        ui.experiments(text.PRESETS, CONTROLS)
        ui.predict_reveal(text.MC_QUESTION, text.MC_ANSWERS, lambda: lesson.mc_answer(uni, bi))

        with st.expander("Where the sentences and tags come from, and the models", icon=":material/inventory_2:"):
            st.markdown(text.DATA)
            st.dataframe(lesson.tag_table(meta_uni), hide_index=True, key="tag_table")
            for name, meta in ((cached.UNI, meta_uni), (cached.BI, meta_bi)):
                st.markdown(f"`{name}`: rebuilt by `{meta['command']}` in {meta['minutes']:.1f} minutes on a CPU "
                            f"({meta['hyper']['steps']:,} steps of {meta['hyper']['batch']} sentences), "
                            f"{meta['parameters']:,} parameters; {meta['data']['sizes']['train_sentences']:,} training "
                            f"sentences, {meta['data']['sizes']['test_sentences']:,} held-out.")
