"""Backpropagation through time: a loss at every step, the gradient travelling back, and truncation."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/2_BPTT.py", title="Backpropagation through time", icon=":material/fast_rewind:", group="Lessons",
              blurb="Watch the loss's gradient travel back through time, step by step, and what truncating it throws away.", minutes=12)
