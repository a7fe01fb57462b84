"""Image captions: a small CNN sees a generated scene the student composes, a GRU writes its caption word by
word; the next-word distribution at every step; greedy against beam search (one-to-many).

One screen per idea: the page opens on its main view, the scene's controls beside the picture, both captions and
the decoder's steps, in an st.fragment (a move reruns and re-sends that part alone); the question and what to
try under it; the beam's candidates, the held-out scores and the data wait in closed expanders.

Nothing here is cached but the shipped model (ui.cache.pretrained_model, shared read-only): one picture, one
CNN pass and two short searches take a few milliseconds.
"""
from __future__ import annotations

import streamlit as st

from rnnviz import ui
from rnnviz.topics.captions import TOPIC, compute, data, figures, words
from rnnviz.ui.cache import pretrained_model

MODEL = "captions"
THINGS = [str(t) for t in data.THINGS]
FIRST = ui.Choice("a", "First thing", THINGS, "small red circle", help=words.HELP["a"])
SECOND = ui.Choice("b", "Second thing", [compute.NONE, *THINGS], "large yellow triangle", help=words.HELP["b"])
WHERE = ui.Choice("where", "Where the first thing is", data.WHERE, "left", horizontal=True, help=words.HELP["where"])
NOISE = ui.Slider("noise", "Pixel noise σ", 0.0, data.MAX_NOISE, 0.05, step=0.05, help=words.HELP["noise"])
OVERLAP = ui.Toggle("overlap", "Push them together", False, help=words.HELP["overlap"])
SEED = ui.Number("seed", "Picture seed", 0, 9999, 0, help=words.HELP["seed"])
WIDTH = ui.Slider("width", "Beam width", min(compute.WIDTHS), max(compute.WIDTHS), 3, help=words.HELP["width"])
MAIN = [FIRST, SECOND, WHERE, NOISE, OVERLAP]
SIDE = [SEED, WIDTH]
CONTROLS = MAIN + SIDE                   # what a preset sets (the rest to their defaults)
HOW, BEAM, SCORES, EQS, DATA = "cap_how", "cap_beam", "cap_scores", "cap_equations", "cap_data"
HEIGHT = {False: 290, True: 200}          # the next-word chart's: on a laptop, and on a projector
PIXEL = {False: 5, True: 4}               # each of the 32 × 32 pixels drawn as this many screen pixels


def main() -> None:
    """The page: run by pages/22_Image_captions.py on every rerun."""
    lead, rest = ui.stage.lead(words.INTRO, sentences=1)
    ui.page_setup(TOPIC, intro=lead)

    with ui.boundary():
        model, meta = ui.pretrained_or_stop(MODEL, "The image-captioning demo")
        side = ui.render(SIDE, where=ui.stage.settings("picture seed, beam width"))
        main_view(int(side["seed"]), int(side["width"]))
        m = meta["metrics"]
        # only the seen pictures' scores here: the unseen pairs' would answer the question below before it is asked
        st.caption(f"On {meta['data']['sizes']['test_seen']:,} new test pictures it never saw, greedy search writes "
                   f"the whole caption right **{m['seen_greedy_exact']:.0%}** of the time; copying the nearest "
                   f"training picture's caption gets {m['seen_nearest_exact']:.0%}, the template "
                   f"{m['seen_template_exact']:.0%}. Pictures with a colour × shape pair it never saw: in “How good "
                   "is it?” below.")
        ui.predict_reveal(words.QUESTION, words.ANSWERS, lambda: words.answer(model))   # before the presets
        ui.experiments(words.PRESETS, CONTROLS, show="next_words")

        scores = ui.stage.deeper("How good is it? Pictures it never saw", SCORES, icon=":material/scoreboard:")
        if scores.open:
            left, right = scores.columns(2)
            ui.chart(left, figures.scoreboard(m, "exact"), key="score_exact")
            ui.chart(right, figures.scoreboard(m, "word"), key="score_word")
            scores.caption(words.scores_said(m, meta["beam_width"]))
            scores.caption(f"The template baseline never looks at the picture: it always writes “{meta['baseline']['template']}”. "
                           f"The nearest-picture baseline copies the caption of the closest of "
                           f"{meta['data']['sizes']['nearest_memory']:,} training pictures. Word accuracy counts the "
                           "words equal to the right caption's word at the same position, over the longer of the two.")
        eqs = ui.stage.deeper("The equations, with this model's sizes", EQS, icon=":material/functions:")
        if eqs.open:
            with eqs:
                for tex, said in words.equations(model):
                    st.latex(tex)
                    st.caption(said)
                st.caption(f"{meta['parameters']:,} parameters. The code: `rnnviz/topics/captions/model.py` "
                           "(Captioner), the searches in `rnnviz/topics/captions/decoding.py`.")
        about = ui.stage.deeper("Where the scenes come from, and the model", DATA, icon=":material/inventory_2:")
        if about.open:
            with about:
                st.markdown(words.DATA)
                st.markdown(f"The model: a CNN of three 3 × 3 convolutions ({model.channels}, {2 * model.channels} "
                            f"and {2 * model.channels} channels, each with ReLU and 2 × 2 max pooling) turns the picture "
                            f"into one vector v of {model.hidden_size} numbers; v is the GRU decoder's first state and "
                            f"is fed again at every step beside the previous word's embedding ({model.embed_size} "
                            f"numbers); a softmax over {len(model.words)} symbols. {meta['parameters']:,} parameters, "
                            f"trained by teacher forcing on {meta['data']['sizes']['train_scenes']:,} generated "
                            f"pictures ({meta['hyper']['steps']:,} steps of {meta['hyper']['batch']}), rebuilt by "
                            f"`{meta['command']}` in {meta['minutes']:.1f} minutes on a CPU.")
        ui.stage.about(rest, "cap_about")


