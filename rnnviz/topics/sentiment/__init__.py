"""Sentiment: a word-level LSTM reads a sentence and gives its verdict after every word (many-to-one)."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/8_Sentiment.py", title="Sentiment", icon=":material/sentiment_satisfied:", group="Demos",
              blurb="Many-to-one: a trained LSTM reads a movie review word by word; watch its verdict change as it reads.", minutes=6)
