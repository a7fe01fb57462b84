"""Forecasting: a GRU predicts a real series (sunspots, CO₂) one step ahead and free running, against naive baselines. The page itself is rnnviz/topics/forecast/view.py."""
from rnnviz.topics.forecast import view

view.main()
