"""The captioner's computations: beam search against every possible output of small tables (and a table where
it finds a likelier output than greedy), beam of width 1 is greedy, the decoders' scores equal the
teacher-forced log-probability, batched greedy equals greedy one at a time, the scores and the baselines."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from rnnviz import train
from rnnviz.topics.captions import compute, data, decoding
from rnnviz.topics.captions.model import Captioner

BOS, EOS = 0, 1


def table_decoder(probs: np.ndarray):
    """A decoder whose next-token distribution depends only on the previous token: probs[prev] (V,)."""
    logp = torch.log(torch.tensor(probs, dtype=torch.float64))
    logp[:, BOS] = -torch.inf                                   # <s> is an input only

    def step(y_prev, state):
        return logp[y_prev], state

    return step, torch.zeros(1, 1, 1)


def test_beam_finds_a_likelier_caption_than_greedy_on_a_table_made_for_it():
    #            <s>   </s>  A     B
    p = np.array([[0.0, 0.0, 0.6, 0.4],      # after <s>: A is likelier ...
                  [0.0, 1.0, 0.0, 0.0],
                  [0.0, 0.34, 0.33, 0.33],   # ... but after A nothing is sure
                  [0.0, 0.9, 0.05, 0.05]])   # while B is almost always followed by the end
    step, s0 = table_decoder(p)
    g = decoding.greedy(step, s0, BOS, EOS, 5)
    b = decoding.beam(step, s0, BOS, EOS, 5, width=2)
    best, score = decoding.brute_force(step, s0, BOS, EOS, 5, [1, 2, 3])
    assert g.tokens == [2, 1] and g.logp == pytest.approx(math.log(0.6 * 0.34))
    assert b.tokens == [3, 1] == best and b.logp == pytest.approx(math.log(0.4 * 0.9)) == score
    assert b.logp > g.logp


@pytest.mark.parametrize("seed", range(6))
def test_a_wide_beam_is_the_brute_force_best_and_width_one_is_greedy(seed):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(4) * 0.5, size=4)
    p[:, BOS] = 0
    p[:, EOS] += 0.15                                            # every output can end
    p /= p.sum(1, keepdims=True)
    step, s0 = table_decoder(p)
    best, score = decoding.brute_force(step, s0, BOS, EOS, 4, [1, 2, 3])
    wide = decoding.beam(step, s0, BOS, EOS, 4, width=64)
    if wide.best.finished:
        assert wide.logp == pytest.approx(score) and wide.tokens == best
    one, g = decoding.beam(step, s0, BOS, EOS, 4, width=1), decoding.greedy(step, s0, BOS, EOS, 4)
    assert one.tokens == g.tokens and one.logp == pytest.approx(g.logp)


@pytest.fixture(scope="module")
def tiny():
    """A small untrained captioner (seeded) and a few pictures: enough to hold the arithmetic."""
    with train.seeded_dropout(0):
        model = Captioner(compute.VOCAB, 4, 8, 16).eval()
    images, captions = data.batch(np.random.default_rng(3), 6)
    return model, images, captions


def test_the_decoders_scores_are_the_teacher_forced_log_probability(tiny):
    model, images, _ = tiny
    for im in images[:3]:
        picture = im.transpose(1, 2, 0)
        c = compute.describe(model, picture, width=3)
        assert c.greedy.logp == pytest.approx(compute.sequence_logp(model, picture, c.greedy.tokens), abs=1e-4)            # float32 GRU, step by step vs one pass
        assert c.beam.logp == pytest.approx(compute.sequence_logp(model, picture, c.beam.tokens), abs=1e-4)            # float32 GRU, step by step vs one pass
        assert c.beam.logp >= c.greedy.logp - 1e-9 or not c.greedy.finished
        forced = compute.along(model, picture, c.beam.tokens)
        assert np.log(forced[np.arange(len(c.beam.tokens)), c.beam.tokens]).sum() == pytest.approx(c.beam.logp, abs=1e-4)
        assert np.allclose(c.probs.sum(1), 1) and c.probs.shape == (len(c.greedy.tokens), len(model.words))


def test_the_step_distribution_is_torch_softmax_of_the_model(tiny):
    model, images, _ = tiny
    picture = images[0].transpose(1, 2, 0)
    c = compute.describe(model, picture, width=1)
    y_in = torch.tensor([model.index["<s>"], *c.greedy.tokens[:-1]])[:, None]
    with torch.no_grad():
        logits = model(torch.from_numpy(images[:1]), y_in)[:, 0].double()
    logits[:, :2] = -torch.inf                                   # <pad>, <s>
    assert np.allclose(c.probs, torch.softmax(logits, -1).numpy(), atol=1e-6)


def test_batched_greedy_is_greedy_one_at_a_time(tiny):
    model, images, _ = tiny
    assert compute.greedy_batch(model, images, batch=4) == [compute.describe(model, im.transpose(1, 2, 0), 1).greedy_words
                                                            for im in images]


def test_scores_exact_and_position_aligned_words():
    refs = [["a", "b", "c"], ["a", "b"], ["x"]]
    preds = [["a", "b", "c"], ["a", "c", "d"], []]
    s = compute.scores(refs, preds)
    assert s["exact"] == pytest.approx(1 / 3)
    assert s["word"] == pytest.approx((3 + 1 + 0) / (3 + 3 + 1))


def test_the_template_is_each_positions_most_frequent_word_of_the_commonest_length():
    caps = [["a", "b", "c"], ["a", "x", "c"], ["a", "b", "y"], ["z"]]
    assert compute.Template.fit(caps).words == ("a", "b", "c")


def test_the_nearest_picture_baseline_copies_the_closest_training_caption(tiny):
    _, images, captions = tiny
    assert compute.nearest_captions(images, captions, images[::-1]) == captions[::-1]


def test_a_composed_scene_and_bad_choices():
    s = compute.compose("small red circle", compute.NONE, "top", overlap=True)
    assert len(s.things) == 1 and not s.overlap                    # overlap needs two things
    assert compute.compose("small red circle", "large blue square", "left", True).overlap
    with pytest.raises(ValueError):
        compute.compose("small red circle", "purple", "left")
    with pytest.raises(ValueError):
        compute.compose("small red circle", compute.NONE, "middle")
    a = compute.picture(s, 3, 0.1)
    assert np.array_equal(a, compute.picture(s, 3, 0.1)) and not np.array_equal(a, compute.picture(s, 4, 0.1))


def test_the_charts_rows_hold_the_written_words_first():
    vocab = compute.VOCAB
    probs = np.random.default_rng(0).dirichlet(np.ones(len(vocab)), size=5)
    rows = compute.top_words(probs, vocab, k=9, always=[5, 5, 7, 2])
    assert rows[:3] == [5, 7, 2] and len(rows) == 9 and len(set(rows)) == 9
    assert not {vocab.index("<pad>"), vocab.index("<s>")} & set(rows)


def test_the_shipped_scores_are_recomputed_from_the_weights_and_the_test_pictures():
    """The manifest's held-out greedy scores (the page quotes them) and the template's, recomputed here."""
    from rnnviz import pretrained

    model, meta = pretrained.load("captions")
    m = meta["metrics"]
    for split in ("seen", "unseen"):
        images, refs = data.test_set(split, meta["data"]["sizes"][f"test_{split}"])
        got = compute.scores(refs, compute.greedy_batch(model, images))
        assert got["exact"] == pytest.approx(m[f"{split}_greedy_exact"], abs=1e-4)
        assert got["word"] == pytest.approx(m[f"{split}_greedy_word"], abs=1e-4)
        template = compute.scores(refs, [meta["baseline"]["template"].split()] * len(refs))
        assert template["exact"] == pytest.approx(m[f"{split}_template_exact"], abs=1e-4)
    assert m["seen_greedy_exact"] > m["seen_nearest_exact"] > m["seen_template_exact"]      # the page's order
    assert m["unseen_greedy_exact"] < m["seen_greedy_exact"] and m["unseen_nearest_exact"] == 0


def test_the_equations_are_the_models_arithmetic(tiny):
    """v = tanh(W_v flatten(CNN(x)) + b_v); s_1 = GRU([E[<s>]; v], v) written out (r, z, n as torch.nn.GRU);
    p(y_1 | x) = softmax(W_o s_1 + b_o): the first step's distribution, from the weights by hand."""
    from rnnviz.topics.captions import words

    model, images, _ = tiny
    x = torch.from_numpy(images[:1])
    with torch.no_grad():
        v = torch.tanh(model.project.weight @ model.cnn(x).flatten(1)[0] + model.project.bias)      # (H,)
        inp = torch.cat([model.embed.weight[model.index["<s>"]], v])                               # (D + H,)
        gi = model.decoder.weight_ih_l0 @ inp + model.decoder.bias_ih_l0
        gh = model.decoder.weight_hh_l0 @ v + model.decoder.bias_hh_l0
        H = model.hidden_size
        r = torch.sigmoid(gi[:H] + gh[:H])
        z = torch.sigmoid(gi[H:2 * H] + gh[H:2 * H])
        n = torch.tanh(gi[2 * H:] + r * gh[2 * H:])
        s1 = (1 - z) * n + z * v
        logits = (model.head.weight @ s1 + model.head.bias).double()
    logits[:2] = -torch.inf
    first = compute.describe(model, images[0].transpose(1, 2, 0), 1).probs[0]
    assert np.allclose(first, torch.softmax(logits, -1).numpy(), atol=1e-6)
    said = " ".join(s for _, s in words.equations(model))
    assert f"{2 * model.channels} maps of 4 × 4" in said and f"{len(model.words)} symbols" in said
