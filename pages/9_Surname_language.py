"""Surname → language: a character-level GRU names a surname's language, and shows its verdict after every letter. The page itself is rnnviz/topics/surname/view.py."""
from rnnviz.topics.surname import view

view.main()
