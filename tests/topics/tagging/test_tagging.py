"""The taggers: the bidirectional model's per-word output is its two directions' states concatenated and read
out (computed separately), packing changes nothing for one sentence, the manifest's held-out metrics are
recomputed from the shipped weights, and the page's words about "I can can a can" follow the models."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from rnnviz import pretrained
from rnnviz.topics.tagging import data as tagging
from rnnviz.topics.tagging import compute as lesson
from rnnviz.topics.tagging import words as text
from rnnviz.topics.tagging.compute import MostFrequentTag, accuracy
from rnnviz.topics.tagging.model import Tagger
from rnnviz.topics.tagging import recipe

SENTENCE = "The old man the boat , and I can can a can .".split()


@pytest.fixture(scope="module")
def shipped():
    uni, mu = pretrained.load("tagger")
    bi, mb = pretrained.load("tagger_bi")
    return uni, mu, bi, mb


def small(bidirectional: bool, kind: str = "lstm") -> Tagger:
    torch.manual_seed(0)
    return Tagger(kind, ["<pad>", "<unk>", "the", "man"], ["<pad>", "<unk>", "the", "man"], list(tagging.TAGS),
                  6, 3, 5, bidirectional).eval()


@pytest.mark.parametrize("kind", ["lstm", "gru"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_directions_concatenated_and_read_out_equal_the_full_forward_pass(kind, bidirectional):
    model = small(bidirectional, kind)
    fw, bw = lesson.directions(model, SENTENCE)
    assert (bw is None) == (not bidirectional)
    h = fw if bw is None else np.concatenate([fw, bw], 1)                           # (T, H) or (T, 2H)
    logits = h @ model.head.weight.detach().double().numpy().T + model.head.bias.detach().double().numpy()
    with torch.no_grad():
        full = model(model.encode(SENTENCE)[:, None])[:, 0].double().numpy()
    assert np.allclose(logits, full, atol=1e-5)
    if bidirectional:   # the backward state at word t depends on later words; the forward one does not
        changed = SENTENCE[:-2] + ["man", "."]
        fw2, bw2 = lesson.directions(model, changed)
        assert np.allclose(fw2[:-2], fw[:-2]) and not np.allclose(bw2[0], bw[0])


def test_packing_a_padded_batch_gives_each_sentence_its_own_outputs():
    model = small(True)
    a, b = SENTENCE, SENTENCE[:4]
    feats, _, lengths = recipe.batch_of(model, [(a, ["NOUN"] * len(a)), (b, ["NOUN"] * len(b))])
    with torch.no_grad():
        batched = model(feats, lengths)
        alone = model(model.encode(b)[:, None])
    assert torch.allclose(batched[:len(b), 1], alone[:, 0], atol=1e-6)


def test_shipped_models_are_small_and_differ_only_in_direction(shipped):
    uni, mu, bi, mb = shipped
    assert not uni.bidirectional and bi.bidirectional
    assert uni.tokens == bi.tokens and uni.hidden_size == bi.hidden_size
    for name in ("tagger", "tagger_bi"):
        assert (pretrained.ROOT / f"{name}.safetensors").stat().st_size <= 2_000_000


def test_manifest_metrics_are_recomputed_from_the_weights(shipped):
    uni, mu, bi, mb = shipped
    train, test = tagging.split()
    truth = [t for _, t in test]
    base = MostFrequentTag.fit(train)
    for model, meta in ((uni, mu), (bi, mb)):
        m = meta["metrics"]
        assert accuracy(truth, recipe.predict(model, test)) == pytest.approx(m["test_accuracy"], abs=6e-5)
        assert accuracy(truth, [base.tag(w) for w, _ in test]) == pytest.approx(m["baseline_accuracy"], abs=6e-5)
        assert meta["data"]["sha256"] == tagging.sha256()
    assert mb["metrics"]["test_accuracy"] > mu["metrics"]["majority_accuracy"] + 0.5


def test_the_can_note_and_the_reveal_follow_the_models(shipped):
    uni, _, bi, _ = shipped
    r = lesson.read(uni, bi, lesson.tokenize(text.CAN))
    note = text.can_note(r)
    for t in (1, 2, 4):
        assert f"{r.best('bi')[t]} ({r.bi[t].max():.0%})" in note
    assert ("verb throughout" in note) == (r.best("bi")[4] == "VERB")
    answer, why = text.answer(uni, bi)
    w = lesson.read(uni, bi, lesson.tokenize(text.QUESTION_INPUT))
    t = w.words.index("weird")
    assert answer == {(True, False): 0, (False, True): 1, (True, True): 2, (False, False): 3}[
        (w.best("uni")[t] == "ADJ", w.best("bi")[t] == "ADJ")]
    assert f"{w.best('bi')[t]} {w.bi[t].max():.0%}" in why
    cut = lesson.tag_probs(bi, w.words[:t + 1])[t]                     # what reading "sisters ?" added, measured
    adj = w.tags.index("ADJ")
    assert f"took its ADJ from {cut[adj]:.0%} to {w.bi[t][adj]:.0%}" in why


def tags_of(uni, bi, sentence: str) -> dict[str, tuple[str, str]]:
    r = lesson.read(uni, bi, lesson.tokenize(sentence))
    return {w.lower(): (a, b) for w, a, b in zip(r.words, r.best("uni"), r.best("bi"))}


def test_the_preset_notes_say_what_the_shipped_taggers_do(shipped):
    """Each claim in words.PRESETS, against the models (retrain → this test says which note to fix).
    Presets deliberately changed (issue 20): the page opens on "Neither …", the can story is a preset, and no
    preset says what happens to *weird* (the question asks it)."""
    uni, _, bi, _ = shipped
    sentences = {label: o["sentence"] for label, o, _ in text.PRESETS}
    assert list(sentences.values())[0] == text.NEITHER and text.QUESTION_INPUT not in sentences.values()
    assert not any("weird" in note for _, _, note in text.PRESETS)
    assert tags_of(uni, bi, text.NEITHER)["neither"] == ("DET", "CONJ")
    assert set(tags_of(uni, bi, text.CAN).values()) >= {("VERB", "VERB")}           # every can a verb, as textblob
    lady = sentences["The lady protests (Hamlet)"]
    assert tags_of(uni, bi, lady)["protests"] == ("VERB", "NOUN")                      # and learns textblob's slip
    r = lesson.read(uni, bi, lesson.tokenize(lady))
    assert not lesson.ahead(bi, r, 2).changed and lesson.ahead(bi, r, 2).cut[0] == "NOUN"   # "NOUN already"
    jabber = tags_of(uni, bi, sentences["Jabberwocky: words never learned"])
    assert jabber["slithy"] == ("ADJ", "ADJ") and jabber["toves"] == ("NOUN", "NOUN")
    assert "VERB" not in jabber["gyre"] + jabber["gimble"]


def test_the_page_opens_where_reading_ahead_changes_a_tag(shipped):
    """Issue 20: the page opened on "I can can a can.", where both taggers say VERB three times. It opens on a
    held-out line where the bidirectional tagger, given the line only up to the word, says one tag and, given
    all of it, another: reading ahead changed the tag, measured within the one model."""
    uni, _, bi, _ = shipped
    r = lesson.read(uni, bi, lesson.tokenize(text.NEITHER))
    assert r.disagree == [0]
    a = lesson.ahead(bi, r, 0)
    assert a.changed and (a.uni[0], a.cut[0], a.full[0]) == ("DET", "DET", "CONJ")
    assert a.cut[1] == pytest.approx(lesson.tag_probs(bi, ["Neither"])[0].max())
    note = text.ahead_note(bi, r)
    assert note.endswith("reading ahead changed its tag.") and f"CONJ ({a.full[1]:.0%})" in note
    weird = lesson.read(uni, bi, lesson.tokenize(text.QUESTION_INPUT))           # there the ADJ was there before "sisters"
    assert "differ by their own weights" in text.ahead_note(bi, weird)
    assert text.ahead_note(bi, lesson.read(uni, bi, lesson.tokenize(text.CAN))) is None


def test_the_automatic_tags_the_page_quotes():
    """DATA: textblob calls every *can* a verb and *Ay* a noun; the held-out lines' own automatic tags."""
    train, test = tagging.split()
    seen = {}
    for words, tags in train + test:
        for w, t in zip(words, tags):
            seen.setdefault(w.lower(), set()).add(t)
    assert seen["can"] == {"VERB"} and seen["ay"] == {"NOUN"}
    gold = {" ".join(w): dict(zip(w, t)) for w, t in test}
    assert gold[" ".join(lesson.tokenize(text.NEITHER))]["Neither"] == "CONJ"      # the opening line, verbatim
    assert gold["The lady protests too much , methinks ."]["protests"] == "NOUN"


