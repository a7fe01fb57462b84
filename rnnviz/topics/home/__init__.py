"""Home: the app's front page (app.py), what an RNN is and the list of lessons and demos."""
from rnnviz.topics import Topic

TOPIC = Topic(path="app.py", title="rnnviz: recurrent neural networks, seen from the inside", icon=":material/home:", group="Home",
              blurb="What a sequence is, the idea of a recurrent network, and every lesson and demo.", minutes=5)
