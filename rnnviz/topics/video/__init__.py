"""Video activity: a per-frame CNN and a GRU watch a generated clip and name its motion after every frame."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/21_Video_activity.py", title="Video activity", icon=":material/videocam:", group="Demos",
              blurb="Many-to-one over frames: a GRU watches a clip and names the motion, frame by frame.", minutes=5)
