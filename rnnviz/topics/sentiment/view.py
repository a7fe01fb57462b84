"""Sentiment: a word-level LSTM reads a sentence and gives its verdict after every word (many-to-one).

One screen per idea: the page opens on its main view, the two sentence boxes beside the verdict after every
word, in an st.fragment (typing reruns and re-sends that part alone); what to try and the question on "not"
under it; the words that moved it, the state's path, the scores and the data wait in closed expanders.

The page (main) and its cached calls: the shipped model, and the same recipe trained without the made-up
"not WORD" examples (PLAIN), are loaded once per process (ui.cache.pretrained_model, shared read-only by every
session); readings, the negation table, the question's answer and the presets are cached pure results.
"""
from __future__ import annotations

import streamlit as st

from rnnviz import ui
from rnnviz.shared.style import COLOR
from rnnviz.topics.sentiment import TOPIC, compute, figures, negation, words
from rnnviz.ui.cache import MB, bounded, pretrained_model

MODEL = "sentiment"
PLAIN = "sentiment_no_not"          # the same recipe without the made-up "not WORD" examples, read beside it


# worst entry 0.063 MB (compute.MAX_WORDS = 60 words); a sentence of 10 words ~0.01 MB
@bounded(max_entries=256, max_bytes=4 * MB)
def reading(tokens: tuple[str, ...], name: str = MODEL) -> compute.Reading:
    """The model's reading of prepared, non-empty words: p(positive) and h_t after every word."""
    model, _ = pretrained_model(name)
    return compute.read(model, list(tokens))


@bounded(max_entries=4, max_bytes=1 * MB)                        # 0.001 MB
def presets(name: str = MODEL) -> list[tuple[str, dict, str]]:
    """The "What to try" buttons with notes computed from the model."""
    model, meta = pretrained_model(name)
    return words.presets(model, meta.get("examples", {}))


@bounded(max_entries=1, max_bytes=1 * MB)                        # one table of 8 rows
def negation_rows() -> list[negation.Row]:
    """Both models on every pair of compute.NEGATIONS, with each negation's training counts."""
    model, meta = pretrained_model(MODEL)
    plain, plain_meta = pretrained_model(PLAIN)
    return negation.compare(model, meta, plain, plain_meta)


@bounded(max_entries=1, max_bytes=1 * MB)                        # a number and a sentence
def answer() -> tuple[int, str]:
    """The predict-then-reveal's answer, from both models."""
    model, _ = pretrained_model(MODEL)
    plain, _ = pretrained_model(PLAIN)
    return words.answer(model, plain)


MAIN_KEY = "sent"                   # the main view's key (ui.stage): its container is stage_sent
HOW, MOVERS, PATH, SCORES, DATA = "sent_how", "sent_movers", "sent_path", "sent_scores", "sent_data"
LIVE = (MOVERS, PATH)               # the closed-at-first parts below that draw the typed sentence
CHART_HEIGHT = 340                  # the verdict chart: with the heading, one screen at 1366×768
PRESENT_HEIGHT = 300                # and in presentation mode (larger type) at 1280×720


def controls_of() -> list:
    """The page's controls, the two sentence boxes: drawn in the main view's fragment, set by the presets below it."""
    TEXT = ui.Text("text", "Sentence", "not good", help=words.HELP["text"])
    OTHER = ui.Text("other", "Compare with (optional)", "good", help=words.HELP["other"])
    return [TEXT, OTHER]


