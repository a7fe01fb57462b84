"""Attention: an encoder–decoder with and without attention, reading number words. The page itself is rnnviz/topics/attention/view.py."""
from rnnviz.topics.attention import view

view.main()
