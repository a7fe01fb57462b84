"""Shared fixtures: a live streamlit server, a Chromium browser (Playwright), and AppTest.

Which app is tested: the repo root by default; point the tests at another app directory
(one holding app.py and pages/) with ``pytest --app-dir=DIR`` (write the ``=``: with a space, pytest
takes DIR for a test path and roots the run there) or ``RNNVIZ_APP_DIR=DIR`` (also through make).

Browser tests use Debian's ``chromium`` from PATH (never ``playwright install``). Without it they are
skipped, unless the environment says ``CI=true``: then they fail.

The plain helpers live in tests/kit/ (shared with bench/): kit.browser (wait_idle, wait_drawn, rerun,
assert_no_exception, screenshot, page_urls, the device profiles), kit.server (serve: a server of a test's
own, with its own environment), kit.charts (a page's plotly figures in AppTest), kit.pretrained (broken
weights).

Fixtures: app_dir, streamlit_server (one per worker), fresh_streamlit_server (the test's own),
chromium_executable, browser (one per worker), page and dark_page (the worker's reused tab),
new_page(color_scheme=..., profile=...) (a context of its own), apptest, copy_root, damaged_weights.
Tests that use the browser are marked `browser` automatically (deselect with -m "not browser").
"""

from __future__ import annotations

import ast
import functools
import os
import time
from pathlib import Path

import pytest

from kit import ARTIFACTS, ROOT, server
from kit import browser as browser_kit
from kit import pretrained as weights_kit


# --------------------------------------------------------------------------------------------
# Which app


def pytest_configure(config):
    """One torch thread for the whole run, as the app uses (rnnviz.ui.page_setup): the tensors here are
    tiny, and on a busy 2-core machine a second intra-op thread made core tests 3–10× slower."""
    import torch

    torch.set_num_threads(1)
    # ui.boundary turns a page's unexpected exception into a friendly box; under test it re-raises after
    # drawing it, so at.exception and the browser's stException still catch every bug (spawned servers
    # inherit this). tests/ui/test_boundary.py switches it off to test the box itself.
    os.environ["RNNVIZ_STRICT"] = "1"
    # Trainings run at the lowest priority in the app (rnnviz/shared/live.py): in a test run both cores
    # are kept busy by the test workers themselves, where such a training would wait for an idle moment
    # that never comes. Here they run at nice +10 (test_live checks the app's default on a Trainer of its own).
    os.environ.setdefault("RNNVIZ_TRAINING_NICE", "10")
    # When this run started (the workers inherit it): kit.browser.screenshot fails a test that writes a
    # screenshot another test of the same run wrote.
    os.environ.setdefault("RNNVIZ_TEST_RUN_STARTED", str(time.time()))


def pytest_addoption(parser):
    parser.addoption(
        "--app-dir",
        default=os.environ.get("RNNVIZ_APP_DIR") or str(ROOT),
        help="directory holding the app.py (and pages/) under test; "
        "default: $RNNVIZ_APP_DIR, else the repo root",
    )


@pytest.fixture(scope="session")
def app_dir(pytestconfig) -> Path:
    d = Path(pytestconfig.getoption("--app-dir")).resolve()
    if not (d / "app.py").is_file():
        pytest.fail(f"no app.py in app dir {d}")
    return d


# Modules whose tests train networks or walk every page (tens of seconds each): scheduled early, see below.
LONG = {"test_page_memory", "test_words_memory", "test_memory", "test_hardening", "test_sessions", "test_load",
        "test_cache_budget", "test_live"}


def pytest_collection_modifyitems(items):
    # anything that drives Chromium carries the `browser` marker (select with -m browser / not browser)
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    # The long tests first: the workers take tests in this order, so the short ones fill in at the end and
    # both workers finish together (a long test started last would leave the other worker idle meanwhile).
    items.sort(key=lambda item: not (item.get_closest_marker("browser") or "streamlit_server" in item.fixturenames
                                     or item.module.__name__ in LONG))


