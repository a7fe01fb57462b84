"""Memory lab: an RNN, an LSTM and a GRU trained live on a long-range task; which one remembers?. The page itself is rnnviz/topics/memory/view.py."""
from rnnviz.topics.memory import view

view.main()
