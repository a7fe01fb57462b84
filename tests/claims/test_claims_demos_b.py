"""Claims on the demo pages (Architectures, Sentiment, Tagging, Date translation, Forecasting) that no other test
holds: each test names the sentence it holds, computes the fact from the shipped model or the data, and fails
when a retrained model or a changed text would make the page say something untrue. The full list of claims
and the test holding each is docs/claims/demos-b.md (issue 20)."""
from __future__ import annotations

import numpy as np
import pytest

from rnnviz import pretrained


# ----- Sentiment ------------------------------------------------------------------------------------------
def test_sentiment_the_same_word_moves_the_verdict_differently_in_different_places():
    """MOVERS_NOTE: "The same word can move the verdict differently in different places"."""
    from rnnviz.topics.sentiment import compute as lesson
    from rnnviz.topics.sentiment import words as text

    model, _ = pretrained.load("sentiment")
    r = lesson.read_text(model, "The actors are wonderful, but the story is a dull, tedious mess.")
    the = [d for w, d in zip(r.words, r.delta) if w == "the"]
    assert len(the) == 2 and np.sign(the[0]) != np.sign(the[1])                 # −10 and +3 points today
    assert "The same word can move the verdict differently" in text.MOVERS_NOTE


def test_sentiment_data_note_split_and_threshold():
    """DATA: "a tenth of them for validation … and a tenth for the test"; "closer to 0 than 0.5 are left out"."""
    from rnnviz.topics.sentiment import data as vader
    from rnnviz.topics.sentiment import words as text

    for name in ("sentiment", "sentiment_no_not"):
        h = pretrained.meta(name)["hyper"]
        assert h["val_share"] == h["test_share"] == 0.1 and h["min_count"] == 2
    assert vader.THRESHOLD == 0.5 and "closer to 0 than 0.5" in text.DATA and "a tenth" in text.DATA


# ----- Tagging --------------------------------------------------------------------------------------------
def test_tagging_both_taggers_read_the_same_inputs_and_are_trained_apart():
    """The caption: "Both taggers read the same inputs (vocabulary, word endings, shapes) … trained apart"."""
    uni, mu = pretrained.load("tagger")
    bi, mb = pretrained.load("tagger_bi")
    assert uni.tokens == bi.tokens and uni.suffixes == bi.suffixes and uni.hidden_size == bi.hidden_size
    assert {k for k in mu["hyper"] if mu["hyper"][k] != mb["hyper"][k]} == {"bidirectional"}
    assert not all(np.allclose(a, b) for a, b in zip(uni.state_dict().values(), bi.state_dict().values())
                   if a.shape == b.shape)


# ----- Date translation -----------------------------------------------------------------------------------
def test_dates_encoder_colours_red_positive_blue_negative():
    """ENCODER_NOTE: "(red: positive, blue: negative)": the signed scale runs from blue (−1) to red (+1)."""
    import plotly.colors

    from rnnviz.shared.style import SIGNED_SCALE
    from rnnviz.topics.dates import words

    scale = plotly.colors.get_colorscale(SIGNED_SCALE)
    (lo_r, _, lo_b), (hi_r, _, hi_b) = (plotly.colors.unlabel_rgb(plotly.colors.convert_colors_to_same_type(c)[0][0])
                                        for c in (scale[0][1], scale[-1][1]))
    assert lo_b > lo_r and hi_r > hi_b
    assert "red: positive, blue: negative" in words.ENCODER_NOTE


def test_dates_the_model_never_saw_an_impossible_date_and_the_held_out_dates_are_apart():
    """The question: "February 30 does not exist, and the model has never seen it"; the data note: the held-out
    dates are "held out whole"."""
    from rnnviz.topics.dates import data as dates

    split = dates.split(pretrained.meta("dates")["data"].get("split_seed", dates.SPLIT_SEED))
    assert not set(split.train) & (set(split.validation) | set(split.test))
    assert all(dates.check_iso(dates.iso(dates.date_at(k))).problem is None for k in (0, 59, 60, dates.DAYS - 1))
    assert dates.date_at(59).isoformat() == "1900-03-01"          # 1900 is no leap year: no 29th, let alone 30th


# ----- Forecasting ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["sunspots", "co2"])
def test_forecasting_training_years_flatter_the_model(name):
    """notes(): forecasts of training-year targets "flatter it"; the held-out tail is the honest test."""
    assert pretrained.meta(name)["metrics"]["train_rmse_1"] < pretrained.meta(name)["metrics"]["rmse_1"]


