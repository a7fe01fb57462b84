"""What the Image captions page says: the intro, the controls' help, the notes on a composed scene, the presets,
the question and its answer, and the sentences written from a caption or the held-out scores.

Fixed texts are constants; a text that quotes the model is a function of it, every number computed
(tests/topics/captions/ hold them). Plain text unless said: the page escapes what it did not write itself.
"""
from __future__ import annotations

import numpy as np

from rnnviz.topics.captions import compute, data
from rnnviz.topics.captions.model import Captioner

INTRO = ("**One-to-many, from a picture.** A small convolutional network (CNN) looks at a 32 × 32 picture and "
         "sums it up in one vector; that vector starts a GRU, which writes the caption one word at a time, each "
         "word fed back in as the next step's input. Compose a scene on the left and watch, at every step, how "
         "sure the decoder is of the next word. **Greedy** search takes the likeliest word each time; **beam** "
         "search keeps the few likeliest partial captions and picks the one with the highest total "
         "log-probability. The scenes are generated, not photographs: the captions follow a small grammar, so "
         "every picture has exactly one true caption, and three colour × shape pairs (a red triangle, a green "
         "square, a blue circle) never appear in training.")
HELP = {
    "a": "The first thing in the scene: size, colour, shape.",
    "b": "A second thing, or none. With two things, the caption names the left one (or the upper one) first.",
    "where": "Where the first thing is: alone, in that part of the picture; with a second thing, on that side of it.",
    "noise": f"Gaussian noise added to every pixel (standard deviation). Training pictures had up to "
             f"{data.TRAIN_NOISE:g}.",
    "overlap": "Push the two things together so that they overlap (the second covers part of the first). "
               "No training scene ever had that.",
    "seed": "Draws the things' exact positions, their colours' small jitter and the noise: another seed, "
            "another picture of the same scene.",
    "width": "How many partial captions beam search keeps at every step. Width 1 is greedy search.",
}
HOW_TO_READ = ("Each column is one step of the decoder, labelled under it with the word greedy search wrote there; each row is "
               "a word it could write. A tile is p(word | the picture and the words so far), written in % when it is "
               "5 % or more; the ringed tile is greedy's choice, fed back in as the next step's input. Only the most "
               "likely words are shown as rows; the rest of the 22 symbols share what is left.")
BEAM_NOTE = ("Beam search (width {w}) keeps, at every step, the {w} partial captions with the highest total "
             "log-probability Σ log p; each is extended by its {w} likeliest next words, and the best {w} of those "
             "survive. A caption that reaches (end) is finished. Greedy search is beam search of width 1.")
DATA = ("**Where the scenes come from.** Nowhere: each picture is drawn by `rnnviz/topics/captions/data.py` from a "
        "seeded random generator: one or two things (size small or large; colour red, green, blue or yellow; shape "
        "circle, square or triangle), placed on the left, right, top or bottom, each colour jittered a little, "
        "then pixel noise. The caption comes from a fixed grammar: *a small red circle on the left*, *a large blue "
        "square above a small yellow triangle*. Two things are always named left one (or upper one) first, so a "
        "picture has exactly one true caption and an exact match is a fair test. Every training batch is new "
        "pictures. **Held out by combination:** no training scene holds a red triangle, a green square or a blue "
        "circle, though red, green, blue, triangles, squares and circles all appear in other pairs. The *unseen* "
        "test pictures each hold one of those pairs; the *seen* test pictures are new pictures of the training kind.")


