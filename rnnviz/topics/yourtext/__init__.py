"""Your text: paste your own text and watch a character model learn to write it, live."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/17_Your_text.py", title="Your text", icon=":material/history_edu:", group="Demos",
              blurb="Paste your own text (any language) and watch a character model learn to write it, live.",
              minutes=10)
