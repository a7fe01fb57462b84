"""Sentiment: a word-level LSTM reads a sentence and gives its verdict after every word (many-to-one)."""
import streamlit as st

from rnnviz import ui
from rnnviz.topics.sentiment import figures as figs
from rnnviz.shared.style import COLOR
from rnnviz.topics.sentiment import negation
from rnnviz.topics.sentiment import compute as lesson
from rnnviz.topics.sentiment import words as text
from rnnviz.topics.sentiment import view_parts as cached
from rnnviz.topics.sentiment import TOPIC


def main() -> None:
    """The page: run by pages/8_Sentiment.py on every rerun."""
    ui.page_setup(TOPIC, intro=text.INTRO)

    with ui.boundary():
        model, meta = ui.pretrained_or_stop(cached.MODEL, "The sentiment demo")
        m, H = meta["metrics"], model.hidden_size

        TEXT = ui.Text("text", "Sentence", "not good",
                       help="Any sentence or word, e.g. a line of a film review. Capitals make no difference; the model "
                            f"reads at most {lesson.MAX_WORDS} words. Words outside its vocabulary are read as one <unk> symbol.")
        OTHER = ui.Text("other", "Compare with (optional)", "good",
                        help="A second sentence drawn beside the first (dashed), e.g. the same one without its “not”. "
                             "Leave it empty to read one sentence only.")
        CONTROLS = [TEXT, OTHER]

        for key in ("text", "other"):
            ui.cap_typed_text(key, lesson.MAX_CHARS)
        left, right = st.columns(2)
        v = ui.render([TEXT], where=left) | ui.render([OTHER], where=right)
        st.caption(f"On {meta['data']['sizes']['test']:,} held-out test sentences the LSTM is right for "
                   f"**{m['test_accuracy']:.1%}**; naive Bayes on word counts (no order) {m['naive_bayes_accuracy']:.1%}; "
                   f"always saying the majority class {m['majority_accuracy']:.1%}.")

        prep, other = lesson.prepare(model, v["text"]), lesson.prepare(model, v["other"])
        for message in prep.messages():
            ui.problem(ui.escape_markdown(message))
        for message in other.messages() if not other.blank else []:
            ui.problem("Compare box: " + ui.escape_markdown(message))

        if prep.words:
            r = cached.reading(tuple(prep.words))
            o = cached.reading(tuple(other.words)) if other.words else None
            series = [dict(name="your sentence", words=r.words, p0=r.p0, p=r.p, known=r.known, color=COLOR["sentence"])]
            if o is not None:
                series.append(dict(name="compared", words=o.words, p0=o.p0, p=o.p, known=o.known, color=COLOR["compared"]))

            st.subheader("The verdict after every word")
            ui.chart(st, figs.trajectory(series), key="trajectory",
                     summary=text.trajectory_summary([("your sentence", r)] + ([("compared", o)] if o is not None else [])))
            said = ui.escape_markdown(lesson.story(r))
            if o is not None:
                said += (f"  \nThe compared sentence ends **{lesson.pct(o.final)} positive** ({o.verdict}): "
                         + ("the same side." if o.verdict == r.verdict else "**the other side**."))
            st.markdown(said)
            note = negation.reminder([*r.words, *(o.words if o is not None else ())], meta)
            if note:
                st.info(ui.escape_markdown(note), icon=":material/info:")
            st.caption(text.HOW_TO_READ)

            st.subheader("The words that moved it most")
            ui.chart(st, figs.movers(r.words, r.delta, r.known), key="movers", summary=text.movers_summary(r))
            st.caption(text.MOVERS_NOTE)

            st.subheader("The hidden state's path")
            view = meta["projection"]
            points = [p[:2] for p in view["points"]]
            paths = [dict(name=s["name"], xy=lesson.project(x.h, view), words=x.words, color=s["color"])
                     for s, x in zip(series, [r, o])]
            line = lesson.decision_line(model, view)
            ui.chart(st, figs.state_path(points, [p[2] for p in view["points"]], paths, view["explained"],
                                         line=(line.a, line.b, line.c)), key="path",
                     summary=text.path_summary([(p["name"], x, p["xy"]) for p, x in zip(paths, [r, o])], line))
            st.caption(ui.escape_markdown(text.PATH_NOTE.format(H=H, rest=H - 2,
                                                                  agreement=text.agreement_said(r, view, line))))

        st.subheader("Does it understand “not”?")
        st.markdown(text.NEGATION_NOTE)
        try:
            plain, plain_meta = ui.cache.pretrained_model(cached.PLAIN)
        except (FileNotFoundError, KeyError, RuntimeError, ValueError, OSError) as e:   # only the comparison needs it
            plain = None
            ui.problem(f"The model trained without the made-up examples could not be loaded, so the comparison is "
                       f"left out. {e}")
        if plain is not None:
            rows = cached.negation_rows()
            st.markdown(ui.escape_markdown(negation.help_note(meta, rows)))


            def truth() -> tuple[int, str]:
                right, why = cached.negation_answer()
                return right, ui.escape_markdown(why)


            ui.predict_reveal(negation.question(meta, plain_meta), text.NOT_ANSWERS, truth)
            st.dataframe(negation.table(rows), hide_index=True, key="negation")
            st.markdown(ui.escape_markdown(negation.summary(rows, plain_meta)))
            if prep.words:
                q = cached.reading(tuple(prep.words), cached.PLAIN)
                st.caption(ui.escape_markdown(
                    f"Your sentence, read by both: the shipped model ends {lesson.pct(r.final)} positive "
                    f"({r.verdict}), the model without the made-up examples {lesson.pct(q.final)} ({q.verdict}). "
                    "Type a negation of your own in the Sentence box above."))

        st.subheader("How good is it?")
        without = plain_meta["metrics"] if plain is not None else None
        ui.chart(st, figs.scoreboard(m, without=without), key="scoreboard")
        n_test = meta["data"]["sizes"]["test"]
        st.caption(f"Naive Bayes counts which words occur in positive and negative training sentences and ignores their "
                   f"order (Pang & Lee's own baseline). {text.versus_bag_of_words(m, n_test)} "
                   + (text.versus_without(m, without, n_test) + " " if without else "")
                   + f"Validation accuracy {m['val_accuracy']:.1%} (it chose the epoch); on its own training sentences "
                   f"{m['train_accuracy']:.1%}.")

        ui.experiments(cached.presets(), CONTROLS)

        with st.expander("Where the sentences come from, and the model", icon=":material/inventory_2:"):
            st.markdown(text.DATA)
            d = meta["data"]
            st.markdown(ui.escape_markdown(f"Kept: {d['movie']}. Split: {d['split']}. Added to training only (the test "
                                           f"stays movie sentences): {d['extra']} ({d['sizes']['extra']:,} examples)."))
            st.markdown(text.WORDS_NOTE.format(V=len(model.tokens) - 2, n=meta["hyper"]["min_count"])
                        .replace("<unk>", "&lt;unk&gt;"))
            st.markdown(f"The model: each word's embedding ({model.embed_size} numbers) → one {model.kind.upper()} layer of "
                        f"{H} units → p(positive) after every word; {meta['parameters']:,} parameters, trained only on the "
                        f"verdict after the last word (epoch {meta['epoch']} of {meta['hyper']['epochs']}, chosen on "
                        f"validation). Rebuilt by `{meta['command']}` in {meta['minutes']:.1f} minutes on a CPU.")
            if plain is not None:
                st.markdown(f"The model without the made-up examples: the same recipe, seed and size with that one switch "
                            f"off ({plain_meta['data']['sizes']['extra']:,} added examples instead of "
                            f"{d['sizes']['extra']:,}); epoch {plain_meta['epoch']} chosen on validation. Rebuilt by "
                            f"`{plain_meta['command']}` in {plain_meta['minutes']:.1f} minutes on a CPU.")
