"""The Architectures page through AppTest: every form draws its own diagram, the length sliders move it
(and are disabled where the form fixes them), demos are linked only when their page exists, with a ready
input, the presets set a view, the URL reopens one, and the predict-then-reveal answer is the rules'."""
from __future__ import annotations

import json

import pytest
from kit.charts import chart_nodes
from common import reveal, widget

from rnnviz import ui
from rnnviz.topics.architectures import compute as arch
from rnnviz.topics.architectures import words

PAGE = "pages/6_Architectures.py"


def diagram(at) -> dict:
    (chart,) = [el for el in chart_nodes(at) if el.id.endswith("-diagram")]
    return json.loads(chart.spec)


def counts(spec: dict) -> dict[str, int]:
    """How many boxes of each kind the diagram draws (the "fed back" trace: how many arrowheads); the arrows
    between boxes and the h labels are not boxes."""
    out: dict[str, int] = {}
    for d in spec["data"]:
        if d["meta"].startswith("arrows") or d["meta"] == "h labels":
            continue
        n = sum(s == "arrow" for s in d["marker"]["symbol"]) if d["meta"] == "fed back" else len(d["x"])
        out[d["meta"]] = out.get(d["meta"], 0) + n
    return out


def demo_links(at) -> dict[str, str]:
    """{page name: query string} of the page's "Try it live" links (the sidebar's links are not demos)."""
    return {el.proto.page: el.proto.query_string for el in at.get("page_link")
            if el.proto.label.startswith("Try it live")}


def captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def test_runs_at_its_defaults(apptest):
    at = apptest(PAGE)
    assert not at.exception and not at.warning
    assert at.title[0].value == "Architectures"
    assert counts(diagram(at)) == {"x": 6, "cell": 6, "y": 1, "L": 1}           # many-to-one, 6 inputs
    assert "1 loss term" in captions(at) and "5 recurrent products" in captions(at)
    assert (at.slider(key="n_in").disabled, at.slider(key="n_out").disabled) == (False, True)
    assert any("with 6 inputs there is one loss term" in m.value for m in at.markdown)
    assert any(el.proto.page == "BPTT" for el in at.get("page_link"))             # the way back, explained


@pytest.mark.parametrize("form", arch.ORDER)
def test_every_form_draws_its_rules_and_disables_what_it_fixes(apptest, form):
    at = apptest(PAGE, {"n_in": 5, "n_out": 3})
    widget(at, "form").set_value(form).run()
    assert not at.exception
    f = arch.FORMS[form]
    assert at.slider(key="n_in").disabled == ("n_in" in f.fixed)
    assert at.slider(key="n_out").disabled == ("n_out" in f.fixed)
    n_in, n_out = arch.lengths(form, 5, 3)
    lay = arch.layout(form, n_in, n_out)
    expected = {"x": len(lay.input_steps), "cell": len(lay.steps), "y": len(lay.output_steps),
                "L": len(lay.loss_steps)}
    if lay.fed_back_steps:
        expected["fed back"] = len(lay.fed_back_steps)
    if lay.context:
        expected["context"] = 1
    assert counts(diagram(at)) == expected
    assert f.name in diagram(at)["layout"]["title"]["text"]
    assert any(h.value.startswith(f.name) for h in at.subheader)
    text = " ".join(m.value for m in at.markdown)
    for name, _ in f.applications:
        assert f"**{name}.**" in text


def test_the_sliders_move_the_diagram(apptest):
    at = apptest(PAGE, {"form": "encoder-decoder"})
    at.slider(key="n_in").set_value(9).run()
    assert counts(diagram(at))["x"] == 9 and counts(diagram(at))["y"] == 4
    at.slider(key="n_out").set_value(11).run()
    assert counts(diagram(at)) == {"x": 9, "cell": 20, "context": 1, "y": 11, "L": 11, "fed back": 10}
    widget(at, "form").set_value("many-to-many").run()                  # n_out follows n_in, whatever it says
    assert counts(diagram(at)) == {"x": 9, "cell": 9, "y": 9, "L": 9}
    assert "n_out = 9 (set by the form)" in captions(at)
    assert at.slider(key="n_out").disabled
    at = apptest(PAGE, {"form": "many-to-many", "n_in": 9, "n_out": 2})  # a link's n_out: ignored by this form
    assert counts(diagram(at))["y"] == 9 and not at.exception


def test_demos_are_linked_only_when_their_page_exists(apptest, monkeypatch):
    existing = {lesson.path for lesson in ui.LESSONS}
    for form in arch.ORDER:
        at = apptest(PAGE, {"form": form})
        demos = arch.FORMS[form].demos
        linked = demo_links(at)
        assert len(linked) == sum(d.path in existing for d in demos)
        for d in demos:
            if d.coming and d.path not in existing:
                assert f"{d.title}: its live demo comes with the next issue." in captions(at)
    at = apptest(PAGE, {"form": "one-to-many"})
    links = demo_links(at)
    assert links["Text_generation"] == "prompt=ROMEO.%0ABut+soft%2C+"                 # a ready input
    assert set(links) == {"Text_generation", "Music", "Image_captions"}
    monkeypatch.setattr(ui, "LESSONS", [lesson for lesson in ui.LESSONS if "Text_generation" not in lesson.path])
    at = apptest(PAGE, {"form": "one-to-many"})
    assert not at.exception and set(demo_links(at)) == {"Music", "Image_captions"}
    assert "Text generation: its live demo is not installed" in captions(at)


