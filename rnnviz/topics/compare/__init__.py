"""GRU vs LSTM: the same text through two trained character models, gate for gate, side by side."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/5_GRU_vs_LSTM.py", title="GRU vs LSTM", icon=":material/balance:", group="Lessons",
              blurb="The same text through a trained GRU and a trained LSTM: their gates, states and parameter counts.", minutes=10)
