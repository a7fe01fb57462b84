"""Shared fixtures: a live streamlit server, a Chromium browser (Playwright), and AppTest.

Which app is tested: the repo root by default; point the tests at another app directory
(one holding app.py and pages/) with ``pytest --app-dir=DIR`` (write the ``=``: with a space, pytest
takes DIR for a test path and roots the run there) or ``RNNVIZ_APP_DIR=DIR`` (also through make).

Browser tests use Debian's ``chromium`` from PATH (never ``playwright install``). Without it they are
skipped, unless the environment says ``CI=true``: then they fail.

Plain helpers for browser tests (import them with ``from conftest import ...``):
  wait_idle(page)              wait until the script run has finished
  wait_drawn(page)             ... and the browser has drawn it (charts loaded, no skeletons, images)
  with rerun(page): ...        do an interaction, then wait until the rerun it started has finished
  assert_no_exception(page)    fail with the exception text if the page shows one
  screenshot(page, name)       the whole page (drawn) to tests/artifacts/<name>.png
  page_urls(app_dir)           [(name, url_path)] for app.py and every pages/N_Title.py
A server of a test's own, with its own environment: `with kit.server.serve(app_dir, log=..., env=...)`.

Fixtures: app_dir, streamlit_server (shared, session), fresh_streamlit_server (the test's own),
chromium_executable, browser (one per session), new_page(color_scheme=...), page, apptest.
Tests that use the browser are marked `browser` automatically (deselect with -m "not browser").
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from kit import server

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"

RUN_TIMEOUT_MS = 60_000  # one script run, including a cold `import torch` and a first plotly draw

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'


# --------------------------------------------------------------------------------------------
# Which app


def pytest_configure(config):
    """One torch thread for the whole run, as the app uses (rnnviz.ui.page_setup): the tensors here are
    tiny, and on a busy 2-core machine a second intra-op thread made core tests 3–10× slower."""
    import torch

    torch.set_num_threads(1)
    # ui.boundary turns a page's unexpected exception into a friendly box; under test it re-raises after
    # drawing it, so at.exception and the browser's stException still catch every bug (spawned servers
    # inherit this). tests/test_boundary.py switches it off to test the box itself.
    os.environ["RNNVIZ_STRICT"] = "1"
    # Trainings run at the lowest priority in the app (rnnviz/shared/live.py): in a test run both cores
    # are kept busy by the test workers themselves, where such a training would wait for an idle moment
    # that never comes. Here they run at nice +10 (test_live checks the app's default on a Trainer of its own).
    os.environ.setdefault("RNNVIZ_TRAINING_NICE", "10")


def pytest_addoption(parser):
    parser.addoption(
        "--app-dir",
        default=os.environ.get("RNNVIZ_APP_DIR") or str(REPO_ROOT),
        help="directory holding the app.py (and pages/) under test; "
        "default: $RNNVIZ_APP_DIR, else the repo root",
    )


@pytest.fixture(scope="session")
def app_dir(pytestconfig) -> Path:
    d = Path(pytestconfig.getoption("--app-dir")).resolve()
    if not (d / "app.py").is_file():
        pytest.fail(f"no app.py in app dir {d}")
    return d


def page_urls(app_dir: Path) -> list[tuple[str, str]]:
    """(name, url path) for the home page and every pages/*.py, in sidebar order.

    Uses Streamlit's own rules (native multipage mode): the numeric prefix is dropped and spaces become
    underscores, so pages/3_Gradient_lab.py is served at /Gradient_lab.
    """
    from streamlit.source_util import page_icon_and_name, page_sort_key

    pages = sorted((p for p in (app_dir / "pages").glob("*.py")
                    if not p.name.startswith(".") and p.name != "__init__.py"), key=page_sort_key)
    out = [("Home", "/")]
    for p in pages:
        _, name = page_icon_and_name(p)
        out.append((name, "/" + name))
    return out


def pytest_collection_modifyitems(items):
    # anything that drives Chromium carries the `browser` marker (select with -m browser / not browser)
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


# --------------------------------------------------------------------------------------------
# Live streamlit server: started by tests/kit/server.py (the one launcher, shared with bench/)


@pytest.fixture(scope="session")
def streamlit_server(app_dir):
    """One server shared by the session's browser tests (started on first use)."""
    with server.serve(app_dir, log=ARTIFACTS / "server-shared.log") as s:
        yield s


@pytest.fixture
def fresh_streamlit_server(app_dir, request):
    """A server of the test's own: its first page request is the one the test makes."""
    name = "server-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in request.node.name)
    with server.serve(app_dir, log=ARTIFACTS / f"{name}.log") as s:
        yield s


# --------------------------------------------------------------------------------------------
# Chromium via Playwright


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = shutil.which("chromium")
    if path is None:
        reason = ("chromium is not on PATH: install Debian's chromium "
                  "(apt-get install -y chromium, or run .ci/run as root) to run the browser tests")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " [CI=true, so this is a failure]", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def browser(chromium_executable):
    """One headless Chromium for the whole session; tests make their own contexts."""
    from playwright.sync_api import expect, sync_playwright

    # expect() waits 5 s by default: under a full CI run on two cores a first plotly draw can take
    # longer. Passing assertions return as soon as they hold, so the long wait costs nothing then.
    expect.set_options(timeout=RUN_TIMEOUT_MS)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def new_page(browser):
    """Factory: new_page(color_scheme="light"|"dark") -> a Page in a fresh context, closed after."""
    contexts = []

    def make(color_scheme: str = "light"):
        ctx = browser.new_context(viewport=VIEWPORT, color_scheme=color_scheme)
        ctx.set_default_timeout(RUN_TIMEOUT_MS)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(new_page):
    """A light-mode page, 1400x900."""
    return new_page()


def wait_idle(page, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Wait until the current script run has finished.

    Right after goto() the app is in state "initial", so this waits for the first run. After an
    interaction the app may still say notRunning before the rerun starts: first wait for the new
    content (a changed URL, value or text), then call this.
    """
    page.wait_for_selector(IDLE, state="attached", timeout=timeout_ms)


@contextlib.contextmanager
def rerun(page, timeout_ms: int = RUN_TIMEOUT_MS):
    """Wait, on leaving the block, for the rerun that the block's interaction starts to finish:

        with rerun(page):
            slider.press("ArrowRight")

    Watches the app's script state from before the interaction, so a fast rerun cannot be missed
    and the old "notRunning" is not mistaken for the end of the new run.
    """
    # The observer watches the whole document, not one stApp node: if React re-mounts the app root, an
    # observer on the old node would hear nothing more and the wait would hang although the run finished.
    # A quick rerun can start and finish between two frames, so that the script-state attribute never
    # visibly changes (seen ~1 in 3 full runs): then a changed address or changed main content, with the
    # app idle, also shows that the rerun came back.
    page.evaluate("""() => {
      if (window.__rnnvizObs) window.__rnnvizObs.disconnect();
      if (window.__rnnvizContent) window.__rnnvizContent.disconnect();
      window.__rnnvizChanges = 0;
      window.__rnnvizEdits = 0;
      window.__rnnvizHref = location.href;
      window.__rnnvizObs = new MutationObserver(recs => { window.__rnnvizChanges += recs.length; });
      window.__rnnvizObs.observe(document.documentElement,
                                 {subtree: true, attributes: true, attributeFilter: ["data-test-script-state"]});
      const main = document.querySelector('[data-testid="stMain"]');
      window.__rnnvizStart = window.__rnnvizLastEdit = performance.now();
      window.__rnnvizContent = new MutationObserver(recs => {
        window.__rnnvizEdits += recs.length; window.__rnnvizLastEdit = performance.now(); });
      if (main) window.__rnnvizContent.observe(main, {subtree: true, childList: true, characterData: true});
    }""")
    yield
    try:
        page.wait_for_function("""() => {
            const idle = document.querySelector('[data-testid="stApp"]')
                .getAttribute("data-test-script-state") === "notRunning";
            const now = performance.now(), quiet = now - window.__rnnvizLastEdit > 500;
            const changed = window.__rnnvizEdits > 0 || location.href !== window.__rnnvizHref;
            return idle && (window.__rnnvizChanges > 0 || (changed && quiet && now - window.__rnnvizStart > 500));
        }""", timeout=timeout_ms, polling=50)
    except Exception as e:                      # say what the page showed, not only that the wait timed out
        seen = page.evaluate("""() => [window.__rnnvizChanges, document.querySelector(
            '[data-testid="stApp"]')?.getAttribute("data-test-script-state")]""")
        raise AssertionError(f"no finished rerun after the interaction ({seen[0]} script-state changes seen, "
                             f"state now {seen[1]!r}): {e}") from e


_DRAWN_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main) return false;
  if (main.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
  const charts = main.querySelectorAll('[data-testid="stPlotlyChart"], [data-testid="stVegaLiteChart"]');
  for (const c of charts) if (!c.querySelector('svg, canvas')) return false;
  for (const i of main.querySelectorAll('img')) if (!(i.complete && i.naturalWidth > 0)) return false;
  return true;
}"""


def wait_drawn(page, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Wait until the run is finished AND the browser has drawn it.

    A finished run is not a drawn page: charts are lazily loaded components that show a grey
    stSkeleton until their script has loaded (plotly's is 4 MB), and images load after the run.
    Call this before screenshots or before asserting on chart contents.
    """
    wait_idle(page, timeout_ms)
    page.wait_for_function(_DRAWN_JS, timeout=timeout_ms, polling=100)


def screenshot(page, name: str) -> Path:
    """Screenshot of the whole page, not only the viewport.

    Streamlit scrolls inside its own container (stMain), so Playwright's full_page=True alone captures
    one viewport: grow the viewport to the content's height for the shot, then restore it.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = ARTIFACTS / f"{name}.png"
    wait_drawn(page)
    size = page.viewport_size
    height = page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight,
             ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')]
                .map(e => e.scrollHeight))"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), 8000)})
    try:
        wait_drawn(page)  # a taller viewport can re-lay out and redraw charts
        page.screenshot(path=str(out), full_page=True, animations="disabled")
    finally:
        page.set_viewport_size(size)
    return out


def assert_no_exception(page) -> None:
    exc = page.locator(EXCEPTION)
    if exc.count():
        texts = "\n---\n".join(exc.all_inner_texts())
        pytest.fail(f"{page.url} shows {exc.count()} exception(s):\n{texts}", pytrace=False)


# --------------------------------------------------------------------------------------------
# AppTest


@pytest.fixture
def copy_root(tmp_path) -> Path:
    """A copy of pretrained/ (weights + manifest) in tmp_path, to corrupt or delete files in."""
    from rnnviz import pretrained

    for f in pretrained.ROOT.iterdir():
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


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
    from streamlit.testing.v1 import AppTest

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
