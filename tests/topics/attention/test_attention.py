"""The attention model against a hand computation: e_kj = v·tanh(W_s s + W_h h_j + b), α = softmax (sums to 1,
zero on padding), c_k = Σ_j α_kj h_j, to 1e-6 in float64; the plain model's context is h_T at every step;
teacher forcing equals step-by-step decoding; batched greedy equals one text at a time."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from rnnviz import train
from rnnviz.topics.attention import recipe
from rnnviz.topics.attention.model import BOS, NumberReader, greedy

TEXTS = ["three hundred and twelve thousand and five", "forty-two", "zero"]


def build(attention: str, seed: int = 0) -> NumberReader:
    m = NumberReader(attention, recipe.source_symbols(), recipe.TARGET, embed_size=8, hidden_size=6)
    train.init_parameters(m, torch.Generator().manual_seed(seed))
    return m.double().eval()


def encoded(m: NumberReader):
    ids, lengths = recipe._inputs(m, TEXTS)
    with torch.no_grad():
        return m.encode(ids, lengths), lengths


def test_additive_attention_by_hand():
    m = build("additive")
    enc, lengths = encoded(m)
    s = torch.randn(len(TEXTS), m.hidden_size, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    with torch.no_grad():
        c, alpha = m.attend(s, enc.keys, enc.states, enc.mask)
    W_s, W_h = m.attend.W_s.weight.detach().numpy(), m.attend.W_h.weight.detach().numpy()
    b, v = m.attend.W_h.bias.detach().numpy(), m.attend.v.weight.detach().numpy()[0]
    H = enc.states.numpy()
    for i, T in enumerate(lengths.tolist()):
        e = np.array([v @ np.tanh(W_s @ s[i].numpy() + W_h @ H[j, i] + b) for j in range(T)])
        a = np.exp(e - e.max()) / np.exp(e - e.max()).sum()
        assert abs(alpha[:, i].sum().item() - 1) < 1e-12
        assert np.allclose(alpha[:T, i].numpy(), a, atol=1e-6)
        assert np.all(alpha[T:, i].numpy() == 0)                                    # never looks at padding
        assert np.allclose(c[i].numpy(), (a[:, None] * H[:T, i]).sum(0), atol=1e-6)


def test_plain_context_is_h_T_at_every_step():
    m = build("none")
    d = greedy(m, TEXTS)
    enc, lengths = encoded(m)
    for i, T in enumerate(lengths.tolist()):
        assert np.allclose(d.contexts[:, i], enc.states[T - 1, i].numpy(), atol=1e-12)
    assert d.alphas is None and m.attend is None


@pytest.mark.parametrize("attention", ["none", "additive"])
def test_teacher_forcing_equals_step_by_step(attention):
    m = build(attention, seed=3)
    ids, lengths = recipe._inputs(m, TEXTS)
    y_in, _ = recipe._targets(m, ["312005", "42", "0"])
    with torch.no_grad():
        logits = m(ids, lengths, y_in)
        enc = m.encode(ids, lengths)
        s = enc.last
        for k in range(y_in.shape[0]):
            step, s, _, _ = m.step(y_in[k], s, enc)
            assert torch.allclose(step, logits[k], atol=1e-10)


def test_batched_greedy_is_one_at_a_time():
    m = build("additive", seed=5)
    both = greedy(m, TEXTS)
    for i, t in enumerate(TEXTS):
        one = greedy(m, [t])
        assert one.texts[0] == both.texts[i]
        K = len(one.tokens[0])
        assert np.allclose(one.alphas[:K, :len(t), 0], both.alphas[:K, :len(t), i], atol=1e-9)
        assert np.allclose(one.alphas[:K].sum(1), 1, atol=1e-9)


def test_the_two_models_differ_only_by_attention():
    plain, attentive = build("none"), build("additive")
    H = plain.hidden_size
    assert attentive.count_parameters() - plain.count_parameters() == 2 * H * H + 2 * H
    with pytest.raises(ValueError, match="attention must be"):
        NumberReader("dot", recipe.source_symbols(), recipe.TARGET, 8, 6)
    assert plain.target[1] == BOS


def test_figures_draw_a_reading_and_escape_what_was_typed():
    from common import assert_plotly_accepts_unchanged

    from rnnviz.topics.attention import compute, figures
    text = "<b>forty-two</b>"
    r = compute.read(build("none"), build("additive"), text)
    fig = figures.alignment(r.shown, r.attentive.symbols, r.attentive.alphas)
    assert_plotly_accepts_unchanged(fig)
    assert "<" not in "".join(fig.data[1].text) and r.shown[:4] == ["?", "?", "?", "f"]   # unknown: drawn ?
    raw = figures.alignment(list("<b>"), ["<"], np.full((1, 3), 1 / 3))           # and escaped where drawn
    assert list(raw.data[1].text) == ["&lt;", "b", "&gt;"] and "<" not in str(raw.data[0].hovertext)
    assert np.allclose(np.asarray(fig.data[0].z).sum(1), 1)
    for c in (r.plain, r.attentive):
        assert_plotly_accepts_unchanged(figures.contexts(c.contexts, c.symbols, compute.strongest_units(c.contexts, 4),
                                                         "c", figures.PLAIN))
    curves = compute.LengthCurves(["1–25", "26–35"], [10, 20], [0.9, 0.5], [0.95, 0.94], [0.0, 0.0], [0.8, 0.6])
    assert_plotly_accepts_unchanged(figures.length_chart(curves))
    v = compute.verdict(curves)
    assert v.plain_falls and v.attentive_holds


def test_prepare_reads_what_the_data_writes_and_says_what_it_dropped():
    from rnnviz.topics.attention import compute
    m = build("none")
    p = compute.prepare(m, "  Forty-Two\x07  thousand ")
    assert p.text == "forty-two thousand" and p.number == 42_000 and "U+0007" in " ".join(p.messages())
    assert compute.prepare(m, " ").messages()[0].startswith("The box is empty")
    long = compute.prepare(m, "one " * 100)
    assert len(long.text) <= compute.MAX_CHARS and long.cut > 0 and long.number is None
    odd = compute.prepare(m, "forty two 😀")
    assert odd.unknown == {"😀": 1} and any("never saw" in x for x in odd.messages())
