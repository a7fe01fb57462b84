"""The gradient lab (rnnviz.topics.lab.compute) shows the phenomena the page promises, and survives anything typed.

The thresholds below are the documented behaviour (DESIGN.md's Gradient lab, NOTES.md's
"Calibration" and "Numerical traps"), measured on the lab's default float64 arithmetic.
Shape legend: T time steps, B batch (lab.BATCH), H hidden units.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import torch

from rnnviz import cells, flow
from rnnviz.topics.lab import compute as lab

Cfg = lab.LabConfig


def rnn(cfg: lab.LabConfig) -> lab.CellResult:
    return lab.run(cfg, kinds=("rnn",)).results["rnn"]


def lstm(cfg: lab.LabConfig) -> lab.CellResult:
    return lab.run(cfg, kinds=("lstm",)).results["lstm"]


# ----- the phenomena ------------------------------------------------------------------------------
def test_defaults_a_tanh_rnn_vanishes():
    res = lab.run(Cfg())
    assert res.T == 100 and set(res.results) == set(cells.KINDS)
    r = res.results["rnn"]
    assert r.norms.shape == (100,) and r.units.shape == (100, 32)
    ratio = r.norms[0] / r.norms[-1]
    assert 0 < ratio < 1e-10                                   # NOTES: ≈ 1e-20 (vanishing, ≈ 0.6 per step)
    assert r.verdict.kind == "vanishing" and r.verdict.factor < 0.8
    assert r.verdict.ratio == pytest.approx(ratio, rel=1e-12)
    assert r.verdict.text().startswith("vanishing")
    for k in cells.KINDS:                                      # nothing overflowed on the defaults
        assert np.all(np.isfinite(res.results[k].norms)) and res.results[k].verdict.exploded_at is None


def test_forget_bias_keeps_the_lstm_gradient_alive():
    factor = {b: lstm(Cfg(forget_bias=b)).verdict.factor for b in (-3.0, 0.0, 1.0, 3.0, 5.0)}
    assert factor[5.0] > 0.95 and factor[5.0] > factor[-3.0]
    assert factor[3.0] == pytest.approx(0.97, abs=0.02)        # NOTES: 0.97 with bias 3
    assert factor[-3.0] < factor[0.0] < factor[1.0] < factor[3.0] < factor[5.0]
    # the bias really is the forget gate's: b_if = bias, b_hf = 0, so σ(bias) is its resting value
    cell = lab.make_cell("lstm", Cfg(forget_bias=3.0))
    H = cell.hidden_size
    assert torch.all(cell.bias_ih[H:2 * H] == 3.0) and torch.all(cell.bias_hh[H:2 * H] == 0.0)
    hi, lo = lstm(Cfg(forget_bias=5.0)), lstm(Cfg(forget_bias=-3.0))
    assert hi.forget_mean > 0.9 > 0.1 > lo.forget_mean
    assert hi.survival[0] > lo.survival[0] and hi.survival[-1] == lo.survival[-1] == 1.0
    assert hi.c_norms.shape == (100,) and np.all(np.isfinite(hi.c_norms))


def test_scale_3_explodes_far_below_the_linear_bound():
    res = lab.run(Cfg(scale=3.0, T=300), kinds=("rnn",))
    r = res.results["rnn"]
    assert r.verdict.kind == "exploding"
    measured, bound = lab.bound_gap(res)
    assert measured == pytest.approx(math.log10(r.norms[0] / r.norms[-1]), rel=1e-12)
    assert measured > 2                                         # it does grow ...
    assert bound > measured + 50                                # ... but tanh saturation keeps it far below
    assert np.all(r.norms <= r.bound * (1 + 1e-9))


def test_linear_rnn_at_radius_3_explodes_by_3_per_step():
    r = rnn(Cfg(scale=3.0, scale_mode="radius", nonlinearity="linear", T=300))
    assert r.radius == pytest.approx(3.0, rel=1e-12)
    assert r.verdict.kind == "exploding"
    assert r.verdict.factor == pytest.approx(3.0, rel=0.01)
    assert np.all(np.isfinite(r.norms))                         # 3^299 ≈ 1e142 still fits float64


def test_orthogonal_linear_rnn_is_stable():
    r = rnn(Cfg(init="orthogonal", nonlinearity="linear"))
    assert r.verdict.kind == "stable"
    assert r.verdict.factor == pytest.approx(1.0, abs=1e-6)
    np.testing.assert_allclose(r.norms, r.norms[-1], rtol=1e-9)   # an isometry at every step
    assert r.sigma_max == pytest.approx(1.0, abs=1e-12) and r.radius == pytest.approx(1.0, abs=1e-12)


# ----- initialisations and scaling ----------------------------------------------------------------
def blocks_of(cell):
    H = cell.hidden_size
    return [cell.weight_hh.detach()[k * H:(k + 1) * H] for k in range(cell.n_blocks)]


@pytest.mark.parametrize("init", lab.INITS)
@pytest.mark.parametrize("radius", [0.5, 1.5])
def test_radius_mode_sets_the_spectral_radius_of_every_block(radius, init):
    cfg = Cfg(scale=radius, scale_mode="radius", init=init, H=12)
    for kind in cells.KINDS:
        cell = lab.make_cell(kind, cfg)
        for w in blocks_of(cell):
            assert np.abs(np.linalg.eigvals(w.numpy())).max() == pytest.approx(radius, rel=1e-9)
    assert rnn(cfg).radius == pytest.approx(radius, rel=1e-9)


@pytest.mark.parametrize("scale", [0.5, 2.0])
def test_identity_init_is_the_scaled_identity(scale):
    for kind in cells.KINDS:
        cell = lab.make_cell(kind, Cfg(init="identity", scale=scale, H=6))
        for w in blocks_of(cell):
            assert torch.equal(w, torch.eye(6, dtype=torch.float64) * scale)


def test_orthogonal_init_gives_orthogonal_blocks():
    for kind in cells.KINDS:
        cell = lab.make_cell(kind, Cfg(init="orthogonal", scale=2.0, H=10))
        for w in blocks_of(cell):
            torch.testing.assert_close(w.T @ w, 4.0 * torch.eye(10, dtype=torch.float64), rtol=0, atol=1e-12)


def test_xavier_init_uses_the_glorot_range():
    H = 40
    cell = lab.make_cell("lstm", Cfg(init="xavier", H=H))
    a_hh, a_ih = math.sqrt(6 / (2 * H)), math.sqrt(6 / (lab.INPUT_SIZE + H))
    for w in blocks_of(cell):
        assert w.abs().max() <= a_hh and w.abs().max() > 0.9 * a_hh
    assert cell.weight_ih.abs().max() <= a_ih and cell.weight_ih.abs().max() > 0.9 * a_ih
    # ... which is not torch's default range U(±1/√H)
    default = lab.make_cell("lstm", Cfg(H=H))
    assert default.weight_hh.abs().max() <= 1 / math.sqrt(H) < 0.9 * a_hh


def test_scale_mode_multiplies_the_default_init():
    base = lab.make_cell("gru", Cfg(H=8))
    scaled = lab.make_cell("gru", Cfg(H=8, scale=2.5))
    torch.testing.assert_close(scaled.weight_hh, base.weight_hh * 2.5, rtol=1e-15, atol=0)
    assert torch.equal(scaled.weight_ih, base.weight_ih)


def test_unknown_init_is_a_clear_error():
    with pytest.raises(ValueError, match="initialisation"):
        lab.run(Cfg(init="he"))


# ----- clipping ---------------------------------------------------------------------------------
@pytest.mark.parametrize("clip", [0.5, 5.0, 1e9])
def test_clipping_caps_the_parameter_gradient_norm(clip):
    res = lab.run(Cfg(clip=clip, scale=2.0, T=60))
    off = lab.run(Cfg(clip=0.0, scale=2.0, T=60))
    for k, r in res.results.items():
        assert r.grad_norm == off.results[k].grad_norm > 0
        assert r.clipped_norm == pytest.approx(min(r.grad_norm, clip), rel=1e-6)
        assert off.results[k].clipped_norm == off.results[k].grad_norm       # 0 is off
        np.testing.assert_array_equal(r.norms, off.results[k].norms)           # clipping acts on ∂L/∂θ only


# ----- typed text -------------------------------------------------------------------------------
def test_text_input_one_step_per_character():
    text = "hello, world"
    res = lab.run(Cfg(input="text", text=text, T=7))
    assert res.T == len(text) and res.messages == []
    assert all(r.norms.shape == (len(text),) for r in res.results.values())
    x, _ = lab.make_input(Cfg(input="text", text=text))
    assert x.shape == (len(text), 1, lab.INPUT_SIZE)
    torch.testing.assert_close(x[2], x[3])                     # the two l's share a vector
    assert not torch.equal(x[0], x[1])


@pytest.mark.parametrize("text", ["", "a", "   ", " b \n"])
def test_too_short_text_falls_back_with_a_message(text):
    res = lab.run(Cfg(input="text", text=text))
    assert res.T == len(lab.DEFAULT_TEXT)
    assert len(res.messages) == 1 and "at least 2 characters" in res.messages[0]
    assert all(np.all(np.isfinite(r.norms)) for r in res.results.values())


def test_huge_text_is_cut_to_the_limit_with_a_message():
    res = lab.run(Cfg(input="text", text="abcdefghij" * 1000))
    assert res.T == lab.MAX_TEXT == 300
    assert len(res.messages) == 1 and "300" in res.messages[0] and "10,000" in res.messages[0]


def test_characters_outside_latin1_get_a_message_and_share_one_vector():
    res = lab.run(Cfg(input="text", text="naïve 世界 ok"), kinds=("gru",))
    assert res.T == len("naïve 世界 ok")
    assert len(res.messages) == 1 and "2 character(s) outside Latin-1" in res.messages[0]
    x, _ = lab.make_input(Cfg(input="text", text="世界"))
    torch.testing.assert_close(x[0], x[1])
    assert lab.make_input(Cfg(input="text", text="naïve"))[1] == []        # ï is Latin-1


# ----- overflow never crashes ---------------------------------------------------------------------
def _all_numbers(r: lab.CellResult):
    """Every scalar is a float and every array a float array: finite, or inf/NaN, never an object."""
    for f in dataclasses.fields(r):
        v = getattr(r, f.name)
        if isinstance(v, np.ndarray):
            assert v.dtype.kind in "fc", f.name
        elif isinstance(v, float):
            pass
        else:
            assert v is None or isinstance(v, (str, flow.Verdict)), (f.name, type(v))


def test_float64_overflow_in_the_forward_pass_is_exploded_not_a_crash():
    # a linear RNN at radius 3 over T = 300 grows to only ~1e143 (see above): radius 1e3 overflows
    cfg = Cfg(scale=1e3, scale_mode="radius", nonlinearity="linear", T=300, clip=1.0, loss="every")
    res = lab.run(cfg)
    r = res.results["rnn"]
    assert (r.verdict.kind, r.verdict.where) == ("exploded", "forward")
    with torch.no_grad():
        h = lab.make_cell("rnn", cfg).unroll(lab.make_input(cfg)[0]).h
    assert r.verdict.exploded_at == flow.first_nonfinite(h) and 1 < r.verdict.exploded_at <= 300
    assert not torch.isfinite(h[-1]).all() and torch.isfinite(h[0]).all()
    assert f"step {r.verdict.exploded_at}" in r.verdict.text()
    assert not math.isfinite(r.grad_norm) and math.isnan(r.clipped_norm)
    for res_k in res.results.values():
        _all_numbers(res_k)
    # the gated cells are bounded: they never overflow in the forward pass
    assert res.results["lstm"].verdict.where == res.results["gru"].verdict.where == "backward"
    lab.bound_gap(res)                                          # no exception either


def test_relu_overflow_is_exploded_too():
    r = rnn(Cfg(scale=1e3, nonlinearity="relu", T=300))
    assert r.verdict.kind == "exploded" and r.verdict.exploded_at is not None
    _all_numbers(r)


# ----- determinism and private randomness ---------------------------------------------------------
ARRAYS = ("norms", "units", "eig", "bound", "c_norms", "survival")


def test_same_config_same_numbers_and_seed_changes_them():
    cfg = Cfg(T=40, H=16)
    a, b = lab.run(cfg), lab.run(cfg)
    c = lab.run(dataclasses.replace(cfg, seed=1))
    for k in cells.KINDS:
        for name in ARRAYS:
            va, vb = getattr(a.results[k], name), getattr(b.results[k], name)
            if va is None:
                assert vb is None
                continue
            np.testing.assert_array_equal(va, vb, err_msg=f"{k}.{name}")
        assert a.results[k].grad_norm == b.results[k].grad_norm
        assert not np.array_equal(a.results[k].norms, c.results[k].norms)
        assert not np.array_equal(a.results[k].eig, c.results[k].eig)


def test_the_shared_input_path_equals_one_cell_at_a_time():
    """run() lets every cell read its one input; the page's cached run_cell makes the input per cell.
    Both give the same numbers, bit for bit."""
    cfg = Cfg(T=30, H=8, forget_bias=1.0, nonlinearity="relu")
    shared, per_cell = lab.run(cfg), lab.run(cfg, cell_runner=lab.run_cell)
    for k in cells.KINDS:
        for name in ARRAYS:
            va, vb = getattr(shared.results[k], name), getattr(per_cell.results[k], name)
            assert (va is None) == (vb is None)
            if va is not None:
                np.testing.assert_array_equal(va, vb, err_msg=f"{k}.{name}")
        assert shared.results[k].grad_norm == per_cell.results[k].grad_norm


@pytest.mark.parametrize("inp", ["random", "sine", "zeros"])
def test_lab_leaves_the_global_rng_alone(inp):
    cfg = Cfg(T=30, H=8, input=inp, init="orthogonal")
    before = torch.random.get_rng_state()
    first = lab.run(cfg)
    assert torch.equal(torch.random.get_rng_state(), before)
    torch.manual_seed(12345)                                    # and the global seed does not leak in
    try:
        again = lab.run(cfg)
    finally:
        torch.set_rng_state(before)
    for k in cells.KINDS:
        np.testing.assert_array_equal(first.results[k].norms, again.results[k].norms)


# ----- the words of the page, held by the numbers (issue 20; docs/claims/lessons-a.md) ----------------
def test_default_view_shows_the_lstm_keeping_its_gradient_far_better_than_the_rnn():
    """The lab opens on b_f = 1, what practitioners use: the LSTM carries its gradient many orders of
    magnitude further than the RNN (at b_f ≈ 0, PyTorch's default, it barely did: ×0.587 vs ×0.525)."""
    assert lab.LabConfig().forget_bias == 1.0
    res = lab.run(Cfg())
    rnn_, lstm_ = res.results["rnn"].verdict, res.results["lstm"].verdict
    assert lstm_.factor > rnn_.factor + 0.2
    assert lstm_.ratio > 1e10 * rnn_.ratio


def test_pytorchs_default_forget_bias_rests_the_gate_at_a_half_and_the_lstm_vanishes_too():
    """What the memory caption and the "PyTorch's default" preset say: b_f ≈ 0 at torch's init, so the
    forget gate rests near σ(0) = 0.5, halves the cell state at every step, and the LSTM vanishes."""
    for H in (8, 32, 128):
        torch_lstm = torch.nn.LSTM(3, H)
        b_f = (torch_lstm.bias_ih_l0 + torch_lstm.bias_hh_l0)[H:2 * H]          # gate order i, f, g, o
        assert b_f.abs().max() <= 2 / math.sqrt(H)                              # two U(±1/√H) draws
    r = lstm(Cfg(forget_bias=0.0))
    assert r.forget_mean == pytest.approx(0.5, abs=0.02)
    assert r.verdict.kind == "vanishing" and r.verdict.factor < 0.65
    assert r.survival[0] < 1e-20                                                # ~0.5^99 of c_1 survives


def test_a_vanishing_gradient_teaches_the_shared_weights_only_about_the_last_steps():
    """far_share against autograd: the part of ∂L_T/∂W_hh from steps ≥ FAR back is the full gradient
    minus the gradient with h_{T−FAR} detached (then W_hh is reached only through the last FAR steps)."""
    cfg = Cfg(T=40, H=8)
    for kind in cells.KINDS:
        cell = lab.make_cell(kind, cfg)
        x, _ = lab.make_input(cfg)
        v = flow.readout_vector(cell.hidden_size, cfg.seed)

        def grad_whh(cut: int | None):
            state = None
            for t in range(cfg.T):                                  # step t + 1 reads x[t]
                if cut is not None and t == cut:
                    state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
                tr = cell.unroll(x[t:t + 1], state)
                state = (tr.h[-1], tr.c[-1]) if kind == "lstm" else tr.h[-1]
            h_T = state[0] if kind == "lstm" else state
            return torch.autograd.grad((h_T @ v).sum(), cell.weight_hh)[0]

        full, near = grad_whh(None), grad_whh(cfg.T - lab.FAR)
        want = float((full - near).norm() / full.norm())
        got = lab.run(cfg, kinds=(kind,)).results[kind].far_share
        assert got == pytest.approx(want, rel=1e-8), kind
    default = lab.run(Cfg())
    assert default.results["rnn"].far_share < 1e-2 < default.results["lstm"].far_share
    assert default.results["rnn"].grad_norm > 0                  # the shared weights still get a gradient
    assert lab.run(Cfg(T=lab.FAR)).results["rnn"].far_share is None


@pytest.mark.parametrize("cfg", [Cfg(T=60, H=8, loss="every"), Cfg(T=300, scale=3.0, nonlinearity="linear")],
                         ids=["every", "overflow"])
def test_far_share_from_two_products_equals_the_sum_of_the_shares(cfg):
    """The lab sums the shares δz_t h_{t−1}^T by two matrix products (far_share_of) instead of building all
    T of them (far_share over whh_contributions): the same number, NaN where the gradient overflowed."""
    x = lab._cast(cfg, lab.make_input(cfg)[0])
    for kind in cells.KINDS:
        cell = lab.make_cell(kind, cfg)
        with torch.inference_mode(), np.errstate(over="ignore", invalid="ignore"):
            trace = lab.forward.unroll(cell, x)
            v = flow.readout_vector(cell.hidden_size, cfg.seed, x.dtype)
            back = lab.bptt.backward(cell, trace, flow.readout_local_grads(v, cfg.T, x.shape[1], "last"))
            want = lab.far_share(back.whh_contributions().numpy(), lab.FAR)
        got = lab.far_share_of(back, lab.FAR)
        assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want, rel=1e-9), kind


