"""A character model's reading, held against the fused torch.nn model, and its lesson helpers."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from rnnviz import cells, train
from rnnviz.shared import charlm
from rnnviz.shared.char_model import UNKNOWN, CharModel

ALPHABET = UNKNOWN + "\n !',.;?ABHT[]abdefhilmnorstuw"
TEXT = "To be, or not to be,--that is the question:\nWhether 'tis nobler [Aside]\n"


def model_of(kind: str, seed: int = 0, scale: float = 3.0) -> CharModel:
    m = CharModel(kind, ALPHABET, 12)
    train.init_parameters(m, torch.Generator().manual_seed(seed))
    with torch.no_grad():                                  # larger weights: gates far from 0.5, a real test
        for p in m.parameters():
            p.mul_(scale)
    return m.eval()


@pytest.fixture(params=["lstm", "gru"])
def model(request):
    return model_of(request.param)


def test_reading_equals_the_fused_torch_model(model):
    text = charlm.prepare(model, TEXT).text
    r = charlm.read(model, text)
    ids = model.encode(text)
    with torch.no_grad():
        out, _ = model.rnn(model.onehot(ids)[:, None])
        probs = torch.softmax(model.head(out)[:, 0].double(), -1).numpy()
    assert r.h.shape == (len(text), 12) and r.probs.shape == (len(text), len(ALPHABET))
    np.testing.assert_allclose(r.h, out[:, 0].double().numpy(), atol=1e-5)
    np.testing.assert_allclose(r.probs, probs, atol=1e-5)
    assert set(r.gates) == set(cells.GATES[model.kind])
    assert (r.c is None) == (model.kind == "gru")
    surprisal = -np.log2(probs[np.arange(len(ids) - 1), ids[1:].numpy()])
    np.testing.assert_allclose(r.surprisal, surprisal, atol=1e-4)
    assert r.bpc == pytest.approx(surprisal.mean(), abs=1e-4)


def test_lstm_cell_state_obeys_its_equation():
    r = charlm.read(model_of("lstm"), TEXT)
    g = r.gates
    c_prev = np.vstack([np.zeros((1, 12)), r.c[:-1]])
    np.testing.assert_allclose(r.c, g["forget"] * c_prev + g["input"] * g["cell"], atol=1e-6)
    np.testing.assert_allclose(r.h, g["output"] * np.tanh(r.c), atol=1e-6)


def test_prepare_normalises_counts_unknowns_and_cuts():
    m = model_of("lstm")
    p = charlm.prepare(m, "“Hi”\r\n it’s é—ok\x00", limit=1000)
    assert p.text == '"Hi"\n it\'s é--ok\x00'
    assert p.unknown["é"] == 1 and p.unknown["k"] == 1 and p.unknown["\x00"] == 1  # "k" is not in ALPHABET
    assert sum(p.unknown.values()) == sum(ch not in ALPHABET[1:] for ch in p.text)
    assert any("outside the model's alphabet" in msg for msg in p.messages())
    assert (m.encode(p.text)[[ch not in ALPHABET[1:] for ch in p.text]] == 0).all()
    big = charlm.prepare(m, "a" * 100_000)
    assert len(big.text) == charlm.MAX_CHARS and big.cut == 100_000 - charlm.MAX_CHARS
    assert any("at most 1,000 characters" in msg for msg in big.messages())
    empty = charlm.prepare(m, "")
    assert empty.text == "" and any("empty" in msg for msg in empty.messages())
    with pytest.raises(ValueError, match="empty"):
        charlm.read(m, "")
    assert charlm.prepare(m, "to be").messages() == []


def test_top_k_is_sorted_and_matches_probs(model):
    r = charlm.read(model, TEXT)
    chars, p = charlm.top_k(r, 5)
    assert chars.shape == p.shape == (len(TEXT), 5)
    assert np.all(np.diff(p, axis=1) <= 0)
    for t in (0, 7, len(TEXT) - 1):
        best = np.argsort(-r.probs[t], kind="stable")[:5]
        assert list(chars[t]) == [ALPHABET[i] for i in best]


def test_generation_is_seeded_and_never_unknown(model):
    a = charlm.generate(model, "To be", 60, temperature=1.0, seed=5)
    assert a == charlm.generate(model, "To be", 60, temperature=1.0, seed=5)
    assert a != charlm.generate(model, "To be", 60, temperature=1.0, seed=6)
    assert len(a) == 60 and UNKNOWN not in a and set(a) <= set(ALPHABET)
    # a very low temperature is greedy: always the likeliest next character
    greedy = charlm.generate(model, "To be", 10, temperature=1e-4, seed=0)
    r = charlm.read(model, "To be" + greedy[:-1])
    assert greedy == "".join(ALPHABET[i] for i in r.probs[4:].argmax(1))
    with pytest.raises(ValueError):
        charlm.generate(model, "x", 5, temperature=0)


def test_conveyor_uses_the_real_numbers_and_survival_is_the_forget_product():
    r = charlm.read(model_of("lstm"), TEXT)
    t, u = 20, 3
    belt = charlm.conveyor(r, t, u)
    assert belt["c_prev"] == pytest.approx(r.c[t - 1, u])
    assert belt["kept"] + belt["written"] == pytest.approx(belt["c"], abs=1e-6)
    assert belt["c"] == pytest.approx(r.c[t, u]) and belt["f"] == pytest.approx(r.gates["forget"][t, u])
    s = belt["survival"]
    assert s[0] == 1 and len(s) == len(TEXT) - t
    assert s[3] == pytest.approx(np.prod(r.gates["forget"][t + 1:t + 4, u]))
    hl = charlm.half_life(s)
    assert hl is None or (s[hl] < 0.5 and np.all(s[:hl] >= 0.5))
    with pytest.raises(ValueError):
        charlm.conveyor(charlm.read(model_of("gru"), TEXT), t, u)


def test_clamping_a_forget_gate_changes_only_what_follows():
    m = model_of("lstm")
    free = charlm.read(m, TEXT)
    start, u = 30, 4
    clamped = charlm.read(m, TEXT, clamps=charlm.clamp_from("forget", u, 0.0, start, len(TEXT)))
    np.testing.assert_array_equal(clamped.h[:start], free.h[:start])            # the past is untouched
    assert np.all(clamped.gates["forget"][start:, u] == 0)
    np.testing.assert_allclose(clamped.c[start:, u],                             # f = 0: c_t = i_t g_t
                               clamped.gates["input"][start:, u] * clamped.gates["cell"][start:, u], atol=1e-6)
    assert np.abs(clamped.probs[start:] - free.probs[start:]).max() > 1e-4       # and it reaches the prediction


def test_parameter_table_adds_up(model):
    rows = charlm.parameter_table(model)
    H, V = 12, len(ALPHABET)
    G = len(cells.GATES[model.kind])
    assert [r["block"] for r in rows] == [*cells.GATES[model.kind], "read-out"]
    assert sum(r["total"] for r in rows) == model.count_parameters() == G * H * (V + H + 2) + V * (H + 1)
