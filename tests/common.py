"""Small helpers shared by the core tests: the cell kinds to sweep, seeded random tensors, and cells
whose gates use more of their range than torch's default initialisation."""
from __future__ import annotations

import torch

from rnnviz import cells

CASES = [("rnn", "tanh"), ("rnn", "relu"), ("rnn", "linear"), ("lstm", "tanh"), ("gru", "tanh")]
IDS = ["rnn-tanh", "rnn-relu", "rnn-linear", "lstm", "gru"]
F64 = torch.float64


def gen(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def rand(*shape, seed, scale=1.0):
    return torch.randn(*shape, generator=gen(seed), dtype=F64) * scale


def make(kind, nl, I=3, H=5, seed=0, gain=2.0) -> cells.Cell:
    """A float64 cell with torch's init times `gain`: gates use more of their range, some relu units die."""
    cell = cells.build(kind, I, H, seed=seed, nonlinearity=nl, dtype=F64)
    with torch.no_grad():
        for p in cell.parameters():
            p.mul_(gain)
    return cell


def widget(at, key: str, by_label: dict[str, str] | None = None):
    """The AppTest widget with this key, whatever its kind (slider, selectbox, pills, ...). Keys in
    `by_label` are found by their label instead: a stepper's slider gets a fresh key whenever code
    moves it."""
    if by_label and key in by_label:
        return next(s for s in at.slider if s.label == by_label[key])
    for getter in ("slider", "selectbox", "number_input", "text_input", "text_area", "toggle"):
        try:
            return getattr(at, getter)(key=key)
        except KeyError:
            continue
    found = [w for w in at.get("button_group") if w.key == key]
    assert found, f"no widget with key {key}"
    return found[0]


def reveal(at, guess: str) -> list[str]:
    """Answer a page's predict-then-reveal question with `guess`, press Reveal, and return what it
    shows (a success for a right guess, an info for a wrong one)."""
    at.radio(key="predict_guess").set_value(guess).run()
    at.button(key="predict_reveal").click().run()
    assert not at.exception
    return [m.value for m in at.success] + [m.value for m in at.info]


def assert_plotly_accepts_unchanged(fig) -> None:
    """A figure built without plotly's checks (figures/style.figure), rebuilt WITH full validation, must
    give the same JSON: a misspelt key raises, a shorthand plotly would rewrite shows up as a difference."""
    import json

    import plotly.graph_objects as go
    import plotly.io as pio

    checked = go.Figure(fig.to_dict())
    assert json.loads(pio.to_json(checked, validate=False)) == json.loads(pio.to_json(fig, validate=False))


def run_async(coro):
    """asyncio.run(coro) in a thread of its own: a worker that has run a Playwright (sync API) test keeps
    an event loop running in its main thread, where asyncio.run refuses to start another."""
    import asyncio
    import threading

    out: dict = {}

    def go() -> None:
        try:
            out["value"] = asyncio.run(coro)
        except BaseException as e:      # noqa: BLE001 - handed back to the caller's thread
            out["error"] = e

    t = threading.Thread(target=go, name="run_async")
    t.start()
    t.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def open_deeper(monkeypatch, keys) -> None:
    """Every AppTest run opens the lazy expanders `keys` (ui.stage.deeper), as a student who opened each
    of them: AppTest forgets an expander's state between runs (a browser keeps it).
    AppTest.run_as_opened() is one run with the expanders left as they are."""
    from streamlit.testing.v1 import AppTest

    run = AppTest._run

    def run_opened(self, *args, **kwargs):
        for key in keys:
            self.session_state[key] = True
        return run(self, *args, **kwargs)

    monkeypatch.setattr(AppTest, "_run", run_opened)
    monkeypatch.setattr(AppTest, "run_as_opened", lambda self: run(self), raising=False)


MAIN_VIEW_TEST = "test_opens_on_its_main_view_with_the_rest_closed"


def deeper_open(keys, closed=(MAIN_VIEW_TEST,)):
    """A page test module's `apptest` fixture with the lazy expanders `keys` open (open_deeper), except in
    the tests named in `closed` (the one that checks the page opens with them shut):

        apptest = common.deeper_open(("sur_how", "sur_top"))
    """
    import pytest

    @pytest.fixture
    def apptest(apptest, monkeypatch, request):
        if request.node.originalname not in closed:
            open_deeper(monkeypatch, keys)
        return apptest

    return apptest
