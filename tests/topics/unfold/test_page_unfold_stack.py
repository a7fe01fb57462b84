"""The Unfolded RNN as a stack of L layers, through AppTest: the depth control turns the diagram into a
time × depth grid whose numbers are rnnviz.stack's, equal to torch.nn's num_layers = L module; the parameter
counts per layer equal torch.nn's; a link's impossible depth is clamped and said; L = 1 is today's page."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from kit.charts import chart_nodes
from common import open_deeper, widget

from rnnviz.topics.unfold import compute as unfold

PAGE = "pages/1_Unfolded_RNN.py"
DEEPER = ("unfold_lines", "unfold_path", "unfold_weights")
TORCH = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}


@pytest.fixture
def apptest(apptest, monkeypatch):
    open_deeper(monkeypatch, DEEPER)
    return apptest


def diagram(at) -> dict:
    (chart,) = [el for el in chart_nodes(at) if el.id.endswith("-unrolled")]
    return json.loads(chart.spec)


def grid(spec: dict) -> dict[int, dict[int, list[float]]]:
    """{layer: {step: h_step as the hover shows it}}: the hover traces, one per row of the grid."""
    out = {}
    for tr in spec["data"]:
        if tr.get("hovertemplate", "").startswith("h<sub>%{x}</sub>"):
            layer = int(tr["hovertemplate"].split("<sup>(")[1].split(")")[0]) if "<sup>" in tr["hovertemplate"] else 1
            out[layer] = {k: [float(v) for v in text.split(", ")] for k, text in zip(tr["x"], tr["customdata"])
                          if text != "not yet read"}
    return out


def torch_states(cfg: unfold.UnfoldConfig) -> torch.Tensor:
    """(L, T, H): every layer's h_t from torch.nn's own num_layers = L module with the page's weights."""
    u = unfold.run(cfg)
    m = TORCH[cfg.cell](u.I, cfg.H, num_layers=cfg.layers).double()
    with torch.no_grad():
        for layer, lu in enumerate(u.layers):
            names = dict(rnn=("ih", "hh"), lstm=("ii", "if", "ig", "io"), gru=("ir", "iz", "in"))
            gates = {"rnn": [""], "lstm": list("ifgo"), "gru": list("rzn")}[cfg.cell]
            for part in ("ih", "hh"):
                w = np.vstack([lu.blocks[f"W_{part}" if cfg.cell == "rnn" else f"W_{part[0]}{g}"] for g in gates])
                b = np.concatenate([lu.blocks[f"b_{part}" if cfg.cell == "rnn" else f"b_{part[0]}{g}"] for g in gates])
                getattr(m, f"weight_{part}_l{layer}").copy_(torch.from_numpy(w))
                getattr(m, f"bias_{part}_l{layer}").copy_(torch.from_numpy(b))
        x = torch.from_numpy(u.seq.x).unsqueeze(1)
        states, inputs = [], x
        for layer in range(cfg.layers):                     # torch.nn's top output, and each layer's by a sub-module
            sub = TORCH[cfg.cell](inputs.shape[-1], cfg.H).double()
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(sub, f"{name}_l0").data = getattr(m, f"{name}_l{layer}").data
            inputs = sub(inputs)[0]
            states.append(inputs[:, 0])
        assert torch.allclose(m(x)[0][:, 0], states[-1], atol=1e-12)   # the fused module's top = the chain's
    return torch.stack(states)


@pytest.mark.parametrize("cell,layers", [("lstm", 2), ("gru", 3), ("rnn", 3)])
def test_the_grid_holds_the_stacks_states_equal_to_torch_nn(apptest, cell, layers):
    at = apptest(PAGE, {"cell": cell, "layers": layers, "t": 5})
    assert not at.exception and not at.warning
    cfg = unfold.UnfoldConfig(cell=cell, layers=layers)
    want = torch_states(cfg).numpy()                                    # (L, T, H)
    u = unfold.run(cfg)
    assert np.allclose(np.stack([lu.h for lu in u.layers]), want, atol=1e-12)   # the numbers the page draws
    shown = grid(diagram(at))
    assert sorted(shown) == list(range(1, layers + 1))
    for layer, steps in shown.items():
        assert sorted(steps) == [1, 2, 3, 4, 5]                         # read so far: steps 1..t, in every row
        for k, h in steps.items():
            assert h == pytest.approx(want[layer - 1, k - 1], abs=0.005)
    step_line = next(m.value for m in at.markdown if m.value.startswith("**Step 5 of 11**"))
    assert f"each of the {layers - 1} layer" in step_line