def main() -> None:
    """The page: run by pages/8_Sentiment.py on every rerun. Its main view: the two sentence boxes beside the
    verdict after every word (a fragment: typing reruns that part alone); then what to try, the question on
    "not", and the deeper parts (the words that moved it, the state's path, the scores, the data), each drawn
    only once opened."""
    lead, rest = ui.stage.lead(words.INTRO, sentences=1)
    ui.page_setup(TOPIC, intro=lead)

    with ui.boundary():
        model, meta = ui.pretrained_or_stop(MODEL, "The sentiment demo")
        CONTROLS = controls_of()
        ui.stage.page_drawn(MAIN_KEY, None)
        # Only what the sentences change is in the fragment: the held-out scores, the chart's heading and "How
        # to read this chart" are drawn here, once per full run, so typing re-sends the boxes, their messages,
        # the chart and its sentences, nothing else.
        m = meta["metrics"]
        controls, chart = ui.stage.main_view(MAIN_KEY, ratio=(1, 2.4))
        boxes = controls.container()
        controls.caption(f"On {meta['data']['sizes']['test']:,} held-out test sentences the LSTM is right for "
                         f"**{m['test_accuracy']:.1%}**; naive Bayes on word counts (no order) "
                         f"{m['naive_bayes_accuracy']:.1%}; always saying the majority class {m['majority_accuracy']:.1%}.")
        chart.subheader("The verdict after every word")
        typed = main_view(model, meta, boxes, chart.container())
        how = ui.stage.deeper("How to read this chart", HOW, icon=":material/help:", where=chart)
        if how.open:
            how.caption(words.HOW_TO_READ)
        ui.stage.page_drawn(MAIN_KEY, typed)          # what the parts below draw
        prep, other = compute.prepare(model, typed[0]), compute.prepare(model, typed[1])
        r = reading(tuple(prep.words)) if prep.words else None
        o = reading(tuple(other.words)) if other.words else None

        ui.experiments(presets(), CONTROLS, show="trajectory")    # right under the main view
        plain, plain_meta = negation_part(meta, r, prep)
        deeper_parts(model, meta, r, o, plain, plain_meta)
        ui.stage.about(rest, "sent_about")


@ui.fragment
def main_view(model, meta, controls, chart) -> tuple[str, str]:
    """The sentence boxes (in `controls`) and the verdict after every word with its sentences (in `chart`): a
    fragment, so typing reruns and re-sends this part alone, unless a part below that draws the typed
    sentence is open (or the question's answer, which reads it too, is shown): then the whole page reruns,
    so nothing on screen is left stale."""
    for key in ("text", "other"):
        ui.cap_typed_text(key, compute.MAX_CHARS)
    v = ui.render(controls_of(), where=controls)
    typed = (v["text"], v["other"])
    ui.stage.follow_page(MAIN_KEY, typed, any(st.session_state.get(k) for k in LIVE) or ui.stage.answer_shown())

    prep, other = compute.prepare(model, v["text"]), compute.prepare(model, v["other"])
    with controls:
        for message in prep.messages():
            ui.problem(ui.escape_markdown(message))
        for message in other.messages() if not other.blank else []:
            ui.problem("Compare box: " + ui.escape_markdown(message))
    if not prep.words:
        return typed
    r = reading(tuple(prep.words))
    o = reading(tuple(other.words)) if other.words else None
    read = [("your sentence", r, COLOR["sentence"])] + ([("compared", o, COLOR["compared"])] if o else [])
    series = [dict(name=name, words=x.words, p0=x.p0, p=x.p, known=x.known, color=color) for name, x, color in read]
    height = PRESENT_HEIGHT if ui.frame.presenting() else CHART_HEIGHT
    ui.chart(chart, figures.trajectory(series, height=height), key="trajectory", summary=words.crossings_said(r),
             numbers=words.trajectory_summary([(name, x) for name, x, _ in read]))
    said = ui.escape_markdown(words.story(r))
    if o is not None:
        said += (f"  \nThe compared sentence ends **{compute.pct(o.final)} positive** ({o.verdict}): "
                 + ("the same side." if o.verdict == r.verdict else "**the other side**."))
    chart.markdown(said)
    note = words.reminder([*r.words, *(o.words if o is not None else ())], meta)
    if note:
        chart.info(ui.escape_markdown(note), icon=":material/info:")
    return typed


def negation_part(meta: dict, r: compute.Reading | None, prep) -> tuple:
    """Does it understand "not"? What the model was given, the question, then (once answered) both models'
    table and the typed sentence read by both. Returns the second model and its manifest entry (None, None
    when it cannot be loaded: the comparison is left out with a message)."""
    st.subheader("Does it understand “not”?")
    st.markdown(words.NEGATION_NOTE)
    try:
        plain, plain_meta = pretrained_model(PLAIN)
    except (FileNotFoundError, KeyError, RuntimeError, ValueError, OSError) as e:   # only the comparison needs it
        ui.problem(f"The model trained without the made-up examples could not be loaded, so the comparison is "
                   f"left out. {e}")
        return None, None
    model, _ = pretrained_model(MODEL)
    rows = negation_rows()
    st.markdown(ui.escape_markdown(words.help_note(meta, rows)))

    def truth() -> tuple[int, str]:
        right, why = answer()
        return right, ui.escape_markdown(why)

    ui.predict_reveal(words.question(meta, plain_meta), words.ANSWERS, truth)
    if ui.revealed():               # the table holds the question's row: it waits for the student's answer
        st.dataframe(negation.table(rows), hide_index=True, key="negation")
        st.markdown(ui.escape_markdown(words.summary(rows, plain_meta)))
        if r is not None:           # shown with the answer, so the page reruns whole while typing (answer_shown)
            q = reading(tuple(prep.words), PLAIN)
            st.caption(ui.escape_markdown(
                f"Your sentence, read by both: the shipped model ends {compute.pct(r.final)} positive "
                f"({r.verdict}), the model without the made-up examples {compute.pct(q.final)} ({q.verdict}). "
                "Type a negation of your own in the Sentence box above."))
    else:
        st.caption(words.TABLE_HELD)
    return plain, plain_meta


