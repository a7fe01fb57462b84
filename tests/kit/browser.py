"""Chromium through Playwright, for the browser tests and the benches: written once.

    with sync_playwright() as p:
        browser = launch(p)                            # Debian's chromium, never `playwright install`
        page = new_context(browser, "laptop", p, color_scheme="dark").new_page()
        page.goto(url); wait_drawn(page); assert_no_exception(page); screenshot(page, "name")

    launch(p)                    headless Chromium with the flags these machines need (NOTES.md)
    PROFILES, context_options()  the screens a class uses: default (1400×900), laptop (1366×768),
                                 presentation (1280×720), iPad and iPhone (touch, Playwright's devices)
    wait_idle(page)              the script run has finished
    wait_drawn(page)             ... and the browser has drawn it (charts loaded, no skeletons, images)
    with rerun(page): ...        an interaction, then wait for the rerun it started to finish
    assert_no_exception(page)    fail with the exception's text if the page shows one
    screenshot(page, name)       the whole page, drawn, to tests/artifacts/<test module>-<name>.png
    with settings_open(page): .. the page's sidebar settings (ui.stage.settings) open for the block
    page_urls(app_dir)           [(name, url path)] of app.py and every pages/N_Title.py

Nothing here imports pytest: a failure is an AssertionError, as in any test.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

from kit import ARTIFACTS

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

# The screens a page must work on (DESIGN.md, "one screen per idea"): a viewport, or one of Playwright's
# device descriptors (size, touch, a mobile user agent, the device's pixel ratio).
PROFILES = {
    "default": {"viewport": VIEWPORT},
    "laptop": {"viewport": {"width": 1366, "height": 768}},
    "presentation": {"viewport": {"width": 1280, "height": 720}},
    "iPad": "iPad (gen 7)",
    "iPhone": "iPhone 13",
}

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'


def chromium() -> str | None:
    """The path of Debian's chromium, or None when it is not installed."""
    return shutil.which("chromium")


def launch(playwright, executable: str | None = None, **options):
    """A headless Chromium (Playwright adds --headless and a fresh profile itself)."""
    return playwright.chromium.launch(executable_path=executable or chromium(), args=CHROMIUM_ARGS, **options)


def context_options(profile: str = "default", playwright=None) -> dict:
    """browser.new_context(**context_options("iPad", p)): a device profile needs the Playwright instance."""
    spec = PROFILES[profile]
    if isinstance(spec, str):
        if playwright is None:
            raise ValueError(f"the {profile} profile is one of Playwright's devices: pass the Playwright instance")
        return dict(playwright.devices[spec])
    return dict(spec)


def new_context(browser, profile: str = "default", playwright=None, color_scheme: str = "light", **options):
    """A fresh browser context (its own cookies and storage: a new Streamlit session per page it opens)."""
    ctx = browser.new_context(**context_options(profile, playwright), color_scheme=color_scheme, **options)
    ctx.set_default_timeout(RUN_TIMEOUT_MS)
    return ctx


# ----------------------------------------------------------------------------- waiting for the app

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


