"""Date translation: a GRU encoder reads a date written any way, its last state c is all a GRU decoder gets,. The page itself is rnnviz/topics/dates/view.py."""
from rnnviz.topics.dates import view

view.main()
