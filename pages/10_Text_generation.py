"""Text generation: a shipped character model writes, one drawn character at a time (one-to-many). The page itself is rnnviz/topics/generation/view.py."""
from rnnviz.topics.generation import view

view.main()
