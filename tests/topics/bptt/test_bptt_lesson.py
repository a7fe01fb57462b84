"""The BPTT lesson's core (rnnviz.topics.bptt.compute) against autograd through the transparent cell.

The reference is always the real model with the real per-step losses L_t = ½(y_t − x_{t+1})²:
autograd's ∂L/∂W_hh must equal the sum of the per-step shares the page draws, ∂L_t/∂h_t must equal
ℓ_t, the later losses' gradient at h_t must equal the "from the future" part, and the truncated
∂L/∂W_hh for every k (split by distance travelled) must equal bptt.backward(truncate=k).
"""
from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch

from rnnviz.topics.bptt import compute as bl
from rnnviz import cells

KINDS = cells.KINDS


@pytest.fixture(scope="module", params=KINDS)
def lesson(request) -> bl.Lesson:
    """A small, partly trained lesson for each cell kind (steps: a sequence that needs memory)."""
    return bl.run(bl.LessonConfig(kind=request.param, source="steps", T=9, H=3, train_steps=15, seed=2))


def autograd_losses(lesson: bl.Lesson):
    """(per-step losses L_t, the h_t tensors in the graph, the cell) with autograd on, from scratch."""
    cell = lesson.model.cell
    for p in cell.parameters():
        p.requires_grad_(True)
    seq = torch.as_tensor(lesson.values, dtype=torch.float64)
    trace = cell.unroll(seq[:-1].view(-1, 1, 1))
    y = torch.stack(trace.h_steps)[:, 0] @ lesson.model.w_hy[0] + lesson.model.b_y   # (T,)
    return 0.5 * (y - seq[1:]) ** 2, trace.h_steps, cell


# ----- the shares of ∂L/∂W_hh ------------------------------------------------------------------------
def test_per_step_shares_add_up_to_autograd_whh_grad(lesson):
    losses, _, cell = autograd_losses(lesson)
    np.testing.assert_allclose(losses.detach().numpy(), lesson.losses, rtol=0, atol=1e-12)
    full = torch.autograd.grad(losses.sum(), cell.weight_hh)[0].numpy()
    assert np.abs(full).max() > 1e-4                                     # a real gradient
    np.testing.assert_allclose(lesson.shares.sum(axis=0), full, rtol=0, atol=1e-5)
    np.testing.assert_allclose(lesson.whh_grad, full, rtol=0, atol=1e-10)
    # the running sum, as the backward pass adds the shares from T down to t, ends at the full gradient
    running = lesson.running()
    np.testing.assert_allclose(running[0], full, rtol=0, atol=1e-10)
    np.testing.assert_allclose(running[-1], lesson.shares[-1], rtol=0, atol=0)
    assert lesson.running_norms()[0] == pytest.approx(lesson.whh_norm)
    np.testing.assert_array_equal(lesson.shares[0], 0.0)                # h_0 = 0: W_hh multiplies nothing


def test_local_and_future_parts_sum_to_autograd(lesson):
    """ℓ_t is exactly ∂L_t/∂h_t, the future part exactly ∂(Σ_{s>t} L_s)/∂h_t, their sum ∂L/∂h_t."""
    losses, hs, _ = autograd_losses(lesson)
    T = lesson.T
    total = torch.stack(torch.autograd.grad(losses.sum(), hs, retain_graph=True))[:, 0].numpy()
    np.testing.assert_allclose(lesson.local + lesson.future, total, rtol=0, atol=1e-10)
    np.testing.assert_allclose(lesson.dh, total, rtol=0, atol=1e-10)
    for t in range(T):
        own = torch.autograd.grad(losses[t], hs[t], retain_graph=True)[0][0].numpy()
        np.testing.assert_allclose(lesson.local[t], own, rtol=0, atol=1e-12)
        if t < T - 1:
            later = torch.autograd.grad(losses[t + 1:].sum(), hs[t], retain_graph=True)[0][0].numpy()
            np.testing.assert_allclose(lesson.future[t], later, rtol=0, atol=1e-10)
    np.testing.assert_array_equal(lesson.future[-1], 0.0)               # nothing after step T
    assert np.abs(lesson.future[:-1]).max() > 1e-6


