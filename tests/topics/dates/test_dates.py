"""The encoder–decoder and its decoding against theory: the model's equations against torch.nn.GRUCell step by
step, beam width 1 is greedy search exactly, every beam score is the sum of log-probabilities recomputed by the
model (teacher forcing), a wider beam mostly finds likelier answers, batched greedy = one at a time, and the
manifest's metrics are recomputed on the held-out test set."""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
import torch

from rnnviz import pretrained, train
from rnnviz.topics.dates import data as dates
from rnnviz.topics.dates import compute as lesson
from rnnviz.topics.dates import decoding
from rnnviz.topics.dates import words
from rnnviz.topics.dates.model import BOS, EOS, Seq2Seq
from rnnviz.topics.dates import recipe

TEXTS = ["Saturday, November 21st 2026", "03/04/2026", "04.03.2026", "february 30 2026", "hello world", "2099/12/31",
         "1 jan 1900", "😀 x <b>"]


@pytest.fixture(scope="module")
def shipped():
    return pretrained.load("dates")


@pytest.fixture(scope="module")
def untrained():
    model = Seq2Seq("gru", recipe.source_symbols(), recipe.TARGET, 8, 16)
    train.init_parameters(model, torch.Generator().manual_seed(3))
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(2)            # a hesitant model whose beams disagree with greedy,
        model.head.bias[model.target_index[EOS]] -= 3     # and that does not stop at once
    return model.eval()


def test_equations_against_grucells(shipped):
    """c = h_T of a GRUCell loop over E_x[x_t]; s_k = GRUCell([E_y[y_{k-1}]; c], s_{k-1}); softmax(W_o s_k + b_o)."""
    model, _ = shipped
    text = "Saturday, November 21st 2026"
    enc_cell, dec_cell = torch.nn.GRUCell(model.embed_size, model.hidden_size), \
        torch.nn.GRUCell(model.embed_size + model.hidden_size, model.hidden_size)
    for cell, layer in ((enc_cell, model.encoder), (dec_cell, model.decoder)):
        cell.load_state_dict({k.replace("_l0", ""): v for k, v in layer.state_dict().items()})
    with torch.no_grad():
        h = torch.zeros(1, model.hidden_size)
        for i in model.encode_text(text):
            h = enc_cell(model.embed_x(i[None]), h)
        enc = decoding.encode(model, text)
        assert torch.allclose(enc.c, h, atol=1e-6)
        g = decoding.greedy(model, enc)
        s, y = h, torch.tensor([model.target_index[BOS]])
        for k, tok in enumerate(g.tokens):
            s = dec_cell(torch.cat([model.embed_y(y), h], -1), s)
            p = torch.softmax(model.head(s)[0, 3:].double(), -1)        # only writable symbols: no <pad>, <s>
            assert np.allclose(g.probs[k][3:] / g.probs[k][3:].sum(), p.numpy(), atol=1e-6)
            assert np.isclose(g.probs[k][:2].sum(), 0)
            y = torch.tensor([tok])


@pytest.mark.parametrize("which", ["untrained", "shipped"])
def test_beam_width_one_is_greedy(which, request):
    model = request.getfixturevalue(which)
    model = model[0] if isinstance(model, tuple) else model
    for text in TEXTS:
        enc = decoding.encode(model, text)
        g, b = decoding.greedy(model, enc), decoding.beam(model, enc, 1)
        assert [n.token for n in b.path()] == g.tokens and b.text == g.text
        assert b.logp == pytest.approx(g.logp, abs=1e-12)


@pytest.mark.parametrize("which", ["untrained", "shipped"])
def test_beam_scores_are_sums_of_log_probs(which, request):
    model = request.getfixturevalue(which)
    model = model[0] if isinstance(model, tuple) else model
    for text in TEXTS:
        for width in (2, 3, 5):
            b = decoding.beam(model, decoding.encode(model, text), width)
            kept = [n for n in b.nodes if n.kept]
            assert 0 < len([n for n in kept if n.step == 1]) <= width
            for node in kept[:12] + [b.best]:
                tokens = [n.token for n in b.path(node)]
                assert node.logp == pytest.approx(decoding.sequence_logp(model, text, tokens), abs=1e-5)
            steps = {n.step for n in b.nodes}
            assert all(sum(n.kept for n in b.nodes if n.step == s) <= width for s in steps)
            assert sum(n.winner for n in b.nodes) == len(b.path()) and b.path()[-1] is b.best


def test_a_wider_beam_mostly_finds_likelier_answers(untrained):
    """A wider beam is no guarantee of a better answer (greedy's prefix can be pruned early and the survivors
    fall later), but on a hesitant model it should mostly find likelier ones: here for most texts."""
    better = worse = 0
    for text in TEXTS:
        enc = decoding.encode(untrained, text)
        greedy = decoding.beam(untrained, enc, 1, max_steps=6)
        assert not greedy.best.finished
        b = decoding.beam(untrained, enc, 4, max_steps=6)
        better += b.logp > greedy.logp + 1e-9
        worse += b.logp < greedy.logp - 1e-9
    assert better > len(TEXTS) / 2 and better > worse


