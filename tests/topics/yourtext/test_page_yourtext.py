"""The "Your text" page through AppTest: it opens on an example with the text's baselines, refuses bad text
with a message (Train greyed out), trains live in a process of its own, stops, continues, offers the model
for download (a file that loads back), and the Text generation page writes with it in the same session."""
from __future__ import annotations

import html
import re
import time

from kit.charts import charts
from rnnviz.shared import bundle
from rnnviz.topics.generation import compute as generation
from rnnviz.topics.yourtext import data as textdata
from rnnviz.topics.yourtext import view
from rnnviz.ui import yours

PAGE = "pages/17_Your_text.py"


def button(at, label: str):
    return next(b for b in at.button if b.label.startswith(label))


def problems(at) -> str:
    return " ".join(w.value for w in [*at.warning, *at.error])


def test_opens_on_an_example_with_its_baselines(apptest):
    at = apptest(PAGE)
    assert not at.exception and not problems(at)
    data = textdata.read_text(textdata.example(view.EXAMPLES[0]))
    said = " ".join(m.value for m in at.markdown)
    for name in ("uniform", "unigram", "bigram"):
        assert f"{data.baselines[name]:.2f}" in said
    assert set(charts(at)) == {"curve"} and not button(at, "Train").disabled


def test_bad_text_is_a_message_and_train_waits(apptest):
    at = apptest(PAGE, {"source": "typed"})
    assert not at.exception and button(at, "Train").disabled        # nothing typed yet
    for typed, expected in (("", "empty"), ("a", "character"), ("ab " * 20, "at least")):
        at.text_area(key=view.TYPED).set_value(typed).run()
        assert not at.exception and expected in problems(at).lower(), (typed, problems(at))
        assert button(at, "Train").disabled
    at.text_area(key=view.TYPED).set_value("<script>alert(1)</script> **bold** " * 20).run()
    assert not at.exception and not button(at, "Train").disabled
    assert "<script" not in " ".join(m.value for m in [*at.markdown, *at.caption])


def wait(run, until, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not until(run.snapshot()) and time.monotonic() < end:
        time.sleep(0.1)
    assert until(run.snapshot()), run.snapshot().status


def test_train_stop_continue_download_and_write_with_it(apptest):
    at = apptest(PAGE, {"hidden": "32", "seconds": "15"})
    button(at, "Train").click().run()
    run = at.session_state[view.RUN]
    assert "Stop" in [b.label for b in at.button]
    wait(run, lambda p: len(p.checkpoints) >= 2)                      # step 0, then ~3 s of training
    at.run()
    assert not at.exception and set(charts(at)) >= {"curve"}
    button(at, "Stop").click().run()
    assert run.job.join(30) and run.snapshot().status == "stopped"
    at.run()
    assert not at.exception and not button(at, "Continue training").disabled
    p = run.snapshot()
    model, conf, _, _ = at.session_state[yours.TEXT]
    assert conf["steps"] == p.steps and model.hidden_size == 32
    # the download is a file that loads back to the same model
    again, conf2 = bundle.load(bundle.dump(model, "text", conf), expect="text")
    assert conf2["steps"] == p.steps and all((a == b).all() for a, b in zip(model.state_dict().values(),
                                                                              again.state_dict().values()))
    # continue: the step count goes on from where it stopped
    button(at, "Continue training").click().run()
    more = at.session_state[view.RUN]
    assert more is not run
    wait(more, lambda q: q.steps > p.steps)
    button(at, "Stop").click().run()
    assert more.job.join(30)
    at.run()
    # Text generation, same session: "yours" is a model choice, and it writes what the model writes
    at.switch_page("pages/10_Text_generation.py")
    at.query_params["model"] = yours.OPTION
    at.run()
    assert not at.exception
    model, _, _, _ = at.session_state[yours.TEXT]
    g = generation.sample(model, "ROMEO.\n", 120, temperature=0.8, top_k=0, seed=0)
    spans = re.findall(r"<span [^>]*>(.*?)</span>", at.get("html")[0].proto.body)
    assert "".join("\n" if s == "↵" else html.unescape(s) for s in spans) == "ROMEO.\n" + g.text
    assert "not one of its choices" not in " ".join(m.value for m in at.markdown)
    assert any(m.value.startswith("Your own character-level model") for m in at.markdown)    # the intro says whose
    # LSTM inside with the same session's model (a fresh AppTest holding it: AppTest keeps a widget key's state
    # from page to page, "model" here, which a browser's page change does not; the Chromium test walks the links)
    li = apptest("pages/4_LSTM_inside.py", {"model": yours.OPTION})
    assert "no LSTM trained or loaded there" in " ".join(w.value for w in li.warning)     # none in that session yet
    li.session_state[yours.TEXT] = at.session_state[yours.TEXT]
    li.run()
    assert not li.exception and not li.warning
    assert any(c.value.startswith("Yours: LSTM, 32 units") for c in li.caption), [c.value[:60] for c in li.caption]
    assert li.selectbox(key="passage").value == view.HELD_OUT
    assert any(m.value.startswith("Your own character-level LSTM") for m in li.markdown)     # the intro says whose


def test_a_bad_link_is_said_and_the_page_shows_its_defaults(apptest):
    at = apptest(PAGE, {"cell": "transformer", "hidden": "7", "source": "<b>x</b>"})
    said = " ".join(w.value for w in at.warning)
    assert not at.exception and "“transformer”, which is not one of its choices" in said and "<b>" not in said
    assert (at.selectbox(key="cell").value, at.selectbox(key="hidden").value) == ("lstm", "128")
