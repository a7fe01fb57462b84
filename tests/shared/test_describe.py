"""figures.describe: the summary sentence and the CSV are read from the figure, so they hold its numbers."""
from __future__ import annotations

import csv
import io
import math

import numpy as np

from rnnviz.shared import describe
from rnnviz.shared import style
from rnnviz.topics.lab import figures as figs
from rnnviz.topics.lab import compute as lab


def _line(y, name="RNN", x=None, mode="lines"):
    x = list(range(1, len(y) + 1)) if x is None else x
    return style.figure([dict(type="scatter", mode=mode, name=name, x=x, y=y)],
                        dict(title=dict(text="A <b>title</b>"), xaxis=style.axis("time step t")))


def test_a_line_is_summarised_by_its_first_last_and_highest_value():
    s = describe.summary(_line([0.5, 2.0, 1.25]))
    assert s == "A title. RNN: 0.5 at t = 1 → 1.25 at t = 3 (highest 2 at t = 2)."


def test_overflow_is_called_an_explosion_not_hidden():
    s = describe.summary(_line([1.0, math.inf, math.nan, 3.0]))
    assert "2 values overflowed (exploded)" in s and "highest 3" in s
    assert "all 2 overflowed" in describe.summary(_line([math.inf, math.nan]))


def test_a_heatmap_names_its_range_and_where_the_highest_cell_is():
    fig = style.figure([dict(type="heatmap", name="gate", z=[[0.1, 0.9], [0.3, 0.2]], x=["a", "b"], y=["u1", "u2"])],
                       dict())
    # (text changed on purpose, issue 20: each coordinate is named by its axis, "y"/"x" when untitled)
    assert describe.summary(fig) == "Gate: 2×2 values from 0.1 to 0.9, the highest at y = “u1”, x = “b”."
    rows = list(csv.reader(io.StringIO(describe.to_csv(fig))))[2:]
    assert rows == [["gate", "heatmap", "a", "u1", "0.1"], ["gate", "heatmap", "b", "u1", "0.9"],
                    ["gate", "heatmap", "a", "u2", "0.3"], ["gate", "heatmap", "b", "u2", "0.2"]]


def test_the_gradient_lab_summary_holds_the_numbers_it_plots():
    res = lab.run(lab.LabConfig(T=60, H=16))
    fig = figs.grad_norms(res)
    s = describe.summary(fig)
    for tr in fig.data:
        if tr.name in ("RNN", "LSTM", "GRU"):
            y = np.asarray(tr.y, dtype=float)
            assert f"{tr.name}: {y[0]:.3g} at k = 0" in s            # the x axis is k = T − t, steps back
            assert f"{y[-1]:.3g} at k = {res.T - 1}" in s
    table = list(csv.DictReader(io.StringIO(describe.to_csv(fig).split("\n", 1)[1])))
    rnn = [float(r["value"]) for r in table if r["trace"] == "RNN"]
    np.testing.assert_allclose(rnn, np.asarray(next(t.y for t in fig.data if t.name == "RNN"), dtype=float))


def test_user_markup_in_labels_becomes_plain_words():
    fig = _line([1.0, 2.0], name="&lt;script&gt; <i>x</i>")
    assert "<script> x: highest 2" in describe.summary(fig)   # ui.chart escapes it for markdown


def test_a_gap_is_not_an_explosion_and_a_flat_line_says_so():
    import plotly.graph_objects as go
    gap = go.Figure(go.Scatter(x=[1, 2, 3, 4], y=[1.0, None, 3.0, 2.0], name="loss", mode="lines"))
    assert "overflow" not in describe.summary(gap) and "highest 3 at 3" in describe.summary(gap)
    boom = go.Figure(go.Scatter(x=[1, 2, 3], y=[1.0, float("inf"), float("nan")], name="g", mode="lines"))
    assert "2 values overflowed (exploded)" in describe.summary(boom)
    flat = go.Figure(go.Scatter(x=[1, 2, 3], y=[0.5, 0.5, 0.5], name="h", mode="lines"))
    assert "H: 3 points, all 0.5" in describe.summary(flat)


def test_projector_figures_scale_every_font_and_keep_the_data():
    from rnnviz.shared import style
    fig = style.figure([dict(type="scatter", x=[1, 2], y=[3, 4], textfont=dict(size=10))],
                       dict(title=dict(text="t", font=dict(size=16)), height=400,
                            annotations=[dict(text="a", font=dict(size=12))], xaxis=dict(tickfont=dict(size=10))))
    big = style.for_projector(fig, 1.5)
    assert big.layout.title.font.size == 24 and big.layout.font.size == 19.5
    assert big.layout.annotations[0].font.size == 18 and big.layout.xaxis.tickfont.size == 15
    assert big.data[0].textfont.size == 15 and list(big.data[0].y) == [3, 4]
    assert fig.layout.title.font.size == 16                        # the cached original is untouched


