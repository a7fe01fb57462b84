"""The GRU vs LSTM figures draw exactly the data they are given: the window, the units in their order,
one colour per model and per gate, and typed text only ever as data."""
from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest
from common import assert_plotly_accepts_unchanged
from test_compare import TEXT, model_of

from rnnviz import cells
from rnnviz.shared import charlm
from rnnviz.topics.compare import compute as compare
from rnnviz.topics.compare import figures as figs
from rnnviz.shared import style
from rnnviz.shared.style import COLOR


@pytest.fixture(scope="module")
def readings():
    return {kind: charlm.read(model_of(kind), TEXT) for kind in compare.KINDS}


def test_heatmap_shows_the_window_and_the_units_in_order(readings):
    q = compare.quantity(readings["lstm"], "forget")
    units = np.array([7, 2, 9])
    fig = figs.heatmap(q, TEXT, "forget", 10, 30, units, "LSTM: forget")
    heat = fig.data[0]
    np.testing.assert_array_equal(heat.z, q[10:30][:, units].T)
    assert list(heat.x) == list(range(11, 31))                           # 1-based character positions
    assert list(heat.y) == ["7", "2", "9"] and fig.layout.yaxis.type == "category"
    assert (heat.zmin, heat.zmax) == (0.0, 1.0)                           # a gate: closed … open
    assert len(fig.data) == 1 and "yaxis2" not in fig.to_plotly_json()["layout"]   # plotly draws the cells alone
    row = figs.char_row(TEXT, 10, 30)                                   # the characters, in a row under the cells
    assert figs.characters(row) == [figs.visible(ch) for ch in TEXT[10:30]]
    c = compare.quantity(readings["lstm"], "cell state")
    state = figs.heatmap(c, TEXT, "cell state", 0, 20, units, "c").data[0]
    assert state.zmin == -state.zmax and state.zmax >= max(1.0, np.abs(c[:20][:, units]).max())


