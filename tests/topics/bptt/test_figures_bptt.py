"""The BPTT lesson's figures: built from plain dicts without plotly's checks (style.figure), so each is
rebuilt here WITH full validation and must come out identical; and they draw what the lesson holds,
read back from the JSON that reaches the browser (arrays travel base64-encoded)."""
from __future__ import annotations

import base64
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from common import assert_plotly_accepts_unchanged

from rnnviz.topics.bptt import compute as bl
from rnnviz.topics.bptt import figures as figs
from rnnviz.bptt import SCHEMES
from rnnviz.shared.style import COLOR

CONFIGS = {
    "defaults": bl.LessonConfig(),
    "lstm, steps, T=20": bl.LessonConfig(kind="lstm", source="steps", T=20, H=6, train_steps=60, seed=5),
    "gru, T=2, untrained": bl.LessonConfig(kind="gru", T=2, H=3, train_steps=0),
    "rnn, typed, H=1": bl.LessonConfig(source="typed", text="3, 1, 4, 1, 5, 9, 2, 6", H=1),
    "gru, T=40, H=16": bl.LessonConfig(kind="gru", T=40, H=16, train_steps=40, seed=4),
}


@pytest.fixture(scope="module", params=list(CONFIGS))
def lesson(request) -> bl.Lesson:
    return bl.run(CONFIGS[request.param])


def steps_of(lesson: bl.Lesson) -> list[int]:
    """Steps of the backward pass to draw: both ends, the middle, and one before the end."""
    return sorted({1, max(1, lesson.T // 2), max(1, lesson.T - 1), lesson.T})


def windows_of(lesson: bl.Lesson) -> list[int]:
    """Windows k: the shortest, a middle one, k = T (cuts only the longest path) and full BPTT."""
    return sorted({1, 3, lesson.T, lesson.T + 1})


def every_figure(lesson: bl.Lesson) -> list[go.Figure]:
    out = [figs.forward(lesson)]
    for t in steps_of(lesson):
        out += [figs.backward_so_far(lesson, t), figs.parts_at_step(lesson, t), figs.whh_shares(lesson, t)]
    curves = {s: bl.truncation_curve(lesson, s) for s in SCHEMES}
    for k in windows_of(lesson):
        truncs = [bl.truncated(lesson, k, s) for s in SCHEMES]
        out += [figs.distance(lesson, truncs[0]), figs.window_curve(lesson, k, curves),
                figs.kept_map(lesson, k), figs.truncated_dh(lesson, truncs)]
    return out


def as_json(fig: go.Figure) -> dict:
    return json.loads(pio.to_json(fig, validate=False))


def values(v) -> np.ndarray:
    """A data array as drawn: a plain list, or plotly's typed array {"dtype", "bdata"} decoded."""
    if isinstance(v, dict):
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]).newbyteorder("<"))
    return np.asarray(v, dtype=float)


def by_name(fig: dict) -> dict[str, dict]:
    return {t["name"]: t for t in fig["data"]}


def test_every_key_is_one_plotly_accepts_unchanged(lesson):
    built = every_figure(lesson)
    assert len(built) == 1 + 3 * len(steps_of(lesson)) + 4 * len(windows_of(lesson))
    for fig in built:
        assert_plotly_accepts_unchanged(fig)


def test_forward_draws_the_lessons_targets_predictions_and_per_step_losses(lesson):
    fig = as_json(figs.forward(lesson))
    traces = by_name(fig)
    steps = np.arange(1, lesson.T + 1)
    loss = traces["loss Lₜ = ½(yₜ − xₜ₊₁)²"]
    np.testing.assert_array_equal(values(loss["x"]), steps)
    np.testing.assert_array_equal(values(loss["y"]), lesson.losses)
    assert (loss["xaxis"], loss["yaxis"]) == ("x2", "y2")
    np.testing.assert_array_equal(values(traces["prediction yₜ"]["y"]), lesson.y)
    np.testing.assert_array_equal(values(traces["target xₜ₊₁ (the next value)"]["y"]), lesson.values[1:])
    err = traces["error yₜ − xₜ₊₁"]            # one segment per step, from y_t to x_{t+1}, then a gap
    assert err["x"] == [v for s in steps.tolist() for v in (s, s, None)]
    assert err["y"][0::3] == lesson.y.tolist() and err["y"][1::3] == lesson.target.tolist()
    assert f"{lesson.total_loss:.4g}" in fig["layout"]["title"]["text"]


def test_backward_so_far_shows_only_reached_steps_and_marks_the_current_one(lesson):
    parts = lesson.part_norms()
    for t in steps_of(lesson):
        fig = as_json(figs.backward_so_far(lesson, t))
        reached = np.arange(t, lesson.T + 1)
        for trace, key in zip(fig["data"], ("local", "future", "dh")):
            np.testing.assert_array_equal(values(trace["x"]), reached)
            np.testing.assert_array_equal(values(trace["y"]), parts[key][t - 1:])
        (rect,) = fig["layout"]["shapes"]
        assert (rect["x0"], rect["x1"]) == (t - 0.5, t + 0.5)
        assert fig["layout"]["yaxis"]["range"][1] >= max(float(p.max()) for p in parts.values())


