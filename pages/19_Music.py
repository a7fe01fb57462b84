"""Music: a note-level LSTM continues a folk melody note by note, and the class hears it. The page itself is rnnviz/topics/music/view.py."""
from rnnviz.topics.music import view

view.main()
