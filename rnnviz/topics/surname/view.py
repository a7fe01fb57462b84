"""Surname → language: a character-level GRU names a surname's language, and shows its verdict after every letter."""
import streamlit as st

from rnnviz import ui
from rnnviz.topics.surname import figures as figs
from rnnviz.shared.style import COLOR
from rnnviz.topics.surname import compute as lesson
from rnnviz.topics.surname import view_parts as cached
from rnnviz.topics.surname import TOPIC


def main() -> None:
    """The page: run by pages/9_Surname_language.py on every rerun."""
    ui.page_setup(TOPIC, intro=lesson.INTRO)

    with ui.boundary():
        NAME = ui.Text("name", "Surname", "Schmidt", help="One surname, in Latin letters (accents welcome: Müller, Łukasik). "
                       f"The model reads at most {lesson.MAX_LETTERS} letters; capitals make no difference; spaces, digits "
                       "and symbols are dropped with a note. Names it never saw are the normal case: try your own.")
        ORDER = ui.Choice("order", "Order the languages", ("likeliest", "alphabetical"), "likeliest", horizontal=True,
                          help="likeliest: by the final verdict, the winner on top. alphabetical: always the same rows, "
                               "to compare two names.")
        BOTH = ui.Toggle("both", "Bigram baseline letter by letter too", False,
                         help="Also draw the character-bigram baseline's verdict after every letter, under the model's.")
        CONTROLS = [NAME, ORDER, BOTH]

        model, meta = ui.pretrained_or_stop(cached.MODEL, "The surname demo")
        m, classes = meta["metrics"], list(model.classes)
        top = st.columns([2, 2, 1.4], vertical_alignment="bottom")
        ui.cap_typed_text("name", lesson.MAX_LETTERS, reader="the model reads")
        v = ui.render([NAME], where=top[0]) | ui.render([ORDER], where=top[1]) | ui.render([BOTH], where=top[2])
        st.caption(f"On {meta['data']['sizes']['test']:,} held-out test names it never saw, the model names the right "
                   f"language for **{m['test_accuracy']:.0%}** ({m['test_balanced_accuracy']:.0%} averaged over the "
                   f"{len(classes)} languages); the bigram baseline {m['bigram_accuracy']:.0%} "
                   f"({m['bigram_balanced_accuracy']:.0%}); always guessing the largest list {m['majority_accuracy']:.0%} "
                   f"({m['majority_balanced_accuracy']:.0%}).")

        prep = lesson.prepare(model, v["name"])
        for message in prep.messages():
            ui.problem(ui.escape_markdown(message))

        if prep.text:
            r = cached.reading(prep.text)
            st.subheader(f"Reading “{ui.escape_markdown(prep.text)}”, letter by letter")
            ui.chart(st, figs.trajectory(r.text, classes, r.probs, r.order(v["order"]), r.known,
                                            "The model (GRU): p(language) after each letter"), key="trajectory")
            st.markdown(ui.escape_markdown(lesson.story(r)))
            st.caption(lesson.HOW_TO_READ)
            if v["both"]:
                ui.chart(st, figs.trajectory(r.text, classes, r.baseline, r.order(v["order"]), r.known,
                                                "The bigram baseline: p(language) after each letter"),
                                key="baseline_trajectory")
            left, right = st.columns(2)
            ui.chart(left, figs.top_bars(r.top(5), figs.MODEL_COLOR, "The model's top 5"), key="top_model")
            ui.chart(right, figs.top_bars(r.top(5, baseline=True), COLOR["bigram"], "The bigram baseline's top 5"),
                               key="top_bigram")
            agree = r.top(1)[0][0] == r.top(1, baseline=True)[0][0]
            st.caption(("They agree." if agree else "They disagree: the model weighs the letters in order, the baseline "
                        "only counts which pairs occur.") + " " + lesson.BASELINE)

        st.subheader("How good is it? Names it never saw")
        ev = meta["evaluation"]
        left, right = st.columns([2, 3])
        ui.chart(left, figs.scoreboard(m), key="scoreboard")
        ui.chart(right, figs.per_language(classes, ev["gru"]["per_language"], ev["bigram"]["per_language"],
                                             ev["test_support"]), key="per_language")
        st.caption(lesson.proportions_caption(classes, ev["test_support"], m["majority_accuracy"]))
        tab_gru, tab_bigram = st.tabs(["Confusion matrix: the model", "Confusion matrix: the bigram baseline"])
        ui.chart(tab_gru, figs.confusion(classes, ev["gru"]["confusion"], "Which languages the model mixes up"),
                             key="confusion_gru")
        ui.chart(tab_bigram, figs.confusion(classes, ev["bigram"]["confusion"], "Which languages the baseline mixes up"),
                                key="confusion_bigram")
        st.caption(lesson.mixups_caption(classes, ev["gru"]["confusion"]))

        ui.experiments(lesson.PRESETS, CONTROLS)


        ui.predict_reveal(lesson.MC_QUESTION, lesson.MC_ANSWERS, lambda: lesson.mc_answer(model))

        with st.expander("Where the names come from, and the model", icon=":material/inventory_2:"):
            st.markdown(lesson.DATA)
            st.dataframe(lesson.data_table(meta), hide_index=True, key="data_table")
            st.caption(f"Left out for having fewer than {meta['data']['min_names']} distinct one-word names: "
                       + ", ".join(f"{k} ({n})" for k, n in meta["data"]["too_few"].items()) + ".")
            st.markdown(f"The model: each letter's embedding ({model.embed_size} numbers) → one GRU layer of "
                        f"{model.hidden_size} units → a softmax over {len(classes)} languages after every letter; "
                        f"{meta['parameters']:,} parameters, trained only on the verdict after the last letter. Rebuilt "
                        f"by `{meta['command']}` in {meta['minutes']:.1f} minutes on a CPU "
                        f"({meta['hyper']['steps']:,} steps of {meta['hyper']['batch']} names).")
