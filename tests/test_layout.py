"""The house's layout rules (issue 21; docs/ARCHITECTURE.md says why each holds), checked on the tree itself.

  pages      every page file (app.py, pages/*.py) only calls one topic's view, the topic declaring that file
  topics     every rnnviz/topics/<t>/__init__.py declares TOPIC = Topic(...), and its page file exists
  views      no topic imports another topic's view; a topic may use another's compute, words or figures (a
             later lesson building on an earlier one: GRU vs LSTM reads LSTM inside's words), never both ways
             round (no cycle between topics); what several topics share goes to rnnviz/shared (charlm)
  ui         the framework (rnnviz/ui) imports no topic: it learns about them from rnnviz.catalog
  core       the core (rnnviz/*.py, rnnviz/data) and rnnviz/shared import no topic module and no ui; they
             find the topics through the rnnviz.topics package (names(), submodules()), never by name
  imports    no module-level import in the middle of a module in rnnviz/ (none after code, no `# noqa: E402`)
  tests      test files' basenames are unique across tests/ (pytest imports them by basename)
Streamlit only in rnnviz/ui and the topics' views: tests/test_imports.py holds that rule for rnnviz/; the
pages' part of it is the pages rule here (a page holds nothing but its view's call).

Each checker reads source files only (ast: nothing is imported), takes the repo root and returns the
problems, one line each: the file, what breaks the rule, what to do. The controls at the end run every
checker on a small tree in tmp_path that breaks its rule, so a checker that can no longer fail is noticed.
"""
from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PAGE_TEMPLATE = "from rnnviz.topics.<topic> import view\n\nview.main()"


# ----- reading the tree


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every import anywhere in the file, functions included; `from a.b import c`
    gives both a.b and a.b.c (c may be a module). rnnviz writes absolute imports only: a relative one is
    reported as such (".x"), which no rule accepts as a topic's."""
    out = []
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            out.append((node.lineno, base))
            out += [(node.lineno, f"{base}.{a.name}") for a in node.names if a.name != "*"]
    return sorted(out)


def offending(path: Path, bad) -> list[tuple[int, str]]:
    """(line, the most specific dotted name) of each import statement in `path` for which bad(dotted) holds."""
    found: dict[int, str] = {}
    for line, dotted in imports(path):
        if bad(dotted) and len(dotted) > len(found.get(line, "")):
            found[line] = dotted
    return sorted(found.items())


def topic_names(root: Path) -> list[str]:
    base = root / "rnnviz" / "topics"
    return sorted(d.name for d in base.iterdir() if (d / "__init__.py").is_file()) if base.is_dir() else []


def topic_part(dotted: str, topics: list[str]) -> tuple[str, str] | None:
    """("sentiment", "view") for rnnviz.topics.sentiment.view; ("sentiment", "") for the package itself."""
    parts = dotted.split(".")
    if parts[:2] == ["rnnviz", "topics"] and len(parts) > 2 and parts[2] in topics:
        return parts[2], ".".join(parts[3:])
    return None


def declared_pages(root: Path) -> tuple[dict[str, str], list[str]]:
    """({topic: its page file}, problems) from each topic's `TOPIC = Topic(path=..., ...)`."""
    pages, problems = {}, []
    for topic in topic_names(root):
        init = root / "rnnviz" / "topics" / topic / "__init__.py"
        call = next((node.value for node in parse(init).body if isinstance(node, ast.Assign)
                     and [getattr(t, "id", None) for t in node.targets] == ["TOPIC"]
                     and isinstance(node.value, ast.Call) and getattr(node.value.func, "id", None) == "Topic"), None)
        if call is None:
            problems.append(f"{rel(root, init)}: no `TOPIC = Topic(path=..., title=..., icon=..., group=..., blurb=...)`:"
                            " declare the topic there, once (rnnviz/topics/__init__.py has the class)")
            continue
        path = next((k.value for k in call.keywords if k.arg == "path"), call.args[0] if call.args else None)
        if not (isinstance(path, ast.Constant) and isinstance(path.value, str)):
            problems.append(f"{rel(root, init)}: TOPIC's path is not written out: give it as a string "
                            "(\"pages/<n>_<Title>.py\", or \"app.py\" for Home)")
            continue
        pages[topic] = path.value
    return pages, problems


