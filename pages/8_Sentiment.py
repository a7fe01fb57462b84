"""Sentiment: a word-level LSTM reads a sentence and gives its verdict after every word (many-to-one)."""
import streamlit as st

from rnnviz import ui
from rnnviz.figures import sentiment as figs
from rnnviz.figures.style import COLOR
from rnnviz.lessons import sentiment as lesson
from rnnviz.ui import sentiment as cached

ui.page_setup("Sentiment", ":material/sentiment_satisfied:", intro=lesson.INTRO)

with ui.boundary():
    model, meta = ui.pretrained_or_stop(cached.MODEL, "The sentiment demo")
    m, H = meta["metrics"], model.hidden_size

    TEXT = ui.Text("text", "Sentence", "not good",
                   help="Any sentence or word, e.g. a line of a film review. Capitals make no difference; the model "
                        f"reads at most {lesson.MAX_WORDS} words. Words it never saw are read as one <unk> symbol.")
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
        ui.chart(st, figs.trajectory(series), key="trajectory")
        said = ui.escape_markdown(lesson.story(r))
        if o is not None:
            said += (f"  \nThe compared sentence ends **{lesson.pct(o.final)} positive** ({o.verdict}): "
                     + ("the same side." if o.verdict == r.verdict else "**the other side**."))
        st.markdown(said)
        st.caption(lesson.HOW_TO_READ)

        st.subheader("The words that moved it most")
        ui.chart(st, figs.movers(r.words, r.delta, r.known), key="movers")
        st.caption(lesson.MOVERS_NOTE)

        st.subheader("The hidden state's path")
        view = meta["projection"]
        points = [p[:2] for p in view["points"]]
        paths = [dict(name=s["name"], xy=lesson.project(x.h, view), words=x.words, color=s["color"])
                 for s, x in zip(series, [r, o])]
        ui.chart(st, figs.state_path(points, [p[2] for p in view["points"]], paths, view["explained"]), key="path")
        st.caption(lesson.PATH_NOTE.format(H=H))

    st.subheader("Does it understand “not”?")
    st.markdown(lesson.NEGATION_NOTE)
    pairs = cached.negation()
    st.dataframe([{"without": p.plain, "p(positive)": lesson.pct(p.p_plain), "with “not”": p.negated,
                   "p(positive) ": lesson.pct(p.p_negated), "verdict turns": "yes" if p.turned else "no"}
                  for p in pairs], hide_index=True, key="negation")
    turned = sum(p.turned for p in pairs)
    st.markdown(ui.escape_markdown(" ".join(lesson.negation_sentence(p) for p in pairs[:2]))
                + f"  \n**In {turned} of {len(pairs)} pairs the “not” turns the verdict.**"
                + ("" if turned == len(pairs) else " Where it does not, this model has not learnt the reversal: a "
                   "bigger or differently trained model might, and a bag of words never can."))

    st.subheader("How good is it?")
    ui.chart(st, figs.scoreboard(m), key="scoreboard")
    st.caption(f"Naive Bayes counts which words occur in positive and negative training sentences and ignores their "
               f"order (Pang & Lee's own baseline). {lesson.versus_bag_of_words(m, meta['data']['sizes']['test'])} "
               f"Validation accuracy {m['val_accuracy']:.1%} (it chose the epoch); on its own training sentences "
               f"{m['train_accuracy']:.1%}.")

    ui.experiments(cached.presets(), CONTROLS)


    def truth() -> tuple[int, str]:
        pair = next(p for p in pairs if p.negated == "not bad")
        return lesson.bucket(pair.p_negated), ui.escape_markdown(lesson.negation_sentence(pair))


    ui.predict_reveal(lesson.NOT_QUESTION, lesson.NOT_ANSWERS, truth)

    with st.expander("Where the sentences come from, and the model", icon=":material/inventory_2:"):
        st.markdown(lesson.DATA)
        d = meta["data"]
        st.markdown(ui.escape_markdown(f"Kept: {d['movie']}. Split: {d['split']}. Added to training only (the test "
                                       f"stays movie sentences): {d['extra']} ({d['sizes']['extra']:,} examples)."))
        st.markdown(lesson.WORDS_NOTE.format(V=len(model.tokens) - 2).replace("<unk>", "&lt;unk&gt;"))
        st.markdown(f"The model: each word's embedding ({model.embed_size} numbers) → one {model.kind.upper()} layer of "
                    f"{H} units → p(positive) after every word; {meta['parameters']:,} parameters, trained only on the "
                    f"verdict after the last word (epoch {meta['epoch']} of {meta['hyper']['epochs']}, chosen on "
                    f"validation). Rebuilt by `{meta['command']}` in {meta['minutes']:.1f} minutes on a CPU.")