def test_training_lowers_the_loss_and_is_deterministic():
    cfg = bl.LessonConfig(kind="gru", T=10, H=3, train_steps=0)
    before = bl.run(cfg).total_loss
    a, b = bl.run(bl.LessonConfig(kind="gru", T=10, H=3, train_steps=40)), \
        bl.run(bl.LessonConfig(kind="gru", T=10, H=3, train_steps=40))
    assert a.total_loss < 0.5 * before
    np.testing.assert_array_equal(a.dh, b.dh)
    np.testing.assert_array_equal(a.shares, b.shares)


@pytest.mark.parametrize("kind", KINDS)
def test_trained_transparent_cell_agrees_with_torch(kind):
    """The trained transparent cell gives torch.nn's numbers when its weights are loaded into torch.nn."""
    les = bl.run(bl.LessonConfig(kind=kind, T=8, H=3, train_steps=10))
    x = torch.as_tensor(les.x, dtype=torch.float64).view(-1, 1, 1)
    out, _ = les.model.cell.to_torch()(x)
    np.testing.assert_allclose(out[:, 0].detach().numpy(), les.h, rtol=0, atol=1e-10)


# ----- truncated BPTT --------------------------------------------------------------------------------
def test_truncation_by_distance_equals_bptt_truncate_for_every_k(lesson):
    T = lesson.T
    by_k = lesson.truncated_whh()
    cos, ratio = bl.truncation_curve(lesson)
    for k in range(1, T + 3):
        tr = bl.truncated(lesson, k)
        np.testing.assert_allclose(tr.whh_grad, by_k[min(k, T) - 1], rtol=0, atol=1e-10)
        if k <= T:
            assert tr.cosine == pytest.approx(cos[k - 1], abs=1e-9)
            assert tr.ratio == pytest.approx(ratio[k - 1], abs=1e-9)
    np.testing.assert_allclose(lesson.by_distance.sum(axis=0), lesson.whh_grad, rtol=0, atol=1e-10)
    assert bl.truncation_cosine(lesson, 3) == pytest.approx(bl.truncated(lesson, 3).cosine, abs=1e-9)
    assert bl.truncation_cosine(lesson, T + 5) == pytest.approx(1.0)


