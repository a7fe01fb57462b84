"""Draw the browser-tab icons (assets/icons/<name>.png) from the Material Symbols font that ships inside
Streamlit, so every page's tab shows its own symbol and the browser fetches nothing from outside the app.

    .venv/bin/python assets/make_icons.py            # after adding a page with a new icon; commit the PNGs

Why files: `st.set_page_config(page_icon=":material/…:")` makes the browser fetch the tab icon from a font
server on the internet (the app promises to work offline, docs/SECURITY.md); a local image is served by the
app itself. The glyphs are drawn by Chromium from the font's ligatures (the word "psychology" becomes the
symbol), so they look exactly as they do in the sidebar. Material Symbols: Apache License 2.0, Google.
Needs Debian's chromium (as the browser tests do); nothing is downloaded.
"""
from __future__ import annotations

import base64
import shutil
import sys
from pathlib import Path

import streamlit

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "assets" / "icons"
SIZE = 64                      # pixels; browsers scale a tab icon down from this
COLOR = "#ff4b4b"              # Streamlit's primary red: readable on light and dark tab strips


def icon_names() -> list[str]:
    """Every Material symbol a page passes to ui.page_setup (Home's included)."""
    sys.path.insert(0, str(ROOT))
    from rnnviz import ui

    return sorted({ui.HOME_ICON.split("/")[1].rstrip(":")}
                  | {lesson.icon.split("/")[1].rstrip(":") for lesson in ui.LESSONS})


def font_url() -> str:
    """The font file Streamlit's own frontend uses, as a data: URL (the drawing page loads nothing else)."""
    media = Path(streamlit.__file__).parent / "static" / "static" / "media"
    font = next(media.glob("MaterialSymbols-Rounded*.woff2"))
    return "data:font/woff2;base64," + base64.b64encode(font.read_bytes()).decode()


PAGE = """<!doctype html><html><head><style>
@font-face {{ font-family: "Material Symbols Rounded"; src: url({font}) format("woff2"); }}
body {{ margin: 0; background: transparent; }}
span {{ font-family: "Material Symbols Rounded"; font-size: {size}px; line-height: {size}px; color: {color};
        display: inline-block; width: {size}px; height: {size}px; text-align: center; overflow: hidden; }}
</style></head><body><span id="glyph"></span></body></html>"""


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": SIZE, "height": SIZE})
        page.set_content(PAGE.format(font=font_url(), size=SIZE, color=COLOR))
        page.evaluate("document.fonts.load('64px \"Material Symbols Rounded\"')")
        for name in icon_names():
            page.evaluate(f"document.getElementById('glyph').textContent = {name!r}")
            page.wait_for_function("document.fonts.status === 'loaded'")
            page.locator("#glyph").screenshot(path=str(OUT / f"{name}.png"), omit_background=True)
            print(OUT / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