@functools.lru_cache(maxsize=None)
def _has_module_fixture(path: Path) -> bool:
    """Does this test module define a module-scoped fixture (a trained model, a server of its own)?"""
    try:
        tree = ast.parse(path.read_text())
    except (OSError, SyntaxError):
        return False
    return any(isinstance(k, ast.keyword) and k.arg == "scope" and getattr(k.value, "value", None) == "module"
               for node in ast.walk(tree) if isinstance(node, ast.Call) for k in node.keywords)


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """pytest -n (--dist load, the default): the tests one at a time, in the order above, except that the tests
    of a module defining a module-scoped fixture go to one worker together, so that the fixture is set up
    once, not once on each worker. (pytest-xdist's own --dist loadgroup cannot do this under pytest 9: the
    group it appends to a test's nodeid is lost.) Any other --dist is pytest-xdist's."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleFixturesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if _has_module_fixture(config.rootpath / module) else nodeid

        def _reschedule(self, node) -> None:
            # a worker started to replace a crashed one gets work once it has collected (LoadScopeScheduling
            # would hand it a test before that, and stop the run with a KeyError)
            if node in self.registered_collections:
                super()._reschedule(node)

    config.option.loadscopereorder = False           # keep the collection's order: the long tests first
    return ModuleFixturesTogether(config, log)


# --------------------------------------------------------------------------------------------
# Live streamlit server: started by tests/kit/server.py (the one launcher, shared with bench/)


def _log_name(*parts: str) -> str:
    return "-".join("".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in p) for p in parts if p)


@pytest.fixture(scope="session")
def streamlit_server(app_dir, worker_id):
    """One server shared by the worker's browser tests (started on first use); its log is
    tests/artifacts/server-shared-<worker>.log."""
    with server.serve(app_dir, log=ARTIFACTS / f"{_log_name('server-shared', worker_id)}.log") as s:
        yield s


@pytest.fixture
def fresh_streamlit_server(app_dir, request):
    """A server of the test's own: its first page request is the one the test makes."""
    name = _log_name("server", request.module.__name__.removeprefix("test_"), request.node.name)
    with server.serve(app_dir, log=ARTIFACTS / f"{name}.log") as s:
        yield s


# --------------------------------------------------------------------------------------------
# Chromium via Playwright (tests/kit/browser.py)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = browser_kit.chromium()
    if path is None:
        reason = ("chromium is not on PATH: install Debian's chromium "
                  "(apt-get install -y chromium, or run .ci/run as root) to run the browser tests")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " [CI=true, so this is a failure]", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import expect, sync_playwright

    # expect() waits 5 s by default: under a full CI run on two cores a first plotly draw can take
    # longer. Passing assertions return as soon as they hold, so the long wait costs nothing then.
    expect.set_options(timeout=browser_kit.RUN_TIMEOUT_MS)
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(chromium_executable, playwright_instance):
    """One headless Chromium for the whole session; tests make their own contexts."""
    b = browser_kit.launch(playwright_instance, chromium_executable)
    try:
        yield b
    finally:
        b.close()


@pytest.fixture
def new_page(browser, playwright_instance):
    """Factory: new_page(color_scheme="light"|"dark", profile="default") -> a Page in a context of its own
    (nothing shared with any other page but the server), closed after the test."""
    contexts = []

    def make(color_scheme: str = "light", profile: str = "default"):
        ctx = browser_kit.new_context(browser, profile, playwright_instance, color_scheme=color_scheme)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


def _one_tab(browser):
    """A worker's reused tab, in a context of its own: get() → the tab (a new one if it was closed)."""
    holder = {}

    def get():
        if "page" not in holder or holder["page"].is_closed():
            if "ctx" in holder:
                holder["ctx"].close()
            holder["ctx"] = browser_kit.new_context(browser)
            holder["page"] = holder["ctx"].new_page()
        return holder["page"]

    yield get
    if "ctx" in holder:
        holder["ctx"].close()


@pytest.fixture(scope="session")
def _tab(browser):
    """The worker's one reused tab (see `page`)."""
    yield from _one_tab(browser)


@pytest.fixture(scope="session")
def _second_tab(browser):
    """The worker's second reused tab, in a second context (see `second_browser_page`)."""
    yield from _one_tab(browser)


