"""Modern RNNs: from the GRU to minGRU, the parallel scan, and why recurrence came back. The page itself is rnnviz/topics/modern/view.py."""
from rnnviz.topics.modern import view

view.main()
