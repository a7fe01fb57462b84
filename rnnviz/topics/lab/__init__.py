"""Gradient lab: watch ‖∂L/∂h_t‖ vanish or explode through time, for RNN, LSTM and GRU side by side."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/3_Gradient_lab.py", title="Gradient lab", icon=":material/trending_down:", group="Lessons",
              blurb="Move sliders and watch gradients vanish or explode through time, for RNN, LSTM and GRU side by side.", minutes=12)