def test_batched_greedy_is_greedy_one_at_a_time(shipped):
    model, _ = shipped
    texts = [p[0] for p in dates.held_out("validation")[:200]] + TEXTS
    assert decoding.greedy_batch(model, texts, batch=64) == \
        [decoding.greedy(model, decoding.encode(model, t)).text for t in texts]


def test_manifest_metrics_recomputed_on_the_held_out_set(shipped):
    model, meta = shipped
    m = meta["metrics"]
    test = dates.held_out("test", meta["data"]["split_seed"])
    truth = [p[1] for p in test]
    greedy = decoding.greedy_batch(model, [p[0] for p in test])
    got = recipe.scores(greedy, truth)
    assert got["exact"] == pytest.approx(m["test_exact_greedy"], abs=6e-5) and m["test_exact_greedy"] >= 0.95
    assert got["char"] == pytest.approx(m["test_char_accuracy"], abs=6e-5)
    base = recipe.scores([meta["baseline"]["answer"]] * len(truth), truth)
    assert base["exact"] == pytest.approx(m["majority_exact"], abs=6e-5)
    assert base["char"] == pytest.approx(m["majority_char_accuracy"], abs=6e-5)
    assert m["test_exact_greedy"] > m["majority_exact"] + 0.9
    width = meta["hyper"]["beam_width"]
    sample = test[::10]
    beam = [decoding.beam(model, decoding.encode(model, t), width).text for t, _, _ in sample]
    assert recipe.scores(beam, [p[1] for p in sample])["exact"] >= m["test_exact_beam"] - 0.02
    assert recipe.majority_answer([dates.iso(dates.date_at(k)) for k in dates.split().train]) == \
        meta["baseline"]["answer"]


def test_manifest_entry_and_size(shipped):
    model, meta = shipped
    assert pretrained.architectures()["Seq2Seq"] is Seq2Seq and meta["arch"]["class"] == "Seq2Seq"
    assert meta["bytes"] <= 2_000_000 and meta["parameters"] == model.count_parameters()
    assert meta["check"] == {"metric": "test_exact_greedy", "tolerance": recipe.TOLERANCE}
    assert meta["command"] == "python -m rnnviz.train dates" and meta["minutes"] > 0
    assert model.target[:3] == ["<pad>", BOS, EOS]


def test_recipe_is_deterministic_in_a_few_steps():
    a, info = recipe.build(log=lambda *_: None, steps=6, batch=16, hidden_size=16, embed_size=8, beam_width=2)
    b, _ = recipe.build(log=lambda *_: None, steps=6, batch=16, hidden_size=16, embed_size=8, beam_width=2)
    for (k, x), (_, y) in zip(a.state_dict().items(), b.state_dict().items()):
        assert torch.equal(x, y), k
    assert set(info["metrics"]) >= {"test_exact_greedy", "test_exact_beam", "majority_exact"}
    assert math.isclose(info["metrics"]["chance_exact"], 1 / dates.DAYS)


def test_the_lesson_reads_checks_and_answers(shipped):
    model, _ = shipped
    r = lesson.read(model, "Saturday, November 21st 2026", 3)
    assert r.states.shape == (28, model.hidden_size) and np.array_equal(r.c, r.states[-1])
    assert r.greedy.text == "2026-11-21" == r.beam.text
    assert ("ok", "Greedy wrote 2026-11-21: right.") in words.notes(r)
    feb = lesson.read(model, "february 30 2026", 3)
    assert any("not a real date: February 2026 has no day 30" in n for _, n in words.notes(feb))
    junk = lesson.read(model, "hello world", 3)
    assert "not a date in any of the forms" in words.notes(junk)[0][1] and len(junk.greedy.tokens) >= 1
    wrong_day = lesson.read(model, "monday, november 21 2026", 3)
    assert any("2026-11-21 is a Saturday" in n for _, n in words.notes(wrong_day))
    assert any("the date decides: greedy writes it." in n for _, n in words.notes(wrong_day))   # computed: it does
    prep = lesson.prepare(model, "  21\x07 nov 2026😀 ")
    assert prep.text == "21 nov 2026😀" and prep.control and "U+0007" in " ".join(prep.messages())
    assert "never saw" in " ".join(prep.messages()) and lesson.prepare(model, "x" * 1000).cut == 940
    index, why = words.answer(model)
    out = decoding.greedy(model, decoding.encode(model, words.QUESTION_INPUT)).text
    assert f"**{out}**" in why and (index == 0) == (out == "2026-02-30")
    assert [t for t, _ in words.equations(model)][1] == "c = h_T"


