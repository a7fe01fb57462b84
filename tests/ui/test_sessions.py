"""Many students, one server: no session sees or disturbs another's state.

Two AppTest sessions in one process share what a server's sessions share (modules, st.cache_resource,
st.cache_data) and nothing else. Each page test interleaves two sessions' interactions and asserts that
each ends with exactly the view it gets alone (same interactions, no neighbour), and that the two views
differ, so a value leaking through a module global, a cached object mutated in place or a shared random
generator shows up as a difference. The Memory lab is tested with a live training in one session while
the other works, and a Stop in one that must not stop the other.

A static check backs this up: no module under rnnviz/ mutates module-level state from a function (the
AST scan below), apart from a short list of documented process-wide settings; it is shown to catch a
planted per-user registry.
"""
from __future__ import annotations

import ast
import json
import time
from typing import Any, Callable

import pytest

from common import reveal, widget
from kit import ROOT
from kit.charts import as_chart, is_chart


def base_key(key: str | None) -> str | None:
    import re

    return re.sub(r"__\d+$", "", key) if key else key


def view(at) -> list:
    """What the session shows: every text, figure and widget value, in page order (element ids left out:
    a ranged slider's key changes with how often code moved it, not with what it shows)."""
    from streamlit.testing.v1.element_tree import Widget

    out: list[Any] = []
    for node in at._tree:
        kind = getattr(node, "type", "")
        if is_chart(node):
            out.append(("chart", json.loads(as_chart(node).spec)))
        elif isinstance(node, Widget):
            out.append((kind, base_key(node.key), node.value if kind != "button" else node.label))
        elif kind in ("markdown", "caption", "latex", "code", "html", "title", "header", "subheader",
                      "warning", "info", "success", "error", "metric", "text", "dataframe", "table"):
            proto = node.proto
            out.append((kind, getattr(proto, "body", None) or getattr(proto, "text", None) or str(proto)))
    return out


def click(label_or_key: str) -> Callable:
    def act(at):
        b = next(b for b in at.button if b.label == label_or_key or base_key(b.key) == label_or_key)
        b.click().run()
    return act


def set_(key: str, value: Any, opened: str | None = None) -> Callable:
    """Set a control; one in a lazy expander (ui.stage.deeper) is set with its expander `opened`, as a
    student would (AppTest does not keep an expander open from one run to the next)."""
    def act(at):
        if opened:
            at.session_state[opened] = True
            at.run()
            at.session_state[opened] = True
        widget(at, key).set_value(value).run()
    return act


# (page, what student A does, what student B does): each a list of interactions, run one after another
SCRIPTS = {
    "Gradient_lab": ("pages/3_Gradient_lab.py",
                     [set_("T", 50), set_("scale", 2.0), set_("nonlinearity", "relu")],
                     [set_("T", 200), set_("H", 8), set_("precision", "float32")]),
    "Unfolded_RNN": ("pages/1_Unfolded_RNN.py",                          # the stepper's t lives in session state
                     [click("t__up"), click("t__up"), set_("cell", "lstm"), click("t__up")],
                     [set_("H", 3), click("t__up"), set_("seed", 7)]),
    "Text_generation": ("pages/10_Text_generation.py",                    # seeded draws: a shared RNG would show
                        [set_("prompt", "To be"), set_("seed", 3), set_("temp", 1.5)],
                        [set_("seed", 11), set_("k", 5), click("t__up")]),
    "LSTM_inside": ("pages/4_LSTM_inside.py",
                    [set_("unit", 7), set_("q", "forget"), click("t__up")],
                    [set_("passage", "your own text"), set_("text", "Hello, world. 'Quoted' words."),
                     set_("clamp", 1.0, opened="li_clamp")]),
}