@ui.fragment
def main_view(seed: int, width: int) -> None:
    """The scene's controls beside the picture, both captions and the decoder's steps; under them the beam's
    candidates, drawn once opened. A fragment: a move reruns and re-sends this part alone."""
    with ui.boundary("main view"):
        scene_view(seed, width)


def scene_view(seed: int, width: int) -> None:
    model, _ = pretrained_model(MODEL)
    presenting = ui.frame.presenting()
    controls, chart = ui.stage.main_view("captions", ratio=(1.1, 2.5))
    v = ui.render(MAIN, where=controls)
    scene = compute.compose(v["a"], v["b"], v["where"], v["overlap"])
    with controls:
        for kind, note in words.notes(scene, float(v["noise"]), bool(v["overlap"])):
            (ui.problem if kind == "warn" else st.info)(ui.escape_markdown(note))
    image = compute.picture(scene, seed, float(v["noise"]))
    c = compute.describe(model, image, width)
    truth = data.caption(scene)
    left, right = chart.columns([1, 2.6], vertical_alignment="top")
    px = PIXEL[presenting]
    left.image(figures.enlarge(image, px), width=data.SIZE * px,
               caption=f"{data.SIZE} × {data.SIZE} pixels")
    right.markdown(f"**Greedy:** {ui.escape_markdown(words.caption_text(c.greedy_words))}  \n"
                   f"**Beam (width {width}):** {ui.escape_markdown(words.caption_text(c.beam_words))}  \n"
                   f"**True caption:** {ui.escape_markdown(' '.join(truth))}")
    right.caption(ui.escape_markdown(words.verdict(c, truth)))
    rows = compute.top_words(c.probs, c.vocab, k=9, always=c.greedy.tokens)
    ui.chart(chart, figures.next_words(c.vocab, c.probs, c.greedy.tokens, rows, HEIGHT[presenting]),
             key="next_words", summary=words.steps_said(c))
    how = ui.stage.deeper("How to read this chart", HOW, icon=":material/help:", where=chart)
    if how.open:
        how.caption(words.HOW_TO_READ)
    beam = ui.stage.deeper("Greedy against beam search: the candidates beam search keeps", BEAM,
                           icon=":material/account_tree:")
    if beam.open:
        with beam:
            st.caption(words.BEAM_NOTE.format(w=width))
            st.dataframe(compute.beam_table(c.beam, c.vocab), hide_index=True, key="beam_table")