def test_the_baseline_words_follow_the_metrics(shipped):
    _, mu, _, mb = shipped
    said = text.baseline(mu["metrics"], mb["metrics"])
    m, b = mu["metrics"], mb["metrics"]
    assert f"({m['baseline_accuracy']:.1%})" in said
    assert f"by {100 * (m['test_accuracy'] - m['baseline_accuracy']):.1f} points" in said
    assert ("even does a little better" in said) == (m["baseline_unknown_accuracy"] > max(
        m["test_unknown_accuracy"], b["test_unknown_accuracy"]))


def test_prepare_reads_words_and_reports_bad_input(shipped):
    uni = shipped[0]
    assert lesson.prepare(uni, "").messages()[0].startswith("The box is empty")
    p = lesson.prepare(uni, "I 😀 can\x07 <script>alert(1)</script> flibbertigibbetish")
    assert "😀" not in p.words and "flibbertigibbetish" in p.unknown and "<" in p.words
    assert any("left out" in m for m in p.messages()) and any("never learned" in m for m in p.messages())
    long = lesson.prepare(uni, "word " * 20_000)
    assert len(long.words) == lesson.MAX_WORDS and long.cut == 20_000 - lesson.MAX_WORDS
    assert lesson.prepare(uni, "😀\x00").words == [] and "Nothing in the box" in lesson.prepare(uni, "😀").messages()[0]


def test_the_sentence_under_each_taggers_chart(shipped):
    """Issue 22: one sentence a person reads (the least sure word, how many tags the taggers share); every
    word's tag stays in the chart's numbers (tags_said)."""
    uni, _, bi, _ = shipped
    r = lesson.read(uni, bi, tagging.tokenize(text.NEITHER))
    for which, p in (("uni", r.uni), ("bi", r.bi)):
        t = int(np.argmin(p.max(axis=1)))
        said = text.tags_glance(r, which)
        assert f"least sure of “{r.words[t]}” (word {t + 1}): {r.best(which)[t]} at {p[t].max():.0%}" in said
        assert f"the same tag to {len(r.words) - len(r.disagree)} of the {len(r.words)} words" in said
        assert len(said) < len(text.tags_said(r, which))
