"""The GRU vs LSTM page through AppTest: it runs with the shipped models, each main control changes
what is drawn, bad text and broken weights give messages (the other half keeps working), the URL
restores the view, and the parameter counts shown are the formulas' and PyTorch's. The page opens on its main
view (the gate heatmaps) with every other part in a lazy expander: `opened` opens them all, so the checks
below see every chart, as before the page was split."""
from __future__ import annotations

import base64
import json
import re

import numpy as np

import pytest
from common import reveal, widget

from kit.charts import charts
from rnnviz import cells, pretrained
from rnnviz.shared import charlm
from rnnviz.topics.compare import compute as compare
from rnnviz.topics.compare import figures as figs

PAGE = "pages/5_GRU_vs_LSTM.py"
HEATMAPS = ("gate_gru", "gate_lstm", "state_gru_h", "state_lstm_c", "state_lstm_h")
ALL_CHARTS = {*HEATMAPS, "gate_means", "class_bars", "surprisal", "parameters", "validation"}
START = {"start": "From character"}
OWN = "your own text"          # the window's start is a ranged slider, found by its label
MAIN = {"gate_gru", "gate_lstm"}                                       # the main view: drawn at once
DEEPER = ("cmp_means", "cmp_states", "cmp_surprise", "cmp_models", "cmp_equations", "cmp_parameters",
          "cmp_validation")                                          # the lazy expanders' keys


def opened(at):
    """Run the page with every deeper part open, as a student who opened them all sees it. (AppTest does
    not send an expander's state back as the browser does: each run that should see them opens them.)"""
    for key in DEEPER:
        at.session_state[key] = True
    return at.run()


def array(v) -> list:
    """A plotly JSON array as a list: plotly sends numpy arrays base64-encoded ({"dtype", "bdata"})."""
    if isinstance(v, dict) and "bdata" in v:
        a = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
        return a.reshape([int(n) for n in str(v["shape"]).split(",")]).tolist() if "shape" in v else a.tolist()
    return list(v)


def rows(at) -> dict[str, str]:
    """Each heatmap's row of characters (figures.char_row, HTML under the chart), by the chart's key."""
    return {re.search(r'data-chart="([^"]*)"', h.proto.body).group(1): h.proto.body
            for h in at.get("html") if 'class="rnnviz-chars-box"' in h.proto.body}


def texts(at) -> list[str]:
    """Everything the page writes as markdown: text, captions, messages."""
    return [e.value for kind in ("markdown", "caption", "warning", "error", "info", "success")
            for e in getattr(at, kind)]


def passages() -> dict[str, str]:
    return pretrained.meta("char_gru")["passages"]


def test_page_runs_with_defaults(apptest):
    at = apptest(PAGE)
    assert not at.exception and not at.error and not at.warning
    assert at.title[0].value == "GRU vs LSTM"
    assert set(charts(at)) == MAIN and not at.latex and not at.dataframe    # the rest waits, unsent
    opened(at)
    assert not at.exception and not at.error and not at.warning
    assert set(charts(at)) == ALL_CHARTS
    heat = charts(at)["gate_gru"]["data"][0]
    text = passages()[widget(at, "passage").value]
    assert array(heat["x"]) == list(range(1, 41)) and len(heat["y"]) == 24     # the default window and units
    assert figs.characters(rows(at)["gate_lstm"])[:10] == [figs.visible(c) for c in text[:10]]
    assert set(rows(at)) == set(HEATMAPS)                          # a row of characters under every heatmap
    assert all(len(figs.characters(row)) == 40 for row in rows(at).values())
    shown = [e.value for e in at.latex]
    for kind in compare.KINDS:                                     # both sets of equations, from the code
        assert any(figs.equations_latex(kind) in tex for tex in shown)
        for _, line in cells.equations(kind):
            assert any(line.replace("=", "&=", 1) in tex for tex in shown)
    assert sum("hidden units" in t for t in texts(at)) == 2      # a card for each model


def test_parameter_numbers_equal_the_formulas(apptest):
    at = opened(apptest(PAGE))
    shown = " ".join(e.value for e in at.latex)
    frames = [df.value for df in at.dataframe if "W_h (H×H)" in df.value.columns]
    assert len(frames) == 2
    for kind, frame in zip(compare.KINDS, frames):
        model, _ = pretrained.load(f"char_{kind}")
        H, V, G = model.hidden_size, model.vocab_size, {"lstm": 4, "gru": 3}[kind]
        total = G * H * (V + H + 2) + V * (H + 1)                  # the formula, written out again here
        assert total == model.count_parameters() == frame["total"].sum()
        assert f"{G} \\cdot {H} \\cdot ({V} + {H} + 2)" in shown
        assert f"\\mathbf{{{total:,}}}".replace(",", "{,}") in shown
        drawn = sum(t["x"][0] for t in charts(at)["parameters"]["data"] if t["y"][0] == kind.upper())
        assert drawn == total
        assert any(f"{total:,} parameters" in t for t in texts(at))   # the card


