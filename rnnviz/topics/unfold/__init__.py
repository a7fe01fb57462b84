"""Unfolded RNN: step through an RNN, LSTM or GRU one time step at a time, with the real numbers."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/1_Unfolded_RNN.py", title="Unfolded RNN", icon=":material/repeat:", group="Lessons",
              blurb="Step through an RNN, LSTM or GRU one time step at a time and see the real numbers of every equation.", minutes=12)
