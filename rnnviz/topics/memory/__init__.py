"""Memory lab: an RNN, an LSTM and a GRU trained live on a long-range task; which one remembers?"""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/7_Memory_lab.py", title="Memory lab", icon=":material/psychology:", group="Lessons",
              blurb="Train an RNN, an LSTM and a GRU live on long-range memory tasks and watch which one learns.", minutes=12)