def equations(model: Captioner) -> list[tuple[str, str]]:
    """The captioner's equations (model.Captioner), with this model's sizes, as (LaTeX, what it says)."""
    C, H, D, V = model.channels, model.hidden_size, model.embed_size, len(model.words)
    grid = data.SIZE // 8
    return [
        (rf"v = \tanh\!\left(W_v\,\mathrm{{flatten}}(\mathrm{{CNN}}(x)) + b_v\right) \in \mathbb{{R}}^{{{H}}}",
         f"the CNN turns the {data.SIZE} × {data.SIZE} × 3 picture x into {2 * C} maps of {grid} × {grid} "
         f"({2 * C * grid * grid} numbers, which keep where each feature is), and one layer makes them v"),
        (rf"s_0 = v,\qquad s_k = \mathrm{{GRU}}\!\left([\,E[y_{{k-1}}];\ v\,],\ s_{{k-1}}\right) \in \mathbb{{R}}^{{{H}}}",
         f"the decoder starts from v and sees v again at every step, beside the last word's embedding "
         f"({D} numbers); y_0 is the start symbol"),
        (rf"p(y_k \mid y_{{<k}}, x) = \mathrm{{softmax}}(W_o s_k + b_o) \in \mathbb{{R}}^{{{V}}}",
         f"a probability for each of the {V} symbols (the page's tiles); the padding and start symbols are never "
         "written: their probability is set to 0"),
        (r"\log p(y_{1..K} \mid x) = \sum_{k=1}^{K} \log p(y_k \mid y_{<k}, x)",
         "a whole caption's score, Σ log p: greedy maximises each term in turn, beam search keeps the best few sums"),
    ]


def notes(scene: data.Scene, noise: float, overlap_asked: bool) -> list[tuple[str, str]]:
    """(kind, plain text) notes on the composed scene: "warn" for what the model never saw in training,
    "info" for what is worth knowing."""
    out = []
    if overlap_asked and len(scene.things) == 1:
        out.append(("warn", "Overlap needs two things: choose a second thing to push them together."))
    if scene.overlap:
        out.append(("warn", "The two things overlap, the second drawn over the first. No training scene ever "
                            "overlapped: this picture is new to the model."))
    held = sorted({f"{t.colour} {t.shape}" for t in scene.things if t.held_out})
    if held:
        out.append(("info", f"The model never saw a {' or a '.join(held)} in training: it has only seen that colour "
                            "and that shape apart. Can it put them together?"))
    if noise > data.TRAIN_NOISE:
        out.append(("warn", f"Noise {noise:g} is more than any training picture had (at most {data.TRAIN_NOISE:g})."))
    return out


def caption_text(words: list[str]) -> str:
    return " ".join(words) if words else "(nothing)"


def verdict(c: compute.Captioned, truth: list[str]) -> str:
    """One sentence: greedy and beam against the grammar's caption, with their log-probabilities."""
    g_ok, b_ok = c.greedy_words == truth, c.beam_words == truth
    # "correct", never "right": right is a place in these captions
    both = ("Both are correct." if g_ok and b_ok else "Greedy is correct, beam is not." if g_ok else
            "Beam is correct, greedy is not." if b_ok else "Neither is the true caption.")
    same = "They write the same caption" if c.agree else "They differ"
    return (f"{same}: greedy Σ log p = {c.greedy.logp:.2f} (p = {percent(float(np.exp(c.greedy.logp)))}), beam "
            f"{c.beam.logp:.2f} (p = {percent(float(np.exp(c.beam.logp)))}). {both}")


def percent(p: float) -> str:
    """A probability as a student reads it: 97 %, 99.6 %, > 99.9 % (never a rounded 100 % that is not 1)."""
    return "> 99.9 %" if 0.999 <= p < 1 else "100 %" if p == 1 else f"{100 * p:.1f} %" if p >= 0.99 \
        else "0 %" if p == 0 else "< 0.1 %" if p < 0.001 else f"{100 * p:.1f} %" if p < 0.01 else f"{100 * p:.0f} %"


def steps_said(c: compute.Captioned) -> str:
    """Under the next-word chart: the step where greedy was least sure of its word (plain text)."""
    p = c.probs[np.arange(len(c.greedy.tokens)), c.greedy.tokens]
    k = int(np.argmin(p))
    word = figures_word(c.vocab[c.greedy.tokens[k]])
    low = percent(float(np.delete(p, k).min())) if len(p) > 1 else ""
    rest = f"; at every other step its word had p {'' if low[:1] in '<>' else '≥ '}{low}" if low else ""
    return f"Greedy was least sure at step {k + 1}, where it wrote “{word}” with p = {percent(float(p[k]))}{rest}."


