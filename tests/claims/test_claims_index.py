"""docs/CLAIMS.md and the claim lists it names: every page of the app has its section of claims (each claim
with the test that holds it), every list the index names exists, and every test a document (or a comment in
the code) names exists, so renaming, moving or deleting a test cannot silently orphan a claim.

The citations are read from every document that cites tests: the claim lists (docs/claims/*.md), the index,
docs/SECURITY.md, docs/DEPLOY.md and the README. A citation is a path, `tests/…/test_x.py`, or a path with the
test, `tests/…/test_x.py::test_name` (the test must be a function of that file)."""
from __future__ import annotations

import ast
import re

from kit import ROOT
from rnnviz import ui

DOCS = ROOT / "docs"
CITING = [*sorted((DOCS / "claims").glob("*.md")), DOCS / "CLAIMS.md", DOCS / "SECURITY.md", DOCS / "DEPLOY.md",
          ROOT / "README.md"]
CITATION = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`")
EXAMPLE = ("tests/file.py", "test_name")            # lessons-c.md's own example of the form


def cited(path) -> set[tuple[str, str]]:
    """(test file, test name or "") for every citation in the document at `path`."""
    return set(CITATION.findall(path.read_text())) - {EXAMPLE}


def sections() -> set[str]:
    """The page titles the claim lists have a section for ('## Gradient lab (`pages/…`)' → 'Gradient lab')."""
    found = set()
    for path in (DOCS / "claims").glob("*.md"):
        for line in path.read_text().splitlines():
            if line.startswith("## "):
                found.add(re.sub(r"\s*\(.*$", "", line[3:]).strip())
    return found


def test_every_page_has_its_claims():
    titles = {"Home"} | {lesson.title for lesson in ui.LESSONS}
    titles = {"BPTT" if t == "Backpropagation through time" else t for t in titles}
    missing = titles - sections()
    assert not missing, f"pages with no section in docs/claims/*.md: {sorted(missing)}"


def test_the_index_names_lists_that_exist():
    index = (DOCS / "CLAIMS.md").read_text()
    named = re.findall(r"\]\((claims/[\w-]+\.md)\)", index)
    assert named and all((DOCS / n).is_file() for n in named)
    assert set(named) == {f"claims/{p.name}" for p in (DOCS / "claims").glob("*.md")}


def test_every_test_a_document_names_exists():
    missing = []
    for doc in CITING:
        for path, name in sorted(cited(doc)):
            file = ROOT / path
            if not file.is_file():
                missing.append(f"{doc.relative_to(ROOT)}: {path} (no such file)")
                continue
            functions = {n.name for n in ast.walk(ast.parse(file.read_text())) if isinstance(n, ast.FunctionDef)}
            if name and name not in functions:
                missing.append(f"{doc.relative_to(ROOT)}: {path}::{name}")
    assert not missing, "\n".join(missing)


def test_every_test_file_the_code_names_exists():
    """Comments and docstrings of the app, the bench and the settings name test files by path
    (`tests/ui/test_cache_budget.py adds them up`): each exists."""
    sources = [*(ROOT / "rnnviz").rglob("*.py"), *(ROOT / "bench").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py", ROOT / "serve.py", ROOT / "Makefile",
               ROOT / "Dockerfile", ROOT / ".streamlit" / "config.toml"]
    missing = sorted({f"{src.relative_to(ROOT)}: {path}" for src in sources if src.is_file()
                      for path in re.findall(r"\btests/[\w/]+\.py\b", src.read_text(errors="replace"))
                      if not (ROOT / path).is_file()})
    assert not missing, "\n".join(missing)


def test_each_claim_list_names_its_tests():
    """Each list holds its pages' claims with a test for each (the counts when the lists were written)."""
    named = {p.name: {c for c in cited(p) if c[1]} for p in (DOCS / "claims").glob("*.md")}
    assert len(named["lessons-a.md"]) > 100
    assert len(named["lessons-c.md"]) > 80
    assert len(named["demos-b.md"]) > 60


def test_the_claims_list_covers_the_three_pages():
    text = (DOCS / "claims" / "lessons-a.md").read_text()
    for page in ("pages/3_Gradient_lab.py", "pages/2_BPTT.py", "pages/1_Unfolded_RNN.py"):
        assert f"(`{page}`)" in text