def test_chunks_by_pair_equal_bptt_chunks_for_every_k(lesson):
    """The chunk-and-detach ∂L/∂W_hh the page draws for every k (from the pieces P[r, s]) is
    bptt.backward(truncate=k, scheme="chunks"), which tests/core/test_bptt.py holds to autograd with
    `h = h.detach()` every k steps."""
    T = lesson.T
    by_k = lesson.truncated_whh("chunks")
    cos, ratio = bl.truncation_curve(lesson, "chunks")
    for k in range(1, T + 2):
        tr = bl.truncated(lesson, k, "chunks")
        np.testing.assert_allclose(tr.whh_grad, by_k[min(k, T) - 1], rtol=0, atol=1e-10)
        assert tr.scheme == "chunks" and tr.is_full == (k >= T)
        if k <= T:
            assert tr.cosine == pytest.approx(cos[k - 1], abs=1e-9) and tr.ratio == pytest.approx(ratio[k - 1], abs=1e-9)
    full = bl.truncated(lesson, T, "chunks")                              # one chunk: full BPTT, h_0 included
    np.testing.assert_allclose(full.dh0, lesson.dh0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(full.whh_grad, lesson.whh_grad, rtol=0, atol=1e-10)


def test_kept_pairs_say_which_pieces_each_scheme_keeps(lesson):
    """The pair map the page draws: summing the kept pieces' norms is bounded by the kept pieces, and the
    masks are what the schemes promise (a band of width k; blocks of k)."""
    T = lesson.T
    for k in (1, 2, 3, T):
        sl, ch = bl.kept_pairs(T, k, "sliding"), bl.kept_pairs(T, k, "chunks")
        assert sl.sum() == sum(min(k, s + 1) for s in range(T))            # loss s keeps min(k, s+1) uses
        assert ch.sum() == sum(min(k, T - a) * (min(k, T - a) + 1) // 2 for a in range(0, T, k))
        assert not (np.tril(np.ones((T, T), bool), -1) & (sl | ch)).any()    # no piece with r > s
        assert np.all(lesson.pair_norms[~np.triu(np.ones((T, T), bool))] == 0)   # ... and those are 0 anyway
    assert bl.kept_pairs(T, T, "sliding").sum() == bl.kept_pairs(T, T, "chunks").sum() == T * (T + 1) // 2


def test_far_share_is_what_a_sliding_window_throws_away(lesson):
    for k in (1, 3, lesson.T):
        cut = lesson.whh_grad - lesson.truncated_whh()[min(k, lesson.T) - 1]
        assert lesson.far_share(k) == pytest.approx(np.linalg.norm(cut) / lesson.whh_norm, abs=1e-12)
    assert lesson.far_share(lesson.T) == pytest.approx(0.0, abs=1e-12)


def test_the_backward_pass_can_grow_the_gradient_as_well_as_shrink_it():
    """bptt_text.py once said the future's part is "shrunk at each step". At the page's defaults it
    grows at some steps: what reaches h_t from step t + 1 is larger than δh_{t+1}."""
    gains = bl.run(bl.LessonConfig()).passing_gains()
    assert (gains > 1).sum() >= 1 and (gains < 1).sum() >= 1
    les = bl.run(bl.LessonConfig())
    np.testing.assert_allclose(gains, np.linalg.norm(les.future[:-1], axis=1) / np.linalg.norm(les.dh[1:], axis=1))


def test_full_window_is_full_bptt_and_short_windows_throw_something_away(lesson):
    T = lesson.T
    full = bl.truncated(lesson, T + 1)
    assert full.is_full and full.cosine == pytest.approx(1.0) and full.ratio == pytest.approx(1.0)
    np.testing.assert_allclose(full.dh, lesson.dh, rtol=0, atol=1e-12)
    np.testing.assert_allclose(full.dh0, lesson.dh0, rtol=0, atol=1e-12)   # k ≥ T+1 reaches h_0
    at_T = bl.truncated(lesson, T)                                        # same W_hh, but h_0 is cut off
    np.testing.assert_allclose(at_T.whh_grad, lesson.whh_grad, rtol=0, atol=1e-12)
    assert not at_T.is_full and not np.allclose(at_T.dh0, lesson.dh0)   # the last loss's share is missing
    one = bl.truncated(lesson, 1)
    np.testing.assert_allclose(one.dh, lesson.local, rtol=0, atol=1e-12)  # k = 1: only ℓ_t remains
    assert one.dh0_norm == 0.0
    assert one.cosine < 1 - 1e-6                                          # something was thrown away


def test_similarity():
    a = np.array([[1.0, 0.0]])
    assert bl.similarity(a, a) == (pytest.approx(1.0), pytest.approx(1.0))
    assert bl.similarity(np.array([[0.0, 2.0]]), a) == (0.0, 2.0)
    assert bl.similarity(-a, a)[0] == pytest.approx(-1.0)
    cos, ratio = bl.similarity(a, np.zeros_like(a))
    assert math.isnan(cos) and math.isnan(ratio)                        # undefined, not a crash


# ----- typed sequences -------------------------------------------------------------------------------
def test_parse_reads_numbers_with_any_separator():
    assert bl.parse_sequence("1, 0, 2, 5") == ([1.0, 0.0, 2.0, 5.0], [])
    assert bl.parse_sequence(" 1;0  -2.5\n3e1, −4 ")[0] == [1.0, 0.0, -2.5, 30.0, -4.0]
    values, notes = bl.parse_sequence(", ".join(str(i % 7) for i in range(60)))
    assert len(values) == bl.MAX_T + 1 and "first 41 of your 60" in notes[0]


@pytest.mark.parametrize("text,expect", [
    ("", "empty"),
    ("  , ;  ", "empty"),
    ("1, x, 3", "token 2, “x”, is not a number"),
    ("1, 2, three, 4, five", "token 3, “three”"),
    ("1, inf, 3", "token 2, “inf”, is not a finite number"),
    ("nan, 1, 2", "token 1, “nan”, is not a finite number"),
    ("1, 1e999, 2", "token 2, “1e999”, is not a finite number"),
    ("1, 1e6, 2", "token 2, “1e6”, is too large"),
    ("1, 2", "Only 2 number(s)"),
    ("7" * 10_000, "at most 500"),
    ("a b c d e f", "(and 3 more)"),
])
def test_parse_errors_name_the_problem(text, expect):
    with pytest.raises(bl.SequenceError, match=re.escape(expect)):
        bl.parse_sequence(text)


def test_long_tokens_are_shortened_in_messages():
    with pytest.raises(bl.SequenceError) as e:
        bl.parse_sequence("1, " + "x" * 300 + ", 2")
    assert len(str(e.value)) < 200 and "…" in str(e.value)


@pytest.mark.parametrize("text", ["", "1, x, 3", "<script>alert(1)</script>", "9" * 10_000, "1, nan, 2"])
def test_bad_typed_text_falls_back_to_the_example_with_a_message(text):
    les = bl.run(bl.LessonConfig(source="typed", text=text, train_steps=0))
    assert les.messages and "Showing the example" in les.messages[0]
    np.testing.assert_array_equal(les.values, bl.parse_sequence(bl.DEFAULT_TEXT)[0])
    assert np.isfinite(les.dh).all()


def test_extreme_typed_values_stay_finite():
    les = bl.run(bl.LessonConfig(kind="lstm", source="typed", text="100, -100, 100, -100, 100", train_steps=50))
    assert not les.messages
    assert all(np.isfinite(a).all() for a in (les.y, les.losses, les.dh, les.shares, les.by_distance))


def test_sources_and_lengths():
    sine, _ = bl.make_sequence("sine", 12)
    steps, _ = bl.make_sequence("steps", 12)
    assert len(sine) == len(steps) == 13
    assert set(steps) == {0.0, 1.0} and list(steps[:9]) == [0, 0, 0, 0, 1, 1, 1, 1, 0]
    assert sine[3] == 0.0 and sine[7] == 0.0 and sine[1] == 1.0            # exact zeros, not −2.4e−16
    with pytest.raises(ValueError):
        bl.make_sequence("wave", 12)
    with pytest.raises(ValueError):
        bl.run(bl.LessonConfig(kind="transformer"))


# ----- equations and the numbers in them -------------------------------------------------------------
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:\\times10\^\{-?\d+\})?")


def numbers_in(latex_fragment: str) -> list[float]:
    return [float(m.replace(r"\times10^{", "e").rstrip("}")) for m in NUMBER.findall(latex_fragment)]


def matrices(latex: str) -> list[list[float]]:
    return [numbers_in(m) for m in re.findall(r"\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}", latex)]


@pytest.mark.parametrize("t", [1, 5, 9])
def test_with_numbers_shows_the_computed_numbers(lesson, t):
    eq = bl.with_numbers(lesson, t)
    i = t - 1
    close = dict(rtol=5e-3, atol=1e-12)                                  # 3 significant digits
    local, *rest = matrices(eq["dh"])
    np.testing.assert_allclose(local, lesson.local[i], **close)
    if t < lesson.T:
        future, total = rest
        np.testing.assert_allclose(future, lesson.future[i], **close)
        assert rf"\text{{from step }} {t + 1}" in eq["dh"]
    else:
        (total,) = rest
        assert "no later step" in eq["dh"]
    np.testing.assert_allclose(total, lesson.dh[i], **close)
    w, ell = matrices(eq["local"])
    np.testing.assert_allclose(w, lesson.model.w_hy[0].numpy(), **close)
    np.testing.assert_allclose(ell, lesson.local[i], **close)
    assert numbers_in(eq["loss"].split("=")[-1])[0] == pytest.approx(lesson.losses[i], rel=5e-3)
    assert f"L_{{{t}}}" in eq["loss"] and f"x_{{{t + 1}}}" in eq["loss"]
    share, running, full = numbers_in(eq["share"].split("=", 1)[1].replace(f"s={t}", "").replace(
        f"^{{{lesson.T}}}", "").replace(r"h_{s-1}", ""))[-3:]
    assert share == pytest.approx(lesson.share_norms()[i], rel=5e-3, abs=1e-12)
    assert running == pytest.approx(lesson.running_norms()[i], rel=5e-3)
    assert full == pytest.approx(lesson.whh_norm, rel=5e-3)
    with pytest.raises(ValueError):
        bl.with_numbers(lesson, lesson.T + 1)


def test_latex_numbers_and_long_vectors():
    assert bl.latex_number(0.0384123) == "0.0384"
    assert bl.latex_number(-1.5e-7) == r"-1.5\times10^{-7}"
    assert bl.latex_number(math.inf) == r"\infty"
    assert bl.latex_number(-0.0) == "0"
    long = bl.latex_vector(np.arange(10.0))
    assert r"\cdots" in long and len(matrices(long)[0]) == bl.MAX_SHOWN - 1


def test_equations_cover_every_cell():
    for kind in KINDS:
        assert r"\ell_t" in bl.EQUATIONS["dh"][kind] and "W_{hh}^{\\top}" in bl.EQUATIONS["dh"][kind]
        assert kind in bl.EQUATIONS["dz"]
    assert r"\odot z_{t+1}" in bl.EQUATIONS["dh"]["gru"]    # the GRU's direct path, as future_part adds it
