"""Date translation: a GRU encoder reads a date written any way, its last state c is all a GRU decoder gets,"""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/12_Date_translation.py", title="Date translation", icon=":material/calendar_month:", group="Demos",
              blurb="Encoder–decoder: read a date in any format, write it as 2026-11-21; greedy against beam search.", minutes=6)