@pytest.mark.parametrize("name", ["sunspots", "co2"])
def test_forecasting_horizon_note_counts_the_forecasts(name):
    """horizon_note: every horizon averages the same number of forecasts (the old text said it shrank)."""
    from rnnviz.topics.forecast import compute, words

    model, meta = pretrained.load(name)
    s = compute.Series.from_meta(meta)
    c = compute.horizon_curve(model, s, meta["hyper"]["max_horizon"])
    said = words.horizon_note(c, s)
    assert len(set(c.origins)) == 1 and f"the same {c.origins[0]} forecasts' worth at every horizon" in said
    assert c.origins[0] == s.n - s.n_train                                    # one per held-out value
    assert "shrinks" not in said


def test_sentiment_validation_chose_the_epoch_and_the_presets_are_test_sentences():
    """"Validation accuracy 80.1% (it chose the epoch)"; the "Two held-out reviews" / "A held-out review it gets
    wrong" presets are test sentences ("Test sentences it never saw")."""
    from rnnviz.topics.sentiment import data as vader
    from rnnviz.topics.sentiment import recipe

    for name in ("sentiment", "sentiment_no_not"):
        meta = pretrained.meta(name)
        vals = [h["val_accuracy"] for h in meta["history"]]
        assert meta["metrics"]["val_accuracy"] == max(vals) and meta["epoch"] == vals.index(max(vals)) + 1
        h = meta["hyper"]
        tr, va, te = recipe.split(vader.labelled("movie"), h["val_share"], h["test_share"], h["split_seed"])
        test_texts = {t for t, _, _ in te}
        assert all(x["text"] in test_texts for x in meta["examples"].values())
        assert not test_texts & {t for t, _, _ in tr + va}


def test_tagging_never_learned_means_seen_at_most_once_and_its_shares_are_recomputed():
    """HOW_TO_READ / the caption: "never learned (seen at most once in training)"; "4.2% of the held-out tokens";
    the unknown-word accuracies the baseline note compares."""
    from rnnviz.topics.tagging import data as tagging
    from rnnviz.topics.tagging.compute import MostFrequentTag, accuracy
    from rnnviz.topics.tagging import recipe

    uni, mu = pretrained.load("tagger")
    bi, mb = pretrained.load("tagger_bi")
    assert mu["hyper"]["min_count"] == mb["hyper"]["min_count"] == 2
    train, test = tagging.split()
    known = set(uni.tokens[2:])
    mask = [[w.lower() not in known for w in ws] for ws, _ in test]
    truth = [t for _, t in test]
    m = mu["metrics"]
    assert sum(map(sum, mask)) / sum(map(len, truth)) == pytest.approx(m["test_unknown_share"], abs=6e-5)
    base = MostFrequentTag.fit(train)
    assert accuracy(truth, [base.tag(w) for w, _ in test], mask) == pytest.approx(m["baseline_unknown_accuracy"],
                                                                                  abs=6e-5)
    for model, meta in ((uni, mu), (bi, mb)):
        assert accuracy(truth, recipe.predict(model, test), mask) == pytest.approx(
            meta["metrics"]["test_unknown_accuracy"], abs=6e-5)


def test_sentiment_is_trained_on_the_verdict_after_the_last_word_only():
    """Intro and the expander: "trained only on that final verdict". recipes/sentiment.py's loss is the cross-entropy
    of model.last_logits(ids, lengths): that is the read-out after each sentence's last word, nothing else."""
    import inspect

    import torch

    from rnnviz.topics.sentiment import recipe

    model, _ = pretrained.load("sentiment")
    ids = torch.tensor([[5, 7], [9, 0], [11, 0]])                         # (T, B): lengths 3 and 1, padded
    lengths = torch.tensor([3, 1])
    full, _ = model(ids)
    assert torch.allclose(model.last_logits(ids, lengths), torch.stack([full[2, 0], full[0, 1]]), atol=1e-6)
    assert "cross_entropy(model.last_logits(ids, lengths), y)" in inspect.getsource(recipe.fit)


def test_dates_no_greedy_test_answer_is_an_impossible_date():
    """"Answers that are not real dates, among its 2,000 greedy test answers: 0"."""
    from rnnviz.topics.dates import data as dates
    from rnnviz.topics.dates import decoding

    model, meta = pretrained.load("dates")
    test = dates.held_out("test", meta["data"]["split_seed"])
    answers = decoding.greedy_batch(model, [t for t, _, _ in test])
    assert len(answers) == meta["data"]["sizes"]["test"] == 2000
    assert sum(dates.check_iso(a).problem is not None for a in answers) == meta["metrics"]["test_invalid_dates"] == 0
