"""Gradient lab: watch ‖∂L/∂h_t‖ vanish or explode through time, for RNN, LSTM and GRU side by side. The page itself is rnnviz/topics/lab/view.py."""
from rnnviz.topics.lab import view

view.main()
