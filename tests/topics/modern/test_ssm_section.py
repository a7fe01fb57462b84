"""The state-space section (rnnviz/topics/modern/view_ssm.section) through AppTest, in a small page of its own
(page_setup, then the section, as the Modern RNNs page calls it): it opens on its defaults with the numbers
rnnviz.ssm computes, its controls change the charts and sentences, and bad link values are said and corrected,
never an exception."""
from __future__ import annotations

import numpy as np
import pytest
from common import widget
from streamlit.testing.v1 import AppTest

from kit.charts import array, charts
from rnnviz import ssm
from rnnviz.topics.modern import ssm_words as words
from rnnviz.topics.modern import view_ssm


def page():
    """What a page around the section does (ui.page_setup without the page list, which needs the app's pages):
    the frame, the place where a link's corrections are said, then the section inside the page's boundary."""
    from rnnviz import ui
    from rnnviz.topics.modern import view_ssm
    from rnnviz.ui import frame

    frame.start("SSM section")
    frame.notes_box()
    with ui.boundary():
        view_ssm.section()


@pytest.fixture
def open_section(app_dir, monkeypatch):
    monkeypatch.chdir(app_dir)
    monkeypatch.syspath_prepend(str(app_dir))

    def run(query: dict | None = None) -> AppTest:
        at = AppTest.from_function(page, default_timeout=60)
        for k, v in (query or {}).items():
            at.query_params[k] = v
        return at.run()
    return run


def captions(at) -> str:
    return " ".join(c.value for c in at.caption).replace("\\", "")


def lam_drawn(spec: dict) -> np.ndarray:
    dots = next(t for t in spec["ssm_plane"]["data"] if t.get("mode") == "markers+text")
    return array(dots["x"]) + 1j * array(dots["y"])


def test_opens_on_its_defaults_with_the_computed_numbers(open_section):
    at = open_section()
    assert not at.exception
    assert {s.key for s in at.slider} == {"ssm_delta", "ssm_w", "ssm_spike"}
    assert at.slider(key="ssm_delta").value == pytest.approx(0.1) and at.slider(key="ssm_spike").value == 8
    spec = charts(at)
    assert set(spec) == {"ssm_plane", "ssm_gate"}
    assert np.allclose(lam_drawn(spec), ssm.eigenvalues(ssm.s4d_lin(words.N_UNITS), 0.1), atol=1e-9)
    said = captions(at)
    assert "At Δ = 0.10" in said and "last 20 steps" in said            # τ = 1/(Δα) = 1/(0.1·0.5)
    sel, steady = words.runs(10.0, 8)
    assert f"h_T = {sel.h[-1]:.2f}" in said and f"h_T = {steady.h[-1]:.2f}" in said
    assert "ssm_eqs" in at.session_state and at.session_state["ssm_eqs"] is False   # equations: closed, lazy
    assert not any("\\partial h_T" in m.value for m in at.get("latex"))


def test_the_step_and_the_initialisation_move_the_eigenvalues(open_section):
    at = open_section()
    at.slider(key="ssm_delta").set_value(0.5).run()
    assert not at.exception
    lam = lam_drawn(charts(at))
    assert np.allclose(np.abs(lam), np.exp(-0.5 * 0.5), atol=1e-9)      # |λ| = e^(−Δα), α = 1/2
    assert "At Δ = 0.50" in captions(at) and "aliasing" in captions(at)  # 7π·0.5 > π: some fold back
    widget(at, "ssm_modes").set_value("S4D-Real").run()
    assert not at.exception
    lam = lam_drawn(charts(at))
    assert np.allclose(lam.imag, 0, atol=1e-12) and np.allclose(lam.real, np.exp(-0.5 * (np.arange(8) + 1)))
    assert "None turns" in captions(at)


def test_the_selectivity_and_the_spike_move_the_gate(open_section):
    at = open_section()
    at.slider(key="ssm_spike").set_value(20).run()
    gate = charts(at)["ssm_gate"]["data"]
    g = array(gate[1]["y"])
    assert int(np.argmax(g)) == 19 and g[19] > 0.9                       # the gate opens at the spike
    at.slider(key="ssm_w").set_value(0.0).run()                          # w = 0: one Δ for every step
    assert not at.exception
    g = array(charts(at)["ssm_gate"]["data"][1]["y"])
    assert np.allclose(g, g[0]) and g[0] == pytest.approx(1 / (1 + np.exp(-words.BIAS)), abs=1e-5)   # σ(b): Theorem 1
    assert "keeps most of the state" in captions(at)


def test_each_units_numbers_are_in_the_planes_popover(open_section):
    at = open_section()
    said = " ".join(c.value for p in at.get("popover") for c in p.caption).replace("\\", "")
    assert said.count("unit ") >= words.N_UNITS and "memory 20 steps" in said


@pytest.mark.parametrize("query, key, shown", [
    ({"ssm_delta": "abc"}, "ssm_delta", 0.1),          # not a number: the default
    ({"ssm_delta": "5"}, "ssm_delta", 1.0),            # above the range: its top
    ({"ssm_spike": "1e309"}, "ssm_spike", 8),          # infinite: the default
    ({"ssm_spike": "0"}, "ssm_spike", 1),              # below: its bottom
    ({"ssm_w": "<b>x</b>"}, "ssm_w", 10.0),            # HTML: the default, and said literally
])
def test_bad_link_values_are_said_and_corrected(open_section, query, key, shown):
    at = open_section(query)
    assert not at.exception
    assert at.slider(key=key).value == pytest.approx(shown)
    said = " ".join(w.value for w in at.warning)
    label = next(c.label for c in view_ssm.CONTROLS if c.key == key)
    assert label in said
    assert "<b>x</b>" not in said                    # escaped: shown as typed, never as HTML


def test_every_control_is_url_bound_with_help_and_an_ssm_key():
    for c in view_ssm.CONTROLS:
        assert c.key.startswith("ssm_") and c.help
    assert all(k.startswith("ssm_") for k in view_ssm.KEYS)


def test_the_equations_wait_in_their_expander_and_open_with_their_sources(open_section):
    at = open_section()
    assert not at.get("latex")
    at.session_state["ssm_eqs"] = True
    at.run()
    assert not at.exception
    assert len(at.get("latex")) == sum(len(eqs) for _, *eqs in words.EQUATIONS)
    said = " ".join(m.value for m in at.markdown)
    assert "Orvieto et al. 2023" in said and "Theorem 1" in said
