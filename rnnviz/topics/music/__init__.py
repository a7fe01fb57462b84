"""Music: a note-level LSTM continues a folk melody note by note (one-to-many), drawn as a piano roll over the
model's distribution at every step, and heard in the browser (synthesised with NumPy)."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/19_Music.py", title="Music", icon=":material/music_note:", group="Demos",
              blurb="One-to-many: an LSTM continues a melody, note by note, and you hear it.", minutes=5)
