"""Modern RNNs: the road from the GRU to today's linear RNNs (minGRU, the parallel scan, state-space models)."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/16_Modern_RNNs.py", title="Modern RNNs", icon=":material/bolt:", group="Lessons",
              blurb="From the GRU to minGRU: a linear recurrence, the parallel scan, and why recurrence came back.",
              minutes=6)
