"""Tagging: two word-level LSTMs tag every word of a sentence, one reading left to right, one both ways"""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/11_Tagging.py", title="Tagging", icon=":material/sell:", group="Demos",
              blurb="Many-to-many, aligned: a tag for every word, and why reading ahead (bidirectional) helps.", minutes=6)
