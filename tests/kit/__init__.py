"""Helpers written once and shared by the tests and bench/ (import them as `kit.<module>`: tests/ is on
sys.path under pytest, and bench/ puts it there). None of them needs pytest: a bench imports them as they are.

    server.py     the one server launcher: a fresh `streamlit run app.py` (or any command that serves the
                  app) on a free loopback port, waited for until healthy, stopped by its process group
    browser.py    Chromium through Playwright: launch, the device profiles (laptop, presentation, iPad,
                  iPhone), waiting for a run to finish and for the page to be drawn, screenshots
    charts.py     a page's plotly figures as Streamlit sends them, and plotly's typed arrays decoded
    pretrained.py a copy of pretrained/ with a model missing, corrupt or unlisted, and every cached model
                  forgotten, for the tests of what a page says when its weights are broken

    ROOT          the repository (app.py, pages/, rnnviz/, docs/)
    ARTIFACTS     tests/artifacts: screenshots, downloads and server logs a run leaves to look at
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
