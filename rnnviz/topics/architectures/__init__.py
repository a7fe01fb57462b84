"""Architectures: one unrolled diagram for the five forms of a recurrent network, each linked to its demo."""
from rnnviz.topics import Topic

TOPIC = Topic(path="pages/6_Architectures.py", title="Architectures", icon=":material/account_tree:", group="Lessons",
              blurb="One-to-one, one-to-many, many-to-one, many-to-many: the forms of an RNN, each linked to a live demo.", minutes=8)
