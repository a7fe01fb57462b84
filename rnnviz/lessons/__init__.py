"""The lessons' computations, one module per lesson (the core they build on is in rnnviz/ itself).

Each takes a small config and returns plain data a page draws with rnnviz.figures; none imports streamlit.
"""
