"""Speech → letters: a bidirectional GRU hears a synthetic spoken word and spells it, with CTC. The page itself is rnnviz/topics/speech/view.py."""
from rnnviz.topics.speech import view

view.main()
