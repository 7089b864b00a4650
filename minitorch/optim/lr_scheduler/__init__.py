"""``torch.optim.lr_scheduler``: learning-rate schedules that rewrite each group's ``lr``."""
from ._base import EPOCH_DEPRECATION_WARNING, LRScheduler, _LRScheduler  # noqa: F401
from ._composite import ChainedScheduler, SequentialLR  # noqa: F401
from ._cosine import CosineAnnealingLR, CosineAnnealingWarmRestarts  # noqa: F401
from ._cyclic import CyclicLR, OneCycleLR  # noqa: F401
from ._factor import (  # noqa: F401
    ConstantLR, ExponentialLR, LambdaLR, LinearLR, MultiplicativeLR, MultiStepLR, PolynomialLR, StepLR)
from ._plateau import ReduceLROnPlateau  # noqa: F401

__all__ = ["LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR",
           "SequentialLR", "CosineAnnealingLR", "ChainedScheduler", "ReduceLROnPlateau", "CyclicLR",
           "CosineAnnealingWarmRestarts", "OneCycleLR", "PolynomialLR", "LRScheduler"]
