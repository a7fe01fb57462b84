"""Backpropagation through time: a loss at every step, the gradient travelling back, and truncation. The page itself is rnnviz/topics/bptt/view.py."""
from rnnviz.topics.bptt import view

view.main()
