"""docs/claims/lessons-c.md names, for each claim, the test that holds it: every test it names exists."""
from __future__ import annotations

import ast
import pathlib
import re

from kit import ROOT  # noqa: E402


def test_every_test_the_claim_list_names_exists():
    doc = (ROOT / "docs" / "claims" / "lessons-c.md").read_text()
    cited = set(re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", doc)) - {("tests/file.py", "test_name")}
    assert len(cited) > 80
    for path, name in sorted(cited):
        tree = ast.parse((ROOT / path).read_text())
        assert name in {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}, f"{path}::{name}"
