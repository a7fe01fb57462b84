"""Attention: the date-style encoder–decoder beside the same one with additive attention, reading number words."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/15_Attention.py", title="Attention", icon=":material/center_focus_strong:", group="Lessons",
              blurb="Encoder–decoder with and without attention: accuracy against input length, the alignment map, c_k.",
              minutes=8)
