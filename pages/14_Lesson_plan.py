"""Lesson plan: a teacher writes a short sequence of views (links) and steps through it in class. The page itself is rnnviz/topics/plan/view.py."""
from rnnviz.topics.plan import view

view.main()
