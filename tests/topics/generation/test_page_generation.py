"""The text-generation page through AppTest, with the shipped models: it writes what the lesson writes,
every control changes what is drawn, bad prompts give messages (never an exception, never live HTML),
the URL and the presets set a view, the predict-then-reveal is computed, and missing weights are a
message on this page only."""
from __future__ import annotations

import html
import json
import re

import pytest
from common import reveal, widget

from kit.charts import charts
from rnnviz import pretrained
from rnnviz.topics.generation import compute as generation
from rnnviz.topics.generation import view

PAGE = "pages/10_Text_generation.py"
STEP = {"t": "Generated step t"}                       # the stepper's slider: found by its label
CHARTS = {"heatmap", "diagram"}
MAIN_CHARTS = {"heatmap"}                              # drawn before any expander is opened (the bars are HTML)


def opened(at, *keys: str):
    """Open the page's lazy expanders (the step's diagram, "How the model writes"; all by default) and rerun.
    A browser sends an open expander's state with every rerun; AppTest does not, so a test opens it again."""
    for key in keys or (view.DIAGRAM, view.HOW):
        at.session_state[key] = True
    return at.run()


def written(at) -> str:
    """The coloured text (prompt + generation) as characters: one span each, ↵ for a newline."""
    spans = re.findall(r"<span [^>]*>(.*?)</span>", at.get("html")[0].proto.body)
    return "".join("\n" if s == "↵" else html.unescape(s) for s in spans)


def warnings(at) -> str:
    return " ".join(w.value for w in at.warning)


def title(spec: dict) -> str:
    return spec["layout"]["title"]["text"]


def bars(at) -> str:
    """The step's bars (HTML, figures.step_bars): exactly one on the page."""
    (body,) = [h.proto.body for h in at.get("html") if 'class="rnnviz-bars"' in h.proto.body]
    return body


def bars_title(at) -> str:
    return html.unescape(re.search(r'<p class="rb-title">(.*?)</p>', bars(at)).group(1))


def snapshot(at) -> dict[str, str]:
    return {**{k: json.dumps(v, sort_keys=True) for k, v in charts(at).items()}, "text": written(at),
            "bars": bars(at)}


@pytest.fixture(scope="module")
def lstm():
    return pretrained.load("char_lstm")[0]


def test_runs_at_its_defaults_and_writes_what_the_lesson_writes(apptest, lstm):
    at = apptest(PAGE)
    assert not at.exception and not at.warning
    assert set(charts(at)) == MAIN_CHARTS                              # the diagram waits in its expander
    assert not any("many-to-one priming" in m.value for m in at.markdown)
    opened(at)
    assert not at.exception and set(charts(at)) == CHARTS
    g = generation.sample(lstm, "ROMEO.\n", 120, temperature=0.8, top_k=0, seed=0)
    assert written(at) == "ROMEO.\n" + g.text
    spec = charts(at)
    assert bars_title(at) == (f"Step 1: drew “{generation.visible(g.text[0])}”, p = "
                              f"{100 * g.p_chosen[0]:.1f}%")
    assert "steps 1–40 of 120" in title(spec["heatmap"]) and "top-k = off" in title(spec["heatmap"])
    assert spec["diagram"]["layout"]["xaxis"]["ticktext"][:3] == ["p", "p", "1"]
    assert any(f"favourite at {int((g.rank == 1).sum())} steps" in c.value for c in at.caption)
    assert any("many-to-one priming" in m.value for m in at.markdown)


# (control, new value, what must change), in this order on one AppTest
MOVES = [
    ("t", 30, {"heatmap", "bars", "diagram"}),
    ("temp", 1.5, {"text", "heatmap", "bars"}),
    ("k", 3, {"text", "heatmap", "bars"}),
    ("seed", 7, {"text", "heatmap"}),
    ("n", 200, {"text"}),
    ("model", "gru", {"text", "heatmap", "bars"}),
    ("prompt", "JULIET.\nO Romeo, Romeo", {"text", "heatmap", "diagram"}),
]


def test_each_control_changes_what_is_drawn(apptest):
    at = opened(apptest(PAGE), view.DIAGRAM)
    for key, value, expected in MOVES:
        before = snapshot(at)
        box = [w for w in at.text_area if w.key == key]
        (box[0] if box else widget(at, key, STEP)).set_value(value)
        opened(at, view.DIAGRAM)           # AppTest does not send an expander's state back: open it again
        assert not at.exception, (key, at.exception)
        after = snapshot(at)
        unchanged = {part for part in expected if before.get(part) == after.get(part)}
        assert not unchanged, f"moving {key} to {value!r} left {unchanged} as they were"
    assert len(written(at)) == len("JULIET.\nO Romeo, Romeo") + 200
    assert "top-k = 3" in title(charts(at)["heatmap"])


