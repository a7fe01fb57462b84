"""Text generation: a shipped character model writes, one drawn character at a time (one-to-many)."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/10_Text_generation.py", title="Text generation", icon=":material/edit_note:", group="Demos",
              blurb="One-to-many: a character model writes Shakespeare; see the probabilities behind every character.", minutes=6)
