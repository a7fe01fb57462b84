"""Image captions: a small CNN sees a generated scene, a GRU describes it word by word (one-to-many)."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/22_Image_captions.py", title="Image captions", icon=":material/image:", group="Demos",
              blurb="One-to-many from an image: a CNN sees a scene, a GRU describes it word by word.", minutes=5)