def test_a_loss_at_every_step_hides_the_decay_and_the_verdict_reads_the_last_steps_loss_alone():
    last, every = lab.run(Cfg()), lab.run(Cfg(loss="every"))
    for k in cells.KINDS:
        r, e = last.results[k], every.results[k]
        np.testing.assert_array_equal(r.travel, r.norms)                       # "last": the same curve
        np.testing.assert_allclose(e.travel, r.norms, rtol=1e-12)              # the dotted twin
        assert e.verdict.kind == r.verdict.kind == "vanishing"
        assert e.verdict.factor == pytest.approx(r.verdict.factor, rel=1e-12)
        assert e.norms[0] / e.norms[-1] > 0.5 > 1e-8 > e.travel[0] / e.travel[-1]   # solid: level; dotted: vanishing


def test_rho_below_one_with_sigma_above_one_can_grow_before_it_decays():
    """Wrong 7: "below ρ = 1 they must vanish" was false. Only σ_max < 1 guarantees it; a linear RNN with
    ρ = 0.99 < 1 < σ_max grows for a step or more, then decays (a non-normal W_hh)."""
    r = rnn(Cfg(nonlinearity="linear", scale_mode="radius", scale=0.99, T=300))
    assert r.radius == pytest.approx(0.99, rel=1e-9) and r.sigma_max > 1
    back = r.travel[::-1]                                        # k = 0, 1, …: steps back from the loss
    assert back.max() > 1.05 * back[0] and back[-1] < 0.1 * back[0]
    d = rnn(Cfg())                                               # the defaults: ρ < 1 < σ_max, as the caption says
    assert d.radius == pytest.approx(0.595, abs=1e-3) and d.sigma_max == pytest.approx(1.060, abs=1e-3)
    for scale in (0.5, 0.9):                                     # σ_max < 1: vanishing, at least ×σ_max per step
        s = rnn(Cfg(scale=scale))
        assert s.sigma_max < 1 and s.verdict.kind == "vanishing"
        k = np.arange(len(s.travel))
        assert np.all(s.travel[::-1] <= s.travel[-1] * s.sigma_max ** k * (1 + 1e-9))
    for cfg in (Cfg(), Cfg(scale=3.0), Cfg(init="orthogonal", H=12), Cfg(init="xavier")):
        for kind in cells.KINDS:
            res = lab.run(cfg, kinds=(kind,)).results[kind]
            assert res.radius <= res.sigma_max * (1 + 1e-12)     # ρ ≤ σ_max, always


