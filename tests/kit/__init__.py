"""Helpers written once and shared by the tests and bench/ (import them as `kit.<module>`: tests/ is on
sys.path under pytest, and bench/ puts it there).

    server.py   the one server launcher: a fresh `streamlit run app.py` (or any command that serves the
                app) on a free loopback port, waited for until healthy, stopped by its process group
"""