DRAWN_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main) return false;
  if (main.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
  const charts = main.querySelectorAll('[data-testid="stPlotlyChart"], [data-testid="stVegaLiteChart"]');
  for (const c of charts) if (!c.querySelector('svg, canvas')) return false;
  for (const box of main.querySelectorAll('.stBidiComponent')) {    // ui.plot: mounted, its latest figure drawn
    const c = box.querySelector('.rnnviz-plot');
    if (!c || c.dataset.pending || !c.querySelector('svg')) return false;
  }
  for (const i of main.querySelectorAll('img')) if (!(i.complete && i.naturalWidth > 0)) return false;
  return true;
}"""


def wait_drawn(page, timeout_ms: int = RUN_TIMEOUT_MS, polling: int = 100) -> None:
    """Wait until the run is finished AND the browser has drawn it.

    A finished run is not a drawn page: charts are lazily loaded components that show a grey
    stSkeleton until their script has loaded (plotly's is 4 MB), and images load after the run.
    Call this before screenshots or before asserting on chart contents.
    """
    wait_idle(page, timeout_ms)
    page.wait_for_function(DRAWN_JS, timeout=timeout_ms, polling=polling)


def assert_no_exception(page) -> None:
    exc = page.locator(EXCEPTION)
    if exc.count():
        texts = "\n---\n".join(exc.all_inner_texts())
        raise AssertionError(f"{page.url} shows {exc.count()} exception(s):\n{texts}")


# ----------------------------------------------------------------------------- screenshots

_written: dict[Path, str] = {}       # screenshot file -> the test that wrote it (in this process)


def search(page) -> str:
    """The address's query string, as the page has it now (page.url lags behind history.replaceState)."""
    return page.evaluate("location.search")


def assert_typed_html_is_text(page) -> None:
    """Typed or linked HTML (a "<b>Bold</b><img onerror=…>" that would retitle the tab "pwned") is on the page as
    text: no live tag in the main column holds it, and no script of it ran."""
    main = page.locator('[data-testid="stMain"]')
    assert main.locator("b, img, script").filter(has_text=re.compile("Bold")).count() == 0
    assert page.title() != "pwned"


def shot_path(name: str) -> Path:
    """tests/artifacts/<module>-<name>.png, where <module> is the running test's module without "test_"
    (test basenames are unique, so two modules never share a file); outside pytest, <name>.png.

    Two tests writing the same file would leave one picture for two views: that fails here, in this
    process, and across pytest-xdist workers through the file's time (a file written since this run started,
    by no test of this process, was written by another worker)."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "")          # "tests/app/test_x.py::test_y[p] (call)"
    node = test.rsplit(" (", 1)[0]
    module = Path(node.split("::", 1)[0]).stem.removeprefix("test_") if node else ""
    out = ARTIFACTS / (f"{module}-{name}.png" if module else f"{name}.png")
    if node:
        if out in _written:
            assert _written[out] == node, f"{node} and {_written[out]} both write {out.name}: name each screenshot"
        else:
            started = float(os.environ.get("RNNVIZ_TEST_RUN_STARTED", "inf"))    # set by tests/conftest.py
            assert not (out.exists() and out.stat().st_mtime >= started), \
                f"{node} writes {out.name}, which another test of this run wrote: name each screenshot"
            _written[out] = node
    return out


SETTINGS_BUTTON = '[data-testid="stSidebar"] .st-key-page_settings [data-testid="stPopoverButton"]'


@contextlib.contextmanager
def settings_open(page):
    """The page's sidebar settings (ui.stage.settings, a popover whose controls exist in the page only while
    it is open) opened as a student opens them, for the block; closed after it (Escape). A page without
    them: nothing to open."""
    from playwright.sync_api import expect

    button = page.locator(SETTINGS_BUTTON)
    if not button.count():
        yield
        return
    body = page.locator('[data-testid="stPopoverBody"]')
    if not body.count():
        button.click()
    expect(body).to_be_visible()
    # its controls mount as it opens, not all in the same frame: read once their number holds for 300 ms
    count = lambda: body.locator("input, textarea").count()
    seen, since = count(), 0
    for _ in range(100):                     # (at most 10 s)
        if since >= 3:
            break
        page.wait_for_timeout(100)
        now = count()
        seen, since = now, (since + 1 if now == seen and now else 0)
    yield
    expect(body).to_be_visible()             # still open after what the block changed in it (a rerun keeps it)
    page.keyboard.press("Escape")
    expect(body).to_have_count(0)


def screenshot(page, name: str) -> Path:
    """Screenshot of the whole page, not only the viewport, to shot_path(name).

    Streamlit scrolls inside its own container (stMain), so Playwright's full_page=True alone captures
    one viewport: grow the viewport to the content's height for the shot, then restore it.
    """
    out = shot_path(name)
    out.parent.mkdir(parents=True, exist_ok=True)
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


# ----------------------------------------------------------------------------- the app's pages

def page_urls(app_dir: Path) -> list[tuple[str, str]]:
    """(name, url path) for the home page and every pages/*.py, in sidebar order.

    Uses Streamlit's own rules (native multipage mode): the numeric prefix is dropped and spaces become
    underscores, so pages/3_Gradient_lab.py is served at /Gradient_lab.
    """
    from streamlit.source_util import page_icon_and_name, page_sort_key

    pages = sorted((p for p in (Path(app_dir) / "pages").glob("*.py")
                    if not p.name.startswith(".") and p.name != "__init__.py"), key=page_sort_key)
    out = [("Home", "/")]
    for p in pages:
        _, name = page_icon_and_name(p)
        out.append((name, "/" + name))
    return out
