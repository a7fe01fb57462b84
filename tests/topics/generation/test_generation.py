"""Sampling with temperature and top-k, held to theory on the shipped character models: top-k = 1 is greedy
argmax, the recorded distributions are exactly softmax(logits / τ) and its renormalised top-k head, they
sum to 1, the seed reproduces the text, and the logits recorded step by step are the fused model's."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from rnnviz import pretrained
from rnnviz.shared import charlm
from rnnviz.topics.generation import compute as generation
from rnnviz.topics.generation import words

PROMPT = "ROMEO.\nBut soft, "


@pytest.fixture(scope="module", params=["char_lstm", "char_gru"])
def model(request):
    return pretrained.load(request.param)[0]


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(-1, keepdims=True)


def masked(logits: np.ndarray) -> np.ndarray:
    out = logits.copy()
    out[:, 0] = -np.inf                                  # the unknown symbol is never drawn
    return out


def test_top_k_1_is_greedy_argmax(model):
    g = generation.sample(model, PROMPT, 60, temperature=1.7, top_k=1, seed=5)
    assert np.array_equal(g.chosen, masked(g.logits).argmax(1))
    assert np.array_equal(g.final, np.eye(model.vocab_size)[g.chosen])                   # all mass on one
    assert (g.rank == 1).all() and np.allclose(g.p_chosen, 1) and np.allclose(g.entropy_bits, 0)
    # and it is the text a plain greedy loop writes, whatever the seed and temperature
    ids, out = model.encode(PROMPT), []
    with torch.inference_mode():
        logits, state = model(ids[:, None])
        for _ in range(60):
            z = logits[-1, 0].clone()
            z[0] = -float("inf")
            nxt = int(z.argmax())
            out.append(model.alphabet[nxt])
            logits, state = model(torch.tensor([[nxt]]), state)
    assert g.text == "".join(out) == generation.sample(model, PROMPT, 60, temperature=0.3, top_k=1, seed=9).text


@pytest.mark.parametrize("tau", [0.1, 0.5, 1.0, 2.0])
def test_temperature_gives_exactly_softmax_of_logits_over_tau(model, tau):
    g = generation.sample(model, PROMPT, 40, temperature=tau, top_k=0, seed=1)
    z = masked(g.logits)
    np.testing.assert_allclose(g.tempered, softmax(z / tau), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(g.model_probs, softmax(z), rtol=1e-12, atol=1e-15)
    assert np.array_equal(g.final, g.tempered)                                           # no cut
    for p in (g.model_probs, g.tempered, g.final):
        np.testing.assert_allclose(p.sum(1), 1, atol=1e-12)
        assert (p[:, 0] == 0).all()                                                      # unknown: never
    if tau == 1.0:
        np.testing.assert_allclose(g.tempered, g.model_probs, atol=1e-15)
    # colder is sharper: the favourite's probability grows as τ falls (all its scores are divided by τ)
    if tau < 1:
        assert (g.tempered.max(1) >= g.model_probs.max(1) - 1e-12).all()


@pytest.mark.parametrize("k", [2, 5, 20])
def test_top_k_keeps_the_k_likeliest_renormalised(model, k):
    g = generation.sample(model, PROMPT, 40, temperature=0.9, top_k=k, seed=2)
    for t in range(len(g.text)):
        kept = np.nonzero(g.final[t])[0]
        assert len(kept) == k
        assert set(kept) == set(np.argsort(-g.tempered[t], kind="stable")[:k])
        np.testing.assert_allclose(g.final[t, kept], g.tempered[t, kept] / g.tempered[t, kept].sum(), rtol=1e-12)
        assert g.final[t, g.chosen[t]] > 0 and g.rank[t] <= k                            # drawn from the head
    np.testing.assert_allclose(g.final.sum(1), 1, atol=1e-12)


def test_the_seed_reproduces_and_without_a_cut_matches_charlm_generate(model):
    a = generation.sample(model, PROMPT, 120, temperature=1.2, top_k=0, seed=3)
    b = generation.sample(model, PROMPT, 120, temperature=1.2, top_k=0, seed=3)
    c = generation.sample(model, PROMPT, 120, temperature=1.2, top_k=0, seed=4)
    assert a.text == b.text and np.array_equal(a.final, b.final) and a.text != c.text
    assert a.text == charlm.generate(model, PROMPT, 120, temperature=1.2, seed=3)        # the same draws
    torch.manual_seed(0)                                                                 # global state: unused
    assert generation.sample(model, PROMPT, 120, temperature=1.2, top_k=0, seed=3).text == a.text


def test_recorded_logits_are_the_fused_models_in_one_pass(model):
    g = generation.sample(model, PROMPT, 80, temperature=1.0, top_k=7, seed=0)
    np.testing.assert_allclose(g.logits, generation.fused_logits(model, PROMPT, g.text), atol=1e-5)
    long = PROMPT * (generation.PROMPT_STEPS // len(PROMPT) + 1)          # read by the fused layer, not step by step
    h = generation.sample(model, long, 20, temperature=1.0, top_k=7, seed=0)
    np.testing.assert_allclose(h.logits, generation.fused_logits(model, long, h.text), atol=1e-5)
    own = g.model_probs[np.arange(80), g.chosen]
    assert np.array_equal(g.rank, 1 + (g.model_probs > own[:, None]).sum(1))
    assert np.array_equal(g.order(0)[:1], [int(np.argmax(g.model_probs[0]))])


def test_edge_cases_empty_prompt_unknown_characters_limits(model):
    g = generation.sample(model, "", 10, seed=0)
    assert g.prompt == "\n" and len(g.text) == 10
    g = generation.sample(model, "<😀>\x07", 400, temperature=2.0, seed=0)                 # unknown symbols in
    assert len(g.text) == 400 and "\x00" not in g.text and (g.chosen != 0).all()
    assert len(generation.sample(model, PROMPT, 10_000).text) == generation.MAX_NEW
    assert generation.sample(model, PROMPT, 0).text == ""
    with pytest.raises(ValueError):
        generation.sample(model, PROMPT, 5, temperature=0)


def test_find_loop():
    assert generation.find_loop("abcxyzxyzxyzxyz") == generation.Loop(3, 3, 4.0)
    assert generation.find_loop("aaaaa") == generation.Loop(0, 1, 5.0)
    assert generation.find_loop("abcdefgh") is None
    assert generation.find_loop("xyxy") is None                          # twice is not yet a loop
    text = "intro: the cat, the cat, the cat, the cat, "
    loop = generation.find_loop(text)                    # the earliest start: the space before the first "the"
    assert (loop.start, loop.period, loop.piece(text)) == (6, 9, " the cat,")


def test_greedy_shipped_models_fall_into_a_loop(model):
    g = generation.sample(model, PROMPT, 400, top_k=1)
    index, account = words.answer(g)
    loop = generation.find_loop(g.text)
    assert words.ANSWERS[index].startswith("It falls into a loop") and loop.repeats >= 3 \
        and f"same {loop.period} characters" in account


def test_the_diagram_window_follows_the_step(model):
    g = generation.sample(model, "AB", 20, seed=0)
    w = generation.window(g, 3)
    assert (w.n_in, w.n_out, w.first) == (2, 8, 1) and w.labels["x"] == ["A", "B"]
    assert w.labels["y"] == [generation.visible(ch) for ch in g.text[:8]] and w.labels["start"] == "h₀ = 0"
    assert w.highlight == 4 and w.labels["t"] == ["p", *map(str, range(1, 9))]
    w = generation.window(g, 15)                       # steps 8..15; step 8 reads what step 7 drew
    assert (w.n_in, w.n_out, w.first, w.highlight) == (1, 8, 8, 8)
    assert w.labels["x"] == [generation.visible(g.text[6])] and w.labels["start"] == "h (step 7)"
    assert generation.visible(" ") == "␣" and generation.visible("\n") == "↵" and generation.visible("\x07") == "�"


def test_step_bars_are_the_steps_three_distributions_escaped(model):
    """The step's HTML bars (figures.step_bars): each column's three heights are the model's own, the tempered
    and the final probabilities of that character; the drawn one is marked; nothing typed is live HTML."""
    import html
    import re

    from rnnviz.topics.generation import figures
    g = generation.sample(model, "<b>&", 12, temperature=0.7, top_k=4, seed=1)
    for step in (1, 12):
        out, s = figures.step_bars(g, step, top=6), step - 1
        cols = re.findall(r'<div class="rb-col( drawn)?" title="([^"]*)">(.*?)</div>(?=<div class="rb-(?:col|x))',
                          out.replace('<div class="rb-mark"', '<span class="rb-mark"'))
        order = list(g.order(s)[:6]) + ([] if int(g.chosen[s]) in g.order(s)[:6] else [int(g.chosen[s])])
        assert len(cols) == len(order)
        for (drawn, hover, body), i in zip(cols, order):
            heights = [float(h) for h in re.findall(r"height:([\d.]+)%", body)]
            assert heights == pytest.approx([100 * g.model_probs[s, i], 100 * g.tempered[s, i], 100 * g.final[s, i]],
                                            abs=0.006)
            assert bool(drawn) == (i == int(g.chosen[s]))
            assert html.unescape(hover).startswith(f"“{generation.visible(g.alphabet[i])}”")
        assert out.count(' drawn"') == 1 and f"Step {step}: drew" in out and "<b>&" not in out
        assert g.final[s][np.argsort(-g.model_probs[s])[4:]].sum() == 0          # top-k = 4: the rest cut to 0


def test_a_certain_draw_has_zero_bits_not_minus_zero(model):
    """Greedy (top-k = 1): every drawn-from distribution is certain; the page says 0.00 bits, never -0.00."""
    g = generation.sample(model, PROMPT, 8, temperature=0.8, top_k=1, seed=0)
    assert [f"{e:.2f}" for e in g.entropy_bits] == ["0.00"] * 8


def test_the_draw_is_torch_multinomials():
    """sample draws argmax(p / q) with all steps' q ~ Exp(1) drawn at once (compute.exponentials): the very
    characters torch.multinomial(p, 1, generator) draws step by step from the same seeded generator."""
    V, n = 74, 200
    p = torch.softmax(3 * torch.randn(n, V, dtype=torch.float64, generator=torch.Generator().manual_seed(1)), -1)
    p[:, 0] = 0
    p[::3, 10:] = 0                                                        # cut steps too, as top-k leaves them
    p /= p.sum(1, keepdim=True)
    for seed in (0, 7):
        gen = torch.Generator().manual_seed(seed)
        expected = [int(torch.multinomial(p[t], 1, generator=gen)) for t in range(n)]
        q = generation.exponentials(torch.Generator().manual_seed(seed), n, V)
        assert (p.numpy() / q).argmax(1).tolist() == expected


@pytest.mark.parametrize("kind", ["rnn", "gru", "lstm"])
def test_the_numpy_step_is_the_fused_layer_for_every_kind(kind):
    """The student's own model (Your text page) may be a plain RNN too: its logits are the fused layer's."""
    from rnnviz.shared.char_model import CharModel
    m = CharModel(kind, "\x00ab c.", 8)
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for w in m.parameters():
            w.copy_(torch.randn(w.shape, generator=gen))
    g = generation.sample(m, "ab", 30, temperature=1.0, top_k=3, seed=0)
    np.testing.assert_allclose(g.logits, generation.fused_logits(m, "ab", g.text), atol=1e-5)
