"""Sentiment: a word-level LSTM reads a sentence and gives its verdict after every word (many-to-one).

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


def main() -> None:
    """The page: run by pages/8_Sentiment.py on every rerun."""
    ui.page_setup(TOPIC, intro=words.INTRO)

    with ui.boundary():
        model, meta = ui.pretrained_or_stop(MODEL, "The sentiment demo")
        m, H = meta["metrics"], model.hidden_size

        TEXT = ui.Text("text", "Sentence", "not good", help=words.HELP["text"])
        OTHER = ui.Text("other", "Compare with (optional)", "good", help=words.HELP["other"])
        CONTROLS = [TEXT, OTHER]

        for key in ("text", "other"):
            ui.cap_typed_text(key, compute.MAX_CHARS)
        left, right = st.columns(2)
        v = ui.render([TEXT], where=left) | ui.render([OTHER], where=right)
        st.caption(f"On {meta['data']['sizes']['test']:,} held-out test sentences the LSTM is right for "
                   f"**{m['test_accuracy']:.1%}**; naive Bayes on word counts (no order) "
                   f"{m['naive_bayes_accuracy']:.1%}; always saying the majority class {m['majority_accuracy']:.1%}.")

        prep, other = compute.prepare(model, v["text"]), compute.prepare(model, v["other"])
        for message in prep.messages():
            ui.problem(ui.escape_markdown(message))
        for message in other.messages() if not other.blank else []:
            ui.problem("Compare box: " + ui.escape_markdown(message))

        if prep.words:
            r = reading(tuple(prep.words))
            o = reading(tuple(other.words)) if other.words else None
            read = [("your sentence", r, COLOR["sentence"])]
            if o is not None:
                read.append(("compared", o, COLOR["compared"]))
            series = [dict(name=name, words=x.words, p0=x.p0, p=x.p, known=x.known, color=color)
                      for name, x, color in read]

            st.subheader("The verdict after every word")
            ui.chart(st, figures.trajectory(series), key="trajectory",
                     summary=words.trajectory_summary([(name, x) for name, x, _ in read]))
            said = ui.escape_markdown(words.story(r))
            if o is not None:
                said += (f"  \nThe compared sentence ends **{compute.pct(o.final)} positive** ({o.verdict}): "
                         + ("the same side." if o.verdict == r.verdict else "**the other side**."))
            st.markdown(said)
            note = words.reminder([*r.words, *(o.words if o is not None else ())], meta)
            if note:
                st.info(ui.escape_markdown(note), icon=":material/info:")
            st.caption(words.HOW_TO_READ)

            st.subheader("The words that moved it most")
            ui.chart(st, figures.movers(r.words, r.delta, r.known), key="movers", summary=words.movers_summary(r))
            st.caption(words.MOVERS_NOTE)

            st.subheader("The hidden state's path")
            view = meta["projection"]
            points = [p[:2] for p in view["points"]]
            paths = [dict(name=s["name"], xy=compute.project(x.h, view), words=x.words, color=s["color"])
                     for s, x in zip(series, [r, o])]
            line = compute.decision_line(model, view)
            ui.chart(st, figures.state_path(points, [p[2] for p in view["points"]], paths, view["explained"],
                                            line=(line.a, line.b, line.c)), key="path",
                     summary=words.path_summary([(p["name"], x, p["xy"]) for p, x in zip(paths, [r, o])], line))
            st.caption(ui.escape_markdown(words.PATH_NOTE.format(H=H, rest=H - 2,
                                                                 agreement=words.agreement_said(r, view, line))))

        st.subheader("Does it understand “not”?")
        st.markdown(words.NEGATION_NOTE)
        try:
            plain, plain_meta = pretrained_model(PLAIN)
        except (FileNotFoundError, KeyError, RuntimeError, ValueError, OSError) as e:   # only the comparison needs it
            plain = None
            ui.problem(f"The model trained without the made-up examples could not be loaded, so the comparison is "
                       f"left out. {e}")
        if plain is not None:
            rows = negation_rows()
            st.markdown(ui.escape_markdown(words.help_note(meta, rows)))

            def truth() -> tuple[int, str]:
                right, why = answer()
                return right, ui.escape_markdown(why)

            ui.predict_reveal(words.question(meta, plain_meta), words.ANSWERS, truth)
            if ui.revealed():               # the table holds the question's row: it waits for the student's answer
                st.dataframe(negation.table(rows), hide_index=True, key="negation")
                st.markdown(ui.escape_markdown(words.summary(rows, plain_meta)))
            else:
                st.caption(words.TABLE_HELD)
            if prep.words:
                q = reading(tuple(prep.words), PLAIN)
                st.caption(ui.escape_markdown(
                    f"Your sentence, read by both: the shipped model ends {compute.pct(r.final)} positive "
                    f"({r.verdict}), the model without the made-up examples {compute.pct(q.final)} ({q.verdict}). "
                    "Type a negation of your own in the Sentence box above."))

        st.subheader("How good is it?")
        without = plain_meta["metrics"] if plain is not None else None
        ui.chart(st, figures.scoreboard(m, without=without), key="scoreboard")
        n_test = meta["data"]["sizes"]["test"]
        st.caption("Naive Bayes counts which words occur in positive and negative training sentences and ignores "
                   f"their order (Pang & Lee's own baseline). {words.versus_bag_of_words(m, n_test)} "
                   + (words.versus_without(m, without, n_test) + " " if without else "")
                   + f"Validation accuracy {m['val_accuracy']:.1%} (it chose the epoch); on its own training sentences "
                   f"{m['train_accuracy']:.1%}.")

        ui.experiments(presets(), CONTROLS, show="trajectory")

        with st.expander("Where the sentences come from, and the model", icon=":material/inventory_2:"):
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
