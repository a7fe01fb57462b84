"""The browser bench's yardstick (bench/browser.py): a bare Streamlit page, one sidebar slider redrawing one
small plotly chart. Whatever any Streamlit page costs the browser for one move (a websocket round trip, a
script run, React, one plotly redraw), this costs too, and little else: a page's settle time is read as a
multiple of this one, measured in the same Chromium run, so the machine's speed cancels out.

Served by tests/kit/server.py from the repo's root (`streamlit run bench/bare_page.py`), so it reads the app's
own .streamlit/config.toml (theme, toolbar) as the app does.
"""
import numpy as np
import plotly.graph_objects as go
import streamlit as st

n = st.sidebar.slider("Points", min_value=10, max_value=200, value=50, key="n")
x = np.arange(n)
st.plotly_chart(go.Figure(go.Scatter(x=x, y=np.sin(x / 5), mode="lines+markers"),
                          layout=dict(height=300, margin=dict(l=40, r=20, t=30, b=40), title=f"sin(x / 5), {n} points")),
                key="chart")
