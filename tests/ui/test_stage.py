"""ui.stage: a main view's two columns, and a lazy expander whose content is sent only once it is open."""
from streamlit.testing.v1 import AppTest


def script():
    import streamlit as st

    from rnnviz import ui
    controls, chart = ui.stage.main_view("demo")
    controls.slider("A slider", 0, 10, 3, key="s")
    chart.markdown("the chart")
    more = ui.stage.deeper("More", "more")
    if more.open:
        with more:
            st.markdown("deep material")


def test_main_view_has_two_columns_and_deeper_is_lazy():
    at = AppTest.from_function(script).run()
    assert not at.exception
    assert len(at.columns) == 2 and at.columns[0].slider[0].value == 3
    assert "the chart" in [m.value for m in at.columns[1].markdown]
    assert "deep material" not in [m.value for m in at.markdown]          # closed: nothing of it was sent
    assert at.session_state["more"] is False
    at.session_state["more"] = True                                      # the student opens it
    at.run()
    assert "deep material" in [m.value for m in at.markdown]


def test_the_style_survives_the_html_sanitizer():
    """st.html sanitizes its content, and drops a <style> whose text holds an angle bracket (a comment's
    "<name>" once removed every rule, so nothing stacked on a tablet): none inside, and the rules are there."""
    from rnnviz.ui import stage

    inner = stage._CSS.removeprefix("<style>").removesuffix("</style>")
    assert "<" not in inner                      # (">" is fine: the child combinator)
    assert "@media (max-width: 1023px)" in inner and '[class*="st-key-row_"]' in inner
    assert stage.lead("One. Two *three*. Four.", 2) == ("One. Two *three*.", "Four.")