def is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


# ----- the rules: each returns its problems


def check_topics_declared(root: Path) -> list[str]:
    pages, problems = declared_pages(root)
    owners = defaultdict(list)
    for topic, page in pages.items():
        owners[page].append(topic)
        if not (root / page).is_file():
            problems.append(f"rnnviz/topics/{topic}/__init__.py: its page {page} does not exist: add it "
                            f"({PAGE_TEMPLATE.replace('<topic>', topic)!r}) or fix TOPIC's path")
    problems += [f"{page} is declared by {' and '.join(ts)}: a page belongs to one topic"
                 for page, ts in owners.items() if len(ts) > 1]
    return problems


def check_pages(root: Path) -> list[str]:
    """Every page file only calls its topic's view: `from rnnviz.topics.<t> import view` and `view.main()`."""
    pages, _ = declared_pages(root)
    owner = {page: topic for topic, page in pages.items()}
    topics, problems = topic_names(root), []
    files = [root / "app.py", *sorted((root / "pages").glob("*.py"))]
    for path in (p for p in files if p.is_file()):
        name = rel(root, path)
        body = [node for node in parse(path).body if not is_docstring(node)]
        imported = [(node, topic_part(node.module or "", topics)) for node in body if isinstance(node, ast.ImportFrom)]
        views = [(node, tp[0]) for node, tp in imported if tp and tp[1] == "" and len(node.names) == 1
                 and node.names[0].name.startswith("view")]
        calls = [node for node in body if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
                 and isinstance(node.value.func, ast.Attribute) and node.value.func.attr == "main"
                 and isinstance(node.value.func.value, ast.Name) and not node.value.args]
        if len(views) != 1 or len(calls) != 1 or len(body) != 2:
            extra = [node.lineno for node in body if not any(node is v for v, _ in views) and node not in calls]
            problems.append(f"{name}: a page holds only its docstring, `from rnnviz.topics.<topic> import view` and "
                            f"`view.main()` ({len(views)} view import(s), {len(calls)} main() call(s)"
                            + (f", other code on line(s) {extra}" if extra else "")
                            + "): move the rest into rnnviz/topics/<topic>/view.py")
            continue
        (node, topic), call = views[0], calls[0]
        if call.value.func.value.id != (node.names[0].asname or node.names[0].name):
            problems.append(f"{name}: line {call.lineno} calls main() of something other than the view it imports")
        if owner.get(name) != topic:
            problems.append(f"{name} calls rnnviz/topics/{topic}'s view, but "
                            + (f"rnnviz/topics/{owner[name]} declares it as its page" if name in owner
                               else "no topic declares it as its page")
                            + f": make rnnviz/topics/{topic}/__init__.py's TOPIC path {name!r} and call that view")
        view = root / "rnnviz" / "topics" / topic / f"{node.names[0].name}.py"
        if not view.is_file() or "main" not in {f.name for f in parse(view).body if isinstance(f, ast.FunctionDef)}:
            problems.append(f"{name}: {rel(root, view)} has no `def main()`: the page body goes there, under main()")
    return problems


