"""torch.cpu.amp.autocast: ``torch.amp.autocast("cpu")`` with a FutureWarning."""
from ... import _dtype as D
from ...amp._deprecated import device_autocast

__all__ = ["autocast"]

autocast = device_autocast("cpu", D.bfloat16, __name__)
