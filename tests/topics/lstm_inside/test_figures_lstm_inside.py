"""Figures of the LSTM-inside lesson and the coloured-text builder: what they draw, from synthetic
readings (no trained model needed), and that text a student typed never comes out as live HTML. The
figures are built without plotly's checks (style.figure), so each is rebuilt here WITH full validation
and must come out identical."""
from __future__ import annotations

import math
import re

import numpy as np
import pytest
from common import assert_plotly_accepts_unchanged

from rnnviz.shared import charlm
from rnnviz.topics.lstm_inside import neurons
from rnnviz.topics.lstm_inside import conveyor as belt_figs
from rnnviz.topics.lstm_inside import figures as figs
from rnnviz.shared import colored_text as colored

ALPHABET = "\x00\n !\"&'<>/[]ABEIabcdefghijklmnopqrstuvwxyz"


def reading(text: str, H: int = 4, seed: int = 0) -> charlm.Reading:
    """A Reading with the shapes and ranges of a real one: gates in (0, 1), c_t = f c_{t−1} + i g."""
    rng = np.random.default_rng(seed)
    T, V = len(text), len(ALPHABET)
    sig = lambda a: 1 / (1 + np.exp(-a))                                           # noqa: E731
    i, f, o = (sig(rng.normal(size=(T, H))) for _ in range(3))
    g = np.tanh(rng.normal(size=(T, H)))
    c = np.zeros((T, H))
    for t in range(T):
        c[t] = f[t] * (c[t - 1] if t else 0) + i[t] * g[t]
    h = o * np.tanh(c)
    probs = rng.dirichlet(np.ones(V), size=T)
    ids = np.array([ALPHABET.index(ch) if ch in ALPHABET else 0 for ch in text])
    return charlm.Reading(text=text, ids=ids, alphabet=ALPHABET, kind="lstm", h=h, c=c,
                          gates={"input": i, "forget": f, "cell": g, "output": o}, probs=probs)


def grid_letters(fig) -> dict[tuple[int, int], str]:
    """(step, rank) → the predicted character drawn in the step view's top-5 grid."""
    return {(int(x), int(y)): t for d in fig.data if d.type == "scatter" and d.mode == "text"
            for x, y, t in zip(d.x, d.y, d.text)}


# ----- the coloured text ---------------------------------------------------------------------------------
def test_typed_html_comes_out_escaped():
    typed = '<script>alert("x")</script><b>bold</b> & \'q\''
    out = colored.colored_text(typed, np.linspace(-1, 1, len(typed)), signed=True, label="<i>label</i>")
    assert "<script" not in out and "<b>" not in out and "<i>" not in out
    assert set(re.findall(r"<(\w+)", out)) == {"div", "span"}                 # the builder's own tags only
    assert not re.search(r"<(?!/?(div|span)\b)", out)                       # every other < is escaped
    assert "&lt;i&gt;label&lt;/i&gt;" in out    # the label too
    spans = re.findall(r"<span [^>]*>(.*?)</span>", out)
    assert len(spans) == len(typed)             # one span per character, nothing dropped
    assert "".join(spans).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") \
        .replace("&quot;", '"').replace("&#x27;", "'") == typed


def test_colours_follow_the_values():
    out = colored.colored_text("abc", [0.0, 0.5, 1.0], signed=False)
    alphas = [float(a) for a in re.findall(r"background:rgba\(\d+,\d+,\d+,([\d.]+)\)", out)]
    assert alphas == sorted(alphas) and alphas[0] == 0 and alphas[-1] == pytest.approx(colored.MAX_ALPHA)
    signed = colored.colored_text("ab", [-2.0, 2.0], signed=True)
    assert f"rgba{colored.NEGATIVE}".replace(" ", "")[:-1] in signed.replace(" ", "")
    assert f"rgba{colored.POSITIVE}".replace(" ", "")[:-1] in signed.replace(" ", "")


