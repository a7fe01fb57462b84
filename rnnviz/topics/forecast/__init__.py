"""Forecasting: a GRU predicts a real series (sunspots, CO₂) one step ahead and free running, against naive baselines."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/13_Forecasting.py", title="Forecasting", icon=":material/show_chart:", group="Demos",
              blurb="Predict a real time series (sunspots, CO₂) one step or many steps ahead, against a naive baseline.", minutes=6)
