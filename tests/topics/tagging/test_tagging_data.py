"""The tagging data: the Penn → universal mapping, the tokenizer shared by the corpus and the page, the
sentence extraction, the held-out split by work, and the most-frequent-tag baseline recomputed by hand."""
from __future__ import annotations

import collections

import pytest

from rnnviz.shared import shakespeare
from rnnviz.topics.tagging import data as tagging
from rnnviz.topics.tagging.compute import MostFrequentTag, accuracy

needs_data = pytest.mark.skipif(not tagging.corpus_path().exists(), reason="run `make data` first")


def test_every_penn_tag_maps_to_one_of_the_12_universal_tags():
    assert len(tagging.TAGS) == 12 == len(set(tagging.TAGS))
    assert set(tagging.PENN_TO_UNIVERSAL.values()) <= set(tagging.TAGS)
    assert set(tagging.TAG_MEANING) == set(tagging.TAGS)
    cases = {"NN": "NOUN", "NNPS": "NOUN", "MD": "VERB", "VBZ": "VERB", "JJR": "ADJ", "WRB": "ADV", "PRP$": "PRON",
             "DT": "DET", "WDT": "DET", "IN": "ADP", "CD": "NUM", "CC": "CONJ", "TO": "PRT", "POS": "PRT",
             ",": "PUNCT", "UH": "X", "not-a-tag": "X"}
    assert {p: tagging.universal(p) for p in cases} == cases


def test_tokenizer_keeps_elisions_and_splits_marks():
    assert tagging.tokenize("Shark'd up a list -- in't, e'en so!") == \
        ["Shark'd", "up", "a", "list", "--", "in't", ",", "e'en", "so", "!"]
    assert tagging.tokenize("<script>alert(1)</script>")[:3] == ["<", "script", ">"]


def test_sentences_drop_speakers_directions_and_cut_at_full_stops():
    play = "Ber.\nWho's there?\n\n[Enter Ghost.]\n\nFran.\nNay, answer me: stand,\nand unfold yourself.\n"
    assert tagging.sentences(play) == [["Who's", "there", "?"], ["Nay", ",", "answer", "me", ":", "stand", ",", "and", "unfold",
                                        "yourself", "."]]
    assert all(tagging.MIN_TOKENS <= len(s) <= tagging.MAX_TOKENS for s in tagging.sentences(play))


@needs_data
def test_split_is_by_work_with_hamlet_and_macbeth_held_out():
    works = tagging.works()
    assert set(works) == set(shakespeare.works())
    train, test = tagging.split()
    assert len(test) == sum(len(works[w]) for w in tagging.HELD_OUT) > 2000
    assert len(train) + len(test) == sum(map(len, works.values()))
    assert test[0] == works[tagging.HELD_OUT[0]][0]
    for words, tags in train[:2000] + test:
        assert len(words) == len(tags) and set(tags) <= set(tagging.TAGS)
        assert tagging.MIN_TOKENS <= len(words) <= tagging.MAX_TOKENS


@needs_data
def test_baseline_equals_a_count_by_hand():
    train, test = tagging.split()
    counts = collections.defaultdict(collections.Counter)
    for words, tags in train:
        for w, t in zip(words, tags):
            counts[w.lower()][t] += 1
    overall = collections.Counter(t for _, tags in train for t in tags)
    right = total = 0
    for words, tags in test:
        for w, t in zip(words, tags):
            c = counts.get(w.lower())
            guess = overall.most_common(1)[0][0] if c is None else \
                max(c, key=lambda k: (c[k], overall[k]))
            right += guess == t
            total += 1
    base = MostFrequentTag.fit(train)
    assert base.default == "NOUN"
    assert accuracy([t for _, t in test], [base.tag(w) for w, _ in test]) == pytest.approx(right / total)
