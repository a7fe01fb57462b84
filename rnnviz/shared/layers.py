"""What the shipped models are built from: the recurrent layer a `kind` names, and the two tokens that open
the vocabulary of every model that embeds its input (the classifier, the tagger, the encoder–decoder).

    LAYERS["lstm"](input_size, hidden_size)   # torch.nn's fused layer: training is fast, and the transparent
                                              # cells load its weights (cells.from_torch) to show every gate
"""
from __future__ import annotations

from torch import nn

LAYERS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}     # rnn: tanh (the student's own text may use it)

PAD = "<pad>"        # tokens[0]: fills a short sequence of a batch up to the longest (never read as input)
UNK = "<unk>"        # tokens[1]: any word or character the model never learned
