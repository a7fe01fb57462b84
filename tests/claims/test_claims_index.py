"""docs/CLAIMS.md: every page of the app has its section of claims (each claim with the test that holds it),
and every list the index names exists. The lists' own checks (that the tests they name exist) are
test_claims_lessons_a.py, test_claims_demos_b.py and test_words_claims.py."""
from __future__ import annotations

import re
from pathlib import Path

from rnnviz import ui

DOCS = ROOT / "docs"


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
