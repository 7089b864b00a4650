"""torch.nn.functional.ctc_loss: the reduction's name turned into torch's enum, through ``torch.ctc_loss``'s
parser (the lengths are both tensors or both sequences of ints)."""
from __future__ import annotations

from typing import Sequence

from .._ops.nn_ops.loss import REDUCTIONS
from .._ops.registry import FUNCTIONS
from .._tensor import Tensor
from ._reduction import get_reduction
from .._ops.autocast_policy import autocast_args


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths: Tensor | Sequence[int],
             target_lengths: Tensor | Sequence[int], blank: int = 0, reduction: str = "mean",
             zero_infinity: bool = False) -> Tensor:
    log_probs, targets = autocast_args("ctc_loss", log_probs, targets)
    return FUNCTIONS["ctc_loss"](log_probs, targets, input_lengths, target_lengths, blank,
                                 REDUCTIONS.index(get_reduction(reduction)), zero_infinity)
