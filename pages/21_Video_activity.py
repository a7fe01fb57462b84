"""Video activity: a convolutional GRU watches a generated clip and names its motion after every frame. The page itself is rnnviz/topics/video/view.py."""
from rnnviz.topics.video import view

view.main()
