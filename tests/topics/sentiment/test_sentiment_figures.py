"""The sentiment figures: each rebuilt with plotly's full validation gives the same JSON, draws the numbers
it is given, and shows typed words escaped (no live HTML) and shortened."""
from __future__ import annotations

import json

import numpy as np
import pytest
from common import assert_plotly_accepts_unchanged

from rnnviz.topics.sentiment import figures as figs
from rnnviz.shared.style import COLOR

WORDS = ("not", "<b>good</b>", "x" * 40)
P = np.array([0.2, 0.6, 0.55])


def series(n=1):
    out = [dict(name="your sentence", words=WORDS, p0=0.5, p=P, known=np.array([True, False, True]),
                color=COLOR["sentence"])]
    if n == 2:
        out.append(dict(name="<i>other</i>", words=("good",), p0=0.5, p=np.array([0.9]), known=np.array([True]),
                        color=COLOR["compared"]))
    return out


def as_json(fig) -> str:
    return fig.to_json()


def test_trajectory_draws_p_from_the_start_and_the_verdicts():
    fig = figs.trajectory(series(2))
    assert_plotly_accepts_unchanged(fig)
    first, second = fig.data
    assert list(first.y) == [0.5, 0.2, 0.6, 0.55] and list(first.x) == [0, 1, 2, 3]
    assert list(second.y) == [0.5, 0.9]
    ticks = fig.layout.xaxis.ticktext
    assert ticks[0] == figs.START and ticks[1] == "not" and ticks[2] == "&lt;b&gt;good&lt;/b&gt; (?)"
    assert ticks[3] == "x" * 17 + "…"                                          # a 40-letter word cut
    notes = [a.text for a in fig.layout.annotations]
    assert notes == ["<b>positive 55%</b>", "<b>positive 90%</b>"]
    assert any(s.type == "line" and s.y0 == s.y1 == 0.5 for s in fig.layout.shapes)
    assert "<i>" not in as_json(fig) and "<b>good" not in as_json(fig)


def test_trajectory_verdict_below_half_is_negative():
    s = series()
    s[0]["p"] = np.array([0.2, 0.3, 0.1])
    fig = figs.trajectory(s)
    assert fig.layout.annotations[0].text == "<b>negative 10%</b>"
    assert fig.layout.annotations[0].font.color == COLOR["negative"]


def test_movers_bars_are_the_deltas_in_points():
    delta = np.diff(np.concatenate([[0.5], P]))
    fig = figs.movers(WORDS, delta, np.array([True, False, True]))
    assert_plotly_accepts_unchanged(fig)
    bars = fig.data[0]
    assert np.allclose(bars.y, [-30, 40, -5])
    assert list(bars.text) == ["-30", "+40", "-5"]
    assert list(bars.marker.color) == [COLOR["negative"], COLOR["positive"], COLOR["negative"]]
    assert "<b>good" not in as_json(fig)


def test_movers_survive_nan():
    fig = figs.movers(("a", "b"), np.array([np.nan, 0.1]), np.array([True, True]))
    assert_plotly_accepts_unchanged(fig)
    assert list(fig.data[0].text) == ["+nan", "+10"]


def test_state_path_background_by_side_and_paths_from_the_start():
    bg = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]])
    path = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5], [3.0, 0.0]])
    fig = figs.state_path(bg, np.array([1, 0, 1]), [dict(name="<s>", xy=path, words=WORDS, color="#000000")],
                          [0.4, 0.1])
    assert_plotly_accepts_unchanged(fig)
    pos, neg, line = fig.data
    assert list(pos.x) == [0.0, 2.0] and list(neg.x) == [1.0]
    assert pos.marker.color == COLOR["positive"] and neg.marker.color == COLOR["negative"]
    assert list(line.x) == [0.0, 1.0, 2.0, 3.0] and line.text[0] == figs.START
    assert list(line.marker.symbol) == ["circle-open", "circle", "circle", "diamond"]
    assert "40% of the variance" in fig.layout.xaxis.title.text
    assert "<s>" not in as_json(fig) and "<b>good" not in as_json(fig)


@pytest.mark.parametrize("T", [1, 2])
def test_state_path_with_one_or_two_points(T):
    fig = figs.state_path(np.zeros((0, 2)), np.zeros(0), [dict(name="a", xy=np.zeros((T, 2)), words=("w",) * (T - 1),
                                                                  color="#000000")], [0.5, 0.2])
    assert_plotly_accepts_unchanged(fig)
    assert len(fig.data[2].marker.symbol) == T


def test_scoreboard():
    m = {"test_accuracy": 0.78, "naive_bayes_accuracy": 0.79, "majority_accuracy": 0.5}
    fig = figs.scoreboard(m)
    assert_plotly_accepts_unchanged(fig)
    assert list(fig.data[0].x) == [0.78, 0.79, 0.5]
    assert list(fig.data[0].text) == ["78.0%", "79.0%", "50.0%"]
    json.loads(as_json(fig))


def test_state_path_draws_the_decision_line_across_the_view_only():
    bg = np.array([[-2.0, -1.0], [2.0, 1.0]])
    path = dict(name="a", xy=np.array([[0.0, 0.0], [1.0, 0.5]]), words=("w",), color="#000000")
    fig = figs.state_path(bg, np.array([0, 1]), [path], [0.8, 0.1], line=(1.0, 0.0, -0.5))   # x = 0.5
    assert_plotly_accepts_unchanged(fig)
    line = next(d for d in fig.data if d.name.startswith("the read-out's 50 % line"))
    assert list(line.x) == [0.5, 0.5]
    lo, hi = fig.layout.yaxis.range
    assert sorted(line.y) == pytest.approx([lo, hi]) and lo < -1.0 and hi > 1.0          # the whole view, no more
    slanted = figs.state_path(bg, np.array([0, 1]), [path], [0.8, 0.1], line=(1.0, 1.0, 0.0))  # y = −x
    seg = next(d for d in slanted.data if d.name.startswith("the read-out"))
    assert all(abs(x + y) < 1e-9 for x, y in zip(seg.x, seg.y))
    missed = figs.state_path(bg, np.array([0, 1]), [path], [0.8, 0.1], line=(1.0, 0.0, -50.0))   # x = 50: outside
    assert not any(d.name.startswith("the read-out") for d in missed.data)


def test_scoreboard_with_the_model_without_made_up_negations():
    m = {"test_accuracy": 0.78, "naive_bayes_accuracy": 0.79, "majority_accuracy": 0.5}
    fig = figs.scoreboard(m, without={"test_accuracy": 0.8})
    assert_plotly_accepts_unchanged(fig)
    assert list(fig.data[0].x) == [0.78, 0.8, 0.79, 0.5]
    assert fig.data[0].y[1] == "LSTM without made-up “not”" and fig.data[0].marker.color[1] == COLOR["no_not"]