def test_the_presets_notes_hold_for_the_shipped_model(shipped):
    """What the "What to try" notes say about the shipped model (a retrained model that behaves otherwise
    fails here instead of leaving a wrong note on the page)."""
    model, _ = shipped
    out = {p[1]["date"]: lesson.read(model, p[1]["date"], p[1].get("width", 3)) for p in words.PRESETS}
    assert out["03/04/2026"].greedy.text == "2026-03-04" == out["04.03.2026"].greedy.text
    c1, c2 = out["03/04/2026"].c, out["04.03.2026"].c
    other = lesson.read(model, "09/10/1950", 3).c
    assert np.linalg.norm(c1 - c2) < np.linalg.norm(c1 - other)           # the same date ends in a closer c
    zero = out["00"]
    assert zero.beam.text != zero.greedy.text and zero.beam.logp > zero.greedy.logp
    assert dates.check_iso(zero.greedy.text).problem and dates.check_iso(zero.beam.text).problem is None
    assert out["february 30 2026"].parsed.problem


def test_each_output_step_is_named_by_its_place_in_the_answer(shipped):
    """Issue 20 (wrong 3): the reveal said "the day's last digit" while reading the day's first. Now the step
    is found (the least sure one) and named from its position in YYYY-MM-DD."""
    model, _ = shipped
    assert [lesson.slot("2026-02-30", k) for k in (0, 3, 4, 5, 8, 9, 10)] == [
        "the year's first digit", "the year's last digit", "the first “-”", "the month's first digit",
        "the day's first digit", "the day's second digit", "the end symbol"]
    assert lesson.slot("000-05-07", 5) == "step 6"                 # not of the ISO shape: named by number
    g = decoding.greedy(model, decoding.encode(model, words.QUESTION_INPUT))
    chosen = [g.probs[k][t] for k, t in enumerate(g.tokens)]
    k, name, shown = lesson.least_sure(model, g)
    assert k == int(np.argmin(chosen)) and shown[0][1] == pytest.approx(max(g.probs[k]))
    assert name == lesson.SLOTS[k] and g.text[k] == shown[0][0]
    _, why = words.answer(model)
    assert f"Its least sure step was step {k + 1}, {name}, where it weighed {words.weighed(shown)}." in why
    assert (k, name) == (8, "the day's first digit")                # what the reveal says today
    said = words.decoder_said(model, g)
    assert said.startswith(f"The decoder wrote {g.text} in {len(g.tokens)} steps") and f"step {k + 1}" in said
    assert [words.share(p) for p in (0.9996, 0.996, 0.5, 0.004, 0.0001)] == [">99.9%", "99.6%", "50%", "0.4%", "<0.1%"]


def test_context_distances_are_measured_with_another_date_as_control(shipped):
    """Issue 20 (wrong 5): the page no longer says c "ends up much the same because it must"; it measures."""
    model, _ = shipped
    pairs = lesson.context_pairs(model, "03/04/2026")
    c = lambda t: decoding.encode(model, t).states[-1]                         # noqa: E731
    assert [(x.a, x.b, x.differs) for x in pairs] == [
        ("03/04/2026", "4 march 2026", "the form"), ("03/04/2026", "2026-03-04", "the form"),
        ("03/04/2026", "03/05/2026", "the date"), ("4 march 2026", "5 march 2026", "the date"),
        ("2026-03-04", "2026-03-05", "the date")]
    for x in pairs:
        a, b = c(x.a), c(x.b)
        assert x.distance == pytest.approx(np.linalg.norm(a - b) / ((np.linalg.norm(a) + np.linalg.norm(b)) / 2))
        assert x.right
    # the measurements, to two decimals
    assert [round(x.distance, 2) for x in pairs] == [0.31, 0.70, 0.35, 0.29, 0.45]
    said = words.context_said(pairs)
    assert "One date in two forms: 0.50 on average (0.31–0.70)" in said
    assert "two dates, one day apart, in one form: 0.36 (0.29–0.45)" in said
    assert "moves more with how the date is written than with which date it is" in said
    assert "reads the right date out of every one of them" in said
    assert lesson.context_pairs(model, "february 30 2026") == [] == lesson.context_pairs(model, "hello")
    last = lesson.context_pairs(model, "31 december 2099")                  # no next day: the day before
    assert ("31 december 2099", "30 december 2099", "the date") in [(x.a, x.b, x.differs) for x in last]
    us = [(x.a, x.b) for x in lesson.context_pairs(model, "12/31/2099")]                  # typed in a reference form:
    assert len(us) == len(set(us)) == 5                                                     # no pair twice
    assert len(dates.all_styles()) == 594 and dates.style_of("Saturday, November 21st 2026", dt.date(2026, 11, 21))
