"""Issue 20, Surname → language: the page's sentences about the shipped model and its data, computed here
(docs/claims/lessons-c.md). tests/topics/surname/test_surname.py holds the Kowalski, Martin and Mc notes."""
from __future__ import annotations

import numpy as np
import pytest

from rnnviz import pretrained
from rnnviz.topics.surname import data as surnames
from rnnviz.topics.surname import figures as figs
from rnnviz.topics.surname import compute as lesson
from rnnviz.topics.surname import words


@pytest.fixture(scope="module")
def shipped():
    surnames.fetch()
    model, meta = pretrained.load("surname")
    return model, meta, lesson.BigramNB.from_json(meta["baseline"]["counts"])


def test_the_schmidt_note(shipped):
    """It said "German only late … watch the leader change as “sch” and then “dt” arrive": German leads from
    the second letter, is surest at “schm” and loses confidence as “idt” arrives."""
    model, _, nb = shipped
    label, controls, note = words.PRESETS[0]
    assert controls == {"name": "Schmidt"} and "surest halfway" in label
    r = lesson.read(model, nb, "schmidt")
    assert [t for t, _, _ in r.story()] == [1, 2] and r.story()[1][1] == "German"          # once, after “sc”
    german = r.probs[:, r.classes.index("German")]
    assert int(np.argmax(german)) == 3 and r.text[:4] == "schm"                              # its peak: “schm”
    assert german[-1] < german[3] - 0.2 and r.top(1)[0][0] == "German"                      # lower, still first
    assert "after “sc”" in note and "peak at “schm”" in note and "fall as “idt” arrives" in note


def test_nakamura_is_none_of_its_languages(shipped):
    model = shipped[0]
    assert "Japanese" not in model.classes and len(model.classes) == 17
    r = lesson.read(model, shipped[2], "nakamura")
    assert r.probs[-1].sum() == pytest.approx(1.0)                                           # the whole vote


def test_the_proportions_caption(shipped):
    model, meta, _ = shipped
    classes, support = list(model.classes), meta["evaluation"]["test_support"]
    said = words.proportions_caption(classes, support, meta["metrics"]["majority_accuracy"])
    assert "(22% are Polish)" in said and "scores its share, 22%" in said and "1 in 17 balanced" in said
    assert meta["metrics"]["majority_accuracy"] == pytest.approx(max(support) / sum(support), abs=1e-4)
    split = surnames.split()
    for lang, n in zip(classes, support):                     # "a fixed share of … names in no other list"
        own = [x for x in surnames.languages()[lang] if x not in split.ambiguous]
        assert n == round(surnames.TEST_SHARE * len(own)), lang
    assert "a fixed share of each language's names that are in no other list" in said


def test_the_mixups_caption_is_the_confusion_matrixs_own(shipped):
    model, meta, _ = shipped
    classes, m = list(model.classes), np.array(meta["evaluation"]["gru"]["confusion"])
    top = lesson.mixups(classes, m.tolist())
    off = m + m.T
    np.fill_diagonal(off, 0)
    assert top[0][2] == off.max() and [k for *_, k in top] == sorted(np.triu(off).ravel())[::-1][:3]
    said = words.mixups_caption(classes, m.tolist())
    assert f"{top[0][0]} and {top[0][1]} ({top[0][2]} test names, either way)" in said
    assert "Russian and Ukrainian" not in said or ("Russian", "Ukrainian") in {(a, b) for a, b, _ in top}


def test_the_how_to_read_caption_matches_the_chart(shipped):
    """HOW_TO_READ: % written from 5 % up; the leader named where it changes, "·" where it does not."""
    model, _, nb = shipped
    r = lesson.read(model, nb, "schmidt")
    fig = figs.trajectory(r.text, r.classes, r.probs, r.order("likeliest"), r.known, "t")
    heat = fig.data[0]
    z, labels = np.asarray(heat.z, dtype=float), np.asarray(heat.text, dtype=object)
    assert figs.SHOW_PERCENT == 0.05 and "5 % or more" in words.HOW_TO_READ
    assert all((lab != "") == (p >= 0.05) for p, lab in zip(z.ravel(), labels.ravel()))
    tops = [a.text for a in fig.layout.annotations if a.text in (*r.classes, "·")]
    assert tops == ["Dutch", "German", "·", "·", "·", "·", "·"]


def test_the_data_note(shipped):
    langs = surnames.languages()
    assert "abbas" in langs["Swedish"] and "nguyen" in langs["English"]
    meta = shipped[1]
    assert {"en_US.last_names", "en_GB.last_names", "en_NZ.last_names"} <= set(meta["data"]["languages"]["English"]["locales"])
    assert all("romanized" in loc for loc in meta["data"]["languages"]["Chinese"]["locales"])


def test_the_sentences_under_the_charts_follow_the_model(shipped):
    """Issue 22: a person's sentence under the letter-by-letter chart and the top-5 bars, numbers from the model."""
    model, _, nb = shipped
    r = lesson.read(model, nb, "schmidt")
    p = r.probs[-1]
    lead = r.classes[int(np.argmax(p))]
    assert words.trajectory_said(r) == (f"After the last letter of “schmidt” the model's answer is {lead}, at "
                                        f"{p.max():.0%}; its leader changed once on the way.")
    (a, pa), (b, pb) = r.top(2)
    assert words.top_said(r) == f"The model puts {a} first at {pa:.0%}, {100 * (pa - pb):.0f} points ahead of {b} ({pb:.0%})."
    assert words.top_said(r, baseline=True).startswith("The bigram baseline puts ")