# (control, a non-default value, the charts that must change)
MOVES = [
    ("pair", "write", {"gate_gru", "gate_lstm", "gate_means"}),
    ("pair", "candidate", {"gate_gru", "gate_lstm", "gate_means"}),
    ("units", 8, set(HEATMAPS)),
    ("width", 80, set(HEATMAPS)),
    ("order", "index", set(HEATMAPS)),
    ("start", 100, set(HEATMAPS) | {"surprisal", "gate_means"}),
    ("passage", "Macbeth: the witches", set(HEATMAPS) | {"surprisal", "gate_means", "class_bars"}),
]


@pytest.mark.parametrize("key,value,expected", MOVES, ids=[f"{k}={v}" for k, v, _ in MOVES])
def test_each_control_changes_what_is_drawn(apptest, key, value, expected):
    at = opened(apptest(PAGE))
    before, rows_before = charts(at), rows(at)
    widget(at, key, START).set_value(value)
    opened(at)
    assert not at.exception
    after = charts(at)
    changed = {k for k in before if json.dumps(before[k], sort_keys=True) != json.dumps(after[k], sort_keys=True)}
    assert expected <= changed, f"{key}={value} changed only {changed}"
    moved = {k for k, row in rows(at).items() if row != rows_before[k]}          # the characters under them
    assert moved == (set(HEATMAPS) if key in ("width", "start", "passage") else set()), f"{key}={value}: {moved}"
    assert {"parameters", "validation"}.isdisjoint(changed)       # the models did not change


def test_the_view_follows_the_controls(apptest):
    at = apptest(PAGE, {"units": 8, "width": 80, "order": "index", "start": 50, "pair": "reset"})
    gru, lstm = charts(at)["gate_gru"], charts(at)["gate_lstm"]
    assert gru["data"][0]["y"] == [str(u) for u in range(8)]                # units 0 … 7, in order
    assert array(gru["data"][0]["x"]) == list(range(50, 130))   # characters 50 … 129
    assert "reset gate" in gru["layout"]["title"]["text"] and "output gate" in lstm["layout"]["title"]["text"]
    model, _ = pretrained.load("char_gru")
    text = charlm.prepare(model, passages()[widget(at, "passage").value]).text
    for key in ("gate_gru", "gate_lstm"):                        # 80 characters: every 2nd under its column
        assert figs.row_cells(rows(at)[key]) == [figs.visible(c) if k % 2 == 0 else "" for k, c in
                                                 enumerate(text[49:129])]


def test_write_counts_what_a_gru_cannot_do(apptest):
    at = apptest(PAGE, {"pair": "write"})
    note = next(c.value for c in at.caption if "keeps *and* writes" in c.value)
    model, _ = pretrained.load("char_lstm")
    text = charlm.prepare(model, passages()[widget(at, "passage").value]).text
    share = compare.keep_and_write(charlm.read(model, text))
    assert f"{share:.0%} of its unit-steps" in note and 0 < share < 1


def test_url_restores_the_view(apptest):
    query = {"passage": "Macbeth: the witches", "pair": "write", "units": 12, "width": 30, "order": "mean",
             "start": 20}
    at = apptest(PAGE, query)
    assert not at.exception
    for key, value in query.items():
        assert widget(at, key, START).value == value, key


def test_own_text(apptest):
    at = apptest(PAGE, {"passage": OWN, "text": "HORATIO.\nMy lord, I came to see your father's funeral."})
    assert not at.exception and not at.warning
    assert not at.text_area(key="text").disabled
    heat = charts(at)["gate_gru"]["data"][0]
    assert figs.characters(rows(at)["gate_gru"])[:10] == list("HORATIO.↵M")
    assert len(array(heat["x"])) == 40