def test_newlines_unknowns_and_non_finite_values():
    out = colored.colored_text("a\nb\x00", [float("nan"), math.inf, 0.5, 0.1], signed=True,
                               unknown=[False, False, False, True])
    assert "↵</span><br>" in out and "�" in out
    assert out.count("transparent") == 2 and "n/a" in out
    assert out.count("underline dotted") == 1 and "read as unknown" in out
    assert "<span" not in colored.colored_text("", [], signed=False).split(">", 1)[1]   # empty: an empty box
    assert "hover" in colored.legend(True, 2.0) and "hover" in colored.legend(False)


# ----- all units at once ---------------------------------------------------------------------------------
def test_unit_order_and_heatmap():
    r = reading("abc def\nghi", H=6)
    acts = r.c
    busiest = figs.order_units(acts, "busiest")
    assert list(acts.std(0)[busiest]) == sorted(acts.std(0), reverse=True)
    scores = np.array([0.1, np.nan, -0.9, 0.5, 0.0, 0.2])
    assert list(figs.order_units(acts, "feature", scores)) == [2, 3, 5, 0, 4, 1]   # |r| first, NaN last
    assert list(figs.order_units(acts, "number")) == list(range(6))
    fig = figs.unit_heatmap(acts, r.text, "cell", busiest, unit=3, title="t")
    heat, marker = fig.data
    assert list(heat.x) == list(range(1, len(r.text) + 1))                     # steps 1..T, like the stepper
    assert fig.layout.yaxis.categoryarray == tuple(str(u) for u in busiest)
    assert marker.y == ("3",)
    top = float(np.percentile(np.abs(acts), 99))
    assert heat.zmax == pytest.approx(top) and heat.zmin == pytest.approx(-top)
    gate = figs.unit_heatmap(r.gates["forget"], r.text, "forget", np.arange(6), 0, "t").data[0]
    assert (gate.zmin, gate.zmax) == (0.0, 1.0)


def test_long_texts_get_step_numbers_not_thinned_letters():
    short = figs.unit_heatmap(reading("ab" * 30).c, "ab" * 30, "cell", np.arange(4), 0, "t")
    assert short.layout.xaxis.ticktext[:2] == ("a", "b")
    long = figs.unit_heatmap(reading("ab" * 200).c, "ab" * 200, "cell", np.arange(4), 0, "t")
    assert long.layout.xaxis.ticktext is None and long.layout.xaxis.tickmode == "auto"


# ----- the step view -------------------------------------------------------------------------------------
def test_step_view_boxes_the_character_that_came():
    text = "the cat sat on the mat"
    r = reading(text)
    r.probs[:] = 0.001
    for t in range(len(text) - 1):                       # make the true next character rank 2 everywhere
        r.probs[t, ALPHABET.index("x")] = 0.5
        r.probs[t, r.ids[t + 1]] = 0.3
    chars, probs = charlm.top_k(r, 5)
    fig = figs.step_view(r, unit=1, t=5, top_chars=chars, top_probs=probs)
    boxes = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(boxes) == len(text) - 1 and all(b.y0 == 1.5 for b in boxes)      # rank 2 of each column
    # step t's marker: a dotted line over the chart (figures.step_mark), at t = 5 of the window's 1 … 22
    lo, hi = figs.page_window(len(text), 5)
    assert (lo, hi) == (1, len(text)) and not [s for s in fig.layout.shapes if s.type == "line"]
    mark = figs.step_mark("step_view", 5, lo, hi)
    share = float(re.search(r"\* ([0-9.]+)\)", mark).group(1))
    assert share == pytest.approx((5 - 0.5) / len(text), abs=1e-5) and "dotted" in mark and "<" not in mark[7:-8]
    assert fig.layout.margin.l == figs.STEP_MARGIN["l"] and fig.layout.margin.r == figs.STEP_MARGIN["r"]
    assert fig.to_json() == figs.step_view(r, unit=1, t=9, top_chars=chars, top_probs=probs).to_json()  # same window
    grid = next(d for d in fig.data if d.type == "heatmap")
    assert grid.z.shape == (5, len(text))
    letters = grid_letters(fig)
    assert (letters[1, 1], letters[1, 2]) == ("x", "h")                          # after "t": x, then h
    assert letters[3, 2] == "␣" and len(letters) == 5 * len(text)                # after "e": a space, shown ␣
    assert list(fig.data[0].y) == list(r.gates["input"][:, 1])


