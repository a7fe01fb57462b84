"""The Modern RNNs page through AppTest: it opens on its main view (the GRU from two starts, the parts below
closed), the toggle turns it into the minGRU (the gate lines from both starts identical), T and the seed change
the example, the presets and the URL set the view, bad URL values fall back with no exception or live HTML, the
question comes before the costs chart, and the parts below draw scan.py's numbers (and follow T and the seed)."""
from __future__ import annotations

import json
import re

import numpy as np
from common import MAIN_VIEW_TEST, deeper_open, reveal

from kit.charts import array, charts
from rnnviz.topics.modern import compute, view, words

PAGE = "pages/16_Modern_RNNs.py"
PARTS = ("modern_steps", "modern_part_scan", "modern_part_ssm", "modern_part_costs")
apptest = deeper_open(PARTS, closed=(MAIN_VIEW_TEST, "test_toggle_t_and_seed_change_the_main_view",
                                     "test_the_presets_set_the_view"))


def gate_lines(spec: dict) -> tuple[np.ndarray, np.ndarray]:
    """The main chart's gate traces, from h_0 = 0 and from the other h_0 (None separators dropped)."""
    z = [t for t in spec["data"] if t["yaxis"] == "y2"]
    return tuple(np.array([v for v in t["y"] if v is not None]) for t in z)


def text(at) -> str:
    return " ".join(x.value for x in [*at.markdown, *at.caption, *at.warning, *at.info, *at.success])


def test_opens_on_its_main_view_with_the_rest_closed(apptest):
    at = apptest(PAGE)
    assert not at.exception and at.title[0].value == "Modern RNNs"
    assert set(charts(at)) == {view.CHART}                              # every part below is closed
    e = compute.example(16, 0)
    z, z_alt = gate_lines(charts(at)[view.CHART])
    assert np.allclose(z, e.gru_z.T.ravel()) and np.allclose(z_alt, e.gru_z_alt.T.ravel())
    assert not np.allclose(z, z_alt)                                    # the GRU's gates read the start
    said = words.starts_said(compute.starts(e, False), False, 16)
    assert said in [c.value.replace("\\", "") for c in at.caption]
    assert len(at.latex) == len(words.GRU_EQUATIONS) + len(words.MIN_EQUATIONS)    # both sets, side by side
    assert at.radio(key="predict_guess").value is None


def test_toggle_t_and_seed_change_the_main_view(apptest):
    at = apptest(PAGE)
    at.toggle(key="minimal").set_value(True).run()
    assert not at.exception
    z, z_alt = gate_lines(charts(at)[view.CHART])
    assert np.array_equal(z, z_alt)                                     # minGRU: identical from both starts
    assert "minGRU" in charts(at)[view.CHART]["layout"]["title"]["text"]
    at.slider(key="T").set_value(40).run()
    h = [t for t in charts(at)[view.CHART]["data"] if t["yaxis"] == "y"][0]
    assert h["x"][:41] == [*range(1, 41), None]
    assert np.allclose([v for v in h["y"] if v is not None], compute.example(40, 0).min_h.T.ravel())
    at.number_input(key="seed").set_value(7).run()
    assert not at.exception
    z7, _ = gate_lines(charts(at)[view.CHART])
    assert np.allclose(z7, compute.example(40, 7).a.T.ravel())


def test_the_presets_set_the_view(apptest):
    at = apptest(PAGE, {"T": "30", "seed": "4"})
    assert at.slider(key="T").value == 30 and at.number_input(key="seed").value == 4
    for n, (label, overrides, *_) in enumerate(words.PRESETS):
        at.button(key=f"try_{n}").click().run()
        assert not at.exception, label
        values = {c.key: c.default for c in view.MAIN} | overrides
        assert at.toggle(key="minimal").value == values["minimal"] and at.slider(key="T").value == values["T"]
        assert at.number_input(key="seed").value == values["seed"]
    assert words.PRESETS[2][1]["T"] == 64          # the note's "T = 64"


def test_bad_url_values_fall_back_with_no_exception(apptest):
    for query in ({"T": "abc", "seed": "-5"}, {"T": "1e309", "minimal": "maybe"}, {"T": "<script>alert(1)</script>"},
                  {"seed": "😀\x07", "T": "99999"}):
        at = apptest(PAGE, query)
        assert not at.exception, query
        assert compute.TREE_T <= at.slider(key="T").value <= compute.T_MAX
        page = re.sub(r"\\.", "", json.dumps(charts(at)) + text(at))
        assert "<script" not in page and "alert(1)" not in page


def test_the_parts_draw_the_scan_and_wait_for_the_question(apptest):
    at = apptest(PAGE, {"seed": "2"})
    assert not at.exception
    spec = charts(at)
    assert set(spec) == {view.CHART, "modern_tree", "ssm_plane", "ssm_gate"}    # the costs chart waits for the answer
    assert any("Predict first: this chart answers" in i.value for i in at.info)
    t = compute.tree(compute.example(16, 2))
    nodes = spec["modern_tree"]["data"][2]
    assert nodes["text"][-1] == f"A {t.rows[-1][0][-1]:.2f}<br>B {t.rows[-1][1][-1]:+.2f}"
    assert words.tree_said(t) in [c.value.replace("\\", "") for c in at.caption]
    assert words.steps_table(compute.example(16, 2)).splitlines()[2] in text(at).replace("\\", "")
    shown = " ".join(reveal(at, words.ANSWERS[0]))
    assert f"Not quite: {words.ANSWERS[2]}" in shown
    spec = charts(at)
    assert array(spec["modern_costs"]["data"][2]["y"]).tolist() == compute.costs().depth["linear"].tolist()
    assert words.costs_said(compute.costs()) in [c.value.replace("\\", "") for c in at.caption]


def test_an_open_part_follows_t_and_the_seed(apptest):
    at = apptest(PAGE)
    at.number_input(key="seed").set_value(5).run()
    at.slider(key="T").set_value(20).run()
    assert not at.exception
    t = compute.tree(compute.example(20, 5))
    assert words.tree_said(t) in [c.value.replace("\\", "") for c in at.caption]
    assert "the first 12 of 20 steps" in text(at)


def test_the_state_space_part_is_the_section_with_its_controls(apptest):
    """Part 3 is rnnviz/topics/modern/view_ssm.section(): its URL-bound controls work inside the lesson's page."""
    at = apptest(PAGE, {"ssm_delta": "0.5"})
    assert not at.exception
    assert at.slider(key="ssm_delta").value == 0.5
    before = charts(at)["ssm_plane"]
    at.slider(key="ssm_delta").set_value(0.2).run()
    assert not at.exception and charts(at)["ssm_plane"] != before
    assert at.slider(key="T").value == 16                             # the main view's controls untouched