def test_a_step_inside_the_heatmaps_window_moves_only_its_box(apptest):
    """Issue 22 (redraw only what changed): the heatmap is the same figure for every step of its window, so
    the browser keeps it as drawn; step t's orange box is a style over it, and it moves. The window jumps by
    half its width when t leaves its middle half."""
    at = apptest(PAGE)
    boxes = lambda: [h.proto.body for h in at.get("html") if "st-key-heatmap::after" in h.proto.body]
    before, box = charts(at)["heatmap"], boxes()
    widget(at, "t", STEP).set_value(7).run()
    assert not at.exception and charts(at)["heatmap"] == before
    assert len(box) == len(boxes()) == 1 and box != boxes() and "#E69F00" in box[0]   # orange: step t
    widget(at, "t", STEP).set_value(21).run()
    assert "steps 11–50 of 120" in title(charts(at)["heatmap"])


def test_bad_prompts_give_messages_not_exceptions(apptest):
    at = apptest(PAGE, {"prompt": ""})
    assert not at.exception and "The prompt is empty" in warnings(at) and "new line" in warnings(at)
    assert written(at).startswith("\n") and set(charts(opened(at))) == CHARTS

    at.text_area(key="prompt").set_value("To be. " * 14_286).run()       # 100,002 characters
    assert not at.exception and "You typed 100,002 characters" in warnings(at)
    assert len(written(at)) == 1_000 + 120

    typed = "<script>alert('x')</script><b>hi</b> 😀\x07\u202e"
    at.text_area(key="prompt").set_value(typed).run()
    assert not at.exception
    w = warnings(at)
    assert "outside the model's alphabet" in w and "😀" in w and "<" not in w.replace("\\<", "")
    page = (at.get("html")[0].proto.body + json.dumps(charts(at))
            + " ".join(m.value for m in [*at.markdown, *at.caption]))
    for raw in ("<script", "<b>hi"):
        assert raw not in page, page[page.find(raw) - 300:page.find(raw) + 30]
    assert ">&lt;</span>" in at.get("html")[0].proto.body                  # one escaped character per span
    assert written(at).startswith(typed[:-2] + "��")                     # as typed; unprintable ones as �


def test_the_url_reopens_the_same_view(apptest):
    query = {"prompt": "MACBETH.\n", "model": "gru", "temp": 1.2, "k": 5, "n": 60, "seed": 3, "t": 50}
    at = opened(apptest(PAGE, query), view.DIAGRAM)
    assert not at.exception
    assert (widget(at, "model").value, at.slider(key="temp").value, at.slider(key="k").value) == ("gru", 1.2, 5)
    assert widget(at, "t", STEP).value == 50 and len(written(at)) == len("MACBETH.\n") + 60
    spec = charts(at)
    assert bars_title(at).startswith("Step 50:") and "steps 21–60 of 60" in title(spec["heatmap"])
    assert spec["diagram"]["layout"]["xaxis"]["ticktext"] == [str(t) for t in range(43, 51)]
    g = generation.sample(pretrained.load("char_gru")[0], "MACBETH.\n", 60, temperature=1.2, top_k=5, seed=3)
    assert written(at) == "MACBETH.\n" + g.text


def test_presets_keep_the_prompt_and_set_the_rest(apptest):
    at = apptest(PAGE, {"prompt": "HAMLET.\n", "seed": 9})
    next(b for b in at.button if b.label.startswith("Greedy")).click().run()
    assert not at.exception
    assert (at.slider(key="k").value, at.slider(key="n").value, at.number_input(key="seed").value) == (1, 400, 0)
    assert at.text_area(key="prompt").value == "HAMLET.\n"
    assert generation.find_loop(written(at)[len("HAMLET.\n"):]) is not None      # greedy: it loops
    next(b for b in at.button if b.label.startswith("Cold")).click().run()
    assert at.slider(key="temp").value == 0.2 and at.slider(key="k").value == 0


def test_predict_then_reveal_is_computed_from_the_model(apptest, lstm):
    at = apptest(PAGE, {"prompt": "The king"})
    shown = reveal(at, "It falls into a loop: the same piece repeats")
    loop = generation.find_loop(generation.sample(lstm, "The king", 400, top_k=1).text)
    assert len(at.success) == 1 and f"same {loop.period} characters repeat" in shown[0]
    shown = reveal(at, "It turns into random letters")
    assert shown[0].startswith("**Not quite: It falls into a loop")


def test_missing_weights_are_a_message_on_this_page_only(apptest, damaged_weights):
    damaged_weights(missing=["char_lstm"])
    at = apptest(PAGE)
    assert not at.exception and not charts(at)
    assert any("char_lstm" in e.value and "could not be loaded" in e.value for e in at.error)
    widget(at, "model").set_value("gru").run()                        # the other model still works
    assert not at.exception and set(charts(opened(at))) == CHARTS