def test_step_view_window_and_escaping():
    text = "<b>x</b> & y " * 10
    r = reading(text)
    chars, probs = charlm.top_k(r, 5)
    fig = figs.step_view(r, unit=0, t=len(text), top_chars=chars, top_probs=probs)
    lo, hi = figs.window(len(text), len(text))
    assert (lo, hi) == (len(text) - figs.WINDOW + 1, len(text))
    assert list(fig.data[0].x) == list(range(lo, hi + 1))
    ticks = fig.layout.xaxis2.ticktext
    assert "&lt;" in ticks and "<" not in ticks and "&amp;" in ticks
    assert "<" not in "".join(grid_letters(fig).values())
    assert figs.window(10, 3) == (1, 10) and figs.window(100, 50) == (20, 79)


def test_the_step_views_window_moves_in_jumps_with_t_inside():
    """page_window: 40 characters moving 20 at a time, t at least 10 from either edge (away from the text's
    ends), so 19 steps in 20 redraw only the marker."""
    assert figs.page_window(10, 3, 40) == (1, 10)
    windows = [figs.page_window(300, t, 40) for t in range(1, 301)]
    assert all(lo <= t <= hi and hi - lo + 1 == 40 for t, (lo, hi) in enumerate(windows, start=1))
    assert all(t - lo >= 10 and hi - t >= 9 for t, (lo, hi) in enumerate(windows, start=1) if 20 < t < 270)
    assert len(set(windows)) == 15 and windows[20] == (11, 50) and windows[-1] == (261, 300)


# ----- the conveyor belt and its memory -------------------------------------------------------------------
def test_conveyor_shows_the_real_update():
    r = reading("abcdefgh", H=3)
    belt = charlm.conveyor(r, 4, 2)
    assert belt["kept"] + belt["written"] == pytest.approx(belt["c"])
    fig = belt_figs.conveyor(belt, 5, 2, "e")
    texts = " ".join(a.text for a in fig.layout.annotations)
    for k in ("c_prev", "f", "kept", "written", "c", "h", "o"):
        assert f"{belt[k]:+.3f}" in texts or f"{belt[k]:.3f}" in texts, k
    assert "c<sub>4</sub>" in texts and "c<sub>5</sub>" in texts and "'e'" in fig.layout.title.text


def test_survival_curve_and_half_life():
    surv = np.array([1.0, 0.9, 0.7, 0.45, 0.2, 0.05, 0.005, 0.0001] + [0.0] * 40)
    fig = belt_figs.survival(surv, t=10, half=charlm.half_life(surv), unit=7)
    assert "half gone after 3 steps" in fig.layout.annotations[0].text
    assert fig.layout.annotations[0].x == 13
    assert fig.layout.xaxis.range[1] < 10 + 20                       # the flat zero tail is cut off
    fig = belt_figs.survival(np.ones(5), t=1, half=None, unit=0)
    assert "still there at the end" in fig.layout.annotations[0].text


# ----- the neuron hunt -----------------------------------------------------------------------------------
def test_hunt_rows_and_match():
    text = "Ab cd\nEf gh\nIj kl\n"
    r = reading(text, H=5)
    feats = neurons.features(text)
    r.c[:, 3] = feats["position in the line"] * 0.1 + 0.01 * np.arange(len(text)) % 2
    matches = neurons.hunt(r.c, text)
    rows, absent = figs.hunt_rows(matches)
    assert rows[0]["feature"] == "position in the line" and rows[0]["best unit"] == 3 and rows[0]["r"] > 0.95
    assert set(absent) == {'inside "quotes"', "inside [stage directions]"}
    assert all(math.isfinite(row["r"]) for row in rows)
    fig = figs.hunt_match(text, r.c[:, 3], feats["position in the line"], matches[0], "cell")
    assert "Unit 3" in fig.layout.title.text and f"{matches[0].r:+.2f}" in fig.layout.title.text
    assert list(fig.data[0].y) == list(feats["position in the line"])