def check_views_and_cycles(root: Path) -> list[str]:
    """No topic imports another topic's view; the topics' imports of each other form no cycle."""
    topics, problems = topic_names(root), []
    uses: dict[str, dict[str, str]] = defaultdict(dict)        # topic -> {other topic: "file:line"}
    for topic in topics:
        for path in sorted((root / "rnnviz" / "topics" / topic).rglob("*.py")):
            for line, dotted in imports(path):
                tp = topic_part(dotted, topics)
                if tp is None or tp[0] == topic or tp[1] == "":
                    continue
                other, module = tp
                if module.split(".")[0].startswith("view"):
                    problems.append(f"{rel(root, path)}:{line} imports rnnviz/topics/{other}'s view ({dotted}): a view is "
                                    f"its own page's; take what you need from {other}'s compute/figures/words, or "
                                    "move what both pages draw to rnnviz/shared")
                uses[topic].setdefault(other, f"{rel(root, path)}:{line}")
    for a in topics:
        trail = cycle_through(a, uses)
        if trail and a == min(trail):                           # each cycle once, from its first topic
            steps = ", ".join(f"{x} uses {y} ({uses[x][y]})" for x, y in zip(trail, [*trail[1:], a]))
            problems.append(f"topics import each other in a cycle: {steps}: move what they share to rnnviz/shared, "
                            "so that each topic depends only on earlier ones")
    return problems


def cycle_through(start: str, uses: dict[str, dict[str, str]]) -> list[str] | None:
    """A path of topics start -> ... -> (back to) start, following `uses`, or None."""
    stack, seen = [[start]], {start}
    while stack:
        trail = stack.pop()
        for nxt in uses.get(trail[-1], {}):
            if nxt == start:
                return trail
            if nxt not in seen:
                seen.add(nxt)
                stack.append([*trail, nxt])
    return None


def check_ui_imports_no_topic(root: Path) -> list[str]:
    topics, problems = topic_names(root), []
    for path in sorted((root / "rnnviz" / "ui").rglob("*.py")):
        for line, dotted in offending(path, lambda d: topic_part(d, topics)):
            problems.append(f"{rel(root, path)}:{line} imports {dotted}: the framework imports no topic; move this "
                            "code (a cached wrapper, say) to the topic that needs it, or read the declarations "
                            "through rnnviz.catalog")
    return problems


def check_core_imports_no_topic_or_ui(root: Path) -> list[str]:
    topics, problems = topic_names(root), []
    base = root / "rnnviz"
    core = [*sorted(base.glob("*.py")), *sorted((base / "data").rglob("*.py")), *sorted((base / "shared").rglob("*.py"))]
    for path in core:
        for line, dotted in offending(path, lambda d: topic_part(d, topics) or d == "rnnviz.ui"
                                      or d.startswith("rnnviz.ui.")):
            problems.append(f"{rel(root, path)}:{line} imports {dotted}: the core and rnnviz/shared know no topic "
                            "and no ui; move the code into the topic (or the ui), or find topics through "
                            "rnnviz.topics.submodules()")
    return problems


NOQA_E402 = re.compile(r"#\s*noqa\b[:\s]*[\w,\s]*\bE402\b")


def check_no_mid_module_imports(root: Path) -> list[str]:
    """Module-level imports come first (after the docstring and `from __future__`): an import after code is
    almost always dodging a cycle; `# noqa: E402` is the mark it leaves."""
    problems = []
    for path in sorted((root / "rnnviz").rglob("*.py")):
        text, code_seen, late = path.read_text(encoding="utf-8"), None, set()
        for node in ast.parse(text).body:
            is_import = isinstance(node, (ast.Import, ast.ImportFrom)) or (
                isinstance(node, (ast.If, ast.Try)) and all(isinstance(n, (ast.Import, ast.ImportFrom))
                                                            for n in node.body))
            if is_import and code_seen:
                late.add(node.lineno)
                problems.append(f"{rel(root, path)}:{node.lineno} imports after code (line {code_seen}): move the "
                                "import to the top (dropping any `# noqa: E402`); if that makes a cycle, move the "
                                "code one side needs to where both can import it (rnnviz/shared, or its topic)")
            elif not is_import and not (is_docstring(node) and code_seen is None):
                code_seen = code_seen or node.lineno
        problems += [f"{rel(root, path)}:{i} carries `# noqa: E402`: import at the top of the module instead"
                     for i, row in enumerate(text.splitlines(), 1) if NOQA_E402.search(row) and i not in late]
    return problems


