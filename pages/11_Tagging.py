"""Tagging: two word-level LSTMs tag every word of a sentence, one reading left to right, one both ways. The page itself is rnnviz/topics/tagging/view.py."""
from rnnviz.topics.tagging import view

view.main()