def test_presets_and_the_url_set_the_view(apptest):
    at = apptest(PAGE, {"form": "encoder-decoder", "n_in": 3, "n_out": 9})
    assert counts(diagram(at))["x"] == 3 and counts(diagram(at))["y"] == 9
    next(b for b in at.button if b.label.startswith("Translation")).click().run()
    assert (widget(at, "form").value, at.slider(key="n_in").value, at.slider(key="n_out").value) == \
        ("encoder-decoder", 7, 5)
    next(b for b in at.button if b.label.startswith("Sentiment")).click().run()
    assert widget(at, "form").value == "many-to-one" and counts(diagram(at))["x"] == 8
    assert at.slider(key="n_out").value == 4                            # the rest back to their defaults
    next(b for b in at.button if b.label.startswith("Generation")).click().run()
    assert counts(diagram(at)) == {"x": 1, "cell": 10, "y": 10, "L": 10, "fed back": 9}


def test_predict_then_reveal(apptest):
    question, answers, right, _ = words.predict_question(8)
    at = apptest(PAGE)
    shown = reveal(at, answers[right])
    assert len(at.success) == 1 and "7 products with W_hh" in shown[0]
    shown = reveal(at, answers[(right + 1) % 4])
    assert not at.success and shown[0].startswith(f"**Not quite: {answers[right]}.**")


# ----- depth (issue 23): stacked layers, their parameters, and the lessons past the five forms -----------------
def test_the_depth_slider_stacks_the_cell_rows_and_counts_parameters_per_layer(apptest):
    import torch
    at = apptest(PAGE, {"form": "many-to-one", "n_in": 5})
    assert at.slider(key="layers").value == 1
    assert not any("layers, each with its own weights" in c.value for c in at.caption)
    at.slider(key="layers").set_value(3).run()
    assert not at.exception
    assert counts(diagram(at)) == {"x": 5, "cell": 15, "y": 1, "L": 1}          # 3 rows of 5 copies
    assert diagram(at)["layout"]["yaxis"]["ticktext"] == ["input", "layer 1", "layer 2", "layer 3", "output", "loss"]
    I, H = arch.EXAMPLE["I"], arch.EXAMPLE["H"]
    per_layer = {k: [sum(p.numel() for n, p in m(I, H, num_layers=3).named_parameters() if n.endswith(f"_l{j}"))
                     for j in range(3)] for k, m in (("rnn", torch.nn.RNN), ("lstm", torch.nn.LSTM), ("gru", torch.nn.GRU))}
    for k in per_layer:
        assert list(arch.layer_parameters(k, 3)) == per_layer[k]
    note = next(c.value for c in at.caption if "layers, each with its own weights" in c.value)
    rnn = per_layer["rnn"]
    assert rnn[0] == H * (I + H + 2) and rnn[1] == rnn[2] == H * (2 * H + 2)
    assert f"H·(I + H + 2) = {rnn[0]:,}" in note and f"H·(2H + 2) = {rnn[1]:,}: {sum(rnn):,} in all" in note
    assert f"an LSTM {sum(per_layer['lstm']):,}, a GRU {sum(per_layer['gru']):,}" in note
    # x_1 → the top state at step 5: 4 steps along, 3 up: 7 factors on each of C(6, 2) = 15 routes
    assert "crosses 7 weight matrices, and there are 15 routes" in note
    at = apptest(PAGE, {"form": "encoder-decoder", "layers": 2, "n_in": 3, "n_out": 2})
    assert counts(diagram(at)) == {"x": 3, "cell": 10, "context": 2, "y": 2, "L": 2, "fed back": 1}


def test_a_links_impossible_depth_is_clamped_and_said(apptest):
    at = apptest(PAGE, {"layers": 9})
    assert not at.exception and at.slider(key="layers").value == arch.MAX_LAYERS
    notes = " ".join(el.value for kind in ("warning", "info", "caption", "markdown") for el in at.get(kind))
    assert "**Depth: layers L**" in notes and f"the page shows {arch.MAX_LAYERS}" in notes
    assert counts(diagram(at))["cell"] == 6 * arch.MAX_LAYERS


def test_the_newer_lessons_are_listed_only_when_their_page_exists(apptest, monkeypatch):
    from rnnviz import catalog
    at = apptest(PAGE)
    links = {(el.proto.page, el.proto.query_string) for el in at.get("page_link")}
    present = {t.path for t in ui.LESSONS}
    for name, page, query in (("attention", "Attention", ""), ("unfold", "Unfolded_RNN", "layers=2")):
        if catalog.TOPICS[name].path in present:
            assert (page, query) in links
    modern = catalog.TOPICS.get("modern")
    listed = [el.proto.label for el in at.get("page_link")]
    if modern is not None and modern.path in present:
        assert modern.title in listed
    else:
        assert not any("Modern" in label for label in listed)
    monkeypatch.setattr(ui, "LESSONS", [t for t in ui.LESSONS if "Attention" not in t.path])
    at = apptest(PAGE)
    assert not at.exception and "Attention" not in [el.proto.page for el in at.get("page_link")]
    assert ("Unfolded_RNN", "layers=2") in {(el.proto.page, el.proto.query_string) for el in at.get("page_link")}


NEW_DEMOS = [d for d in (arch.MUSIC, arch.CAPTIONS, arch.VIDEO, arch.SPEECH) if d.path in {x.path for x in ui.LESSONS}]


@pytest.mark.parametrize("demo", NEW_DEMOS, ids=lambda d: d.title)
def test_the_applications_demos_open_on_their_ready_input(apptest, demo):
    """Issue 25: each application's link opens its page with every parameter of the link set on a control, no
    exception and no warning about the link."""
    at = apptest(demo.path, demo.query)
    assert not at.exception
    for key, value in demo.query.items():
        assert str(widget(at, key).value) == value, (demo.title, key)
    assert not [w.value for w in at.warning if "link" in w.value.lower()], demo.title
