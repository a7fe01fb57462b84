"""rnnviz: the Home page. Streamlit's native multipage mode serves the lessons in pages/. The page itself is rnnviz/topics/home/view.py."""
from rnnviz.topics.home import view

view.main()