def test_the_diamond_is_the_sum_of_the_two_stacked_bars(lesson):
    for t in steps_of(lesson):
        fig = as_json(figs.parts_at_step(lesson, t))
        local, future, dh = (values(tr["y"]) for tr in fig["data"])
        assert [tr["type"] for tr in fig["data"]] == ["bar", "bar", "scatter"]
        assert fig["layout"]["barmode"] == "relative"                   # stacked, signs apart
        np.testing.assert_allclose(local + future, dh, rtol=0, atol=1e-12)
        lo, hi = fig["layout"]["yaxis"]["range"]
        assert lo == -hi and hi >= np.abs(dh).max()


def test_shares_and_their_running_sum_reach_the_full_gradient_as_drawn(lesson):
    full = lesson.whh_norm
    for t in steps_of(lesson):
        fig = as_json(figs.whh_shares(lesson, t))
        share, waiting, running = fig["data"]              # reached: the share's colour; not yet: grey
        np.testing.assert_array_equal(values(share["x"]), np.arange(t, lesson.T + 1))
        np.testing.assert_array_equal(values(waiting["x"]), np.arange(1, t))
        np.testing.assert_array_equal(np.concatenate([values(waiting["y"]), values(share["y"])]), lesson.share_norms())
        assert share["marker"]["color"] == figs.SHARE and waiting["marker"]["color"] == figs.NOT_REACHED
        assert waiting["name"] == "not reached yet" and fig["layout"]["barmode"] == "overlay"
        np.testing.assert_array_equal(values(running["x"]), np.arange(t, lesson.T + 1))
        drawn = values(running["y"])
        for s, norm in zip(range(t, lesson.T + 1), drawn):       # Σ_{s..T} shares, as the backward pass adds
            assert norm == pytest.approx(np.linalg.norm(lesson.shares[s - 1:].sum(axis=0)), rel=1e-12, abs=1e-15)
        (line,) = fig["layout"]["shapes"]
        assert line["y0"] == line["y1"] == full
        if t == 1:                                               # the whole sum: the dashed line
            assert drawn[0] == pytest.approx(full, rel=1e-12, abs=1e-15)


def test_distance_bars_split_at_the_window_and_the_curves_end_at_full_bptt(lesson):
    cos, ratio = bl.truncation_curve(lesson)
    dist = lesson.distance_norms()
    for k in windows_of(lesson):
        trunc = bl.truncated(lesson, k)
        kept, cut = as_json(figs.distance(lesson, trunc))["data"]
        np.testing.assert_array_equal(values(kept["x"]), np.arange(min(k, lesson.T)))
        np.testing.assert_array_equal(values(cut["x"]), np.arange(k, lesson.T))
        np.testing.assert_array_equal(np.concatenate([values(kept["y"]), values(cut["y"])]), dist)
        assert cut["marker"]["pattern"]["shape"] == "/"

        # the curves: one (cosine, ratio) pair per scheme, k = 1..T; at k = T both are the full ∂L/∂W_hh
        curves = {s: bl.truncation_curve(lesson, s) for s in SCHEMES}
        curve = as_json(figs.window_curve(lesson, k, curves))
        assert [t["name"] for t in curve["data"]] == [f"{s}: {m}" for s in SCHEMES
                                                      for m in ("cosine", "‖truncated‖/‖full‖")]
        truncs = [bl.truncated(lesson, k, s) for s in SCHEMES]
        for j, tr in enumerate(truncs):
            c, r = values(curve["data"][2 * j]["y"]), values(curve["data"][2 * j + 1]["y"])
            np.testing.assert_array_equal(values(curve["data"][2 * j]["x"]), np.arange(1, lesson.T + 1))
            if lesson.whh_norm > 0:
                assert c[-1] == pytest.approx(1.0, abs=1e-9) and r[-1] == pytest.approx(1.0, abs=1e-9)
            if np.isfinite(tr.cosine):
                assert c[min(k, lesson.T) - 1] == pytest.approx(tr.cosine, abs=1e-9)   # agrees with the table
        marker = curve["layout"]["shapes"][1]
        assert marker["x0"] == marker["x1"] == min(k, lesson.T)

        drawn = as_json(figs.truncated_dh(lesson, truncs))["data"]
        full_dh, *cut_dh = (values(t["y"]) for t in drawn)
        np.testing.assert_array_equal(full_dh, lesson.part_norms()["dh"])
        for tr, got in zip(truncs, cut_dh):
            np.testing.assert_array_equal(got, tr.dh_norms())
            if tr.is_full:
                np.testing.assert_allclose(got, full_dh, rtol=1e-12, atol=1e-15)


def test_the_kept_map_colours_exactly_the_pieces_each_scheme_keeps(lesson):
    T = lesson.T
    exists = np.triu(np.ones((T, T), bool)) & (lesson.pair_norms > 0)
    for k in windows_of(lesson):
        fig = figs.kept_map(lesson, k)
        for j, scheme in enumerate(SCHEMES):
            kept, cut = fig.data[2 * j], fig.data[2 * j + 1]
            z = np.asarray(kept.z, dtype=float)
            want = bl.kept_pairs(T, k, scheme) & exists
            np.testing.assert_array_equal(np.isfinite(z), want)
            np.testing.assert_allclose(z[want], np.log10(lesson.pair_norms[want]), rtol=1e-12)
            np.testing.assert_array_equal(np.isfinite(np.asarray(cut.z, dtype=float)), exists & ~want)
        if k >= T:                                                   # nothing is cut by either scheme
            assert not np.isfinite(np.asarray(fig.data[1].z, dtype=float)).any()
            assert not np.isfinite(np.asarray(fig.data[3].z, dtype=float)).any()
