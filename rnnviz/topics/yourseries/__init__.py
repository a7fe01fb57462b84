"""Your series: upload your own series and watch a small forecaster learn it, live."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/18_Your_series.py", title="Your series", icon=":material/monitoring:",
              group="Demos", blurb="Upload your own series (a CSV) and watch a recurrent forecaster learn it, live.",
              minutes=8)
