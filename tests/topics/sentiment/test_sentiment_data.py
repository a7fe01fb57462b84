"""The sentiment data: the pinned vaderSentiment sdist, the tar inside it, its encodings, and the binary
labels (|mean rating| ≥ 0.5, positive above 0)."""
from __future__ import annotations

import sys

import pytest

from rnnviz.data import registry
from rnnviz.topics.sentiment import data as vader


@pytest.fixture(scope="module", autouse=True)
def fetched():
    vader.fetch()             # set-up step (make data); a no-op once the verified archive is cached


def test_the_archive_is_the_pinned_one_and_the_package_is_never_imported():
    assert registry.sha256(vader.archive_path()) == vader.SHA256
    assert "vaderSentiment" not in sys.modules


def test_movie_sentences_are_all_there_in_utf8():
    rows = vader.snippets("movie")
    assert len(rows) == 10_605                                        # as the paper's README says
    assert [r.id for r in rows[:3]] == ["1", "2", "3"] and rows[-1].id == "10605"
    assert all(-4 <= r.score <= 4 for r in rows)
    assert not any("\r" in r.text or "\t" in r.text for r in rows)
    assert any("clichés" in r.text for r in rows)                     # UTF-8, not mojibake
    assert rows[2] == vader.Snippet("3", -0.6, "Effective but too tepid biopic")


def test_binary_labels_drop_the_undecided():
    kept = vader.labelled("movie")
    assert len(kept) == 10_072 and sum(y for _, y, _ in kept) == 4_996
    assert all(abs(s) >= 0.5 and y == int(s > 0) for _, y, s in kept)
    dropped = [r for r in vader.snippets("movie") if abs(r.score) < 0.5]
    assert len(dropped) == 10_605 - 10_072


@pytest.mark.parametrize("name, n", [("tweets", 4_200), ("amazon", 3_708), ("nyt", 5_190)])
def test_other_collections(name, n):
    assert len(vader.snippets(name)) == n


def test_lexicon_is_latin1_with_valences():
    lex = vader.lexicon()
    assert lex["good"] == 1.9 and lex["bad"] == -2.5 and lex["great"] == 3.1
    assert ":-\u00de" in lex                                          # the byte 0xDE read as Þ (Latin-1)
    assert "not" not in lex                                           # negation is a rule in VADER, not a word
    assert len(lex) == 7_502                                          # 7,517 lines, 15 tokens listed twice


def test_unknown_collection_is_a_clear_error():
    with pytest.raises(ValueError, match="collection must be one of"):
        vader.snippets("imdb")
