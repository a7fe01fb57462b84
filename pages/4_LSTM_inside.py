"""LSTM inside: a trained character-level LSTM reads a text; its gates, cell state and units, per character. The page itself is rnnviz/topics/lstm_inside/view.py."""
from rnnviz.topics.lstm_inside import view

view.main()
