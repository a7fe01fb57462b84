"""Speech → letters: a bidirectional GRU hears a synthetic spoken word and spells it, with CTC."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/20_Speech.py", title="Speech → letters", icon=":material/record_voice_over:", group="Demos",
              blurb="Many-to-many, unequal lengths: a bidirectional GRU hears a word and spells it, with CTC.",
              minutes=6)
