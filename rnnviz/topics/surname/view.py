"""Surname → language: a character-level GRU names a surname's language, and shows its verdict after every letter.

One screen per idea: the page opens on its main view, the name box beside the verdict after every letter, in
an st.fragment (typing reruns and re-sends that part alone); the question and what to try under it; the top
5s, the held-out scores and the data wait in closed expanders.

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


MAIN_KEY = "sur"                    # the main view's key (ui.stage): its container is stage_sur
HOW, TOP, SCORES, DATA = "sur_how", "sur_top", "sur_scores", "sur_data"
LIVE = (TOP,)                       # the closed-at-first parts below that draw the typed name
ROW_PX = 18                         # the main heatmap's row height: 17 languages and the letters fit one screen
PRESENT_ROW_PX = 13                 # in presentation mode (for_projector makes it 1.175× taller, its type 1.35×):
                                    # all 17 rows under the heading at 1280×720


def controls_of() -> list:
    """The page's controls, the name box, the order and the baseline toggle: drawn in the main view's fragment, set by the presets below it."""
    NAME = ui.Text("name", "Surname", "Schmidt", help=words.HELP["name"])
    ORDER = ui.Choice("order", "Order the languages", ("likeliest", "alphabetical"), "likeliest", horizontal=True,
                      help=words.HELP["order"])
    BOTH = ui.Toggle("both", "Bigram baseline too", False, help=words.HELP["both"])
    return [NAME, ORDER, BOTH]


def main() -> None:
    """The page: run by pages/9_Surname_language.py on every rerun. Its main view: the name box and the
    two display controls beside the verdict after every letter (the name box and the chart in a fragment:
    typing reruns that part alone); then the question and what to try; the top 5s, the held-out scores and
    the data wait in closed expanders."""
    lead, rest = ui.stage.lead(words.INTRO, sentences=1)
    ui.page_setup(TOPIC, intro=lead)

    with ui.boundary():
        model, meta = ui.pretrained_or_stop(MODEL, "The surname demo")
        ui.stage.page_drawn(MAIN_KEY, None)
        # Only what the name changes is in the fragment: the order and the baseline toggle (rarer moves, which
        # rerun the page), the held-out scores and "How to read this chart" are drawn here, so a typed name
        # re-sends the box, its messages, the heading, the chart and its sentence, nothing else.
        controls, chart = ui.stage.main_view(MAIN_KEY, ratio=(1, 2.6))
        name_at, drawing = controls.container(), chart.container()
        display = ui.render(controls_of()[1:], where=controls)
        m, classes = meta["metrics"], list(model.classes)
        controls.caption(f"On {meta['data']['sizes']['test']:,} held-out test names it never saw, the model names the "
                         f"right language for **{m['test_accuracy']:.0%}** ({m['test_balanced_accuracy']:.0%} averaged "
                         f"over the {len(classes)} languages); the bigram baseline {m['bigram_accuracy']:.0%} "
                         f"({m['bigram_balanced_accuracy']:.0%}); always guessing the largest list "
                         f"{m['majority_accuracy']:.0%} ({m['majority_balanced_accuracy']:.0%}).")
        name = main_view(model, name_at, drawing, display["order"], display["both"])
        how = ui.stage.deeper("How to read this chart", HOW, icon=":material/help:", where=chart)
        if how.open:
            how.caption(words.HOW_TO_READ)
        ui.stage.page_drawn(MAIN_KEY, name)          # what the parts below draw

        ui.predict_reveal(words.QUESTION, words.ANSWERS, lambda: words.answer(model))     # asked before the presets
        ui.experiments(words.PRESETS, controls_of(), show="trajectory")
        deeper_parts(model, meta, compute.prepare(model, name).text)
        ui.stage.about(rest, "sur_about")


@ui.fragment
def main_view(model, controls, chart, order: str, both: bool) -> str:
    """The name box (in `controls`) and the verdict after every letter with its sentence (in `chart`): a
    fragment, so typing reruns and re-sends this part alone, unless the top 5s below (which draw the typed
    name) are open: then the whole page reruns, so nothing on screen is left stale. The order and the
    baseline toggle are drawn by the page (a move of theirs reruns it) and come in as arguments."""
    classes = list(model.classes)
    ui.cap_typed_text("name", compute.MAX_LETTERS, reader="the model reads")
    typed = ui.render(controls_of()[:1], where=controls)["name"]
    ui.stage.follow_page(MAIN_KEY, typed, any(st.session_state.get(k) for k in LIVE))

    prep = compute.prepare(model, typed)
    with controls:
        for message in prep.messages():
            ui.problem(ui.escape_markdown(message))
    if not prep.text:
        return typed
    r = reading(prep.text)
    row_px = PRESENT_ROW_PX if ui.frame.presenting() else ROW_PX
    chart.subheader(f"Reading “{ui.escape_markdown(prep.text)}”, letter by letter")
    # the heading names the chart; its own title only tells it from the baseline's, when both are drawn
    ui.chart(chart, figures.trajectory(r.text, classes, r.probs, r.order(order), r.known,
                                       "The model (GRU): p(language) after each letter" if both else None,
                                       row_px=row_px),
             key="trajectory", summary=words.trajectory_said(r))
    chart.markdown(ui.escape_markdown(words.story(r)))
    if both:
        ui.chart(chart, figures.trajectory(r.text, classes, r.baseline, r.order(order), r.known,
                                           "The bigram baseline: p(language) after each letter", row_px=row_px),
                 key="baseline_trajectory")
    return typed


def deeper_parts(model, meta: dict, text: str) -> None:
    """The final top 5s of the model and the baseline, the held-out scores, the data: each in an expander
    drawn only once opened."""
    m, classes = meta["metrics"], list(model.classes)
    top = ui.stage.deeper("The model's top 5 against the bigram baseline's", TOP, icon=":material/bar_chart:")
    if top.open and text:
        r = reading(text)
        left, right = top.columns(2)
        ui.chart(left, figures.top_bars(r.top(5), figures.MODEL_COLOR, "The model's top 5"), key="top_model",
                 summary=words.top_said(r))
        ui.chart(right, figures.top_bars(r.top(5, baseline=True), COLOR["bigram"], "The bigram baseline's top 5"),
                 key="top_bigram", summary=words.top_said(r, baseline=True))
        agree = r.top(1)[0][0] == r.top(1, baseline=True)[0][0]
        top.caption(("They agree." if agree else "They disagree: the model weighs the letters in order, the "
                     "baseline only counts which pairs occur.") + " " + words.BASELINE)

    scores = ui.stage.deeper("How good is it? Names it never saw", SCORES, icon=":material/scoreboard:")
    if scores.open:
        ev = meta["evaluation"]
        left, right = scores.columns([2, 3])
        ui.chart(left, figures.scoreboard(m), key="scoreboard")
        ui.chart(right, figures.per_language(classes, ev["gru"]["per_language"], ev["bigram"]["per_language"],
                                             ev["test_support"]), key="per_language")
        scores.caption(words.proportions_caption(classes, ev["test_support"], m["majority_accuracy"]))
        tab_gru, tab_bigram = scores.tabs(["Confusion matrix: the model", "Confusion matrix: the bigram baseline"])
        ui.chart(tab_gru, figures.confusion(classes, ev["gru"]["confusion"], "Which languages the model mixes up"),
                 key="confusion_gru")
        ui.chart(tab_bigram, figures.confusion(classes, ev["bigram"]["confusion"],
                                               "Which languages the baseline mixes up"), key="confusion_bigram")
        scores.caption(words.mixups_caption(classes, ev["gru"]["confusion"]))

    data = ui.stage.deeper("Where the names come from, and the model", DATA, icon=":material/inventory_2:")
    if data.open:
        with data:
            st.markdown(words.DATA)
            st.dataframe(compute.data_table(meta), hide_index=True, key="data_table")
            st.caption(f"Left out for having fewer than {meta['data']['min_names']} distinct one-word names: "
                       + ", ".join(f"{k} ({n})" for k, n in meta["data"]["too_few"].items()) + ".")
            st.markdown(f"The model: each letter's embedding ({model.embed_size} numbers) → one GRU layer of "
                        f"{model.hidden_size} units → a softmax over {len(classes)} languages after every letter; "
                        f"{meta['parameters']:,} parameters, trained only on the verdict after the last letter. "
                        f"Rebuilt by `{meta['command']}` in {meta['minutes']:.1f} minutes on a CPU "
                        f"({meta['hyper']['steps']:,} steps of {meta['hyper']['batch']} names).")
