"""torch.cuda.amp.autocast, custom_fwd, custom_bwd: torch.amp's for ``"cuda"`` with a FutureWarning."""
from ... import _dtype as D
from ...amp import autocast_mode as _amp
from ...amp._deprecated import deprecated_cuda_decorator, device_autocast

__all__ = ["autocast", "custom_fwd", "custom_bwd"]

autocast = device_autocast("cuda", D.float16, __name__)
custom_fwd = deprecated_cuda_decorator("custom_fwd", _amp.custom_fwd)
custom_bwd = deprecated_cuda_decorator("custom_bwd", _amp.custom_bwd)