def interleaved_and_alone(apptest, name: str) -> tuple[list, list, list, list]:
    """(A's view, B's view) after running their scripts interleaved, then each one's view alone."""
    page, script_a, script_b = SCRIPTS[name]
    a, b = apptest(page), apptest(page)
    for step in range(max(len(script_a), len(script_b))):            # A, B, A, B, ...
        for at, script in ((a, script_a), (b, script_b)):
            if step < len(script):
                script[step](at)
                assert not at.exception, (name, step)
    a.run(), b.run()                                                  # and once more each, after the other
    alone = {}
    for who, script in (("a", script_a), ("b", script_b)):
        at = apptest(page)
        for act in script:
            act(at)
        alone[who] = view(at)
    return view(a), view(b), alone["a"], alone["b"]


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_two_sessions_interleaved_each_see_only_their_own(apptest, name):
    a, b, alone_a, alone_b = interleaved_and_alone(apptest, name)
    assert a == alone_a, f"{name}: session A's view changed because B was there"
    assert b == alone_b, f"{name}: session B's view changed because A was there"
    assert alone_a != alone_b


def test_interleaving_catches_a_module_global_result(apptest, monkeypatch):
    """The comparison is not vacuous: a result kept in a module variable ("the current run"), one call
    late, makes one student see the other's curves."""
    from rnnviz.topics.lab import view_parts as cached

    real, current = cached.lab_run, {}

    def leaky(cfg):
        shown = current.get("run")
        current["run"] = real(cfg)
        return shown or current["run"]

    monkeypatch.setattr(cached, "lab_run", leaky)
    a, b, alone_a, alone_b = interleaved_and_alone(apptest, "Gradient_lab")
    assert a != alone_a or b != alone_b


def test_memory_lab_live_training_in_one_session_only(apptest):
    """A trains (a long run) while B moves its controls and trains a short run of its own: B never shows
    A's progress, A's Stop stops A's run only, and B's run ends on its own with B's settings."""
    page = "pages/7_Memory_lab.py"
    a = apptest(page, {"T": 100, "steps": 3000})
    b = apptest(page, {"T": 5, "steps": 100, "task": "temporal_order"})
    next(x for x in a.button if x.label == "Train").click().run()
    run_a = a.session_state["memory_run"]
    try:
        while min(p.steps for p in run_a.snapshot().values()) < 1:          # its process starts, then trains
            assert run_a.job.alive
            time.sleep(0.1)
        a.run()
        assert run_a.job.alive and [p for p in a.get("progress")]           # A is training, and shows it
        b.run()
        assert not b.get("progress") and "Train" in [x.label for x in b.button]
        assert "memory_run" not in b.session_state and any("Press **Train**" in i.value for i in b.info)
        widget(b, "seed").set_value(4).run()
        next(x for x in b.button if x.label == "Train").click().run()
        run_b = b.session_state["memory_run"]
        assert run_b is not run_a and run_b.config.T == 5 and run_b.config.task == "temporal_order"
        a.run()
        assert a.session_state["memory_run"] is run_a                       # B's Train replaced nothing of A's
        next(x for x in a.button if x.label == "Stop").click().run()
        assert run_a.job.join(60)
        assert run_b.job.join(300)
        assert {p.status for p in run_a.snapshot().values()} == {"stopped"}
        assert "stopped" not in {p.status for p in run_b.snapshot().values()}   # A's Stop was A's alone
        for at in (a, b):
            at.run()
            assert not at.exception
        reveal(b, "the RNN")            # the run's summary names who solved first: it waits for B's answer
        assert "when stopped" not in b.success[0].value
    finally:
        for at in (a, b):
            run = at.session_state["memory_run"] if "memory_run" in at.session_state else None
            if run is not None:
                run.job.stop()
                run.job.join(60)


# ----- the static check --------------------------------------------------------------------------------

# Module-level state that functions may change, because it is process-wide by nature (never per user).
ALLOWED = {
    ("rnnviz/runtime.py", "_malloc"): "which process-wide allocator/BLAS settings took effect, applied once",
}
MUTABLE = {"list", "dict", "set", "defaultdict", "OrderedDict", "deque", "Counter", "bytearray"}
MUTATORS = {"append", "extend", "add", "update", "pop", "popitem", "clear", "setdefault", "insert", "remove",
            "discard", "sort", "reverse", "appendleft", "extendleft", "__setitem__", "__delitem__"}


