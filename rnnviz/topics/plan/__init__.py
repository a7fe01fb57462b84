"""Lesson plan: a teacher writes a short sequence of views (links) and steps through it in class."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/14_Lesson_plan.py", title="Lesson plan", icon=":material/checklist:", group="Teaching",
              blurb="For teachers: a sequence of views (links) to step through in class, with presentation mode.")
