"""Unfolded RNN: step through an RNN, LSTM or GRU one time step at a time, with the real numbers. The page itself is rnnviz/topics/unfold/view.py."""
from rnnviz.topics.unfold import view

view.main()