def module_state(tree: ast.Module) -> dict[str, int]:
    """Names a module binds at its top level to a container or to any object built by a call
    ({name: line}); constants (numbers, strings, tuples) cannot be changed in place and are left out."""
    names = {}
    for stmt in tree.body:
        pairs = ([(t, stmt.value) for t in stmt.targets] if isinstance(stmt, ast.Assign)
                 else [(stmt.target, stmt.value)] if isinstance(stmt, ast.AnnAssign) and stmt.value else [])
        for target, value in pairs:
            if isinstance(target, ast.Name) and isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp,
                                                                   ast.DictComp, ast.SetComp, ast.Call)):
                names[target.id] = stmt.lineno
    return names


def local_names(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Names a function binds itself (parameters, plain assignments, loop and with targets)."""
    args = fn.args
    names = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg] if a}
    for node in ast.walk(fn):
        targets = (node.targets if isinstance(node, ast.Assign) else
                   [node.target] if isinstance(node, (ast.AnnAssign, ast.For, ast.comprehension)) else
                   [item.optional_vars for item in node.items] if isinstance(node, ast.With) else [])
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def mutations(source: str, filename: str = "<module>") -> list[tuple[str, int, str]]:
    """(name, line, how) for every place a function changes module-level state: `global` rebinding, an
    item or attribute assignment, `del`, or a mutating method call on a module-level object."""
    tree = ast.parse(source, filename)
    state = module_state(tree)
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        declared = {n for node in ast.walk(fn) if isinstance(node, ast.Global) for n in node.names}
        found += [(n, fn.lineno, "global") for n in declared]
        shared = (set(state) - local_names(fn)) | declared
        for node in ast.walk(fn):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in shared):
                found.append((node.func.value.id, node.lineno, f".{node.func.attr}()"))
            targets = (node.targets if isinstance(node, (ast.Assign, ast.Delete)) else
                       [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else [])
            for t in targets:
                if isinstance(t, (ast.Subscript, ast.Attribute)) and isinstance(t.value, ast.Name) \
                        and t.value.id in shared:
                    found.append((t.value.id, node.lineno, "item" if isinstance(t, ast.Subscript) else "attribute"))
    return found


def test_no_module_keeps_per_user_state():
    found, used = [], set()
    for path in sorted((ROOT / "rnnviz").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for name, line, how in mutations(path.read_text(), rel):
            if (rel, name) in ALLOWED:
                used.add((rel, name))
            else:
                found.append(f"{rel}:{line}: a function changes module-level '{name}' ({how})")
    assert not found, ("module-level state shared by every session (keep it in st.session_state, or in "
                       "st.cache_* if it is read-only):\n" + "\n".join(found))
    assert used == set(ALLOWED), f"allowed but no longer there (remove from ALLOWED): {set(ALLOWED) - used}"


PLANTED = '''
import collections
from types import SimpleNamespace

LIMITS = {"text": 1000}                  # read only: fine
_seen = {}                               # per-user state in a module: every session would share it
_history: list = []
_counts = collections.Counter()
STATE = SimpleNamespace(user=None)
COUNT = 0


def remember(user, value):
    _seen[user] = value


def log(event):
    _history.append(event)
    _counts.update([event])


def login(user):
    STATE.user = user


def bump():
    global COUNT
    COUNT += 1


def limit(key):
    _seen = {}                           # a local of the same name: not module state
    _seen[key] = LIMITS[key]
    return _seen
'''


def test_the_scan_catches_planted_module_state():
    found = {(name, how) for name, _, how in mutations(PLANTED)}
    assert found == {("_seen", "item"), ("_history", ".append()"), ("_counts", ".update()"),
                     ("STATE", "attribute"), ("COUNT", "global")}, found
