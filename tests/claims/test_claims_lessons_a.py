"""docs/claims/lessons-a.md names the test that holds each claim of the Unfolded RNN, BPTT and Gradient
lab pages: every test it names must exist, so renaming or deleting one cannot silently orphan a claim."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from kit import ROOT  # noqa: E402
CLAIMS = ROOT / "docs" / "claims" / "lessons-a.md"


def test_every_test_the_claims_list_names_exists():
    named = set(re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", CLAIMS.read_text()))
    assert len(named) > 100
    missing = []
    for path, name in sorted(named):
        tree = ast.parse((ROOT / path).read_text())
        if name not in {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}:
            missing.append(f"{path}::{name}")
    assert not missing, missing


def test_the_claims_list_covers_the_three_pages():
    text = CLAIMS.read_text()
    for page in ("pages/3_Gradient_lab.py", "pages/2_BPTT.py", "pages/1_Unfolded_RNN.py"):
        assert f"(`{page}`)" in text