def test_no_csv_cell_starts_a_formula_and_numbers_stay_numbers():
    """OWASP's rule for CSV injection: a text cell starting with = + - @ tab or CR gets a leading apostrophe
    (a spreadsheet then shows it as text, not a formula). A typed word is a chart label (sentiment, tagging)."""
    import plotly.graph_objects as go

    words = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "ok",
             "a,=b"]
    fig = go.Figure([go.Bar(x=words, y=[1.5, -2, 3, 4, 5, 6, 7, 8], name="=cmd|' /C calc'!A0"),
                     go.Heatmap(z=[[-1.0, 2.0]], x=["=x", "y"], y=["-u"], name="gate")])
    text = describe.to_csv(fig)
    rows = list(csv.reader(io.StringIO(text.split("\n", 1)[1])))[1:]
    assert [r[2] for r in rows[:8]] == ["'=HYPERLINK(\"http://evil.example\",\"x\")", "'+1+1", "'-2+3", "'@SUM(A1)",
                                        "'cmd", "'cmd", "ok", "a,=b"]
    assert {r[0] for r in rows[:8]} == {"'=cmd|' /C calc'!A0"}
    assert [r[3] for r in rows[:2]] == ["1.5", "-2"]                      # numbers stay numbers, signs and all
    assert rows[8] == ["gate", "heatmap", "'=x", "'-u", "-1.0"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(describe.FORMULA_START) or _is_number(cell), row
    # the comment line too: a spreadsheet splits it at commas, and a quote would open a cell
    first = text.split("\n", 1)[0]
    assert first.startswith("# ") and '"' not in first
    for piece in next(csv.reader([first])):
        assert not piece.lstrip().startswith(describe.FORMULA_START), first


def _is_number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


# ----- issue 20: captions that printed "(at 50, )" (Memory lab) and "(at -, 8)" (Date translation) ----------

def test_a_zero_coordinate_is_a_place_not_nothing():
    """The Memory lab's first probe is at training step 0: `str(x or "")` made it vanish ("at 50, ")."""
    from rnnviz.topics.memory import figures as memory_figs
    from rnnviz.topics.memory import compute as memory

    p = memory.new_progress(memory.Config(T=6, steps=20, cells=("lstm",)), "lstm")
    p.loss, p.grad_norm = [1.0] * 11, [1.0] * 11
    p.probe_steps, p.probe = [0, 10], [np.array([1e-9, 1e-6, 1e-3, 0.1, 0.5, 2.0]), np.array([0.5] * 5 + [1.0])]
    fig = memory_figs.gradient_maps({"lstm": p})
    s = describe.summary(fig)
    z = np.asarray(fig.data[0].z, dtype=float)                 # (L, probes): log10 share of each column's largest
    i, j = np.unravel_index(np.argmax(z), z.shape)
    assert (i, j) == (5, 0)                                    # the first cell holding the largest: t = 6, step 0
    assert "the highest in 2 cells, the first at time step t = 6, training step = 0" in s, s
    assert "values of log₁₀ share from -9.3 to 0" in s, s      # the colour bar's own title names the values
    assert ", )" not in s and "(at" not in s


def test_a_category_and_a_labelled_tick_are_named_by_their_axes():
    """The Date translation's decoder map said "(at -, 8)": which is the symbol, which the step?"""
    from rnnviz.topics.dates import figures as dates

    symbols = ["<pad>", "<s>", "2", "0", "-", "</s>"]
    probs = np.full((8, 6), 0.05)
    probs[7, 4] = 0.9                                          # step 8 writes "-" with p = 0.9
    chosen = [2, 3, 2, 2, 4, 3, 3, 4]
    s = describe.summary(dates.decoder_steps(symbols, probs, chosen))
    assert "the highest at next symbol = “-”, output step k = 8 (“8: -”)" in s, s
    assert "(at" not in s
    # drawn as tiles (a scatter, one coloured square per cell: issue 22), it is read as the map it is
    assert dates.decoder_steps(symbols, probs, chosen).data[0].type == "scatter"
    assert "P: 24 cells from 0.05 to 0.9" in s, s


def test_a_single_lowercase_symbol_is_not_capitalised_but_a_word_is():
    fig = _line([1.0, 2.0, 3.0], name="c_t free")
    assert describe.summary(fig).startswith("A title. c_t free: 1 at t = 1")
    assert describe.summary(_line([1.0, 2.0, 3.0], name="loss")).startswith("A title. Loss: 1")


def test_a_threshold_line_is_a_level_line_not_a_highest_point():
    """The clipping scope's "clipped above 1: highest 1 (1)" said nothing a reader could use."""
    import plotly.graph_objects as go

    fig = go.Figure(go.Scatter(x=[1, 800], y=[1.0, 1.0], name="clipped above 1", mode="lines"))
    assert describe.summary(fig) == "Clipped above 1: a level line at 1."


def test_a_place_on_a_long_axis_keeps_its_whole_part():
    """Issue 22: a month drawn at the year 1996.958 was said "2e+03" (the CO₂ chart's numbers)."""
    import plotly.graph_objects as go

    fig = go.Figure(go.Scatter(x=[1996.958, 1997.042, 1997.125], y=[362.0, 363.5, 361.0], name="CO₂", mode="lines"))
    s = describe.summary(fig)
    assert "e+03" not in s and "362 at 1997 → 361 at 1997.1 (highest 364 at 1997)" in s, s
    assert describe._at(0.123456) == "0.123" and describe._at(float("nan")) == "NaN (overflowed)"