def deeper_parts(model, meta: dict, r, o, plain, plain_meta) -> None:
    """The words that moved it most, the hidden state's path, the scores and the data: each in an expander
    drawn only once opened."""
    m, H = meta["metrics"], model.hidden_size
    movers = ui.stage.deeper("The words that moved it most", MOVERS, icon=":material/bar_chart:")
    if movers.open and r is not None:
        ui.chart(movers, figures.movers(r.words, r.delta, r.known), key="movers", summary=words.movers_said(r),
                 numbers=words.movers_summary(r))
        movers.caption(words.MOVERS_NOTE)
    path = ui.stage.deeper("Where the hidden state travels", PATH, icon=":material/timeline:")
    if path.open and r is not None:
        with path:
            st.subheader("The hidden state's path")
            view = meta["projection"]
            points = [p[:2] for p in view["points"]]
            read = [("your sentence", r, COLOR["sentence"])] + ([("compared", o, COLOR["compared"])] if o else [])
            paths = [dict(name=name, xy=compute.project(x.h, view), words=x.words, color=color)
                     for name, x, color in read]
            line = compute.decision_line(model, view)
            ui.chart(st, figures.state_path(points, [p[2] for p in view["points"]], paths, view["explained"],
                                            line=(line.a, line.b, line.c)), key="path",
                     numbers=words.path_summary([(p["name"], x, p["xy"]) for p, (_, x, _) in zip(paths, read)], line))
            st.caption(ui.escape_markdown(words.PATH_NOTE.format(H=H, rest=H - 2,
                                                                 agreement=words.agreement_said(r, view, line))))
    scores = ui.stage.deeper("How good is it? Held-out test sentences", SCORES, icon=":material/scoreboard:")
    if scores.open:
        without = plain_meta["metrics"] if plain is not None else None
        ui.chart(scores, figures.scoreboard(m, without=without), key="scoreboard")
        n_test = meta["data"]["sizes"]["test"]
        scores.caption("Naive Bayes counts which words occur in positive and negative training sentences and "
                       f"ignores their order (Pang & Lee's own baseline). {words.versus_bag_of_words(m, n_test)} "
                       + (words.versus_without(m, without, n_test) + " " if without else "")
                       + f"Validation accuracy {m['val_accuracy']:.1%} (it chose the epoch); on its own training "
                       f"sentences {m['train_accuracy']:.1%}.")
    data = ui.stage.deeper("Where the sentences come from, and the model", DATA, icon=":material/inventory_2:")
    if data.open:
        with data:
            st.markdown(words.DATA)
            d = meta["data"]
            st.markdown(ui.escape_markdown(f"Kept: {d['movie']}. Split: {d['split']}. Added to training only (the test "
                                           f"stays movie sentences): {d['extra']} ({d['sizes']['extra']:,} examples)."))
            st.markdown(words.WORDS_NOTE.format(V=len(model.tokens) - 2, n=meta["hyper"]["min_count"])
                        .replace("<unk>", "&lt;unk&gt;"))
            st.markdown(f"The model: each word's embedding ({model.embed_size} numbers) → one {model.kind.upper()} "
                        f"layer of {H} units → p(positive) after every word; {meta['parameters']:,} parameters, "
                        f"trained only on the verdict after the last word (epoch {meta['epoch']} of "
                        f"{meta['hyper']['epochs']}, chosen on validation). Rebuilt by `{meta['command']}` in "
                        f"{meta['minutes']:.1f} minutes on a CPU.")
            if plain is not None:
                st.markdown("The model without the made-up examples: the same recipe, seed and size with that one "
                            f"switch off ({plain_meta['data']['sizes']['extra']:,} added examples instead of "
                            f"{d['sizes']['extra']:,}); epoch {plain_meta['epoch']} chosen on validation. Rebuilt by "
                            f"`{plain_meta['command']}` in {plain_meta['minutes']:.1f} minutes on a CPU.")
