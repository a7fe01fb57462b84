"""The five forms as data and as a diagram: every layout follows the length and loss rules the page
states, and the figure draws exactly the boxes of its layout (inputs, cells, outputs, loss terms, the
fed-back arrows), validated by plotly unchanged."""
from __future__ import annotations

import json

import pytest
from common import assert_plotly_accepts_unchanged

from rnnviz.topics.architectures import figures as figs
from rnnviz.shared.style import COLOR
from rnnviz.topics.architectures import compute as arch
from rnnviz.topics.architectures import words

SIZES = [(1, 1), (2, 5), (5, 2), (6, 6), (12, 12)]


def boxes(fig, kind: str) -> list[tuple[float, float, str]]:
    """(x, y, text) of every box of one kind ("x", "cell", "context", "y", "L"), over all its traces."""
    return [(x, y, t) for d in fig.data if d.meta == kind for x, y, t in zip(d.x, d.y, d.text)]


@pytest.mark.parametrize("form", arch.ORDER)
@pytest.mark.parametrize("n_in, n_out", SIZES)
def test_layouts_follow_the_rules(form, n_in, n_out):
    a, b = arch.lengths(form, n_in, n_out)
    expected = {"one-to-one": (1, 1), "one-to-many": (1, n_out), "many-to-one": (n_in, 1),
                "many-to-many": (n_in, n_in), "encoder-decoder": (n_in, n_out)}[form]
    assert (a, b) == expected
    lay = arch.layout(form, a, b)
    T = len(lay.steps)
    assert [s.t for s in lay.steps] == list(range(1, T + 1))
    assert len(lay.input_steps) == a and len(lay.output_steps) == b
    if form == "one-to-one":
        assert T == 1 and not lay.recurrent and lay.loss_steps == (1,)
    elif form == "one-to-many":
        assert lay.input_steps == (1,) and lay.output_steps == tuple(range(1, b + 1))
        assert lay.loss_steps == lay.output_steps and lay.fed_back_steps == tuple(range(2, b + 1))
    elif form == "many-to-one":
        assert lay.input_steps == tuple(range(1, a + 1)) and lay.output_steps == lay.loss_steps == (a,)
    elif form == "many-to-many":
        assert lay.input_steps == lay.output_steps == lay.loss_steps == tuple(range(1, a + 1))
        assert not lay.fed_back_steps
    else:
        assert lay.input_steps == tuple(range(1, a + 1)) and lay.context == a
        decoder = tuple(range(a + 1, a + b + 1))
        assert lay.output_steps == lay.loss_steps == decoder and lay.fed_back_steps == decoder[1:]
        assert {s.part for s in lay.steps if s.t <= a} == {"encoder"}
        assert {s.part for s in lay.steps if s.t > a} == {"decoder"}
    assert not set(lay.input_steps) & set(lay.fed_back_steps)       # a step reads from outside or its own output


@pytest.mark.parametrize("form", arch.ORDER)
@pytest.mark.parametrize("n_in, n_out", SIZES)
def test_the_diagram_draws_exactly_the_layout(form, n_in, n_out):
    a, b = arch.lengths(form, n_in, n_out)
    lay = arch.layout(form, a, b)
    fig = figs.unrolled(form, a, b, highlight=1)
    assert_plotly_accepts_unchanged(fig)
    x_of = {s.t: s.t - 1 + (s.part == "decoder") for s in lay.steps}
    assert [p[0] for p in boxes(fig, "x")] == [x_of[t] for t in lay.input_steps]
    assert [p[0] for p in boxes(fig, "y")] == [x_of[t] for t in lay.output_steps]
    assert [p[0] for p in boxes(fig, "L")] == [x_of[t] for t in lay.loss_steps]
    assert sorted(p[0] for p in boxes(fig, "cell")) == [x_of[s.t] for s in lay.steps]
    assert [p[2] for p in boxes(fig, "x")] == [f"x<sub>{k}</sub>" for k in range(1, a + 1)]
    assert [p[2] for p in boxes(fig, "y")] == [f"y<sub>{k}</sub>" for k in range(1, b + 1)]
    assert {p[1] for p in boxes(fig, "x")} <= {0} and {p[1] for p in boxes(fig, "L")} <= {3}
    # recurrent arrows: one per pair of neighbouring steps (two through c), h's colour; none for one-to-one
    h_arrows = [sym for d in fig.data if d.meta == f"arrows {COLOR['h']}" for sym in d.marker.symbol if sym == "arrow"]
    neighbours = len(lay.steps) - 1 + (1 if lay.context else 0)
    assert len(h_arrows) == (neighbours + 1 if lay.recurrent else 0)          # + the state entering step 1
    fed = [d for d in fig.data if d.meta == "fed back"]
    if lay.fed_back_steps:
        assert sum(sym == "arrow" for sym in fed[0].marker.symbol) == len(lay.fed_back_steps)
        assert "dot" in fed[0].line.dash
    else:
        assert not fed
    contexts = boxes(fig, "context")
    assert (len(contexts) == 1 and contexts[0][0] == a) if form == "encoder-decoder" else not contexts
    if form == "encoder-decoder":                 # two networks, two colours, both named
        colors = {d.name: d.marker.color for d in fig.data if d.meta == "cell"}
        assert colors == {"encoder cell: W_e": COLOR["rnn"], "decoder cell: its own W_d": COLOR["decoder"]}
    assert fig.layout.shapes[0].x0 < x_of[1] < fig.layout.shapes[0].x1        # the highlighted step


