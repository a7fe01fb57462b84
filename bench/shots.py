"""Every page as a class meets it (`make shots`): the first screen of each page in the four profiles a
page must work on, light and dark, into tests/artifacts/shots/, with a contact sheet per page to look at.

    make shots                         # every page: 4 profiles × light/dark = 8 pictures per page
    make shots SHOTS="Gradient lab"    # the pages whose title contains one of these (comma-separated)

The profiles (tests/kit/browser.py PROFILES): laptop 1366×768; presentation mode (?present=true) at
1280×720; Playwright's "iPad (gen 7)" and "iPhone 13" devices (touch, their size and pixel ratio). A
picture is the viewport, not the whole page: issue 22 asks that a page's main view (its controls and the
chart they change) fits this first screen. tests/artifacts/shots/<page>-<profile>-<theme>.png; the sheet
tests/artifacts/shots/sheet-<page>.png puts the 8 side by side (light above, dark below).

A page that shows an exception is named on stdout and counted: the command exits 1 when there is one.
Not part of `make test` (40 page loads; about 3 minutes); tests/app/test_browser.py loads every page too.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from bench import ROOT

from kit import ARTIFACTS
from kit import browser as kb
from kit.server import serve

OUT = ARTIFACTS / "shots"
PROFILES = ("laptop", "presentation", "iPad", "iPhone")
THEMES = ("light", "dark")
SHEET_HEIGHT = 720                      # each picture scaled to this height on the contact sheet
SETTLE_S = 0.8                          # after the charts are drawn: plotly's transitions and fonts


def pages(only: list[str]) -> list[tuple[str, str]]:
    """(title, url path) for Home and every page (its name as the address spells it, with spaces), in the sidebar's order; filtered by `only`."""
    out = [(name.replace("_", " "), path) for name, path in kb.page_urls(ROOT)]
    return [p for p in out if not only or any(o.lower() in p[0].lower() for o in only)]


def shoot(browser, playwright, base: str, title: str, path: str, profile: str, theme: str) -> tuple[Path, bool]:
    """One picture; returns (file, the page showed an exception)."""
    ctx = kb.new_context(browser, profile, playwright, color_scheme=theme)
    try:
        page = ctx.new_page()
        page.goto(base + path + ("?present=true" if profile == "presentation" else ""), wait_until="commit")
        page.wait_for_selector("h1", timeout=kb.RUN_TIMEOUT_MS)
        kb.wait_drawn(page)
        time.sleep(SETTLE_S)
        name = path.strip("/") or "Home"
        out = OUT / f"{name}-{profile}-{theme}.png"
        page.screenshot(path=str(out), animations="disabled")
        return out, page.locator(kb.EXCEPTION).count() > 0
    finally:
        ctx.close()


def sheet(files: list[Path], out: Path) -> None:
    """The pictures side by side, light on the first row and dark on the second, scaled to one height."""
    from PIL import Image

    rows = [files[:len(PROFILES)], files[len(PROFILES):]]
    scaled = [[(im := Image.open(f)).resize((round(im.width * SHEET_HEIGHT / im.height), SHEET_HEIGHT))
               for f in row] for row in rows]
    width = max(sum(im.width + 10 for im in row) for row in scaled)
    canvas = Image.new("RGB", (width, len(scaled) * (SHEET_HEIGHT + 10)), "grey")
    for r, row in enumerate(scaled):
        x = 0
        for im in row:
            canvas.paste(im, (x, r * (SHEET_HEIGHT + 10)))
            x += im.width + 10
    canvas.save(out)


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    only = [s.strip() for s in " ".join(argv).split(",") if s.strip()]
    todo = pages(only)
    if not todo:
        print(f"shots: no page title contains any of {only}")
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    broken, start = [], time.perf_counter()
    with serve(ROOT, command=("serve.py",), log=ARTIFACTS / "shots-server.log") as server, \
            sync_playwright() as p:
        browser = kb.launch(p)
        for title, path in todo:
            files = []
            for theme in THEMES:
                for profile in PROFILES:
                    f, failed = shoot(browser, p, server.url.rstrip("/"), title, path, profile, theme)
                    files.append(f)
                    if failed:
                        broken.append(f"{title} ({profile}, {theme})")
            sheet(files, OUT / f"sheet-{path.strip('/') or 'Home'}.png")
            print(f"shots: {title}: {len(files)} pictures, sheet-{path.strip('/') or 'Home'}.png", flush=True)
        browser.close()
    print(f"shots: {len(todo)} pages in {time.perf_counter() - start:.0f} s into {OUT.relative_to(ROOT)}")
    for b in broken:
        print(f"shots: EXCEPTION on {b}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
