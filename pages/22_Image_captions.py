"""Image captions: a small CNN sees a generated scene, a GRU describes it word by word. The page itself is rnnviz/topics/captions/view.py."""
from rnnviz.topics.captions import view

view.main()