def _reused_tab(_tab, color_scheme: str):
    page = _tab()
    page.emulate_media(color_scheme=color_scheme)
    page.set_viewport_size(browser_kit.VIEWPORT)
    yield page
    try:
        for other in page.context.pages:         # tabs the test opened beside it
            if other is not page:
                other.close()
        page.context.clear_permissions()
        page.goto("about:blank")                  # the test's Streamlit session ends with its websocket
    except Exception:                             # a tab left unusable (a test failed in it): the next test
        page.context.close()                      # gets a new one


@pytest.fixture
def page(_tab):
    """A light-mode page, 1400×900. Each worker keeps ONE tab and the tests take turns in it: every goto()
    is a new document and a new Streamlit session, as in a fresh tab, but the browser keeps the app's
    scripts (plotly's 4 MB among them) parsed and compiled, so a page opens in about half the time.
    For a tab with nothing shared (listeners, a clipboard, another context), use new_page()."""
    yield from _reused_tab(_tab, "light")


@pytest.fixture
def second_browser_page(_second_tab):
    """A light-mode tab in a second browser context, as another student's browser: no cookie, no storage and no
    permission of `page`'s (the two contexts share nothing but the server), and its own storage cleared before
    the test. Reused by the worker's tests like `page`, so the app's scripts are parsed once (a new context
    per test spent ~2 s parsing plotly again)."""
    tab = _second_tab()
    tab.context.clear_cookies()
    if tab.url.startswith("http"):
        tab.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    yield from _reused_tab(lambda: tab, "light")


@pytest.fixture
def dark_page(_tab):
    """The same reused tab as `page`, in dark mode (prefers-color-scheme: dark, which the app follows)."""
    yield from _reused_tab(_tab, "dark")


# --------------------------------------------------------------------------------------------
# AppTest


@pytest.fixture
def copy_root(tmp_path) -> Path:
    """A copy of pretrained/ (weights + manifest) in tmp_path, to corrupt or delete files in."""
    return weights_kit.damaged_copy(tmp_path / "pretrained")


@pytest.fixture
def damaged_weights(tmp_path, monkeypatch):
    """damaged_weights(missing=[...], corrupt=[...], unlisted=[...]) -> the folder: the app reads its
    weights from a copy of pretrained/ damaged so (kit.pretrained.damaged_copy), with every cached model
    forgotten before (a model loaded by an earlier test would hide the damage) and after the test (no other
    test meets the broken one)."""
    from rnnviz import pretrained

    def damage(**how) -> Path:
        root = weights_kit.damaged_copy(tmp_path / "pretrained", **how)
        monkeypatch.setattr(pretrained, "ROOT", root)
        weights_kit.forget_models()
        return root

    yield damage
    weights_kit.forget_models()


@pytest.fixture
def apptest(app_dir, monkeypatch):
    """open_page(page=None, query=None, timeout=60) -> AppTest, already run.

        at = apptest("pages/3_Gradient_lab.py", {"T": 120})
        at.slider(key="T").set_value(150).run()

    Always starts from app.py (never from_file on a page file: its imports from the project root
    break) and switches to the page; `query` seeds st.query_params before the run. Runs with the
    app dir as cwd and on sys.path. Widget-driven URL changes happen in a browser only: AppTest's
    query_params do not follow bound widgets.
    """
    from streamlit.components.v2 import manifest_scanner
    from streamlit.testing.v1 import AppTest

    # A new AppTest scans every installed package for Streamlit components (~0.06 s, some thousand times a
    # run); the installed packages do not change during a run: scan once per process.
    if not hasattr(manifest_scanner.scan_component_manifests, "cache_info"):
        manifest_scanner.scan_component_manifests = functools.lru_cache(maxsize=None)(
            manifest_scanner.scan_component_manifests)
    monkeypatch.chdir(app_dir)
    monkeypatch.syspath_prepend(str(app_dir))

    def open_page(page: str | None = None, query: dict | None = None,
                  timeout: float = 60) -> AppTest:
        at = AppTest.from_file(str(app_dir / "app.py"), default_timeout=timeout)
        if page is not None:
            at.switch_page(page)
        for k, v in (query or {}).items():
            at.query_params[k] = str(v) if not isinstance(v, (list, tuple)) else [str(x) for x in v]
        return at.run()

    return open_page
