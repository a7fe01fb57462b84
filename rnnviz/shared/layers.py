"""What the shipped models are built from: the recurrent layer a `kind` names, and the tokens that open
every word or character vocabulary (the embedding's first two rows).

    LAYERS["lstm"](input_size, hidden_size)   # torch.nn's fused layer: training is fast, and the transparent
                                              # cells load its weights (cells.from_torch) to show every gate
"""
from __future__ import annotations

from torch import nn

LAYERS = {"lstm": nn.LSTM, "gru": nn.GRU}

PAD = "<pad>"        # tokens[0]: fills a short sequence of a batch up to the longest (never read as input)
UNK = "<unk>"        # tokens[1]: any word or character the model never learned
