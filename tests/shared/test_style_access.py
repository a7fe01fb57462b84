"""Colours that read on both themes, and heatmap numbers only where they fit (rnnviz/shared/style.py).

The WCAG ratios are pure arithmetic, so they are checked here for the two dark-theme fixes of issue 22:
BPTT's "not reached yet" bars (a graphic: ≥ 3:1 against the page) and GRU vs LSTM's parameter labels
(text: ≥ 4.5:1 against the bar they sit in)."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from rnnviz.shared import style
from rnnviz.shared.style import BACKGROUND, COLOR, GRAPHIC_CONTRAST, TEXT_CONTRAST, contrast
from rnnviz.topics.bptt import figures as bptt_figures
from rnnviz.topics.compare import figures as compare_figures


def blend(color: str, background: str, alpha: float) -> str:
    """`color` at opacity `alpha` over `background`, as the browser paints it."""
    mix = [round(alpha * int(color[k:k + 2], 16) + (1 - alpha) * int(background[k:k + 2], 16)) for k in (1, 3, 5)]
    return "#" + "".join(f"{c:02X}" for c in mix)


def test_wcag_ratios_of_known_pairs():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)      # the classic just-too-light grey
    assert contrast("#FFFFFF", "#FFFFFF") == 1.0


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_bptt_not_reached_bars_read_on_both_themes(theme):
    page = BACKGROUND[theme]
    assert contrast(bptt_figures.NOT_REACHED, page) >= GRAPHIC_CONTRAST
    # ... where the old look, the share colour at 25 % opacity, did not on the dark page (1.6:1)
    if theme == "dark":
        assert contrast(blend(COLOR["share"], page, 0.25), page) < GRAPHIC_CONTRAST
    # and they stay apart from the reached bars
    assert bptt_figures.NOT_REACHED != COLOR["share"]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_bptt_reached_bars_read_on_both_themes(theme):
    """The bars the backward pass has reached (each step's share of ∂L/∂W_hh) read on both pages as well: the
    sky blue they had was 2.3:1 on white; and they stay apart from the grey of the steps not reached yet."""
    page = BACKGROUND[theme]
    assert contrast(bptt_figures.SHARE, page) >= GRAPHIC_CONTRAST
    if theme == "light":
        assert contrast(COLOR["share"], page) < GRAPHIC_CONTRAST          # the old colour, for the record
    assert bptt_figures.SHARE not in (bptt_figures.NOT_REACHED, COLOR["share"])


def test_every_parameter_label_reads_on_its_bar():
    tables = {"lstm": [{"block": b, "total": 10} for b in ("input", "forget", "cell", "output")] +
                      [{"block": "read-out", "total": 5}],
              "gru": [{"block": b, "total": 10} for b in ("reset", "update", "new")] + [{"block": "read-out", "total": 5}]}
    fig = compare_figures.parameters(tables)
    for bar in fig.data:
        if bar.textposition == "inside":
            assert contrast(bar.insidetextfont.color, bar.marker.color) >= TEXT_CONTRAST, bar.name
    # every colour of the palette gets a readable label this way
    assert min(contrast(c, style.text_on(c)) for c in COLOR.values()) >= TEXT_CONTRAST


def _heatmap(labels: list[list[str]], size: int = 12, **layout) -> go.Figure:
    z = np.zeros((len(labels), len(labels[0])))
    return go.Figure(dict(data=[dict(type="heatmap", z=z, text=labels, texttemplate="%{text}", textfont=dict(size=size),
                                     showscale=False)],
                          layout=dict(margin=dict(l=40, r=10), **layout)), _validate=False)


def test_heatmap_numbers_need_room_in_proportion_to_columns_and_label_length():
    four = _heatmap([["-0.12"] * 4])
    assert style.text_fit_width(four) == round(4 * (5 * style.CHAR_WIDTH * 12 + 4) + 50)
    assert style.text_fit_width(_heatmap([["-0.12"] * 8])) > style.text_fit_width(four)
    assert style.text_fit_width(_heatmap([["0.1"] * 4])) < style.text_fit_width(four)
    assert style.text_fit_width(_heatmap([["-0.12"] * 4], size=18)) > style.text_fit_width(four)
    # a heatmap on a third of the width needs three times the plot area
    third = go.Figure(dict(data=[dict(four.data[0].to_plotly_json(), xaxis="x2")],
                           layout=dict(margin=dict(l=40, r=10), xaxis2=dict(domain=[0, 1 / 3]))), _validate=False)
    assert style.text_fit_width(third) == pytest.approx(3 * (style.text_fit_width(four) - 50) + 50, abs=1)


def test_numbers_from_a_z_template_and_figures_without_numbers():
    fig = go.Figure(dict(data=[dict(type="heatmap", z=[[0.5, -0.25]], texttemplate="%{z:.2f}", showscale=False)],
                         layout=dict(margin=dict(l=0, r=0))), _validate=False)
    assert style.text_fit_width(fig) == round(2 * (5 * style.CHAR_WIDTH * style.FONT["size"] + 4))   # "-0.25"
    assert style.text_fit_width(go.Figure(dict(data=[dict(type="heatmap", z=[[1]])]), _validate=False)) is None
    assert style.text_fit_width(go.Figure(dict(data=[dict(type="bar", y=[1], text=["1"])]), _validate=False)) is None


def test_a_projector_copy_gives_the_same_rule_with_larger_type():
    """Presentation mode draws style.for_projector's copy, whose arrays are plotly's typed arrays (bdata)."""
    fig = go.Figure(dict(data=[dict(type="heatmap", z=np.array([[0.5, -0.25], [1.0, 0.0]]), texttemplate="%{z:.2f}",
                                    textfont=dict(size=12), showscale=False)],
                         layout=dict(margin=dict(l=0, r=0))), _validate=False)
    big = style.for_projector(fig)
    assert style.text_fit_width(big) == round(2 * (5 * style.CHAR_WIDTH * round(12 * 1.35, 1) + 4))