def test_the_row_of_characters_sits_under_the_columns():
    """char_row: one equal cell per column of the heatmap, inside the figure's own left and right margins, which
    nothing in the browser may move (the theme turns automargin on: the figure turns it off, and the colour bar
    draws inside its fixed room); over MAX_CHARS_SHOWN characters, every k-th cell holds its character."""
    text = TEXT * 4                                                          # 256 characters
    c = np.zeros((len(text), 4))
    for lo, hi in ((0, 40), (5, 25), (0, 80), (3, 153), (56, 256)):
        fig = figs.heatmap(c, text, "forget", lo, hi, np.arange(4), "t")
        layout = fig.to_plotly_json()["layout"]
        margin = layout["margin"]
        assert margin["autoexpand"] is False and not layout["xaxis"]["automargin"] and not layout["yaxis"]["automargin"]
        assert layout["xaxis"]["range"] == [lo + 0.5, hi + 0.5]               # hi − lo columns, each one wide
        row = figs.char_row(text, lo, hi)
        assert f'padding:0 {margin["r"]}px 0 {margin["l"]}px' in row
        assert row.count("<span") == hi - lo and "grid-auto-columns:minmax(0,1fr)" in row   # one equal cell a column
        step = -(-(hi - lo) // figs.MAX_CHARS_SHOWN)
        assert step == (1 if hi - lo <= 50 else 2 if hi - lo <= 100 else 3 if hi - lo <= 150 else 4)
        expected = [figs.visible(text[lo + k]) if k % step == 0 else "" for k in range(hi - lo)]
        assert figs.row_cells(row) == expected                                   # each under its own column
        assert figs.characters(row) == [figs.visible(ch) for ch in text[lo:hi:step]]
        assert (fig.data[0].customdata is not None) == (step > 1)                # then the hover names each one
    for scale in (True, False):                                               # a pair's two plots: the same width
        fig = figs.heatmap(c, text, "forget", 0, 40, np.arange(4), "t", scale=scale)
        assert fig.layout.margin.r == figs.MARGIN["r"]


def test_typed_html_reaches_plotly_only_as_data_and_the_row_escaped():
    text = "<b>bold</b> <script>x</script>&amp;"
    r = charlm.read(model_of("gru"), text)
    fig = figs.heatmap(r.h, text, "hidden", 0, len(text), np.arange(3), "GRU: h")
    spec = json.loads(fig.to_json())
    assert "<b>" not in spec["layout"]["title"]["text"] and "<script>" not in spec["layout"]["title"]["text"]
    row = figs.char_row(text, 0, len(text), key="gate_gru")
    assert "<b>" not in row and "<script" not in row and "&amp;amp;" in row  # every character escaped
    assert "".join(figs.characters(row)) == text.replace(" ", "␣")            # read back: the characters typed
    said = re.search(r'aria-label="([^"]*)"', row).group(1)                    # a screen reader: once, as text
    assert html.unescape(said) == f"Characters 1 to {len(text)}: {text}" and "<" not in said
    assert re.search(r'<div[^>]*role="img"', row) and re.search(r'aria-hidden="true"[^>]*>character<', row)


def test_surprisal_with_both_models_and_with_one(readings):
    d = compare.duel(readings["gru"], readings["lstm"])
    fig = figs.surprisal(TEXT, {k: r.surprisal for k, r in readings.items()}, 0, 20, d)
    lines = [t for t in fig.data if t.type == "scatter"]
    assert [t.line.color for t in lines] == [COLOR["gru"], COLOR["lstm"]]
    assert list(lines[0].x) == list(range(2, len(TEXT) + 1))              # the characters that were predicted
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    gru, lstm = bars["GRU less surprised"], bars["LSTM less surprised"]
    assert (gru.marker.color, lstm.marker.color) == (COLOR["gru"], COLOR["lstm"])
    assert len(gru.x) == d.gru_wins and len(lstm.x) == d.lstm_wins
    assert sum(len(b.x) for b in bars.values()) == len(TEXT) - 1          # every predicted character once
    np.testing.assert_allclose(gru.y, d.advantage[d.advantage > d.tie])
    assert list(gru.x) == [k + 2 for k in np.nonzero(d.advantage > d.tie)[0]]   # at the predicted character
    one = figs.surprisal(TEXT, {"gru": readings["gru"].surprisal}, 0, 20)
    assert [t.type for t in one.data] == ["scatter"]


def test_class_bars_pair_the_gates_by_role(readings):
    stats = {k: compare.by_class(r, figs.CLASS_GATES[k]) for k, r in readings.items()}
    fig = figs.class_bars(stats)
    colours = [t.marker.color for t in fig.data]
    # keep (orange), write (sky blue), then what the next step sees: GRU reset, LSTM output
    assert colours == [COLOR[g] for g in ("update", "input", "reset", "forget", "input", "output")]
    assert COLOR["update"] == COLOR["forget"]
    forget = next(t for t in fig.data if t.name == figs.label("forget"))
    assert dict(zip(forget.x, forget.y)) == pytest.approx(stats["lstm"]["forget"])


def test_parameters_and_validation_figures():
    tables = {k: charlm.parameter_table(model_of(k)) for k in compare.KINDS}
    fig = figs.parameters(tables)
    for kind, rows in tables.items():
        drawn = sum(t.x[0] for t in fig.data if t.y[0] == kind.upper())
        assert drawn == sum(r["total"] for r in rows) == model_of(kind).count_parameters()
    metrics = {"gru": {"val_bpc": 2.1, "uniform_bpc": 6.2, "unigram_bpc": 4.7, "bigram_bpc": 3.6},
               "lstm": {"val_bpc": 2.2, "uniform_bpc": 6.2, "unigram_bpc": 4.7, "bigram_bpc": 3.6}}
    bars = figs.validation(metrics).data[0]
    assert list(bars.x) == [6.2, 4.7, 3.6, 2.1, 2.2] and list(bars.marker.color)[-2:] == [COLOR["gru"], COLOR["lstm"]]
    assert len(figs.validation({"lstm": metrics["lstm"]}).data[0].x) == 4   # one model's manifest is enough


@pytest.mark.parametrize("kind", compare.KINDS)
def test_equations_come_from_the_code(kind):
    tex = figs.equations_latex(kind)
    for _, line in cells.equations(kind):
        assert line.replace("=", "&=", 1) in tex
    roles = figs.equation_roles(kind)
    assert roles.count("$") == 2 * len(cells.equations(kind))
    assert ("update gate" in roles) == (kind == "gru") and ("cell state" in roles) == (kind == "lstm")


def test_tables(readings):
    d = compare.duel(readings["gru"], readings["lstm"])
    rows = figs.biggest_table(d, "gru", 3)
    assert rows and all(r["LSTM bits"] > r["GRU bits"] for r in rows)
    table = figs.parameter_rows(charlm.parameter_table(model_of("gru")))
    assert [r["block"] for r in table] == ["reset", "update", "new", "read-out"]


def test_every_figure_is_one_plotly_accepts_unchanged(readings):
    """Built without plotly's checks (style.figure), each must survive full validation unchanged."""
    d = compare.duel(readings["gru"], readings["lstm"])
    units = np.array([3, 1, 4])
    metrics = {k: {"val_bpc": 2.0, "uniform_bpc": 6.2, "unigram_bpc": 4.7, "bigram_bpc": 3.6} for k in compare.KINDS}
    made = [figs.heatmap(compare.quantity(readings["lstm"], q), TEXT, q, 5, 25, units, q)
            for q in ("forget", "cell state", "hidden")]
    made += [figs.surprisal(TEXT, {k: r.surprisal for k, r in readings.items()}, 0, 20, d),
             figs.surprisal(TEXT, {"gru": readings["gru"].surprisal}, 0, 20),
             figs.gate_means(TEXT, {k: compare.quantity(r, "hidden").mean(1) for k, r in readings.items()},
                             {"gru": "hidden", "lstm": "hidden"}, 0, 20),
             figs.gate_means(TEXT, {"lstm": compare.quantity(readings["lstm"], "forget").mean(1)},
                             {"lstm": "forget"}, 0, 20),
             figs.class_bars({k: compare.by_class(r, figs.CLASS_GATES[k]) for k, r in readings.items()}),
             figs.parameters({k: charlm.parameter_table(model_of(k)) for k in compare.KINDS}),
             figs.validation(metrics)]
    for fig in made:
        assert_plotly_accepts_unchanged(fig)


def test_parameter_labels_read_on_both_themes():
    """Issue 22: the parameter labels must read in the dark theme. A label inside a bar is black or white,
    whichever reads ≥ 4.5:1 on that bar; a label outside (the read-out's) has no colour of its own, so it takes
    the theme's font colour (light on the dark page, dark on the light one); if it ever gets one, it must read
    ≥ 4.5:1 on both of Streamlit's page colours."""
    tables = {kind: charlm.parameter_table(model_of(kind)) for kind in compare.KINDS}
    bars = figs.parameters(tables).data
    assert len(bars) == sum(len(rows) for rows in tables.values())
    for bar in bars:
        if bar.textposition == "inside":
            assert style.contrast(bar.insidetextfont.color, bar.marker.color) >= 4.5, bar.name
        else:
            own = bar.outsidetextfont.color or bar.textfont.color
            assert own is None or all(style.contrast(own, bg) >= 4.5 for bg in style.BACKGROUND.values()), bar.name