def test_the_forget_bias_5_preset_decays_by_the_numbers_the_page_quotes():
    """Wrong 6: "barely decays over 100 steps". Measured: the forget gates' product over 99 steps is
    0.51 and ‖∂L/∂h_1‖/‖∂L/∂h_100‖ = 0.27; the page now computes and quotes them."""
    m = lab.lstm_memory(lstm(Cfg(forget_bias=5.0)))
    assert m.steps == 99 and m.forget_mean == pytest.approx(0.993, abs=1e-3)
    assert m.kept == pytest.approx(0.51, abs=0.01) and m.ratio == pytest.approx(0.27, abs=0.01)


def test_identity_relu_passes_the_gradient_through_active_units_unchanged():
    r = rnn(Cfg(init="identity", nonlinearity="relu"))
    assert 0.98 < r.verdict.factor < 1.0 and r.verdict.kind == "stable"
    assert lstm(Cfg(forget_bias=-3.0)).verdict.factor < rnn(Cfg()).verdict.factor / 2   # "starve it"


def test_the_lab_computes_in_float64_unless_asked():
    """The intro: "Every number is computed live (float64 unless you choose float32)"."""
    assert Cfg().precision == "float64"
    for precision, dtype in (("float64", torch.float64), ("float32", torch.float32)):
        cell = lab.make_cell("lstm", Cfg(precision=precision, H=4))
        assert cell.weight_hh.dtype == dtype
    tiny = rnn(Cfg(T=300))                                     # 1e-80 survives in float64, not in float32
    assert tiny.norms.min() < 1e-60 and rnn(Cfg(T=300, precision="float32")).verdict.underflow_at is not None


def test_a_new_length_reuses_the_weights_and_changes_no_number():
    """lab.weights builds each cell (and its spectrum) once per weight setting: a new T, input, loss or clip
    reuses it, anything that changes the weights builds anew; and the numbers are those of fresh weights."""
    a, b = lab.weights("lstm", Cfg(T=50)), lab.weights("lstm", Cfg(T=60, input="sine", loss="every", clip=1.0))
    assert a[0] is b[0]
    assert lab.weights("lstm", Cfg(T=50, forget_bias=3.0))[0] is not a[0]
    assert lab.weights("rnn", Cfg(scale=2.0))[0] is not lab.weights("rnn", Cfg())[0]
    cfg = Cfg(T=70, H=12, scale=1.5)
    cached = lab.run(cfg)
    lab._weights.cache_clear()
    fresh = lab.run(cfg)
    for kind in cells.KINDS:
        np.testing.assert_array_equal(cached.results[kind].norms, fresh.results[kind].norms)
        np.testing.assert_array_equal(cached.results[kind].eig, fresh.results[kind].eig)
        assert cached.results[kind].grad_norm == fresh.results[kind].grad_norm
