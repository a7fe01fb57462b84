"""LSTM inside: a trained character-level LSTM reads a text; its gates, cell state and units, per character."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/4_LSTM_inside.py", title="LSTM inside", icon=":material/biotech:", group="Lessons",
              blurb="Type text into an LSTM trained on Shakespeare and watch its gates, cell state and units per character.", minutes=10)
