"""Your series: a student's own series, a forecaster trained on it live. The page itself is rnnviz/topics/yourseries/view.py."""
from rnnviz.topics.yourseries import view

view.main()
