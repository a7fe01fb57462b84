"""GRU vs LSTM computations: quantities, unit choice, the surprise duel, character classes, parameter
counts against the models' own, and the freeze intervention against the cell equations."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from rnnviz import train
from rnnviz.shared import charlm
from rnnviz.topics.compare import compute as compare
from rnnviz.shared.char_model import UNKNOWN, CharModel

ALPHABET = UNKNOWN + "\n !',.:;?ABHTWabdefhilmnorstuwy"
TEXT = "HAMLET.\nTo be, or not to be: that is the question.\nWhy, 'tis so."


def model_of(kind: str, hidden: int = 12, seed: int = 0) -> CharModel:
    m = CharModel(kind, ALPHABET, hidden)
    train.init_parameters(m, torch.Generator().manual_seed(seed))
    with torch.no_grad():                                  # larger weights: gates far from 0.5
        for p in m.parameters():
            p.mul_(3.0)
    return m.eval()


@pytest.fixture(scope="module")
def readings() -> dict[str, charlm.Reading]:
    return {kind: charlm.read(model_of(kind, 12 if kind == "lstm" else 14), TEXT) for kind in compare.KINDS}


def test_quantities_name_gates_states_and_the_write_share(readings):
    gru, lstm = readings["gru"], readings["lstm"]
    np.testing.assert_array_equal(compare.quantity(gru, "1-update"), 1 - gru.gates["update"])
    assert compare.quantity(lstm, "cell state") is lstm.c and compare.quantity(gru, "hidden") is gru.h
    assert compare.quantity(lstm, "cell") is lstm.gates["cell"]          # the candidate g_t, not c_t
    with pytest.raises(ValueError, match="no separate cell state"):
        compare.quantity(gru, "cell state")
    with pytest.raises(ValueError, match="no gate 'forget'"):
        compare.quantity(gru, "forget")
    for pair in compare.PAIRS.values():                                   # every pair names real quantities
        assert compare.quantity(gru, pair.gru).shape == gru.h.shape
        assert compare.quantity(lstm, pair.lstm).shape == lstm.h.shape


def test_pick_units_orders_by_change_mean_or_index():
    values = np.zeros((5, 4))
    values[:, 2] = [0, 1, 0, 1, 0]                  # the busiest unit
    values[:, 1] = 0.9                              # the most open, never changes
    values[:, 3] = [0.4, 0.5, 0.4, 0.5, 0.4]
    assert compare.pick_units(values, 2, "change").tolist() == [2, 3]
    assert compare.pick_units(values, 1, "mean").tolist() == [1]
    assert compare.pick_units(values, 3, "index").tolist() == [0, 1, 2]
    assert len(compare.pick_units(values, 99, "change")) == 4             # capped at H
    with pytest.raises(ValueError):
        compare.pick_units(values, 2, "random")


@pytest.mark.parametrize("length,start,width,expected", [
    (400, 1, 40, (0, 40)), (400, 100, 40, (99, 139)), (400, 390, 40, (360, 400)),   # a full window at the end
    (10, 1, 40, (0, 10)), (1, 1, 40, (0, 1)), (400, 0, 40, (0, 40)),
])
def test_window(length, start, width, expected):
    assert compare.window(length, start, width) == expected


def test_duel_counts_every_character_once_and_names_the_winner(readings):
    d = compare.duel(readings["gru"], readings["lstm"])
    assert len(d.gru) == len(TEXT) - 1
    assert d.gru_wins + d.lstm_wins + d.ties == len(TEXT) - 1
    assert d.bpc("gru") == pytest.approx(readings["gru"].bpc) and d.bpc("lstm") == pytest.approx(readings["lstm"].bpc)
    for kind in compare.KINDS:
        rows = d.biggest(kind, 3)
        assert rows and [r["margin"] for r in rows] == sorted((r["margin"] for r in rows), reverse=True)
        for r in rows:
            assert TEXT[r["position"] - 1] == r["char"] and TEXT[:r["position"] - 1].endswith(r["before"])
            assert (r["lstm"] - r["gru"] if kind == "gru" else r["gru"] - r["lstm"]) == pytest.approx(r["margin"])
            # the surprise is −log2 of the probability the model gave the character that came
            p = readings[kind].probs[r["position"] - 2, ALPHABET.index(r["char"])]
            assert r[kind] == pytest.approx(-np.log2(p))
    with pytest.raises(ValueError, match="same text"):
        compare.duel(readings["gru"], charlm.read(model_of("lstm"), TEXT[:-1]))


def test_character_classes():
    assert [compare.char_class(c) for c in "aZ \n,7" + UNKNOWN] == [
        "letter", "capital", "space", "new line", "punctuation", "punctuation", "unknown"]


def test_by_class_averages_the_characters_of_each_class(readings):
    r = readings["lstm"]
    stats = compare.by_class(r, ("forget", "input"))
    spaces = [t for t, ch in enumerate(TEXT) if ch == " "]
    assert stats["forget"]["space"] == pytest.approx(r.gates["forget"][spaces].mean())
    present = {compare.char_class(UNKNOWN if i == 0 else ch) for ch, i in zip(TEXT, r.ids)}
    assert set(stats["input"]) == present and "unknown" in present                # q, M, L, E are unknown here
    unknown = charlm.read(model_of("lstm"), "ab\x00é")                # é is outside the alphabet: unknown
    assert compare.by_class(unknown, ("forget",))["forget"]["unknown"] == pytest.approx(
        unknown.gates["forget"][2:].mean())


def test_keep_and_write_counts_unit_steps_with_both_gates_open(readings):
    r = readings["lstm"]
    f, i = r.gates["forget"], r.gates["input"]
    assert compare.keep_and_write(r, 0.5) == pytest.approx(((f > 0.5) & (i > 0.5)).sum() / f.size)
    assert compare.keep_and_write(r, 1.0) == 0.0 and compare.keep_and_write(r, 0.0) == 1.0


def test_state_ranges(readings):
    lstm, gru = compare.state_ranges(readings["lstm"]), compare.state_ranges(readings["gru"])
    assert lstm["h_max"] < 1 and gru["h_max"] < 1 and "c_max" not in gru
    assert lstm["c_max"] == pytest.approx(np.abs(readings["lstm"].c).max())
    assert 0 <= lstm["c_beyond_1"] <= 1


@pytest.mark.parametrize("kind,H", [("lstm", 12), ("gru", 7), ("lstm", 1)])
def test_parameter_count_is_the_models_own(kind, H):
    model = model_of(kind, H)
    layer, readout = compare.parameter_count(kind, H, model.vocab_size)
    assert layer + readout == model.count_parameters() == sum(r["total"] for r in charlm.parameter_table(model))
    assert layer == sum(p.numel() for p in model.rnn.parameters())
    tex = compare.parameter_latex(kind, H, model.vocab_size)
    assert f"{layer + readout:,}".replace(",", "{,}") in tex and f"{compare.GATE_BLOCKS[kind]} \\cdot {H}" in tex


def test_the_shipped_models_counts():
    """The numbers the page prints for the two trained models (about equal budgets, different H)."""
    from rnnviz import pretrained
    for name in ("char_lstm", "char_gru"):
        try:
            meta = pretrained.meta(name)
        except KeyError:
            pytest.skip(f"{name} is not shipped yet")
        kind, H, V = meta["arch"]["kind"], meta["arch"]["hidden_size"], len(meta["arch"]["alphabet"])
        assert sum(compare.parameter_count(kind, H, V)) == meta["parameters"]


def test_freezing_the_memory_stops_the_gru_h_but_not_the_lstm_h():
    """z = 1 makes h_t = h_{t−1}; f = 1, i = 0 freeze c_t, while h_t = o_t ⊙ tanh(c_t) moves on."""
    start, stop = 20, 50
    moved = {}
    for kind in compare.KINDS:
        model = model_of(kind)
        clamps = compare.freeze_clamps(kind, model.hidden_size, start, stop)
        assert len(clamps) == len(compare.FREEZE[kind]) * model.hidden_size * (stop - start)
        free = charlm.read(model, TEXT)
        frozen = charlm.read(model, TEXT, clamps=clamps)
        np.testing.assert_array_equal(frozen.h[:start], free.h[:start])   # nothing before the clamp changes
        moved[kind] = compare.drift(frozen, start, stop)
        assert compare.drift(free, start, stop)["h"] > 0.1                  # without the clamp, h moves
        assert compare.drift(frozen, start, len(TEXT))["h"] > 0.1           # and after it, it moves again
    assert moved["gru"]["h"] < compare.FROZEN                             # float32 rounding of n + z (h − n)
    assert moved["lstm"]["c"] < compare.FROZEN and moved["lstm"]["h"] > 0.05