def check_test_basenames(root: Path) -> list[str]:
    """pytest imports a test module by its basename (no __init__.py in tests/): two files of one name clash."""
    seen = defaultdict(list)
    for path in sorted((root / "tests").rglob("*.py")):
        in_package = (path.parent / "__init__.py").is_file()          # tests/kit: imported as kit.<name>
        if not in_package and path.name != "conftest.py":
            seen[path.name].append(rel(root, path))
    return [f"{' and '.join(paths)} share the name {name}: pytest would import one in place of the other; "
            f"rename one after its folder (e.g. {Path(name).stem}_<topic>.py)" for name, paths in seen.items()
            if len(paths) > 1]


# ----- the rules, on this repo


def assert_holds(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} layout problem(s):\n  " + "\n  ".join(problems)


def test_every_topic_declares_itself_and_its_page_exists():
    assert_holds(check_topics_declared(REPO))
    assert len(topic_names(REPO)) >= 14          # the checker saw the topics (not an empty folder)


def test_every_page_only_calls_its_topics_view():
    assert_holds(check_pages(REPO))
    assert len(list((REPO / "pages").glob("*.py"))) >= 13


def test_no_topic_imports_another_topics_view_and_topics_form_no_cycle():
    assert_holds(check_views_and_cycles(REPO))


def test_the_framework_imports_no_topic():
    assert_holds(check_ui_imports_no_topic(REPO))


def test_the_core_and_shared_import_no_topic_and_no_ui():
    assert_holds(check_core_imports_no_topic_or_ui(REPO))


def test_no_import_in_the_middle_of_a_module():
    assert_holds(check_no_mid_module_imports(REPO))


def test_test_basenames_are_unique():
    assert_holds(check_test_basenames(REPO))


# ----- controls: each checker, on a small tree that breaks its rule, says so (file and remedy)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


DECLARE = 'from rnnviz.topics import Topic\nTOPIC = Topic(path="{}", title="T", icon=":material/x:", group="Lessons", blurb="b")\n'
GOOD = {
    "app.py": '"""Home."""\nfrom rnnviz.topics.home import view\n\nview.main()\n',
    "pages/1_A.py": "from rnnviz.topics.a import view\n\nview.main()\n",
    "pages/2_B.py": "from rnnviz.topics.b import view\nview.main()\n",
    "rnnviz/__init__.py": "", "rnnviz/cells.py": '"""Core."""\nimport torch\n',
    "rnnviz/ui/__init__.py": "import streamlit as st\nfrom rnnviz import catalog\n",
    "rnnviz/shared/__init__.py": "", "rnnviz/shared/charlm.py": "from rnnviz import cells\n",
    "rnnviz/topics/__init__.py": "class Topic: ...\n",
    "rnnviz/topics/home/__init__.py": DECLARE.format("app.py"),
    "rnnviz/topics/home/view.py": "def main():\n    pass\n",
    "rnnviz/topics/a/__init__.py": DECLARE.format("pages/1_A.py"),
    "rnnviz/topics/a/view.py": "from rnnviz.topics.a import compute\n\n\ndef main():\n    pass\n",
    "rnnviz/topics/a/compute.py": "from rnnviz.shared import charlm\n",
    "rnnviz/topics/b/__init__.py": DECLARE.format("pages/2_B.py"),
    "rnnviz/topics/b/view.py": "from rnnviz.topics.a import compute\n\n\ndef main():\n    pass\n",
    "tests/test_a.py": "", "tests/topics/b/test_b.py": "", "tests/kit/__init__.py": "", "tests/kit/server.py": "",
    "tests/conftest.py": "", "tests/topics/conftest.py": "",
}
CHECKS = [check_topics_declared, check_pages, check_views_and_cycles, check_ui_imports_no_topic,
          check_core_imports_no_topic_or_ui, check_no_mid_module_imports, check_test_basenames]


def test_control_a_tree_that_keeps_the_rules_passes_every_check(tmp_path):
    root = write(tmp_path, GOOD)
    assert {check.__name__: check(root) for check in CHECKS} == {check.__name__: [] for check in CHECKS}


