"""Surname → language: a character-level GRU names a surname's language, and shows its verdict after every letter.

The page (main) and its cached calls: the shipped model and its bigram baseline are loaded once per process and
shared read-only by every session; a reading per name is cached as a pure result.
"""
from __future__ import annotations

import streamlit as st

from rnnviz import ui
from rnnviz.shared.style import COLOR
from rnnviz.topics.surname import TOPIC, compute, figures, words
from rnnviz.ui.cache import MB, bounded, pretrained_model

MODEL = "surname"


@st.cache_resource(max_entries=1, show_spinner=False)
def baseline(name: str = MODEL) -> compute.BigramNB:
    """The character-bigram naive Bayes shipped in the model's manifest entry (counts → table), once."""
    _, meta = pretrained_model(name)
    return compute.BigramNB.from_json(meta["baseline"]["counts"])


# worst entry 0.011 MB (compute.MAX_LETTERS = 40 letters): the entries' bound holds first (256 × 0.011 = 2.8 MB)
@bounded(max_entries=256, max_bytes=4 * MB)
def reading(text: str, name: str = MODEL) -> compute.Reading:
    """The model and the baseline on a prepared, non-empty name."""
    model, _ = pretrained_model(name)
    return compute.read(model, baseline(name), text)


def main() -> None:
    """The page: run by pages/9_Surname_language.py on every rerun."""
    ui.page_setup(TOPIC, intro=words.INTRO)

    with ui.boundary():
        NAME = ui.Text("name", "Surname", "Schmidt", help=words.HELP["name"])
        ORDER = ui.Choice("order", "Order the languages", ("likeliest", "alphabetical"), "likeliest", horizontal=True,
                          help=words.HELP["order"])
        BOTH = ui.Toggle("both", "Bigram baseline letter by letter too", False, help=words.HELP["both"])
        CONTROLS = [NAME, ORDER, BOTH]

        model, meta = ui.pretrained_or_stop(MODEL, "The surname demo")
        m, classes = meta["metrics"], list(model.classes)
        top = st.columns([2, 2, 1.4], vertical_alignment="bottom")
        ui.cap_typed_text("name", compute.MAX_LETTERS, reader="the model reads")
        v = ui.render([NAME], where=top[0]) | ui.render([ORDER], where=top[1]) | ui.render([BOTH], where=top[2])
        st.caption(f"On {meta['data']['sizes']['test']:,} held-out test names it never saw, the model names the right "
                   f"language for **{m['test_accuracy']:.0%}** ({m['test_balanced_accuracy']:.0%} averaged over the "
                   f"{len(classes)} languages); the bigram baseline {m['bigram_accuracy']:.0%} "
                   f"({m['bigram_balanced_accuracy']:.0%}); always guessing the largest list "
                   f"{m['majority_accuracy']:.0%} ({m['majority_balanced_accuracy']:.0%}).")

        prep = compute.prepare(model, v["name"])
        for message in prep.messages():
            ui.problem(ui.escape_markdown(message))

        if prep.text:
            r = reading(prep.text)
            st.subheader(f"Reading “{ui.escape_markdown(prep.text)}”, letter by letter")
            ui.chart(st, figures.trajectory(r.text, classes, r.probs, r.order(v["order"]), r.known,
                                            "The model (GRU): p(language) after each letter"), key="trajectory",
                     summary=words.trajectory_said(r))
            st.markdown(ui.escape_markdown(words.story(r)))
            st.caption(words.HOW_TO_READ)
            if v["both"]:
                ui.chart(st, figures.trajectory(r.text, classes, r.baseline, r.order(v["order"]), r.known,
                                                "The bigram baseline: p(language) after each letter"),
                         key="baseline_trajectory")
            left, right = st.columns(2)
            ui.chart(left, figures.top_bars(r.top(5), figures.MODEL_COLOR, "The model's top 5"), key="top_model",
                     summary=words.top_said(r))
            ui.chart(right, figures.top_bars(r.top(5, baseline=True), COLOR["bigram"], "The bigram baseline's top 5"),
                     key="top_bigram", summary=words.top_said(r, baseline=True))
            agree = r.top(1)[0][0] == r.top(1, baseline=True)[0][0]
            st.caption(("They agree." if agree else "They disagree: the model weighs the letters in order, the "
                        "baseline only counts which pairs occur.") + " " + words.BASELINE)

        st.subheader("How good is it? Names it never saw")
        ev = meta["evaluation"]
        left, right = st.columns([2, 3])
        ui.chart(left, figures.scoreboard(m), key="scoreboard")
        ui.chart(right, figures.per_language(classes, ev["gru"]["per_language"], ev["bigram"]["per_language"],
                                             ev["test_support"]), key="per_language")
        st.caption(words.proportions_caption(classes, ev["test_support"], m["majority_accuracy"]))
        tab_gru, tab_bigram = st.tabs(["Confusion matrix: the model", "Confusion matrix: the bigram baseline"])
        ui.chart(tab_gru, figures.confusion(classes, ev["gru"]["confusion"], "Which languages the model mixes up"),
                 key="confusion_gru")
        ui.chart(tab_bigram, figures.confusion(classes, ev["bigram"]["confusion"],
                                               "Which languages the baseline mixes up"), key="confusion_bigram")
        st.caption(words.mixups_caption(classes, ev["gru"]["confusion"]))

        ui.predict_reveal(words.QUESTION, words.ANSWERS, lambda: words.answer(model))     # asked before the presets
        ui.experiments(words.PRESETS, CONTROLS, show="trajectory")

        with st.expander("Where the names come from, and the model", icon=":material/inventory_2:"):
            st.markdown(words.DATA)
            st.dataframe(compute.data_table(meta), hide_index=True, key="data_table")
            st.caption(f"Left out for having fewer than {meta['data']['min_names']} distinct one-word names: "
                       + ", ".join(f"{k} ({n})" for k, n in meta["data"]["too_few"].items()) + ".")
            st.markdown(f"The model: each letter's embedding ({model.embed_size} numbers) → one GRU layer of "
                        f"{model.hidden_size} units → a softmax over {len(classes)} languages after every letter; "
                        f"{meta['parameters']:,} parameters, trained only on the verdict after the last letter. "
                        f"Rebuilt by `{meta['command']}` in {meta['minutes']:.1f} minutes on a CPU "
                        f"({meta['hyper']['steps']:,} steps of {meta['hyper']['batch']} names).")
