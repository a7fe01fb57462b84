"""Issue 22, items 3 and 4, in the framework: words under charts (a person's sentence visible, the automatic
summary only in "The numbers" popover) and predict before reveal (verdict cards and preset outcomes wait
for the answer; a preset scrolls to the chart it changed). Small planted pages through AppTest: cheap."""
from __future__ import annotations

import pytest

from kit.words import chart_words, visible_text
from rnnviz import ui
from rnnviz.shared import describe
from rnnviz.ui import teach

PLANTED = '''
import plotly.graph_objects as go
import streamlit as st
from rnnviz import ui

T = ui.Slider("T", "Length", 5, 50, 10, help="How long.")
v = ui.render([T])
fig = go.Figure(go.Scatter(x=list(range(1, v["T"] + 1)), y=[0.5 ** t for t in range(v["T"])], name="RNN",
                           mode="lines"), layout=dict(title=dict(text="A title")))
ui.chart(st, fig, key="main", summary=f"The gradient halves at every step: {0.5 ** (v['T'] - 1):.3g} is left.")
ui.chart(st, fig, key="plain")
ui.verdict_card(st, "RNN", "#1f77b4", ":material/trending_down:", "vanishing: ×0.5 per step")
ui.verdict_card(st, "GRU", "#2ca02c", ":material/check:", "free to say", held=False)
ui.experiments([("Longer: T = 40", {"T": 40}, "Look at the last step.", "It halves 39 times: 1.8e-12."),
                ("Short: T = 5", {"T": 5}, "Nothing held here.")], [T], show="main")
ui.predict_reveal("What happens?", ["It vanishes", "It explodes"], lambda: (0, "It halves at every step."))
'''


@pytest.fixture
def planted(app_dir, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.chdir(app_dir)
    monkeypatch.syspath_prepend(str(app_dir))
    return AppTest.from_string(PLANTED, default_timeout=30).run()


def scripts(at) -> list[str]:
    return [el.proto.body for el in at._tree if getattr(el, "type", "") == "html"]


def test_a_chart_shows_its_pages_sentence_and_keeps_the_automatic_summary_for_the_numbers(planted):
    at = planted
    assert not at.exception
    said = chart_words(at)
    assert said["main"].sentence == ui.escape_markdown("The gradient halves at every step: 0.00195 is left.")
    assert said["plain"].sentence is None                        # no sentence of its own: nothing grey under it
    import plotly.graph_objects as go
    fig = go.Figure(go.Scatter(x=list(range(1, 11)), y=[0.5 ** t for t in range(10)], name="RNN", mode="lines"),
                    layout=dict(title=dict(text="A title")))
    automatic = ui.escape_markdown(describe.summary(fig))
    assert said["main"].numbers == automatic and said["plain"].numbers == automatic   # for a screen reader
    assert automatic not in visible_text(at)                                          # not for the eye
    assert len(at.get("download_button")) == 2                   # the CSV sits with the numbers
    at.slider(key="T").set_value(20).run()
    assert chart_words(at)["main"].sentence == ui.escape_markdown(     # computed at run time
        f"The gradient halves at every step: {0.5 ** 19:.3g} is left.")


def test_verdicts_and_a_presets_outcome_wait_for_the_answer(planted):
    at = planted
    cards = [m.value for m in at.markdown if m.value.startswith("<span")]
    assert ui.HELD_VERDICT in cards[0] and "vanishing" not in cards[0] and "trending_down" not in cards[0]
    assert "free to say" in cards[1]                             # a card a page does not hold
    notes = " ".join(m.value for m in at.markdown)
    assert "Look at the last step." in notes and teach.HELD_NOTE in notes and "1.8e-12" not in notes
    assert "Nothing held here." in notes
    at.radio(key=teach.GUESS).set_value("It explodes").run()
    assert "1.8e-12" not in " ".join(m.value for m in at.markdown)      # a guess alone reveals nothing
    at.button(key=teach.REVEAL).click().run()
    cards = [m.value for m in at.markdown if m.value.startswith("<span")]
    notes = " ".join(m.value for m in at.markdown)
    assert "vanishing: ×0.5 per step" in cards[0] and ui.HELD_VERDICT not in cards[0]   # the same run as the press
    assert "It halves 39 times: 1.8e-12." in notes and teach.HELD_NOTE not in notes
    at.slider(key="T").set_value(30).run()                       # another control: the reveal stays
    assert "1.8e-12" in " ".join(m.value for m in at.markdown)
    at.radio(key=teach.GUESS).set_value("It vanishes").run()    # a new guess: held again until revealed
    assert "1.8e-12" not in " ".join(m.value for m in at.markdown)


def test_a_preset_scrolls_to_its_chart_once_per_press(planted):
    at = planted
    assert not any(teach.is_scroll_script(s) for s in scripts(at))   # no scroll on an ordinary run
    at.button(key="try_0").click().run()
    assert at.slider(key="T").value == 40
    first = [s for s in scripts(at) if teach.is_scroll_script(s)]
    assert len(first) == 1 and '".st-key-main"' in first[0]
    at.button(key="try_0").click().run()                         # pressed again: a new script, so it runs again
    second = [s for s in scripts(at) if teach.is_scroll_script(s)]
    assert len(second) == 1 and second[0] != first[0]
    at.slider(key="T").set_value(12).run()
    assert not any(teach.is_scroll_script(s) for s in scripts(at))


def test_the_scroll_script_is_built_from_a_safe_key_only():
    assert '".st-key-grad_norms"' in teach.scroll_script(1, "grad_norms")
    hostile = teach.scroll_script(1, 'x"); alert(1); ("')
    assert "alert" not in hostile and "st-key" not in hostile   # anything else scrolls to the top of the view
    assert teach.is_scroll_script(hostile)
    assert not teach.is_scroll_script(teach.scroll_script(1, "k").replace("scrollIntoView", "alert"))


@pytest.mark.parametrize("page", [None, "pages/8_Sentiment.py", "pages/9_Surname_language.py", "pages/11_Tagging.py",
                                  "pages/12_Date_translation.py"], ids=["Home", "Sentiment", "Surname", "Tagging",
                                                                         "Dates"])
def test_no_page_shows_an_automatic_summary_and_its_main_chart_has_a_sentence(apptest, page):
    """Issue 22 on real pages: every chart's automatic summary sits in its popover and nowhere a student sees
    it; the page's first chart carries a sentence a person wrote (not the automatic one)."""
    at = apptest(page)
    assert not at.exception
    said = chart_words(at)
    assert said, "the page draws charts"
    seen = visible_text(at)
    for key, w in said.items():
        assert w.numbers, key
        assert w.numbers not in seen, key
    first = next(iter(said.values()))
    assert first.sentence and first.sentence != first.numbers