@pytest.mark.parametrize("cell,layers", [("rnn", 2), ("lstm", 3), ("gru", 4)])
def test_parameter_counts_per_layer_equal_torch_nn(apptest, cell, layers):
    at = apptest(PAGE, {"cell": cell, "layers": layers, "H": 5})
    assert not at.exception
    m = TORCH[cell](unfold.EMBED_DIM, 5, num_layers=layers)
    per_layer = [sum(p.numel() for n, p in m.named_parameters() if n.endswith(f"_l{k}")) for k in range(layers)]
    u = unfold.run(unfold.UnfoldConfig(cell=cell, layers=layers, H=5))
    assert [n for _, n in unfold.layer_parameters(u)] == per_layer
    G = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    assert per_layer[0] == G * 5 * (unfold.EMBED_DIM + 5 + 2) and set(per_layer[1:]) == {G * 5 * (2 * 5 + 2)}
    caption = next(c.value for c in at.caption if c.value.startswith("Every box in row l"))
    assert f"= {per_layer[0]} parameters" in caption and f"= {per_layer[1]}: {sum(per_layer)} in all" in caption
    weights = next(m.value for m in at.markdown if "has its own weights, the same at every step" in m.value)
    for k, n in enumerate(per_layer, start=1):
        assert f"- layer {k}: " in weights and f"= **{n}**" in weights
    assert f"**{sum(per_layer)}** in all" in weights


def test_each_layers_lines_are_that_layers_numbers(apptest):
    at = apptest(PAGE, {"cell": "gru", "layers": 2, "t": 3})
    widget(at, "unfold_layer").set_value(2).run()
    assert not at.exception
    u = unfold.run(unfold.UnfoldConfig(cell="gru", layers=2))
    from rnnviz.topics.unfold import step as unfold_step
    latex = [el.value.strip("$\n") for el in at.latex if "aligned" in el.value]
    assert latex == [ln.numbers for ln in unfold_step.step_view(u.layers[1], 3)]
    assert any("In layer 2, x₃ is layer 1's h₃" in c.value for c in at.caption)


@pytest.mark.parametrize("raw,shown", [("9", 4), ("0", 1), ("two", 1)])
def test_a_links_impossible_depth_is_clamped_and_said(apptest, raw, shown):
    at = apptest(PAGE, {"layers": raw})
    assert not at.exception
    assert at.slider(key="layers").value == shown
    notes = " ".join(el.value for kind in ("warning", "info", "caption", "markdown") for el in at.get(kind))
    assert "**Layers L (depth)**" in notes and f"the page shows {shown}" in notes
    assert sorted(grid(diagram(at))) == list(range(1, shown + 1))


def test_one_layer_is_the_one_cell_page(apptest):
    at = apptest(PAGE)
    assert at.slider(key="layers").value == 1
    assert sorted(grid(diagram(at))) == [1]
    assert not any(c.value.startswith("Every box in row l") for c in at.caption)
    u = unfold.run(unfold.UnfoldConfig())
    assert u.L == 1 and u.layers == [u]


def test_a_clamp_in_a_stack_is_layer_1s_and_reaches_the_layers_above(apptest):
    at = apptest(PAGE, {"cell": "lstm", "layers": 2, "gate": "forget", "at": 3, "clamped": "true", "t": 6})
    assert not at.exception
    assert any("In this 2-layer stack the gate is layer 1's" in m.value for m in at.markdown)
    cfg = unfold.UnfoldConfig(cell="lstm", layers=2)
    iv = unfold.intervene(cfg, "forget", 3, 1, 0.0)
    assert iv.clamped.layers[0].gates["forget"][2, 0] == 0.0 and iv.clamped.layers[1].clamp is None
    top_change = np.abs(iv.clamped.layers[1].h - iv.original.layers[1].h).max(axis=1)
    assert not top_change[:2].any() and top_change[2:].all()           # before step 3 nothing, from it on all
    shown = grid(diagram(at))                                           # the stepper shows the clamped run
    assert shown[2][6] == pytest.approx(iv.clamped.layers[1].h[5], abs=0.005)


def test_the_depth_preset_opens_a_three_layer_grid(apptest):
    at = apptest(PAGE)
    next(b for b in at.button if b.label == "Three layers deep").click().run()
    assert not at.exception and at.slider(key="layers").value == 3
    assert sorted(grid(diagram(at))) == [1, 2, 3]