def figures_word(word: str) -> str:
    return "(end)" if word == "</s>" else word


def scores_said(m: dict, width: int) -> str:
    return (f"On new pictures of seen pairs, greedy gets {m['seen_greedy_exact']:.0%} of the captions right word for "
            f"word and beam search (width {width}) {m['seen_beam_exact']:.0%}; copying the nearest training picture's "
            f"caption {m['seen_nearest_exact']:.0%}; the template {m['seen_template_exact']:.0%}. On held-out colour × "
            f"shape pairs: greedy {m['unseen_greedy_exact']:.0%}, beam {m['unseen_beam_exact']:.0%}, nearest picture "
            f"{m['unseen_nearest_exact']:.0%} (it can only repeat a training caption, and none holds such a pair).")


# ----- what to try, and the question

# a scene where beam search finds a likelier caption than greedy (tests/topics/captions/test_words_captions.py holds it)
BEAM_PRESET = {"a": "large green triangle", "b": "large red square", "where": "top", "noise": 0.1, "seed": 15}
PRESETS = [
    ("One above the other", {"a": "small green triangle", "b": "large blue square", "where": "bottom"},
     "The triangle is below, so the caption must start with the square: the decoder has to decide which thing is "
     "on top before it writes its second word, the upper thing's size. Look at step 2."),
    ("Beam against greedy", BEAM_PRESET,
     "Here the two searches part ways: compare their captions and their Σ log p, then open “Greedy against beam "
     "search” to see which partial captions beam search kept at each step."),
    ("Pushed together", {"overlap": True, "a": "large red circle", "b": "large yellow square"},
     "The second thing covers part of the first, which never happened in training. Which words suffer?"),
    ("A pair it never saw", {"a": "large red triangle", "b": compute.NONE, "where": "left"},
     "Red and triangles were both in training, but never a red triangle."),
]
QUESTION_SCENE = ("large red triangle", compute.NONE, "left")
QUESTION = ("The model never saw a red triangle in training (it saw red circles and squares, and triangles of other "
            "colours). Shown a large red triangle alone on the left, what does its greedy caption say?")
ANSWERS = ["“a large red triangle on the left”: it puts red and triangle together",
           "It names a pair it saw in training instead (a red circle, a yellow triangle, …)",
           "Something else"]
QUESTION_SEED, QUESTION_NOISE = 0, 0.05


def answer(model: Captioner) -> tuple[int, str]:
    """The predict-then-reveal answer, from the model: its greedy caption of the question's scene, and, fed the
    right caption's words up to the shape, the probability it gives the right shape."""
    scene = compute.compose(*QUESTION_SCENE)
    image = compute.picture(scene, QUESTION_SEED, QUESTION_NOISE)
    got, truth = compute.describe(model, image, width=1).greedy_words, data.caption(scene)
    pair = tuple(got[2:4]) if len(got) >= 4 else ()
    trained = {(t.colour, t.shape) for t in data.TRAIN_THINGS}
    index = 0 if got == truth else 1 if pair in trained and pair != tuple(truth[2:4]) else 2
    forced = compute.along(model, image, model.encode_words(truth))                    # (K, V)
    p_shape = forced[3, model.index[truth[3]]]
    return index, (f"Its greedy caption: “{caption_text(got)}”. Fed the right words “{' '.join(truth[:3])}”, the "
                   f"decoder gives “{truth[3]}” a probability of {percent(float(p_shape))}. In training, “{truth[2]}” was never "
                   f"followed by “{truth[3]}”, and the model (the CNN and the decoder, trained together) learned to give that "
                   "pair almost no chance, whatever the picture shows. How it does on all such pairs is in “How good is "
                   "it?” below.")
