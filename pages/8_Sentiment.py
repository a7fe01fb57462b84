"""Sentiment: a word-level LSTM reads a sentence and gives its verdict after every word (many-to-one). The page itself is rnnviz/topics/sentiment/view.py."""
from rnnviz.topics.sentiment import view

view.main()