# ----- the intervention ----------------------------------------------------------------------------------
def test_effect_and_intervention_figure():
    free = reading("the cat sat", H=3)
    assert charlm.effect(free, free).first is None and charlm.effect(free, free).top1_changed == 0
    clamped = reading("the cat sat", H=3)
    clamped.h = free.h.copy()
    clamped.h[6:, 1] += 0.5
    clamped.probs = free.probs.copy()
    clamped.probs[8] = clamped.probs[8][::-1]
    fx = charlm.effect(free, clamped)
    assert fx.first == 7 and fx.dh[5] == 0 and fx.dh[6] == pytest.approx(0.5) and fx.top1_changed >= 1
    assert fx.dbits.shape == (len(free.text) - 1,)
    fig = figs.intervention(free, clamped, fx, unit=1, start=7, value=0.0)
    assert "step 7" in fig.layout.title.text and fig.layout.shapes[0].x0 == 6.5
    assert [t.name for t in fig.data[:4]] == ["c_t free", "c_t clamped", "f_t free", "f_t clamped"]


def test_quantities_map_to_the_reading():
    r = reading("abcd")
    assert figs.values(r, "candidate") is r.gates["cell"]
    assert figs.values(r, "cell") is r.c and figs.values(r, "hidden") is r.h
    assert figs.values(r, "forget") is r.gates["forget"]
    assert figs.label("cell") == "cell state c_t" and figs.label("candidate") == "candidate g_t"
    assert figs.char_label("<") == "&lt;" and figs.char_label('"') == '"' and figs.char_label(" ") == "␣"


# ----- every figure, rebuilt with plotly's checks ---------------------------------------------------------
def every_figure(text: str, H: int, seed: int):
    """(name, figure) for every figure of lstm_inside and conveyor on one synthetic reading: each quantity
    and unit order, the step view at the start, middle and end, the conveyor and its survival curve, the
    hunt's matches and a clamped intervention."""
    r, T = reading(text, H=H, seed=seed), len(text)
    feats = neurons.features(text)
    chars, probs = charlm.top_k(r, 5)
    for key in figs.QUANTITIES:
        acts = figs.values(r, key)
        matches = neurons.hunt(acts, text)
        for by in ("number", "busiest", "feature"):
            order = figs.order_units(acts, by, neurons.correlations(acts, feats[matches[0].feature]))
            yield f"heatmap {key} {by}", figs.unit_heatmap(acts, text, key, order, H - 1, f"{key}: {T} × {H}")
        m = next(m for m in matches if m.unit >= 0)
        yield f"hunt {key}", figs.hunt_match(text, acts[:, m.unit], feats[m.feature], m, key)
    for t in sorted({1, T // 2, T}):
        yield f"step view t={t}", figs.step_view(r, 1, t, chars, probs)
        belt = charlm.conveyor(r, t - 1, 1)
        yield f"conveyor t={t}", belt_figs.conveyor(belt, t, 1, text[t - 1])
        yield f"survival t={t}", belt_figs.survival(belt["survival"], t, charlm.half_life(belt["survival"]), 1)
    clamped = reading(text, H=H, seed=seed + 1)
    yield "intervention", figs.intervention(r, clamped, charlm.effect(r, clamped), 1, T // 2 + 1, 0.0)


@pytest.mark.parametrize("text, H", [("the cat sat on the mat", 4), ('<b>"x"</b> & [y]\n\x00 ' * 6, 5),
                                     ("ab" * 130, 3), ("Ab cd\nEf gh\nIj kl\n" * 30, 6)],
                         ids=["short", "html and symbols", "260 chars", "540 chars"])
def test_every_key_is_one_plotly_accepts_unchanged(text, H):
    for name, fig in every_figure(text, H, seed=len(text)):
        try:
            assert_plotly_accepts_unchanged(fig)
        except Exception as e:
            raise AssertionError(f"{name}: {e}") from e
    for surv, t, unit in ((np.array([1.0, 0.9, 0.7, 0.45, 0.2, 0.05, 0.005] + [0.0] * 40), 10, 7),
                          (np.ones(5), 1, 0), (0.99 ** np.arange(80), 3, 2)):
        assert_plotly_accepts_unchanged(belt_figs.survival(surv, t, charlm.half_life(surv), unit))
