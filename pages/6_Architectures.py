"""Architectures: one unrolled diagram for the five forms of a recurrent network, each linked to its demo. The page itself is rnnviz/topics/architectures/view.py."""
from rnnviz.topics.architectures import view

view.main()