def test_labels_are_escaped_and_loss_can_be_left_out():
    fig = figs.unrolled("one-to-many", 3, 4, labels={"x": ["<b>", "&", "c"], "y": ["<script>", "y", "z", "w"],
                                                      "start": "<i>h</i>", "t": ["p", "p", "1", "2", "3", "4"]},
                        loss=False, highlight=6)
    assert_plotly_accepts_unchanged(fig)
    text = json.dumps(fig.to_dict())
    assert "<script>" not in text and "<b>" not in text and "<i>" not in text
    assert [p[2] for p in boxes(fig, "x")] == ["&lt;b&gt;", "&amp;", "c"]
    assert boxes(fig, "y")[0][2] == "&lt;script&gt;" and not boxes(fig, "L")
    assert [p[0] for p in boxes(fig, "y")] == [2, 3, 4, 5]         # priming: the prompt's last step writes first
    assert list(fig.layout.xaxis.ticktext) == ["p", "p", "1", "2", "3", "4"]
    assert len(fig.layout.yaxis.tickvals) == 3                      # no loss row


def test_hops_summary_and_the_question_come_from_the_rules():
    lay = arch.layout("many-to-one", 8, 1)
    assert lay.hops(8, 1) == 7 and arch.layout("one-to-one", 1, 1).hops(1, 1) == 0
    assert "1 loss term" in arch.summary(lay) and "7 recurrent products" in arch.summary(lay)
    assert "No recurrence" in arch.summary(arch.layout("one-to-one", 5, 5))
    # the question deliberately changed (issue 20): the default diagram (many-to-one) and the presets gave its
    # old answer above it; it now compares many-to-one with the aligned form, whose half is the prediction
    question, answers, right, explanation = words.predict_question(8)
    assert answers[right] == "many-to-one 7 copies, aligned 0 copies" and len(set(answers)) == 4
    assert "read 8 words" in question and "h_8" in explanation and "W_ih" in explanation and "W_xh" not in explanation
    assert arch.nearest_loss("many-to-one", 8) == 7 and arch.nearest_loss("many-to-many", 8) == 0
    assert arch.nearest_loss("encoder-decoder", 8) == 8           # the first decoder output, past c
    notes = {label: note for label, _, note, *_ in words.PRESETS}
    after = {label: " ".join(outcome) for label, _, _, *outcome in words.PRESETS}     # held until the reveal
    assert "passes 7 copies of W_hh" in after["Sentiment: many-to-one, 8 words"]
    assert "copies" not in notes["Sentiment: many-to-one, 8 words"]                    # half the answer, held
    assert notes["Tagging: aligned, 6 words"].startswith("6 loss terms")
    assert not any("0 copies" in n or "aligned 0" in n for n in notes.values())       # the answer is not above it
    horizon = next(t for f in arch.FORMS.values() for name, t in f.applications if name.startswith("Forecasting"))
    assert "next k values" in horizon and " h " not in horizon        # h is the hidden state on every page
    with pytest.raises(ValueError):
        arch.layout("two-to-three", 1, 1)
    with pytest.raises(ValueError):
        lay.hops(1, 2)


def test_every_form_names_applications_and_demos_with_ready_inputs():
    names = {name for f in arch.FORMS.values() for name, _ in f.applications}
    for word in ("Speech", "Sentiment", "Video", "named entities", "Translation", "Forecasting", "Music"):
        assert any(word.lower() in n.lower() for n in names), word
    demos = {d.path: d for f in arch.FORMS.values() for d in f.demos}
    assert demos["pages/8_Sentiment.py"].query == {"text": arch.SENTIMENT.query["text"]}
    assert set(demos["pages/9_Surname_language.py"].query) == {"name"}
    assert set(demos["pages/10_Text_generation.py"].query) == {"prompt"}
    assert {d.title for d in demos.values() if d.coming} <= {"Tagging", "Date translation", "Forecasting"}
    assert set(demos["pages/12_Date_translation.py"].query) == {"date"}
    assert set(demos["pages/19_Music.py"].query) == {"song", "notes"}                 # issue 25's applications
    assert set(demos["pages/22_Image_captions.py"].query) == {"a", "b", "where"}
    assert demos["pages/21_Video_activity.py"].query == {"motion": "clockwise"}
    assert demos["pages/20_Speech.py"].query == {"word": "seven"}
    assert tuple(arch.FORMS) == arch.ORDER


@pytest.mark.parametrize("form", arch.ORDER)
@pytest.mark.parametrize("layers", [2, 4])
def test_a_stack_draws_one_row_of_cells_per_layer(form, layers):
    """Depth (issue 23): L rows of cells, each copy above the first reading the one below (an arrow up per
    copy and layer), one context c per layer, the outputs on the top row; plotly takes it unchanged."""
    fig = figs.unrolled(form, 5, 3, layers=layers)
    assert_plotly_accepts_unchanged(fig)
    lay = arch.layout(form, 5, 3)                                       # as the figure lays it out
    data = json.loads(fig.to_json())["data"]
    cells = [d for d in data if d.get("meta") == "cell"]
    ys = sorted({y for d in cells for y in d["y"]})
    assert ys == list(range(1, layers + 1)) and sum(len(d["x"]) for d in cells) == layers * len(lay.steps)
    assert all(y == layers + 1 for d in data if d.get("meta") == "y" for y in d["y"])
    context = [d for d in data if d.get("meta") == "context"]
    assert sum(len(d["x"]) for d in context) == (layers if lay.context else 0)
    assert {p for d in cells for p in d["hovertext"] if f"layer {layers}" in p}
    assert arch.depth_paths(lay, layers) == (None if not lay.recurrent else
                                             (lay.hops(lay.loss_steps[-1], 1) + layers,
                                              __import__("math").comb(lay.hops(lay.loss_steps[-1], 1) + layers - 1,
                                                                      layers - 1)))
