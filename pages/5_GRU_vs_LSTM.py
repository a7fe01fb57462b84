"""GRU vs LSTM: the same text through two trained character models, gate for gate, side by side. The page itself is rnnviz/topics/compare/view.py."""
from rnnviz.topics.compare import view

view.main()
