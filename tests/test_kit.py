"""The shared test helpers (tests/kit/) do what the tests rely on: screenshots never overwrite another test's,
and a damaged copy of the weights is damaged as asked while the shipped weights stay untouched."""
from __future__ import annotations

import json
import os
import time

import pytest

from kit import browser, pretrained as weights
from rnnviz import pretrained


def test_a_screenshot_is_named_by_its_module_and_owned_by_one_test(monkeypatch, tmp_path):
    monkeypatch.setattr(browser, "ARTIFACTS", tmp_path)
    monkeypatch.setattr(browser, "_written", {})
    monkeypatch.setenv("RNNVIZ_TEST_RUN_STARTED", str(time.time() - 60))
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "tests/app/test_browser_x.py::test_a[light] (call)")
    out = browser.shot_path("Home")
    assert out == tmp_path / "browser_x-Home.png"
    out.write_bytes(b"png")
    assert browser.shot_path("Home") == out                        # the same test may take it again
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "tests/app/test_browser_x.py::test_a[dark] (call)")
    with pytest.raises(AssertionError, match="both write browser_x-Home.png"):
        browser.shot_path("Home")
    assert browser.shot_path("Home-dark") == tmp_path / "browser_x-Home-dark.png"
    # written in this run by another process (another pytest-xdist worker): refused too
    monkeypatch.setattr(browser, "_written", {})
    with pytest.raises(AssertionError, match="which another test of this run wrote"):
        browser.shot_path("Home")
    monkeypatch.setenv("RNNVIZ_TEST_RUN_STARTED", str(time.time() + 60))    # a file from an earlier run: fine
    assert browser.shot_path("Home") == out
    monkeypatch.delenv("PYTEST_CURRENT_TEST")                       # outside pytest (a bench): the plain name
    assert browser.shot_path("Home") == tmp_path / "Home.png"


def test_a_damaged_copy_is_damaged_as_asked_and_the_shipped_weights_are_not(tmp_path):
    shipped = {name: pretrained.meta(name)["sha256"] for name in pretrained.names()}
    root = weights.damaged_copy(tmp_path / "a", missing=["char_gru"], corrupt=["char_lstm"], unlisted=["dates"])
    manifest = json.loads((root / pretrained.MANIFEST).read_text())
    assert "dates" not in manifest["models"] and (root / "dates.safetensors").is_file()
    assert not (root / "char_gru.safetensors").exists()
    with pytest.raises(pretrained.IntegrityError, match="corrupt"):
        pretrained.load("char_lstm", root=root)
    with pytest.raises(FileNotFoundError, match="missing"):
        pretrained.load("char_gru", root=root)
    model, _ = pretrained.load("surname", root=root)                # the rest is intact
    assert not any(os.path.islink(p) for p in root.iterdir())       # copies: writing here cannot reach pretrained/
    assert list(weights.damaged_copy(tmp_path / "b", empty=True).iterdir()) == []
    assert {name: pretrained.sha256(pretrained.ROOT / pretrained.meta(name)["file"]) for name in shipped} == shipped