@pytest.mark.parametrize("check, change, expected", [
    (check_topics_declared, {"rnnviz/topics/b/__init__.py": "TITLE = 'B'\n"}, "rnnviz/topics/b/__init__.py: no `TOPIC ="),
    (check_topics_declared, {"rnnviz/topics/b/__init__.py": DECLARE.format("pages/9_Gone.py")},
     "its page pages/9_Gone.py does not exist"),
    (check_topics_declared, {"rnnviz/topics/b/__init__.py": DECLARE.format("pages/1_A.py")},
     "pages/1_A.py is declared by a and b"),
    (check_pages, {"pages/2_B.py": "import streamlit as st\nfrom rnnviz.topics.b import view\nview.main()\n"},
     "pages/2_B.py: a page holds only"),
    (check_pages, {"pages/2_B.py": "from rnnviz.topics.a import view\nfrom rnnviz.topics.b import view as v\n"
                                   "view.main()\nv.main()\n"}, "pages/2_B.py: a page holds only"),
    (check_pages, {"pages/2_B.py": "from rnnviz.topics.a import view\nview.main()\n"},
     "pages/2_B.py calls rnnviz/topics/a's view, but rnnviz/topics/b declares it as its page"),
    (check_pages, {"pages/3_C.py": "from rnnviz.topics.a import view\nview.main()\n"},
     "no topic declares it as its page"),
    (check_pages, {"rnnviz/topics/b/view.py": "def body():\n    pass\n"}, "rnnviz/topics/b/view.py has no `def main()`"),
    (check_views_and_cycles, {"rnnviz/topics/b/compute.py": "def f():\n    from rnnviz.topics.a import view\n"},
     "rnnviz/topics/b/compute.py:2 imports rnnviz/topics/a's view"),
    (check_views_and_cycles, {"rnnviz/topics/a/words.py": "from rnnviz.topics.b import figures\n"},
     "topics import each other in a cycle: a uses b (rnnviz/topics/a/words.py:1), b uses a"),
    (check_ui_imports_no_topic, {"rnnviz/ui/cache.py": "from rnnviz.topics.a import compute as a\n"},
     "rnnviz/ui/cache.py:1 imports rnnviz.topics.a"),
    (check_ui_imports_no_topic, {"rnnviz/ui/cache.py": "def f():\n    from rnnviz.topics import a\n"},
     "rnnviz/ui/cache.py:2 imports rnnviz.topics.a"),
    (check_core_imports_no_topic_or_ui, {"rnnviz/train.py": "from rnnviz.topics.a.compute import f\n"},
     "rnnviz/train.py:1 imports rnnviz.topics.a"),
    (check_core_imports_no_topic_or_ui, {"rnnviz/shared/live.py": "from rnnviz.ui import frame\n"},
     "rnnviz/shared/live.py:1 imports rnnviz.ui"),
    (check_no_mid_module_imports, {"rnnviz/ui/cache.py": '"""Doc."""\nimport os\nX = 1\nimport sys\n'},
     "rnnviz/ui/cache.py:4 imports after code (line 3)"),
    (check_no_mid_module_imports, {"rnnviz/cells.py": "import torch  # noqa: E402\n"},
     "rnnviz/cells.py:1 carries `# noqa: E402`"),
    (check_test_basenames, {"tests/topics/a/test_b.py": ""},
     "tests/topics/a/test_b.py and tests/topics/b/test_b.py share the name test_b.py"),
])
def test_control_each_check_names_the_file_that_breaks_its_rule(tmp_path, check, change, expected):
    root = write(tmp_path, {**GOOD, **change})
    problems = check(root)
    assert any(expected in p for p in problems), problems
    others = [c.__name__ for c in CHECKS if c is not check and c(root)
              and not (check is check_topics_declared and c is check_pages)]   # a page's owner is both rules' concern
    assert not others, f"{change} also tripped {others}"
