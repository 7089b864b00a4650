"""torch.cuda.amp on a machine without CUDA: the deprecated spellings of torch.amp for ``"cuda"``, which warn
and disable themselves as torch's do there."""
from .autocast_mode import autocast, custom_bwd, custom_fwd
from .common import amp_definitely_not_available
from .grad_scaler import GradScaler

__all__ = ["amp_definitely_not_available", "autocast", "custom_bwd", "custom_fwd", "GradScaler"]
