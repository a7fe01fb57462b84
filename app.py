"""rnnviz: the Home page. Streamlit's native multipage mode lists the lessons in pages/."""
import streamlit as st

from rnnviz import ui

ui.page_setup("rnnviz", "🔁", intro="Recurrent neural networks, seen from the inside.")
for path, title, blurb in ui.LESSONS:
    st.page_link(path, label=title, icon="📉")
    st.caption(blurb)
