"""Your text: a student's own text, a character model trained on it live. The page itself is rnnviz/topics/yourtext/view.py."""
from rnnviz.topics.yourtext import view

view.main()
