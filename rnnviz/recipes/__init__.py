"""The recipes that rebuild the demos' shipped models: one module per demo, found by rnnviz.train.

A module here defines RECIPES = {model name: build(log) -> (model, info)}, where build fetches its data
(set-up time only), trains with its own seeded torch.Generator, evaluates on held-out data against a
baseline, and returns the model with its manifest entry: arch (for models.ARCHITECTURES), task, data
(source and sha256), hyper, parameters, metrics (the held-out metric and its baselines), check
({"metric", "tolerance"}), command and the data the page needs at run time. `python -m rnnviz.train
NAME` then saves it to pretrained/ (rnnviz.pretrained.save).
"""
