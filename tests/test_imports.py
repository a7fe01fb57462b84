"""The wall between core and UI: only rnnviz/ui and the topics' views (rnnviz/topics/*/view*.py) may import streamlit.

The core must run (and be tested, trained, benchmarked) without streamlit. Modules are discovered,
not listed, so a module added later is covered without touching this file.
"""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORE = REPO / "rnnviz"
UI = CORE / "ui"

# Runs in a fresh interpreter: walk rnnviz/ without entering rnnviz.ui (pkgutil.walk_packages would
# import every package it finds, ui included), import each module, and report which one pulled in
# streamlit. A module that fails only because a sibling it imports is not written yet is skipped.
PROBE = r"""
import importlib, json, pkgutil, sys

def walk(path, prefix):
    for info in pkgutil.iter_modules(path, prefix):
        if info.name == "rnnviz.ui" or info.name.startswith("rnnviz.ui."):
            continue
        if info.name.startswith("rnnviz.topics.") and info.name.rsplit(".", 1)[1].startswith("view"):
            continue
        yield info.name
        if info.ispkg:
            pkg = importlib.import_module(info.name)
            yield from walk(pkg.__path__, info.name + ".")

import rnnviz
report = {"imported": ["rnnviz"], "skipped": {}, "culprit": None}
for name in ["rnnviz.cells", "rnnviz.tasks", *walk(rnnviz.__path__, "rnnviz.")]:
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as e:
        if not (e.name or "").startswith("rnnviz"):
            raise
        report["skipped"][name] = str(e)
        continue
    report["imported"].append(name)
    if "streamlit" in sys.modules and report["culprit"] is None:
        report["culprit"] = name
print(json.dumps(report))
"""


def run_probe(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)


def test_importing_the_core_does_not_import_streamlit():
    proc = run_probe(PROBE)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert {"rnnviz.cells", "rnnviz.tasks"} <= set(report["imported"]), report
    assert not any(name.startswith("rnnviz.ui") for name in report["imported"])
    assert report["culprit"] is None, f"{report['culprit']} imports streamlit (directly or through a dependency)"


def test_the_probe_would_notice_streamlit():
    """Control: the same check does see streamlit once rnnviz.ui is imported."""
    proc = run_probe("import sys, rnnviz.tasks, rnnviz.ui; print('streamlit' in sys.modules)")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "True"


def streamlit_imports(path: Path) -> list[int]:
    """Line numbers of `import streamlit...` / `from streamlit... import` anywhere in the file."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "streamlit" for a in node.names):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "streamlit":
            lines.append(node.lineno)
    return lines


def is_view(path: Path) -> bool:
    """A topic's view module: rnnviz/topics/<topic>/view*.py."""
    return path.parent.parent == CORE / "topics" and path.name.startswith("view")


def test_no_core_file_mentions_an_import_of_streamlit():
    core_files = [p for p in sorted(CORE.rglob("*.py")) if UI not in p.parents and not is_view(p)]
    assert {"cells.py", "tasks.py"} <= {p.name for p in core_files}
    offenders = {str(p.relative_to(REPO)): lines for p in core_files if (lines := streamlit_imports(p))}
    assert offenders == {}, f"only rnnviz/ui and the topics' views may import streamlit: {offenders}"
    # Control: the scanner does find the UI's imports.
    assert streamlit_imports(UI / "__init__.py")
