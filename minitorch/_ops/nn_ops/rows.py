"""Importing this declares every row of the nn family: what ``torch.nn.functional`` and its helpers read from the
table when they load (``import minitorch`` imports only the modules its other families use, ``lazy_ops``)."""
from . import (  # noqa: F401
    activation, conv, ctc, distance, dropout, embedding, embedding_bag, fold, grid_sample, hook, loss, margin_loss,
    normalization, padding, pool, rrelu, shuffle, softmax, upsample,
)
