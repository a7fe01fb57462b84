"""Surname → language: a character-level GRU names a surname's language, and shows its verdict after every letter."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/9_Surname_language.py", title="Surname → language", icon=":material/public:", group="Demos",
              blurb="Many-to-one on characters: guess a surname's language, letter by letter.", minutes=5)