@pytest.mark.parametrize("text,message", [
    ("", "The text is empty"),
    ("a", "One character gives nothing to predict"),
    ("Ophelia — “I’m fine 🙂” 日本", "3 characters outside the model's alphabet"),
    ("To be " * 16_667, "reads at most 1,000 characters"),                 # 100,002 characters
])
def test_bad_text_gives_a_message_not_an_exception(apptest, text, message):
    at = apptest(PAGE, {"passage": OWN, "text": text})
    assert not at.exception
    assert any(message in w.value for w in at.warning), [w.value for w in at.warning]
    if len(text) > 1000:                                          # said once, on opening the link
        assert any("left out the other 99,002" in w.value for w in at.warning)
    opened(at)
    assert not at.exception
    assert {"parameters", "validation"} <= set(charts(at))        # what does not need the text still shows
    if len(text) > 1000:
        assert len(array(charts(at)["surprisal"]["data"][0]["x"])) == 999   # it read the first 1,000


def test_a_pasted_book_is_cut_to_what_the_models_read(apptest):
    """Typed text lives in the URL: 100,000 characters would make a link the server refuses to open."""
    at = opened(apptest(PAGE, {"passage": OWN}))
    at.text_area(key="text").set_value("To be " * 16_667)
    opened(at)
    assert not at.exception
    assert any("You typed 100,002 characters" in w.value and "first 1,000" in w.value for w in at.warning)
    assert at.text_area(key="text").value == ("To be " * 200)[:1000]
    assert len(array(charts(at)["surprisal"]["data"][0]["x"])) == 999
    at.run()                                                      # the next run reads the kept 1,000: no message
    assert not at.exception and not at.warning


def test_typed_html_is_shown_literally(apptest):
    typed = "<b>bold</b> <script>alert(1)</script> <img src=x onerror=alert(1)>"
    at = apptest(PAGE, {"passage": OWN, "text": typed})
    assert not at.exception
    for t in texts(at):
        assert "<b>" not in t and "<script" not in t and "<img" not in t, t
    warning = next(w.value for w in at.warning if "outside the model's alphabet" in w.value)
    assert "\\<" in warning                                       # the unknown '<' is named, escaped
    row = rows(at)["gate_gru"]
    assert "<" in "".join(figs.characters(row)) and "<b>" not in row and "<script" not in row   # escaped


def test_corrupt_lstm_weights_leave_the_gru_half_working(apptest, damaged_weights):
    damaged_weights(corrupt=["char_lstm"])
    at = opened(apptest(PAGE))
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "LSTM half" in errors[0] and "corrupt" in errors[0]
    assert "`python -m rnnviz.train char_lstm`" in errors[0]      # how to rebuild it, as code
    drawn = set(charts(at))
    assert {"gate_gru", "state_gru_h", "surprisal", "gate_means", "class_bars", "parameters", "validation"} <= drawn
    assert not {"gate_lstm", "state_lstm_c", "state_lstm_h"} & drawn
    assert any("No LSTM reading" in i.value for i in at.info)
    assert [t["name"] for t in charts(at)["surprisal"]["data"]] == ["GRU surprise"]


def test_missing_gru_weights_leave_the_lstm_half_working(apptest, damaged_weights):
    damaged_weights(missing=["char_gru"])
    at = opened(apptest(PAGE))
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "GRU half" in errors[0] and "missing" in errors[0]
    assert {"gate_lstm", "state_lstm_c", "state_lstm_h", "parameters"} <= set(charts(at))
    assert "gate_gru" not in charts(at)                           # the controls still move the other half
    widget(at, "units").set_value(8).run()
    assert not at.exception and len(charts(at)["gate_lstm"]["data"][0]["y"]) == 8


def test_no_manifest_at_all(apptest, damaged_weights):
    damaged_weights(empty=True)                                   # an empty folder
    at = opened(apptest(PAGE))
    assert not at.exception
    assert len(at.error) == 2 and all("shipped models cannot be listed" in e.value for e in at.error)
    assert widget(at, "passage").options == [OWN] and not at.text_area(key="text").disabled
    assert not charts(at)


def test_presets_set_the_whole_view(apptest):
    at = apptest(PAGE, {"units": 8})
    next(b for b in at.button if "never saw" in b.label).click().run()
    assert not at.exception
    assert widget(at, "passage").value == OWN and "Frodo" in at.text_area(key="text").value
    assert widget(at, "units").value == 24                       # everything else back to its default
    assert "␣" in "".join(figs.characters(rows(at)["gate_gru"]))


def test_predict_then_reveal(apptest):
    at = apptest(PAGE)
    shown = reveal(at, "Only the GRU's")
    assert len(shown) == 1 and shown[0].startswith("**Right.** The GRU's $h$") and at.success   # the GRU's is right
